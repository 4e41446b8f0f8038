/**
 * Systemic Importance Score per protocol and the ranked watchlist.
 *
 * Paper (PAPER-NOTES, §6.2): SIS_p = a PR~_p + b Tail_p + c log(1 + TVL_p)~,
 * a = b = c = 1/3, "~" = normalised to a common scale.
 * Authors' code (data-spec §5.1, `compute_sis_components`): PR~ = PR / max PR (all 0 if
 * PageRank fails), log-TVL~ = ln(1 + TVL) / max ln(1 + TVL), Tail = sum of the 5 largest
 * outgoing (held) exposures / sum of all outgoing exposures (0 with no out-edges), over
 * the raw w > 0 rows (duplicates counted separately, self-loops included).
 * Default mode (docs/MEASURES.md): min-max normalisation of PageRank and log-TVL, so the
 * least important protocol scores 0 on each component (PageRank never reaches 0, which
 * otherwise gives every protocol a floor of (1 - alpha)/N / max); Tail is already a share
 * and is left as is; duplicates summed and self-loops dropped (adjacency.ts).
 */
import type { Snapshot } from '../snapshot/types';
import { adjacency } from './adjacency';
import { pagerank } from './pagerank';
import type { ProtocolMeasures, SisOptions, SisResult, SisWeights, WatchlistEntry } from './types';

export const DEFAULT_SIS_WEIGHTS: SisWeights = { pagerank: 1 / 3, tail: 1 / 3, tvl: 1 / 3 };

export function resolveSisWeights(w: Partial<SisWeights> | undefined): SisWeights {
  const out = { ...DEFAULT_SIS_WEIGHTS, ...(w ?? {}) };
  for (const k of ['pagerank', 'tail', 'tvl'] as const) {
    const v = out[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`measures/sis: weights.${k} must be a finite number >= 0, got ${String(v)}`);
  }
  return out;
}

/** Share of each node's k largest outgoing exposures in its total outgoing exposure. */
export function tailExposure(s: Snapshot, opts: { tailK?: number; mode?: 'default' | 'parity' } = {}): Float64Array {
  const k = opts.tailK ?? 5;
  if (!Number.isInteger(k) || k < 1) throw new Error(`measures/sis: tailK must be an integer >= 1, got ${k}`);
  const adj = adjacency(s, opts.mode === 'parity' ? 'rows' : 'sum-noself');
  const out = new Float64Array(adj.n);
  const top = new Float64Array(k);
  for (let p = 0; p < adj.n; p++) {
    const a = adj.outStart[p];
    const b = adj.outStart[p + 1];
    if (b === a || !(adj.outSum[p] > 0)) continue;
    if (b - a <= k) {
      out[p] = 1;
      continue;
    }
    // Keep the k largest in a small descending buffer (k = 5: insertion beats a sort).
    let filled = 0;
    for (let j = a; j < b; j++) {
      const w = adj.outWeight[j];
      if (filled < k) {
        let i = filled++;
        while (i > 0 && top[i - 1] < w) {
          top[i] = top[i - 1];
          i--;
        }
        top[i] = w;
      } else if (w > top[k - 1]) {
        let i = k - 1;
        while (i > 0 && top[i - 1] < w) {
          top[i] = top[i - 1];
          i--;
        }
        top[i] = w;
      }
    }
    let sum = 0;
    for (let i = 0; i < k; i++) sum += top[i];
    out[p] = sum / adj.outSum[p];
  }
  return out;
}

function normalise(x: Float64Array, mode: 'default' | 'parity'): Float64Array {
  const out = new Float64Array(x.length);
  if (x.length === 0) return out;
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i] > max) max = x[i];
    if (x[i] < min) min = x[i];
  }
  if (mode === 'parity') {
    if (!(max > 0)) return out;
    for (let i = 0; i < x.length; i++) out[i] = x[i] / max;
    return out;
  }
  const span = max - min;
  if (!(span > 0)) return out;
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - min) / span;
  return out;
}

export function sis(s: Snapshot, opts: SisOptions = {}): SisResult {
  const mode = opts.mode ?? 'default';
  const weights = resolveSisWeights(opts.weights);
  const pr = pagerank(s, opts);
  const tail = tailExposure(s, { tailK: opts.tailK, mode });
  const n = s.ids.length;
  const logTvl = new Float64Array(n);
  for (let i = 0; i < n; i++) logTvl[i] = Math.log1p(Math.max(s.tvl[i], 0));
  const prN = normalise(pr.scores, mode);
  const tvlN = normalise(logTvl, mode);
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) score[i] = weights.pagerank * prN[i] + weights.tail * tail[i] + weights.tvl * tvlN[i];
  return {
    pagerank: pr.scores,
    pagerankNorm: prN,
    tailExposure: tail,
    logTvlNorm: tvlN,
    sis: score,
    weights,
    pagerankConverged: pr.converged,
    pagerankIterations: pr.iterations,
  };
}

/** Node indices ranked by SIS, highest first; ties by id ascending. */
export function sisOrder(s: Snapshot, r: SisResult): Int32Array {
  const order = Int32Array.from({ length: s.ids.length }, (_, i) => i);
  order.sort((a, b) => r.sis[b] - r.sis[a] || (s.ids[a] < s.ids[b] ? -1 : s.ids[a] > s.ids[b] ? 1 : 0));
  return order;
}

/** Object view of the protocols ranked by SIS (all of them, or the first `limit`). */
export function rankedProtocols(s: Snapshot, r: SisResult, limit = Infinity): ProtocolMeasures[] {
  const order = sisOrder(s, r);
  const k = Math.min(limit, order.length);
  const out: ProtocolMeasures[] = new Array(k);
  for (let j = 0; j < k; j++) {
    const i = order[j];
    out[j] = {
      id: s.ids[i],
      name: s.names[i],
      category: s.categories[i],
      tvl: s.tvl[i],
      pagerank: r.pagerank[i],
      pagerankNorm: r.pagerankNorm[i],
      tailExposure: r.tailExposure[i],
      logTvlNorm: r.logTvlNorm[i],
      sis: r.sis[i],
      rank: j + 1,
    };
  }
  return out;
}

/** The k protocols with the highest SIS, ranked. */
export function watchlist(s: Snapshot, k = 20, opts: SisOptions = {}): WatchlistEntry[] {
  if (!Number.isInteger(k) || k < 0) throw new Error(`measures/watchlist: k must be an integer >= 0, got ${k}`);
  return rankedProtocols(s, sis(s, opts), k);
}
