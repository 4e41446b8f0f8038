/**
 * DebtRank-style contagion on one exposure snapshot.
 *
 * Paper (PAPER-NOTES, §6.2): shocked protocols lose d0 x TVL; a distressed debtor's loss
 * passes to its creditors in proportion to their exposures E_cp / sum_c' E_c'p; a
 * creditor is distressed when its loss exceeds threshold x TVL (0.1); losses are capped
 * at TVL; rounds continue until no new protocol becomes distressed.
 * Edge p -> q: p holds q's tokens, so p is q's creditor (src/core/snapshot/types.ts).
 *
 * Parity mode = the authors' `simulate_contagion` (DeXposure-FM, data-spec §5.4) exactly:
 * duplicates summed and self-loops kept; active debtors processed one after another in
 * ascending id order (Python set order is arbitrary), each passing its CUMULATIVE loss
 * at the time it is processed (which can include losses added earlier in the same
 * round); zero-TVL creditors take losses uncapped and never become distressed; at most
 * 10 rounds; affected = distressed = |distressed|; depth = rounds with new distress.
 *
 * Default mode (docs/MEASURES.md) keeps the paper's proportional rule and makes the
 * result independent of processing order, bounded, and monotone:
 * - synchronous rounds: in round r every debtor passes what it had at the end of r - 1;
 * - incremental: a distressed protocol passes on each increment of its loss exactly once
 *   (losses it receives after becoming distressed travel on too, but nothing is passed
 *   twice, so nothing is counted twice);
 * - a creditor's cumulative loss on one debtor never exceeds its exposure to it: creditor
 *   c takes E_cd x min(1, L_d / T_d) in total, which equals the paper's share
 *   L_d x E_cd / T_d whenever the debtor's loss L_d is below the claims on it, T_d;
 * - losses capped at max(0, TVL), so the total never exceeds the total TVL; self-loops
 *   are not exposures; a shocked protocol with zero initial loss is not distressed;
 * - it stops when a round adds no new distress and (almost) no loss, or at maxRounds.
 * The map L -> min(TVL, L0 + sum_d E_.d min(1, [distressed_d] L_d / T_d)) is monotone, and
 * rounds are its Kleene iteration from the shock, so losses grow with the shock size
 * and shrink with the threshold (tested). Affected = protocols with any loss; distressed
 * = protocols past the threshold, shocked ones included; depth = the last round in
 * which a protocol became distressed.
 */
import { byDescendingKey } from '../descending-order';
import { adjacency } from '../measures/adjacency';
import { sortedIdsOf } from '../snapshot/access';
import type { Snapshot } from '../snapshot/types';
import type { ContagionRound, ProtocolLoss, ResolvedShock, StressOptions, StressResult } from './types';

const M = 'stress/debtrank';

export interface ContagionCore {
  loss: Float64Array;
  round: Int32Array;
  roundsRun: number;
  /** Node indices newly distressed in each round (index 0 = shocked). */
  newly: number[][];
  /** Total loss at the end of each round. */
  cumulative: number[];
}

export function resolveStressOptions(opts: StressOptions): Required<StressOptions> {
  const mode = opts.mode ?? 'default';
  const threshold = opts.threshold ?? 0.1;
  const maxRounds = opts.maxRounds ?? (mode === 'parity' ? 10 : 100);
  if (mode !== 'default' && mode !== 'parity') throw new Error(`${M}: mode must be "default" or "parity", got ${String(mode)}`);
  if (!(typeof threshold === 'number' && threshold >= 0 && threshold <= 1)) throw new Error(`${M}: threshold must be a number in [0, 1], got ${String(threshold)}`);
  if (!Number.isInteger(maxRounds) || maxRounds < 0) throw new Error(`${M}: maxRounds must be an integer >= 0, got ${String(maxRounds)}`);
  return { mode, threshold, maxRounds };
}

function sumOf(a: Float64Array): number {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i];
  return t;
}

/** Loss below this share of total TVL added in a round with no new distress ends the run. */
export const DEFAULT_CONVERGENCE = 1e-12;

/**
 * Default-mode propagation: synchronous rounds; each distressed debtor d passes on every
 * increment of its loss once, creditor c taking E_cd x (min(1, P_d / T_d) - the share
 * already taken), P_d = d's loss passed so far, T_d = sum of claims on d; losses capped
 * at TVL. This is Kleene iteration of a monotone map, so losses are monotone in the
 * shock and in the threshold (docs/MEASURES.md).
 */
function simulateDefault(s: Snapshot, shock: ResolvedShock, threshold: number, maxRounds: number): ContagionCore {
  const adj = adjacency(s, 'sum-noself');
  const n = adj.n;
  const tvl = s.tvl;
  const { inStart, inSource, inWeight, inSum } = adj;
  const loss = new Float64Array(n);
  const passed = new Float64Array(n);
  const round = new Int32Array(n).fill(-1);
  const queued = new Uint8Array(n);
  let totalTvl = 0;
  for (let i = 0; i < n; i++) totalTvl += tvl[i];
  const shocked: number[] = [];
  for (let j = 0; j < shock.targets.length; j++) {
    const i = shock.targets[j];
    const l = Math.min(Math.max(shock.initialLoss[j], 0), tvl[i]);
    if (!(l > loss[i])) continue;
    loss[i] = l;
    if (round[i] < 0) shocked.push(i);
    round[i] = 0;
  }
  // A debtor has something to pass while its loss exceeds what it passed and its
  // creditors' claims are not yet exhausted.
  const canPass = (d: number): boolean => inSum[d] > 0 && loss[d] > passed[d] && passed[d] < inSum[d];
  // Node lists of a round, each without repeats (so at most n long): the debtors passing
  // losses now, the next round's, the newly distressed and the distressed creditors hit.
  let frontier = new Int32Array(n);
  let nextFrontier = new Int32Array(n);
  const next = new Int32Array(n);
  const touched = new Int32Array(n);
  let F = 0;
  for (const i of shocked) {
    if (canPass(i)) {
      frontier[F++] = i;
      queued[i] = 1;
    }
  }
  const newly: number[][] = [shocked.slice()];
  let total = 0;
  for (let i = 0; i < n; i++) total += loss[i];
  const cumulative: number[] = [total];
  const target = new Float64Array(n);
  // The round in which a distressed creditor was last listed as touched: a creditor hit
  // by several debtors in one round is checked once (repeats cannot change the answer).
  const touchedIn = new Int32Array(n).fill(-1);
  let r = 0;
  while (F > 0 && r < maxRounds) {
    r++;
    for (let f = 0; f < F; f++) target[frontier[f]] = loss[frontier[f]];
    let X = 0;
    let U = 0;
    const before = total;
    for (let f = 0; f < F; f++) {
      const d = frontier[f];
      queued[d] = 0;
      const T = inSum[d];
      const fOld = Math.min(1, passed[d] / T);
      const fNew = Math.min(1, target[d] / T);
      passed[d] = target[d];
      const df = fNew - fOld;
      if (!(df > 0)) continue;
      for (let k = inStart[d], end = inStart[d + 1]; k < end; k++) {
        const c = inSource[k];
        const cap = tvl[c];
        const was = loss[c];
        const now = Math.min(cap, was + inWeight[k] * df);
        if (!(now > was)) continue;
        loss[c] = now;
        total += now - was;
        if (round[c] < 0) {
          if (now > threshold * cap) {
            round[c] = r;
            next[X++] = c;
          }
        } else if (touchedIn[c] !== r) {
          touchedIn[c] = r;
          touched[U++] = c;
        }
      }
    }
    let G = 0;
    for (let x = 0; x < X; x++) {
      const c = next[x];
      if (!queued[c] && canPass(c)) {
        queued[c] = 1;
        nextFrontier[G++] = c;
      }
    }
    for (let u = 0; u < U; u++) {
      const c = touched[u];
      if (!queued[c] && round[c] >= 0 && canPass(c)) {
        queued[c] = 1;
        nextFrontier[G++] = c;
      }
    }
    newly.push(Array.from(next.subarray(0, X)));
    cumulative.push(total);
    [frontier, nextFrontier] = [nextFrontier, frontier];
    F = G;
    // Echoes around cycles shrink geometrically; stop once they no longer matter.
    if (X === 0 && total - before <= DEFAULT_CONVERGENCE * totalTvl) break;
  }
  return { loss, round, roundsRun: r, newly, cumulative };
}

/** Parity-mode propagation: the authors' `simulate_contagion`, set order = ascending id. */
function simulateParity(s: Snapshot, shock: ResolvedShock, threshold: number, maxRounds: number): ContagionCore {
  const adj = adjacency(s, 'sum-self');
  const n = adj.n;
  const tvl = s.tvl;
  const ids = s.ids;
  const byId = (a: number, b: number): number => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0);
  const loss = new Float64Array(n);
  const round = new Int32Array(n).fill(-1);
  let active: number[] = [];
  for (let j = 0; j < shock.targets.length; j++) {
    const i = shock.targets[j];
    if (!(tvl[i] > 0)) continue;
    loss[i] = shock.initialLoss[j];
    if (round[i] < 0) active.push(i);
    round[i] = 0;
  }
  const newly: number[][] = [active.slice()];
  const cumulative: number[] = [sumOf(loss)];
  let executed = 0;
  for (let it = 0; it < maxRounds; it++) {
    if (active.length === 0) break;
    executed++;
    active.sort(byId);
    const next: number[] = [];
    for (const d of active) {
      const a = adj.inStart[d];
      const b = adj.inStart[d + 1];
      if (a === b) continue;
      let T = 0;
      for (let k = a; k < b; k++) T += adj.inWeight[k];
      if (T <= 0) continue;
      const L = loss[d];
      if (L <= 0) continue;
      for (let k = a; k < b; k++) {
        const c = adj.inSource[k];
        loss[c] += L * (adj.inWeight[k] / T);
        const cap = tvl[c];
        if (cap > 0) {
          loss[c] = Math.min(loss[c], cap);
          if (round[c] < 0 && loss[c] > threshold * cap) {
            round[c] = it + 1;
            next.push(c);
          }
        }
      }
    }
    // Every executed round is recorded (the authors record only rounds with new
    // distress; their propagation_rounds is our depth).
    newly.push(next);
    cumulative.push(sumOf(loss));
    if (next.length === 0) break;
    active = next;
  }
  return { loss, round, roundsRun: executed, newly, cumulative };
}

/** Run the propagation only (typed arrays), for sweeps and benchmarks. */
export function simulateContagion(s: Snapshot, shock: ResolvedShock, opts: StressOptions = {}): ContagionCore {
  const o = resolveStressOptions(opts);
  return o.mode === 'parity' ? simulateParity(s, shock, o.threshold, o.maxRounds) : simulateDefault(s, shock, o.threshold, o.maxRounds);
}

/**
 * Package a propagation as a StressResult (renderer- and CLI-ready). With `maxLosses`,
 * `losses` holds only the largest `maxLosses` rows, the same rows in the same order as
 * the first `maxLosses` of the full list (a view that shows no more does not pay for
 * thousands of row objects and their sort on every what-if rerun).
 */
export function stressResult(s: Snapshot, scenario: string, shock: ResolvedShock, core: ContagionCore, opts: StressOptions = {}, maxLosses = Infinity): StressResult {
  const o = resolveStressOptions(opts);
  const n = s.ids.length;
  const totalTvl = sumOf(s.tvl);
  const totalLoss = sumOf(core.loss);
  const pct = (x: number): number => (totalTvl > 0 ? (100 * x) / totalTvl : 0);
  let affected = 0;
  let distressed = 0;
  let depth = 0;
  const listed: number[] = [];
  let finite = true;
  for (let i = 0; i < n; i++) {
    const l = core.loss[i];
    const r = core.round[i];
    if (l > 0) affected++;
    if (r >= 0) {
      distressed++;
      if (r > depth) depth = r;
    }
    if (l > 0 || r >= 0) {
      listed.push(i);
      if (l !== l) finite = false;
    }
  }
  if (o.mode === 'parity') affected = distressed;
  const row = (i: number): ProtocolLoss => {
    const x: ProtocolLoss = { id: s.ids[i], name: s.names[i], category: s.categories[i], tvl: s.tvl[i], loss: core.loss[i] };
    if (core.round[i] >= 0) x.distressedRound = core.round[i];
    return x;
  };
  const byLossThenId = (a: ProtocolLoss, b: ProtocolLoss): number => b.loss - a.loss || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  let losses: ProtocolLoss[];
  if (finite) {
    // largest loss first by a radix sort; then runs of equal losses by id. Rows are
    // built for the first maxLosses only (a what-if rerun lists 200 of thousands).
    const keep = Math.min(listed.length, Math.max(0, Math.floor(maxLosses)));
    const order = byDescendingKey(core.loss, Int32Array.from(listed));
    const idOf = s.ids;
    for (let a = 0; a < keep; ) {
      let b = a + 1;
      while (b < order.length && core.loss[order[b]] === core.loss[order[a]]) b++;
      if (b - a > 1) order.subarray(a, b).sort((x, y) => (idOf[x] < idOf[y] ? -1 : idOf[x] > idOf[y] ? 1 : 0));
      a = b;
    }
    losses = Array.from(order.subarray(0, keep), row);
  } else losses = listed.map(row).sort(byLossThenId);
  const rounds: ContagionRound[] = core.newly.map((ids, r) => ({
    round: r,
    newlyDistressed: sortedIdsOf(s, ids),
    cumulativeLoss: core.cumulative[r],
    cumulativeLossPct: pct(core.cumulative[r]),
  }));
  const shocked = core.newly[0].map((i) => s.ids[i]).sort();
  return {
    label: s.kind,
    week: s.week,
    mode: o.mode,
    scenario,
    threshold: o.threshold,
    systemLossPct: pct(totalLoss),
    totalLoss,
    totalTvl,
    depth,
    affected,
    distressed,
    shocked,
    ignored: shock.ignored,
    roundsRun: core.roundsRun,
    losses,
    rounds,
    lossByNode: core.loss,
    distressedRound: core.round,
  };
}
