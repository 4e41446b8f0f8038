/**
 * Benchmark: what the forecast's candidate pairs and its kept edges recover of the
 * edges that were realised, on held-out weeks of a release (the models' test split
 * starts 2025-01-06), with per-stage timings. For anchor week t and the realised week
 * t+h (both in the release), over pairs whose two endpoints exist at t:
 *   - candidates.recall: share of realised edges among the scored candidate pairs;
 *   - candidates.recallNew: the same for realised edges absent at t (new edges);
 *   - forecast.recall / recallNew: the same for the edges G^(t+h) keeps;
 *   - forecast.precision: share of kept edges that were realised.
 * The baseline, in the same run: persistence (G^(t+h) = G_t), whose recall is the
 * week's edge persistence and whose new-edge recall is 0.
 *
 *   node --import tsx bench/forecast-recall.ts --release PATH [--cache-dir D]
 *        [--anchors 2025-01-06,2025-03-03,...] [--horizon 1] [--threads 2]
 * Prints one JSON object (per anchor and the mean).
 */
import { loadavg } from 'node:os';
import { openRelease } from '../src/core/snapshot/release';
import type { Snapshot } from '../src/core/snapshot/types';
import { forecastDetailed } from '../src/core/model';
import { GENERATORS } from '../src/core/model/candidates';
import { addWeeks } from '../src/core/weeks';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Realised distinct edges of `next`, in `anchor`'s index space (endpoints absent at t dropped). */
function realised(anchor: Snapshot, next: Snapshot): Set<number> {
  const n = anchor.ids.length;
  const idx = new Map(anchor.ids.map((id, i) => [id, i]));
  const out = new Set<number>();
  for (let k = 0; k < next.edgeSource.length; k++) {
    const a = idx.get(next.ids[next.edgeSource[k]]);
    const b = idx.get(next.ids[next.edgeTarget[k]]);
    if (a !== undefined && b !== undefined) out.add(a * n + b);
  }
  return out;
}

function recall(pairs: Iterable<number>, truth: Set<number>, only?: (key: number) => boolean): { hit: number; of: number } {
  let hit = 0;
  const seen = new Set<number>();
  for (const key of pairs) if (!seen.has(key) && truth.has(key) && (!only || only(key)) && seen.add(key)) hit++;
  let of = 0;
  for (const key of truth) if (!only || only(key)) of++;
  return { hit, of };
}

async function main(): Promise<void> {
  const release = arg('--release');
  if (!release) throw new Error('bench/forecast-recall: --release PATH is required');
  const horizon = Number(arg('--horizon') ?? 1);
  const threads = Number(arg('--threads') ?? 2);
  const r = await openRelease(release, { cacheDir: arg('--cache-dir') });
  const anchors = (arg('--anchors') ?? '2025-01-06,2025-02-17,2025-03-31,2025-05-12,2025-06-23,2025-08-04').split(',');
  const load = [loadavg()];
  const rows: Record<string, unknown>[] = [];
  // Warm-up: model sessions and JIT, not counted.
  const first = r.weeks.indexOf(anchors[0]);
  await forecastDetailed(await r.snapshot(anchors[0]), first > 0 ? await r.snapshot(r.weeks[first - 1]) : undefined, { horizon, threads });
  for (const week of anchors) {
    const t = r.weeks.indexOf(week);
    const target = addWeeks(week, horizon);
    if (t < 0 || !r.weeks.includes(target)) throw new Error(`bench/forecast-recall: ${week} or ${target} is not in the release`);
    const anchor = await r.snapshot(week);
    const prev = t > 0 ? await r.snapshot(r.weeks[t - 1]) : undefined;
    const truth = realised(anchor, await r.snapshot(target));
    const n = anchor.ids.length;
    const atT = new Set<number>();
    for (let k = 0; k < anchor.edgeSource.length; k++) atT.add(anchor.edgeSource[k] * n + anchor.edgeTarget[k]);
    const isNew = (key: number) => !atT.has(key);
    const f = await forecastDetailed(anchor, prev, { horizon, threads });
    const P = f.candidates.pairs.length / 2;
    const cand = Array.from({ length: P }, (_, i) => f.candidates.pairs[i] * n + f.candidates.pairs[P + i]);
    const s = f.snapshot;
    const kept = Array.from(s.edgeSource, (u, k) => u * n + s.edgeTarget[k]);
    const c = recall(cand, truth);
    const cn = recall(cand, truth, isNew);
    const k = recall(kept, truth);
    const kn = recall(kept, truth, isNew);
    const p = recall(atT, truth);
    // Per generator: pairs, realised pairs among them, and what the kept edges took from it.
    const keptSet = new Set(kept);
    const byGenerator: Record<string, { pairs: number; realised: number; realisedNew: number; kept: number; keptRealised: number }> = {};
    for (const g of GENERATORS) byGenerator[g] = { pairs: 0, realised: 0, realisedNew: 0, kept: 0, keptRealised: 0 };
    for (let i = 0; i < P; i++) {
      const g = byGenerator[GENERATORS[f.candidates.origin[i]]];
      const key = cand[i];
      g.pairs++;
      const hit = truth.has(key);
      if (hit) g.realised++;
      if (hit && isNew(key)) g.realisedNew++;
      if (keptSet.has(key)) {
        g.kept++;
        if (hit) g.keptRealised++;
      }
    }
    rows.push({
      anchor: week,
      nodes: n,
      anchorEdges: atT.size,
      realisedEdges: c.of,
      realisedNewEdges: cn.of,
      candidatePairs: P,
      candidates: { recall: c.hit / c.of, recallNew: cn.hit / cn.of, hits: c.hit, newHits: cn.hit },
      forecast: { edges: kept.length, recall: k.hit / k.of, recallNew: kn.hit / kn.of, precision: k.hit / kept.length, newHits: kn.hit },
      persistence: { recall: p.hit / p.of },
      byGenerator,
      timings: f.timings,
    });
  }
  load.push(loadavg());
  const mean = (get: (x: any) => number) => rows.reduce((s, x) => s + get(x), 0) / rows.length;
  console.log(
    JSON.stringify(
      {
        bench: 'forecast-recall',
        release,
        horizon,
        threads,
        loadAverage: { before: load[0].map((x) => +x.toFixed(2)), after: load[1].map((x) => +x.toFixed(2)) },
        mean: {
          candidatePairs: mean((x) => x.candidatePairs),
          candidatesRecall: mean((x) => x.candidates.recall),
          candidatesRecallNew: mean((x) => x.candidates.recallNew),
          forecastRecall: mean((x) => x.forecast.recall),
          forecastRecallNew: mean((x) => x.forecast.recallNew),
          forecastPrecision: mean((x) => x.forecast.precision),
          persistenceRecall: mean((x) => x.persistence.recall),
          candidatesMs: mean((x) => x.timings.candidatesMs),
          pairScoringMs: mean((x) => x.timings.pairScoringMs),
          totalMs: mean((x) => x.timings.totalMs),
        },
        anchors: rows,
      },
      null,
      2,
    ),
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
