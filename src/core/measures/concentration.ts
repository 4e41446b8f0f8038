/**
 * Concentration statistics over a vector of non-negative amounts: HHI, top-k share and
 * Gini. Reference: the authors' `compute_network_risk_metrics` (data-spec §5.3):
 *   HHI = sum_i (x_i / sum x)^2;
 *   Gini over the POSITIVE values only, ascending x_(1..n):
 *     (2 sum_i i x_(i) - (n + 1) sum x) / (n sum x).
 * Empty or all-zero input gives 0 for every statistic.
 */

export function hhi(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i] > 0 ? values[i] : 0;
  if (!(total > 0)) return 0;
  let h = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > 0) {
      const sh = v / total;
      h += sh * sh;
    }
  }
  return h;
}

/** Share of the k largest values in the total. */
export function topShare(values: ArrayLike<number>, k: number): number {
  const pos: number[] = [];
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > 0) {
      pos.push(v);
      total += v;
    }
  }
  if (!(total > 0)) return 0;
  const sorted = Float64Array.from(pos).sort();
  let top = 0;
  for (let i = sorted.length - 1, c = 0; i >= 0 && c < k; i--, c++) top += sorted[i];
  return top / total;
}

/** Gini coefficient of the positive finite values (zeros and non-finite values dropped). */
export function giniPositive(values: ArrayLike<number>): number {
  const pos: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > 0 && Number.isFinite(v)) pos.push(v);
  }
  const n = pos.length;
  if (n === 0) return 0;
  const x = Float64Array.from(pos).sort();
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    sum += x[i];
    weighted += (i + 1) * x[i];
  }
  return (2 * weighted - (n + 1) * sum) / (n * sum);
}
