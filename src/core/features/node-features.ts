/**
 * The node feature vector x_p (PAPER-NOTES "Model"; data-spec §3, the authors'
 * `RFE:node_features` + `enrich_snapshots_with_historical_features`). ONE
 * implementation, used by the training-set export and by inference.
 *
 * Per node, in FEATURE_SCHEMA order:
 *   log_tvl          ln(1 + max(tvl, 0))
 *   n_token_types    number of composition entries
 *   max_token_share  max_k v_k / (sum v + 1e-12), v = max(composition, 0);
 *                    0 if tvl <= 0 or the composition is empty (authors' rule)
 *   token_entropy    -sum p_k ln(p_k + 1e-12), same shares and conditions
 *   cat_*            one-hot of featureCategory(snapshot.categories[i])
 *   prev_tvl_change  ln(1+tvl) - ln(1+tvl_prev) when the id is in `previous` and both
 *                    TVLs are > 0, else 0 (authors' rule; 0 without a previous week)
 *   in_degree_norm   in-degree over the snapshot's edges (self-loops and duplicates
 *                    count) / max in-degree (/1 when the max is 0)
 *   out_degree_norm  the same for out-degree, normalised separately
 * Deviation: the category one-hot uses a fixed vocabulary (categories.ts).
 * Values are computed in float64 and stored as float32.
 */
import type { Snapshot } from '../snapshot/types';
import { featureCategoryIndex } from './categories';
import { CATEGORY_OFFSET, FEATURE_SCHEMA, NUM_FEATURES } from './schema';

const EPS = 1e-12;
const N_CATS = FEATURE_SCHEMA.categories.length;
const PREV = CATEGORY_OFFSET + N_CATS;
const IN_DEG = PREV + 1;
const OUT_DEG = PREV + 2;

function check(s: Snapshot, label: string): void {
  const n = s.ids.length;
  if (s.tvl.length !== n || s.categories.length !== n) {
    throw new Error(`features/node-features: ${label} snapshot ${s.week}: ids, tvl and categories must have one entry per node (got ${n}, ${s.tvl.length}, ${s.categories.length})`);
  }
  const e = s.edgeSource.length;
  if (s.edgeTarget.length !== e) {
    throw new Error(`features/node-features: ${label} snapshot ${s.week}: edgeSource and edgeTarget lengths differ (${e} vs ${s.edgeTarget.length})`);
  }
  for (let k = 0; k < e; k++) {
    const a = s.edgeSource[k];
    const b = s.edgeTarget[k];
    if (a < 0 || a >= n || b < 0 || b >= n) {
      throw new Error(`features/node-features: ${label} snapshot ${s.week}: edge ${k} has endpoint index out of range [0, ${n})`);
    }
  }
  if (s.composition && s.composition.offsets.length !== n + 1) {
    throw new Error(`features/node-features: ${label} snapshot ${s.week}: composition.offsets must have N + 1 = ${n + 1} entries, got ${s.composition.offsets.length}`);
  }
}

/** Row-major N x F float32 features of `snapshot`; `previous` is the previous
 *  calendar week's snapshot, if any. */
export function nodeFeatures(snapshot: Snapshot, previous?: Snapshot): Float32Array {
  check(snapshot, 'current');
  if (previous) check(previous, 'previous');
  const n = snapshot.ids.length;
  const F = NUM_FEATURES;
  const x = new Float32Array(n * F);
  const comp = snapshot.composition;

  let prevTvl: Map<string, number> | undefined;
  if (previous) {
    prevTvl = new Map();
    for (let i = 0; i < previous.ids.length; i++) prevTvl.set(previous.ids[i], previous.tvl[i]);
  }

  const indeg = new Float64Array(n);
  const outdeg = new Float64Array(n);
  for (let k = 0; k < snapshot.edgeSource.length; k++) {
    outdeg[snapshot.edgeSource[k]]++;
    indeg[snapshot.edgeTarget[k]]++;
  }
  let maxIn = 0;
  let maxOut = 0;
  for (let i = 0; i < n; i++) {
    if (indeg[i] > maxIn) maxIn = indeg[i];
    if (outdeg[i] > maxOut) maxOut = outdeg[i];
  }
  if (maxIn === 0) maxIn = 1;
  if (maxOut === 0) maxOut = 1;

  for (let i = 0; i < n; i++) {
    const row = i * F;
    const tvl = snapshot.tvl[i];
    x[row] = Math.log1p(Math.max(tvl, 0));
    if (comp) {
      const a = comp.offsets[i];
      const b = comp.offsets[i + 1];
      x[row + 1] = b - a;
      if (tvl > 0 && b > a) {
        let sum = 0;
        let max = 0;
        for (let k = a; k < b; k++) {
          const v = Math.max(comp.values[k], 0);
          sum += v;
          if (v > max) max = v;
        }
        let h = 0;
        for (let k = a; k < b; k++) {
          const p = Math.max(comp.values[k], 0) / (sum + EPS);
          h -= p * Math.log(p + EPS);
        }
        x[row + 2] = max / (sum + EPS);
        x[row + 3] = h;
      }
    }
    x[row + CATEGORY_OFFSET + featureCategoryIndex(snapshot.categories[i])] = 1;
    if (prevTvl) {
      const prev = prevTvl.get(snapshot.ids[i]);
      if (prev !== undefined && prev > 0 && tvl > 0) x[row + PREV] = Math.log1p(tvl) - Math.log1p(prev);
    }
    x[row + IN_DEG] = indeg[i] / maxIn;
    x[row + OUT_DEG] = outdeg[i] / maxOut;
  }
  return x;
}
