import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openRelease } from '../../../src/core/snapshot/release';
import { evaluateForecastGraphs, pearsonR2, persistenceGraph, r2Score, type GraphForecaster } from '../../../src/core/eval/forecast-then-measure';
import { computeMeasures } from '../../../src/core/measures/compute';
import { addWeeks } from '../../../src/core/weeks';

const SAMPLE = join(__dirname, '../../../examples/data');

test('r2Score follows scikit-learn, pearsonR2 is the squared correlation', () => {
  // sklearn docs: r2_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]) = 0.948...
  assert.ok(Math.abs(r2Score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]) - 0.9486081370449679) < 1e-12);
  assert.equal(r2Score([1, 2, 3], [1, 2, 3]), 1);
  assert.ok(r2Score([1, 2, 3], [3, 2, 1]) < 0);
  // a shifted prediction is perfectly correlated but not perfectly determined
  assert.ok(Math.abs(pearsonR2([2, 3, 4], [1, 2, 3]) - 1) < 1e-12);
  assert.ok(r2Score([1, 2, 3], [2, 3, 4]) < 1);
});

test('an oracle forecast is perfect; persistence is exactly the anchor week, with zero stress gain', async () => {
  const src = await openRelease(SAMPLE);
  const oracle: GraphForecaster = async (anchor, _p, h) => ({ ...(await src.snapshot(addWeeks(anchor.week, h))), kind: 'forecast' });
  const o = await evaluateForecastGraphs(src, 'oracle', oracle, { horizons: [1, 4], scenarios: ['top1', 'top5'] });
  for (const f of o.fits) {
    assert.equal(f.mae, 0, `${f.metric} h=${f.horizon}`);
    assert.equal(f.n, 13 - f.horizon);
  }
  assert.equal(o.stressCases.length, 2 * (12 + 9));
  for (const c of o.stressCases) assert.equal(c.predicted, c.realised);
  assert.ok(o.stressSummary.overall.deltaMAE > 0);
  assert.equal(o.stressSummary.overall.winRateWorst, 1);

  const p = await evaluateForecastGraphs(src, 'persistence', persistenceGraph, { horizons: [4], scenarios: ['top1'] });
  const pt = p.points.find((x) => x.metric === 'density')!;
  assert.equal(pt.week, addWeeks(pt.anchor, 4));
  assert.equal(pt.predicted, computeMeasures(await src.snapshot(pt.anchor)).density);
  assert.equal(pt.actual, computeMeasures(await src.snapshot(pt.week)).density);
  for (const c of p.stressCases) assert.equal(c.predicted, c.observed);
  assert.equal(p.stressSummary.overall.deltaMAE, 0);
});
