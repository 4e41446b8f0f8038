// Random exposure snapshots for the model tests: a few issuers attract most
// exposures (preferential attachment), as in the real and synthetic releases.
import type { Snapshot } from '../../../src/core/snapshot/types';
import { rngFromSeed } from '../../../src/core/random';

const CATS = ['Dexes', 'Lending', 'CDP', 'Liquid Staking', 'Bridge', 'Yield', 'Unknown'];

export function randomSnapshot(n: number, edges: number, seed: number, week = '2024-03-04'): Snapshot {
  const rng = rngFromSeed(seed);
  const ids = Array.from({ length: n }, (_, i) => `p${i}`);
  const tvl = Float64Array.from({ length: n }, () => Math.exp(10 + 6 * rng.next()));
  const indeg = new Float64Array(n).fill(1);
  const seen = new Set<number>();
  const src: number[] = [];
  const dst: number[] = [];
  const w: number[] = [];
  let guard = 0;
  while (src.length < edges && guard++ < edges * 50) {
    const u = Math.floor(rng.next() * n);
    // Target by in-degree (preferential attachment), via a linear scan (small n).
    let total = 0;
    for (let i = 0; i < n; i++) total += indeg[i] * indeg[i];
    let r = rng.next() * total;
    let v = 0;
    while (v < n - 1 && (r -= indeg[v] * indeg[v]) > 0) v++;
    if (u === v || seen.has(u * n + v)) continue;
    seen.add(u * n + v);
    src.push(u);
    dst.push(v);
    w.push(Math.exp(6 + 8 * rng.next()));
    indeg[v]++;
  }
  return {
    week,
    kind: 'observed',
    ids,
    names: ids.map((id) => `Protocol ${id}`),
    categories: ids.map((_, i) => CATS[i % CATS.length]),
    tvl,
    edgeSource: Int32Array.from(src),
    edgeTarget: Int32Array.from(dst),
    edgeWeight: Float64Array.from(w),
  };
}

/** The same graph a week earlier with TVLs scaled, for the prev-TVL-change feature. */
export function previousOf(s: Snapshot, week = '2024-02-26'): Snapshot {
  return { ...s, week, tvl: s.tvl.map((v, i) => v * (1 + 0.05 * ((i % 5) - 2))) };
}

export const FIXTURE_MODELS = new URL('../../fixtures/model/', import.meta.url).pathname;
