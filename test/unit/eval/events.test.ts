import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openRelease } from '../../../src/core/snapshot/release';
import { eventForecast, eventStructure, eventWeeks, findEvent } from '../../../src/core/eval/events';
import { persistenceGraph } from '../../../src/core/eval/forecast-then-measure';
import { computeMeasures } from '../../../src/core/measures/compute';
import { addWeeks } from '../../../src/core/weeks';

const SAMPLE = join(__dirname, '../../../examples/data');

test('event windows follow the authors: anchor is the week before the window', () => {
  const weeks = Array.from({ length: 60 }, (_, i) => addWeeks('2022-01-03', i));
  assert.deepEqual(eventWeeks(findEvent('terra'), weeks), { anchor: '2022-04-25', weeks: ['2022-05-02', '2022-05-09', '2022-05-16', '2022-05-23'] });
  assert.deepEqual(eventWeeks(findEvent('2022-11-07'), weeks).anchor, '2022-10-24');
  assert.throws(() => eventWeeks(findEvent('svb'), weeks), /does not cover the SVB/);
  assert.throws(() => findEvent('lehman'), /unknown event "lehman"/);
});

test('Table 5 structure on the sample: totals read straight from the weeks', async () => {
  const src = await openRelease(SAMPLE);
  const t = await eventStructure(src, findEvent('terra'));
  const pre = await src.snapshot('2022-04-25');
  const post = await src.snapshot('2022-05-23');
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  assert.equal(t.preTvl, sum(pre.tvl));
  assert.equal(t.postTvl, sum(post.tvl));
  assert.ok(Math.abs(t.dTvlPct - (100 * (sum(post.tvl) - sum(pre.tvl))) / sum(pre.tvl)) < 1e-9);
  assert.equal(t.postEdges, post.edgeSource.length);
  assert.equal(t.series.length, 5);
  // the synthetic history models the crash: TVL falls by about a third
  assert.ok(t.dTvlPct < -20 && t.dTvlPct > -50, `Terra dTVL ${t.dTvlPct}`);
});

test('event forecast with persistence: predictions are the previous week', async () => {
  const src = await openRelease(SAMPLE);
  const f = await eventForecast(src, findEvent('ftx'), 'persistence', persistenceGraph);
  assert.equal(f.weeks.length, 4);
  assert.equal(f.weeks[0].predictedTvlHHI, computeMeasures(await src.snapshot('2022-10-24')).tvlHHI);
  assert.equal(f.weeks[1].predictedTvlHHI, f.weeks[0].actualTvlHHI);
  assert.equal(f.contagionMAE, f.persistenceContagionMAE);
  assert.equal(f.baselineTvlHHI, f.weeks[0].predictedTvlHHI);
});
