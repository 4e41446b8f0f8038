import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openRelease } from '../../../src/core/snapshot/release';
import { edgeBankForecaster, evaluateForecasts, heuristicForecaster, persistenceForecaster, type Forecaster, type PredictionRow } from '../../../src/core/eval/evaluate';
import { holdoutSplit } from '../../../src/core/eval/split';
import { learnedPairForecaster } from '../../../src/core/eval/learned-baseline';
import type { Snapshot } from '../../../src/core/snapshot/types';
import { addWeeks } from '../../../src/core/weeks';

const SAMPLE = join(__dirname, '../../../examples/data');

function weeksFrom(start: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => addWeeks(start, i));
}

test('split: the paper hold-out when the data reaches 2025, a fractional one otherwise', () => {
  const real = weeksFrom('2020-03-23', 283);
  const s = holdoutSplit(real);
  assert.equal(s.rule, 'holdout-date');
  assert.equal(s.train.length, 226);
  assert.equal(s.train.at(-1), '2024-07-15');
  assert.deepEqual([s.validation[0], s.validation.length], ['2024-07-22', 24]);
  assert.deepEqual([s.test[0], s.test.at(-1), s.test.length], ['2025-01-06', '2025-08-18', 33]);
  const short = holdoutSplit(weeksFrom('2022-01-03', 80));
  assert.equal(short.rule, 'fraction');
  assert.deepEqual([short.train.length, short.validation.length, short.test.length], [54, 13, 13]);
  assert.throws(() => holdoutSplit(weeksFrom('2022-01-03', 30)), /30 weeks are too few/);
});

/** Scores with the answer: whatever it is given, a positive is 1 and a negative 0. */
function oracle(target: (anchorWeek: string) => Promise<Snapshot>): Forecaster {
  return {
    name: 'oracle',
    probabilities: true,
    async score(anchor, _prev, pairs, h) {
      const t = await target(addWeeks(anchor.week, h));
      const P = pairs.length / 2;
      const edges = new Map<string, number>();
      for (let k = 0; k < t.edgeSource.length; k++) edges.set(`${t.ids[t.edgeSource[k]]}|${t.ids[t.edgeTarget[k]]}`, Math.log1p(t.edgeWeight[k]));
      const tvl = new Map(t.ids.map((id, i) => [id, t.tvl[i]]));
      const score = new Float64Array(P);
      const logWeight = new Float64Array(P);
      for (let i = 0; i < P; i++) {
        const w = edges.get(`${anchor.ids[pairs[i]]}|${anchor.ids[pairs[P + i]]}`);
        score[i] = w === undefined ? 0 : 1;
        logWeight[i] = w ?? 0;
      }
      const nodeLogChange = Float64Array.from(anchor.ids, (id, i) => (tvl.has(id) ? Math.log1p(tvl.get(id)!) - Math.log1p(anchor.tvl[i]) : 0));
      return { score, logWeight, nodeLogChange };
    },
  };
}

test('Table 3 on the sample release: an oracle is perfect, persistence matches its closed form', async () => {
  const src = await openRelease(SAMPLE);
  const rows: PredictionRow[] = [];
  const table = await evaluateForecasts(src, () => [oracle((w) => src.snapshot(w)), persistenceForecaster(), edgeBankForecaster(), heuristicForecaster()], {
    horizons: [1, 4],
    mrrQueries: 50,
    onPrediction: (r) => rows.push(r),
  });
  assert.equal(table.testWeeks.length, 13);
  assert.equal(table.rows.length, 8);
  const row = (m: string, h: number) => table.rows.find((r) => r.model === m && r.horizon === h)!;
  for (const h of [1, 4]) {
    const o = row('oracle', h);
    assert.equal(o.weekPairs, 13 - h);
    assert.deepEqual([o.auroc, o.auprc, o.ece], [1, 1, 0]);
    // targets are float32 (the training-set precision)
    assert.ok(o.weightMAE < 1e-6 && o.nodeMAE < 1e-6, `oracle errors ${o.weightMAE} ${o.nodeMAE}`);
    // a binary scorer's AUROC is (1 + TPR - FPR) / 2; recompute it from the written predictions
    // the paper's columns are on positives + random negatives; hard negatives are written with their kind
    const p = rows.filter((r) => r.model === 'persistence' && r.horizon === h && (r.negativeKind === '' || r.negativeKind === 'random'));
    const pos = p.filter((r) => r.label === 1);
    const neg = p.filter((r) => r.label === 0);
    assert.equal(pos.length, row('persistence', h).positives);
    const tpr = pos.filter((r) => r.score === 1).length / pos.length;
    const fpr = neg.filter((r) => r.score === 1).length / neg.length;
    assert.ok(Math.abs(row('persistence', h).auroc - (1 + tpr - fpr) / 2) < 1e-12);
    assert.equal(neg.length, 5 * pos.length);
    // EdgeBank remembers a superset of what persistence sees: never a lower recall
    assert.ok(row('edgebank', h).auroc >= row('persistence', h).auroc - 0.05);
    // all models score the same pairs
    assert.equal(row('heuristic', h).pairs, row('persistence', h).pairs);
    assert.ok(Number.isNaN(row('heuristic', h).ece));
    for (const m of ['persistence', 'edgebank', 'heuristic']) assert.ok(row(m, h).mrr > 0 && row(m, h).mrr < 1, `${m} MRR ${row(m, h).mrr}`);
  }
  assert.equal(row('oracle', 1).mrr, 1);
  // every kind of negative, the task split and the intervals
  for (const h of [1, 4]) {
    const o = row('oracle', h);
    for (const k of ['random', 'historical', 'structural', 'all'] as const) assert.deepEqual([o.negatives[k].auroc, o.negatives[k].auprc], [1, 1], `oracle ${k}`);
    assert.deepEqual([o.existence.auroc, o.existence.auprc, o.direction.accuracy], [1, 1, 1]);
    assert.ok(o.magnitude.persistingMAE < 1e-6 && o.magnitude.newMAE < 1e-6 && o.nodeMAEPositive < 1e-6);
    assert.deepEqual(o.ci.auprc, [1, 1]);
    const p = row('persistence', h);
    const kinds = rows.filter((r) => r.model === 'persistence' && r.horizon === h);
    assert.equal(kinds.filter((r) => r.negativeKind === 'historical').length, p.negatives.historical.negatives);
    assert.equal(p.negatives.historical.negatives, 2 * p.positives);
    assert.equal(p.negatives.structural.negatives, 2 * p.positives);
    // persistence's log-weight error on new edges is the mean true log-weight (it predicts 0 there)
    const fresh = kinds.filter((r) => r.label === 1 && r.score === 0);
    assert.equal(fresh.length, p.magnitude.new);
    assert.ok(Math.abs(p.magnitude.newMAE - fresh.reduce((t, r) => t + r.weightTrue, 0) / fresh.length) < 1e-9);
    // persistence scores a structural negative 0 (never connected) and cannot separate them from new edges
    assert.ok(p.negatives.structural.auprc > p.negatives.historical.auprc);
    for (const [k, [lo, hi]] of Object.entries(p.ci)) assert.ok(lo <= hi, `${k}: ${lo} <= ${hi}`);
    assert.ok(p.ci.auprc[0] <= p.auprc && p.auprc <= p.ci.auprc[1]);
  }
});

test('several histories pool into one row per model; intervals are stratified by history', async () => {
  const src = await openRelease(SAMPLE);
  const one = await evaluateForecasts(src, () => [persistenceForecaster()], { horizons: [1], mrrQueries: 20, bootstrap: 200 });
  const two = await evaluateForecasts([src, src], () => [persistenceForecaster()], { horizons: [1], mrrQueries: 20, bootstrap: 200 });
  const a = one.rows[0];
  const b = two.rows[0];
  assert.equal(two.histories.length, 2);
  assert.equal(b.histories, 2);
  assert.equal(b.weekPairs, 2 * a.weekPairs);
  assert.equal(b.pairs, 2 * a.pairs);
  // the same history twice: pooled rates are unchanged, the interval is no wider
  for (const k of ['auroc', 'auprc', 'mrr', 'weightMAE', 'nodeMAE'] as const) assert.ok(Math.abs(a[k] - b[k]) < 1e-12, k);
  assert.ok(b.ci.auprc[1] - b.ci.auprc[0] <= a.ci.auprc[1] - a.ci.auprc[0] + 1e-9);
});

test('the learned pair baseline is fitted on training weeks only and beats chance on the sample', async () => {
  const src = await openRelease(SAMPLE);
  const f = learnedPairForecaster();
  const seen: string[] = [];
  const learn = f.learn!.bind(f);
  f.learn = (anchor, pairs, label, yLw, h) => {
    seen.push(anchor.week);
    learn(anchor, pairs, label, yLw, h);
  };
  const t = await evaluateForecasts(src, () => [f], { horizons: [1], mrrQueries: 20, bootstrap: 0 });
  const split = holdoutSplit(src.weeks);
  assert.ok(seen.length > 10 && seen.every((w) => split.train.includes(w)), 'learns from training anchors only');
  assert.ok(f.model.trainingRows > 1000);
  const r = t.rows[0];
  assert.ok(r.auprc > 0.5 && r.negatives.all.auroc > 0.8, `AUPRC ${r.auprc}, AUROC all ${r.negatives.all.auroc}`);
});
