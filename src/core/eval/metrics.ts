/**
 * Forecast evaluation metrics, with the conventions the paper's numbers use
 * (data-spec §4.5: scikit-learn's `roc_auc_score` and `average_precision_score` on
 * the pooled sampled pair set) plus calibration (expected calibration error over
 * equal-width bins) and TGB-style mean reciprocal rank with averaged ties.
 *
 * Ties matter here: persistence and EdgeBank give binary scores, so a metric that
 * broke ties by input order would flatter or punish them arbitrarily. AUROC uses
 * average ranks (Mann-Whitney); AUPRC treats each distinct score as one threshold,
 * exactly as scikit-learn does; MRR counts a tied negative as half above.
 */

export type Numeric = ArrayLike<number>;

function checkSameLength(a: Numeric, b: Numeric, what: string): void {
  if (a.length !== b.length) throw new Error(`eval/metrics: ${what}: ${a.length} labels but ${b.length} scores`);
}

function checkFinite(x: Numeric, what: string): void {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new Error(`eval/metrics: ${what}[${i}] is ${x[i]}, expected a finite number`);
  }
}

/** Indices sorted by score descending (stable). */
function orderDesc(scores: Numeric): Uint32Array {
  const idx = new Uint32Array(scores.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  return idx.sort((a, b) => scores[b] - scores[a] || a - b);
}

/** Positives and negatives of one group of tied scores. */
interface TieGroup {
  pos: number;
  neg: number;
}

/** AUROC from tie groups in ascending score order (midranks for ties). */
function aurocOfGroups(ascending: Iterable<TieGroup>): number {
  let rankSumPos = 0;
  let pos = 0;
  let n = 0;
  for (const g of ascending) {
    const avgRank = (2 * n + g.pos + g.neg + 1) / 2; // ranks are 1-based
    for (let k = 0; k < g.pos; k++) rankSumPos += avgRank; // one addition per positive keeps the sums bit-stable
    pos += g.pos;
    n += g.pos + g.neg;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Average precision from tie groups in descending score order: one threshold per distinct score. */
function auprcOfGroups(descending: readonly TieGroup[]): number {
  const totalPos = descending.reduce((t, g) => t + g.pos, 0);
  if (totalPos === 0) return NaN;
  let tp = 0;
  let fp = 0;
  let prevRecall = 0;
  let ap = 0;
  for (const g of descending) {
    tp += g.pos;
    fp += g.neg;
    const recall = tp / totalPos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  }
  return ap;
}

/** The tie groups of pooled pairs, in the order `idx` sorts them. */
function tieGroups(labels: Numeric, scores: Numeric, idx: Uint32Array): TieGroup[] {
  const groups: TieGroup[] = [];
  for (let i = 0; i < idx.length; ) {
    const g = { pos: 0, neg: 0 };
    let j = i;
    while (j < idx.length && scores[idx[j]] === scores[idx[i]]) {
      if (labels[idx[j]] > 0.5) g.pos++;
      else g.neg++;
      j++;
    }
    groups.push(g);
    i = j;
  }
  return groups;
}

/** Area under the ROC curve; NaN when only one class is present. */
export function auroc(labels: Numeric, scores: Numeric): number {
  checkSameLength(labels, scores, 'auroc');
  checkFinite(scores, 'auroc scores');
  const idx = new Uint32Array(labels.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  idx.sort((a, b) => scores[a] - scores[b]);
  return aurocOfGroups(tieGroups(labels, scores, idx));
}

/** Average precision (scikit-learn's step-wise AUPRC); NaN without positives. */
export function auprc(labels: Numeric, scores: Numeric): number {
  checkSameLength(labels, scores, 'auprc');
  checkFinite(scores, 'auprc scores');
  return auprcOfGroups(tieGroups(labels, scores, orderDesc(scores)));
}

/**
 * Positives and negatives counted per distinct score: AUROC and AUPRC exactly as
 * `auroc` / `auprc` compute them on the pooled pairs (the same tie groups, summed in the
 * same order), in memory that grows with the number of distinct scores instead of pairs
 * (a 0/1 baseline over millions of pairs needs two groups).
 */
export class ScoreCounts {
  private readonly groups = new Map<number, TieGroup>();
  n = 0;

  add(score: number, positive: boolean): void {
    if (!Number.isFinite(score)) throw new Error(`metrics: ScoreCounts scores must be finite, got ${score}`);
    const key = score === 0 ? 0 : score; // -0 and 0 tie, as in the sorts
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { pos: 0, neg: 0 }));
    if (positive) g.pos++;
    else g.neg++;
    this.n++;
  }

  private sorted(descending: boolean): TieGroup[] {
    return [...this.groups.entries()].sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0])).map(([, g]) => g);
  }

  auroc(): number {
    return aurocOfGroups(this.sorted(false));
  }

  auprc(): number {
    return auprcOfGroups(this.sorted(true));
  }
}

export interface ErrorSummary {
  mae: number;
  rmse: number;
  n: number;
}

/** MAE and RMSE of `pred` against `truth` over the entries where `mask` is set (all when omitted). */
export function errors(truth: Numeric, pred: Numeric, mask?: ArrayLike<number | boolean>): ErrorSummary {
  checkSameLength(truth, pred, 'errors');
  let abs = 0;
  let sq = 0;
  let n = 0;
  for (let i = 0; i < truth.length; i++) {
    if (mask && !mask[i]) continue;
    const d = pred[i] - truth[i];
    if (!Number.isFinite(d)) throw new Error(`eval/metrics: errors: entry ${i} is not finite (truth ${truth[i]}, prediction ${pred[i]})`);
    abs += Math.abs(d);
    sq += d * d;
    n++;
  }
  return n === 0 ? { mae: NaN, rmse: NaN, n } : { mae: abs / n, rmse: Math.sqrt(sq / n), n };
}

/** The authors' `weighted_mae`: sum |err| * w / sum w with w = expm1(truth) (log1p-space weights). */
export function weightedMae(truth: Numeric, pred: Numeric, mask?: ArrayLike<number | boolean>): number {
  checkSameLength(truth, pred, 'weightedMae');
  let num = 0;
  let den = 0;
  for (let i = 0; i < truth.length; i++) {
    if (mask && !mask[i]) continue;
    const w = Math.expm1(truth[i]);
    num += Math.abs(pred[i] - truth[i]) * w;
    den += w;
  }
  return den > 0 ? num / den : NaN;
}

export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

export interface Calibration {
  ece: number;
  bins: ReliabilityBin[];
}

/**
 * Reliability table and expected calibration error over `numBins` equal-width
 * bins of predicted probability (a probability of exactly 1 falls in the last bin).
 */
export function calibration(labels: Numeric, probs: Numeric, numBins = 10): Calibration {
  checkSameLength(labels, probs, 'calibration');
  const count = new Float64Array(numBins);
  const sumP = new Float64Array(numBins);
  const sumY = new Float64Array(numBins);
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    if (!(p >= 0 && p <= 1)) throw new Error(`eval/metrics: calibration: probability ${i} is ${p}, expected a number in [0, 1]`);
    const b = Math.min(numBins - 1, Math.floor(p * numBins));
    count[b]++;
    sumP[b] += p;
    sumY[b] += labels[i] > 0.5 ? 1 : 0;
  }
  const n = probs.length;
  let ece = 0;
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < numBins; b++) {
    const c = count[b];
    const meanPredicted = c ? sumP[b] / c : NaN;
    const observedRate = c ? sumY[b] / c : NaN;
    if (c) ece += (c / n) * Math.abs(meanPredicted - observedRate);
    bins.push({ lo: b / numBins, hi: (b + 1) / numBins, count: c, meanPredicted, observedRate });
  }
  return { ece: n ? ece : NaN, bins };
}

/**
 * Mean reciprocal rank of each positive among its own negatives (TGB link
 * property prediction): rank = 1 + #negatives scored higher + #tied / 2.
 * `negOffsets` has one more entry than `posScores`; query i owns
 * negScores[negOffsets[i] .. negOffsets[i+1]).
 */
export function meanReciprocalRank(posScores: Numeric, negScores: Numeric, negOffsets: Numeric): number {
  if (negOffsets.length !== posScores.length + 1) {
    throw new Error(`eval/metrics: meanReciprocalRank: ${posScores.length} queries need ${posScores.length + 1} offsets, got ${negOffsets.length}`);
  }
  if (posScores.length === 0) return NaN;
  let sum = 0;
  for (let q = 0; q < posScores.length; q++) {
    const s = posScores[q];
    let above = 0;
    let tied = 0;
    for (let k = negOffsets[q]; k < negOffsets[q + 1]; k++) {
      if (negScores[k] > s) above++;
      else if (negScores[k] === s) tied++;
    }
    sum += 1 / (1 + above + tied / 2);
  }
  return sum / posScores.length;
}
