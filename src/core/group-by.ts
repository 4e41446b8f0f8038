/**
 * Indices grouped by a small integer key with a stable counting sort: the building
 * block of the pair bookkeeping in the forecast (pairs by source, model/source-rows.ts)
 * and of the pair features' adjacency rows and neighbour counts.
 */

/** Indices grouped by key: the indices with key u are order[offsets[u] .. offsets[u+1]), in input order. */
export interface SourceGroups {
  offsets: Int32Array;
  order: Int32Array;
}

/** Stable counting sort of indices 0..count-1 by `source[i]` (each in [0, n)). */
export function groupBySource(n: number, source: ArrayLike<number>, count = source.length): SourceGroups {
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < count; i++) offsets[source[i] + 1]++;
  for (let u = 0; u < n; u++) offsets[u + 1] += offsets[u];
  const fill = offsets.slice(0, n);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[fill[source[i]]++] = i;
  return { offsets, order };
}
