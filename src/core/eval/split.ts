/**
 * Walk-forward hold-out split of a weekly history (data-spec §4.2), shared by the
 * evaluation and documented for the trainer (docs/TRAINING-SET.md):
 *
 * - when the history reaches the hold-out start (default 2025-01-01, the paper's):
 *   test = weeks on or after it, validation = the `valWeeks` (24) weeks before,
 *   train = the rest — exactly the authors' protocol;
 * - otherwise (shorter or older histories, e.g. the bundled sample): test = the last
 *   max(ceil(12%), 13) weeks and validation = the max(ceil(10%), 13) weeks before, so
 *   that every horizon up to 12 has at least one (anchor, target) pair in each split.
 *
 * Pairs never cross a split boundary: anchor and target are both in the same split.
 */
export interface Split {
  train: string[];
  validation: string[];
  test: string[];
  rule: 'holdout-date' | 'fraction';
}

export interface SplitOptions {
  holdoutStart?: string;
  valWeeks?: number;
}

export const DEFAULT_HOLDOUT_START = '2025-01-01';
const MIN_SPLIT_WEEKS = 13;

export function holdoutSplit(weeks: readonly string[], opts: SplitOptions = {}): Split {
  const sorted = [...weeks].sort();
  const holdout = opts.holdoutStart ?? DEFAULT_HOLDOUT_START;
  const valWeeks = opts.valWeeks ?? 24;
  const pre = sorted.filter((w) => w < holdout);
  const post = sorted.filter((w) => w >= holdout);
  if (post.length >= MIN_SPLIT_WEEKS && pre.length > valWeeks + MIN_SPLIT_WEEKS) {
    return { train: pre.slice(0, pre.length - valWeeks), validation: pre.slice(pre.length - valWeeks), test: post, rule: 'holdout-date' };
  }
  const n = sorted.length;
  const nTest = Math.max(Math.ceil(0.12 * n), MIN_SPLIT_WEEKS);
  const nVal = Math.max(Math.ceil(0.1 * n), MIN_SPLIT_WEEKS);
  if (n < nTest + nVal + MIN_SPLIT_WEEKS) {
    throw new Error(`eval/split: ${n} weeks are too few for a train/validation/test split (need at least ${nTest + nVal + MIN_SPLIT_WEEKS})`);
  }
  return {
    train: sorted.slice(0, n - nTest - nVal),
    validation: sorted.slice(n - nTest - nVal, n - nTest),
    test: sorted.slice(n - nTest),
    rule: 'fraction',
  };
}
