/**
 * Benchmark: one full-scale week (5,700 protocols, 30,000 exposures by default: the
 * release's average, data-spec Appendix A) to a complete G^(t+h) with forecast()
 * (src/core/model): features, encoder, candidate pairs, pair scoring, node head.
 *
 * Baseline, measured in the same run on the same input: the same model's PyTorch
 * forward (checkpoint.pt of the model set, training/dxtrain/bench_forward.py) on the
 * same week and the same candidate pairs, with the same thread count. Reported as
 * ratio = ORT time / PyTorch time per stage (< 1: ORT wins). Also reported: the
 * model's FLOPs per week and this machine's sgemm throughput (torch and NumPy,
 * measured by the Python side), so the times can be read against the hardware.
 *
 * The input is a random exposure graph with preferential attachment (a few issuers
 * hold most in-links, as in the release), TVLs log-normal, categories cycled.
 *
 *   node --import tsx bench/forecast.ts [--nodes N] [--edges E] [--horizon H]
 *        [--models DIR] [--threads T] [--repeats R] [--quick]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Snapshot } from '../src/core/snapshot/types';
import { lognormal, rngFromSeed } from '../src/core/random';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { calibrationMs } from './calibration';
import { defaultModelsDir, graphInput, baseLogWeights, type ForecastTimings } from '../src/core/model';
import { pairWindow } from '../src/core/model/forecast';
import { NUM_PAIR_FEATURES, PairFeatureContext } from '../src/core/features/pair-features';
import { NUM_FEATURES } from '../src/core/features';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const CATS = ['Dexes', 'Lending', 'CDP', 'Liquid Staking', 'Bridge', 'Yield', 'Derivatives', 'Unknown'];

export function benchSnapshot(n: number, e: number, seed: number, week: string): Snapshot {
  const rng = rngFromSeed(seed);
  const src = new Int32Array(e);
  const dst = new Int32Array(e);
  const w = new Float64Array(e);
  const seen = new Set<number>();
  let k = 0;
  while (k < e) {
    // Preferential attachment on both ends: a few holders (vaults, aggregators) hold
    // many tokens and a few issuers are held by many, as in the release.
    const u = k > 0 && rng.next() < 0.5 ? src[Math.floor(rng.next() * k)] : Math.floor(rng.next() * n);
    const v = k > 0 && rng.next() < 0.8 ? dst[Math.floor(rng.next() * k)] : Math.floor(rng.next() * n);
    if (u === v || seen.has(u * n + v)) continue;
    seen.add(u * n + v);
    src[k] = u;
    dst[k] = v;
    w[k] = lognormal(rng, 11, 3);
    k++;
  }
  const ids = Array.from({ length: n }, (_, i) => `bench-${i}`);
  return {
    week,
    kind: 'observed',
    ids,
    names: ids,
    categories: ids.map((_, i) => CATS[i % CATS.length]),
    tvl: Float64Array.from({ length: n }, () => lognormal(rng, 14, 3)),
    edgeSource: src,
    edgeTarget: dst,
    edgeWeight: w,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * forecastDetailed of the built library (dist/index.js, `npm run build`), as the
 * product runs it: the sources run through tsx measured up to 2x slower in the
 * candidate stage. Without a build, the sources.
 */
async function library(): Promise<{ forecastDetailed: typeof import('../src/core/model').forecastDetailed; built: boolean }> {
  const lib = join(__dirname, '..', 'dist', 'index.js');
  if (existsSync(lib)) return { forecastDetailed: ((await import(pathToFileURL(lib).href)) as typeof import('../src/core/model')).forecastDetailed, built: true };
  return { forecastDetailed: (await import('../src/core/model')).forecastDetailed, built: false };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const n = arg('--nodes', quick ? 1500 : 5700);
  const e = arg('--edges', quick ? 8000 : 30000);
  const horizon = arg('--horizon', 1);
  const threads = arg('--threads', 2);
  const repeats = arg('--repeats', quick ? 2 : 3);
  const mi = process.argv.indexOf('--models');
  const modelsDir = resolve(mi >= 0 ? process.argv[mi + 1] : defaultModelsDir());

  const anchor = benchSnapshot(n, e, 7, '2024-06-10');
  const previous = { ...anchor, week: '2024-06-03', tvl: anchor.tvl.map((v, i) => v * (1 + 0.01 * ((i % 7) - 3))) };
  // Warm-up (session creation, allocator), then the median of `repeats` runs.
  const { forecastDetailed, built } = await library();
  const loadBefore = loadavg();
  const calBefore = calibrationMs();
  const first = await forecastDetailed(anchor, previous, { horizon, modelsDir, threads });
  const runs: ForecastTimings[] = [];
  let last = first;
  for (let r = 0; r < repeats; r++) {
    last = await forecastDetailed(anchor, previous, { horizon, modelsDir, threads });
    runs.push(last.timings);
  }
  const ort: Record<string, number> = {};
  for (const key of Object.keys(runs[0]) as (keyof ForecastTimings)[]) ort[key] = median(runs.map((t) => t[key]));

  // The PyTorch baseline on the same week and candidate pairs.
  const dir = join('.cache', 'bench-forecast');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const g = graphInput(anchor, previous);
  const pairs = last.candidates.pairs;
  const P = pairs.length / 2;
  writeFileSync(join(dir, 'x.f32'), g.features);
  writeFileSync(join(dir, 'edge_index.i64'), g.edgeIndex);
  writeFileSync(join(dir, 'edge_lw.f32'), g.edgeLw);
  writeFileSync(join(dir, 'pairs.i64'), BigInt64Array.from(pairs, (v) => BigInt(v)));
  writeFileSync(join(dir, 'base_lw.f32'), baseLogWeights(anchor, pairs));
  // a model trained on pair features gets the same pair features as the ORT run
  const pf = (JSON.parse(readFileSync(join(modelsDir, `h${horizon}`, 'link.card.json'), 'utf8')) as { pairFeatures?: { memoryWeeks: number } }).pairFeatures;
  if (pf) writeFileSync(join(dir, 'pair_x.f32'), new PairFeatureContext(pairWindow(anchor, previous, undefined, pf.memoryWeeks), pf.memoryWeeks).features(pairs));
  writeFileSync(join(dir, 'dims.json'), JSON.stringify({ N: n, E: e, P, F: NUM_FEATURES, horizon, ...(pf ? { K: NUM_PAIR_FEATURES } : {}) }));
  const python = process.env.DEXPOSURE_PYTHON ?? '/usr/bin/python3';
  const py = spawnSync(
    python,
    ['-m', 'dxtrain.bench_forward', '--checkpoint', join(modelsDir, `h${horizon}`, 'checkpoint.pt'), '--input', dir, '--threads', String(threads), '--repeats', String(repeats)],
    { encoding: 'utf8', env: { ...process.env, PYTHONPATH: resolve('training') }, maxBuffer: 16 << 20 },
  );
  rmSync(dir, { recursive: true, force: true });
  let torch: any = null;
  if (py.status === 0) torch = JSON.parse(py.stdout.trim().split('\n').pop() ?? '{}');
  else console.error(`bench/forecast: PyTorch baseline failed (exit ${py.status}): ${py.stderr.trim().split('\n').slice(-3).join(' | ')}`);

  const ortModelMs = ort.encoderMs + ort.pairScoringMs + ort.nodeHeadMs;
  const result: Record<string, unknown> = {
    bench: 'forecast',
    library: built ? 'dist/index.js' : 'sources (tsx)',
    loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: loadavg().map((x) => +x.toFixed(2)) },
    calibrationMs: { before: calBefore, after: calibrationMs() },
    nodes: n,
    edges: e,
    horizon,
    threads,
    model: last.model,
    candidatePairs: P,
    candidates: last.candidates.counts,
    predictedEdges: last.snapshot.edgeSource.length,
    ortMs: ort,
    underOneSecond: ort.totalMs < 1000,
    under400Ms: ort.totalMs < 400,
  };
  if (torch) {
    const gflop = torch.flops.total / 1e9;
    result.torchMs = { encoderMs: torch.encoderMs, pairScoringMs: torch.pairScoringMs, nodeHeadMs: torch.nodeHeadMs, modelMs: torch.totalMs };
    result.ratio = {
      encoder: ort.encoderMs / torch.encoderMs,
      pairScoring: ort.pairScoringMs / torch.pairScoringMs,
      nodeHead: ort.nodeHeadMs / torch.nodeHeadMs,
      model: ortModelMs / torch.totalMs,
    };
    result.flopsPerWeek = torch.flops;
    result.sgemmGflops = torch.sgemmGflops;
    result.achievedGflops = { ort: gflop / (ortModelMs / 1000), torch: gflop / (torch.totalMs / 1000) };
  }
  console.log(JSON.stringify(result, null, 2));
}

if (process.argv[1]?.endsWith("forecast.ts")) main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
