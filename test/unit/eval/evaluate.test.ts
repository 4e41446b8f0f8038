import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openRelease } from '../../../src/core/snapshot/release';
import { edgeBankForecaster, evaluateForecasts, heuristicForecaster, persistenceForecaster, type Forecaster, type PredictionRow } from '../../../src/core/eval/evaluate';
import { holdoutSplit } from '../../../src/core/eval/split';
import type { Snapshot } from '../../../src/core/snapshot/types';

const SAMPLE = join(__dirname, '../../../examples/data');

function weeksFrom(start: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => new Date(Date.parse(`${start}T00:00:00Z`) + i * 7 * 86400000).toISOString().slice(0, 10));
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
      const t = await target(new Date(Date.parse(`${anchor.week}T00:00:00Z`) + h * 7 * 86400000).toISOString().slice(0, 10));
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
    const p = rows.filter((r) => r.model === 'persistence' && r.horizon === h);
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
});
