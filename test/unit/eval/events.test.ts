import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRelease } from '../../../src/core/snapshot/release';
import { checkTrainedBefore, eventForecast, eventStructure, eventWeeks, findEvent, trainingCutoff } from '../../../src/core/eval/events';
import { eventStudy } from '../../../src/core/api/forecasting';
import { exportTrainingSet } from '../../../src/core/trainingset/export';
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

test('the training cutoff of an event is the last week before its window, and later training data is refused', () => {
  const weeks = Array.from({ length: 60 }, (_, i) => addWeeks('2022-01-03', i));
  const terra = findEvent('terra');
  assert.equal(trainingCutoff(terra, weeks), '2022-04-25');
  assert.equal(trainingCutoff(findEvent('ftx'), weeks), '2022-10-24');
  // a history missing the week before the window: the cutoff is the last week it has
  assert.equal(trainingCutoff(terra, weeks.filter((w) => w !== '2022-04-25')), '2022-04-18');
  checkTrainedBefore(terra, '2022-04-25', 'm');
  checkTrainedBefore(terra, undefined, 'a card without dates');
  assert.throws(() => checkTrainedBefore(terra, '2022-05-02', 'model X', '2022-04-25'), /model X was trained on weeks up to 2022-05-02, which reaches into the Terra\/Luna window \(2022-05-02 \.\. 2022-05-23\).*--to 2022-04-25/);
  assert.throws(() => checkTrainedBefore(terra, '2025-08-18', 'm'), /up to 2025-08-18/);
});

test('a training set exported up to the cutoff holds no week of the window, as target or as anchor', async () => {
  const src = await openRelease(SAMPLE);
  const out = mkdtempSync(join(tmpdir(), 'dexposure-event-ts-'));
  try {
    const ftx = findEvent('ftx');
    const cutoff = trainingCutoff(ftx, src.weeks);
    const index = await exportTrainingSet(src, out, { horizons: [1], to: cutoff, from: '2022-09-05', source: { path: SAMPLE, fingerprint: 'test' } });
    assert.equal(index.source.to, '2022-10-24');
    const anchors = index.pairs.map((p) => p.anchor);
    const targets = index.pairs.map((p) => p.target);
    assert.ok(index.pairs.length >= 6, `${index.pairs.length} pairs`);
    assert.equal(targets.sort().at(-1), '2022-10-24');
    assert.ok([...anchors, ...targets, ...index.weeks.map((w) => w.week)].every((w) => w < ftx.windowStart));
    assert.ok(readdirSync(join(out, 'weeks')).every((w) => w < ftx.windowStart));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('eventStudy refuses a model whose card says it was trained on a week of the window', async () => {
  const src = await openRelease(SAMPLE);
  const dir = mkdtempSync(join(tmpdir(), 'dexposure-event-model-'));
  try {
    cpSync(join(__dirname, '../../fixtures/model-pairs'), dir, { recursive: true });
    const cardPath = join(dir, 'h1', 'encoder.card.json');
    const card = JSON.parse(readFileSync(cardPath, 'utf8'));
    card.trainingData.to = '2022-05-02';
    writeFileSync(cardPath, JSON.stringify(card));
    await assert.rejects(eventStudy(src, 'terra', { modelsDir: dir }), /trained on weeks up to 2022-05-02, which reaches into the Terra\/Luna window.*--to 2022-04-25/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
