/**
 * Benchmark: all measures of a full-scale week (~5,700 protocols, ~30,000 exposures),
 * one stress scenario, and a 100-point shock-size sweep; compared in the same run with
 * graphology-metrics' PageRank and with the straightforward Python/NetworkX reference
 * (bench/reference/measures_nx.py, parity mode on both sides) on the same exported week.
 *
 * Run: node --import tsx bench/measures.ts [--no-python]   -> one JSON object.
 * Budgets (issue): measures < 100 ms, one scenario < 20 ms, 100-point sweep < 1 s.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pagerankGraphology from 'graphology-metrics/centrality/pagerank';
import { computeMeasures } from '../src/core/measures';
import { runStress, sweep } from '../src/core/stress';
import type { Snapshot } from '../src/core/snapshot/types';
import { graphologyGraph, randomSnapshot } from '../test/unit/measures/fixture-snapshot';

const N = 5700;
const E = 30000;

/** A fresh copy, so the per-snapshot adjacency cache starts cold. */
function copy(s: Snapshot): Snapshot {
  return { ...s, tvl: s.tvl.slice(), edgeSource: s.edgeSource.slice(), edgeTarget: s.edgeTarget.slice(), edgeWeight: s.edgeWeight.slice() };
}

function median(f: () => void, reps: number): number {
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const a = performance.now();
    f();
    t.push(performance.now() - a);
  }
  t.sort((x, y) => x - y);
  return t[Math.floor(reps / 2)];
}

const base = randomSnapshot(N, E, 2024);
for (let i = 0; i < 3; i++) computeMeasures(copy(base)); // warm-up (JIT)

const measuresCold = median(() => computeMeasures(copy(base)), 9);
const measuresParityCold = median(() => computeMeasures(copy(base), { mode: 'parity' }), 9);
const warm = copy(base);
computeMeasures(warm);
const stressWarm = median(() => runStress(warm, 'top1'), 15);
const stressCold = median(() => runStress(copy(base), 'top1'), 9);
const stressTop5 = median(() => runStress(warm, 'top5'), 15);
const stressParity = median(() => runStress(warm, 'top1', { mode: 'parity' }), 15);
const sizes = Array.from({ length: 100 }, (_, i) => i / 99);
const sweepMs = median(() => sweep(warm, 'top1', { shockSizes: sizes }), 3);

// Same-run baseline 1: graphology-metrics PageRank, including building the graph.
const graphologyPagerank = median(() => {
  const g = graphologyGraph(base);
  pagerankGraphology(g, { getEdgeWeight: 'weight' });
}, 5);

const result: Record<string, unknown> = {
  nodes: N,
  edges: E,
  measuresMs: measuresCold,
  measuresParityMs: measuresParityCold,
  stressTop1Ms: stressWarm,
  stressTop1ColdMs: stressCold,
  stressTop5Ms: stressTop5,
  stressParityMs: stressParity,
  sweep100Ms: sweepMs,
  graphologyPagerankMs: graphologyPagerank,
  measuresVsGraphologyPagerankAlone: measuresCold / graphologyPagerank,
  withinBudget: { measures: measuresCold < 100, stress: stressCold < 20, sweep: sweepMs < 1000 },
};

// Same-run baseline 2: the Python/NetworkX reference on the same week (parity mode).
if (!process.argv.includes('--no-python')) {
  const dir = join(__dirname, '..', '.cache', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'measures-week.json');
  const edges: [number, number, number][] = [];
  for (let k = 0; k < E; k++) edges.push([base.edgeSource[k], base.edgeTarget[k], base.edgeWeight[k]]);
  writeFileSync(file, JSON.stringify({ ids: base.ids, names: base.names, categories: base.categories, tvl: Array.from(base.tvl), edges }));
  try {
    const py = JSON.parse(execFileSync('/usr/bin/python3', [join(__dirname, 'reference', 'measures_nx.py'), file], { encoding: 'utf8' })) as Record<string, number>;
    const ours = computeMeasures(copy(base), { mode: 'parity' });
    const oursStress = runStress(copy(base), 'top1', { mode: 'parity' });
    result.python = py;
    result.speedup = { measures: py.measuresMs / measuresParityCold, stress: py.stressMs / stressParity, sweep100: py.sweep100Ms / sweepMs };
    result.parityCheck = { tvlHHI: Math.abs(ours.tvlHHI - py.tvlHHI), systemLossPct: Math.abs(oursStress.systemLossPct - py.systemLossPct) };
  } catch (e) {
    result.python = `unavailable: ${(e as Error).message.split('\n')[0]}`;
  }
}
console.log(JSON.stringify(result));
