import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { MIME_BUNDLE, MIME_BUNDLES, type ChartPayload, type Displayable, type TablePayload } from '../../../src/core/display/protocol';
import { MIME } from '../../../src/core/display/views';
import { eventStudy, forecastRisk, measures, open, watchlist } from '../../../src/core/api';
import { persistenceGraph } from '../../../src/core/eval/forecast-then-measure';

const bundle = (v: unknown) => (v as Displayable)[MIME_BUNDLE]();

// Results computed on a release say which one in their display: a notebook may run on the
// sample or on the real release, and a figure that does not say which is easily misread.
test('forecastRisk and eventStudy displays name the release and the weeks they were computed on', async () => {
  delete process.env.DEXPOSURE_DATA_PATH;
  const data = await open(undefined, { cacheDir: false });
  const fr = await forecastRisk(data, { model: 'persistence', horizons: [1], anchors: ['2023-04-17', '2023-04-24'] });
  const b = bundle(fr);
  const table = b[MIME.table] as TablePayload;
  // The folder's name, not the machine's path: saved notebooks and screenshots get shared.
  assert.equal(basename(data.dir), 'data');
  assert.equal(table.title, `Table 4 on data: predictive stress testing (persistence), system loss in % points, 2 anchor weeks 2023-04-17 .. 2023-04-24`);
  assert.match(String(b['text/markdown']), /Figure 4 on data: /);
  assert.ok(!JSON.stringify(b).includes(data.dir), 'no display names the full path');

  const ev = await eventStudy(data, 'ftx', { forecaster: persistenceGraph, model: 'persistence' });
  const chart = bundle(ev)[MIME.chart] as ChartPayload;
  assert.ok(!JSON.stringify(bundle(ev)).includes(data.dir), 'the event study names the folder, not the path');
  const title = (chart.layout as { title: { text: string } }).title.text;
  assert.equal(title, `Figure 5 on data: FTX, one-step forecasts (persistence) through the window`);
});

test('protocol tables show TVL as money', async () => {
  const data = await open(undefined, { cacheDir: false });
  const s = await data.snapshot('2023-07-10');
  const measuresTable = (measures(s) as unknown as { [MIME_BUNDLES](): Record<string, unknown>[] })[MIME_BUNDLES]()[1];
  for (const b of [measuresTable, bundle(watchlist(s, 5))]) {
    const t = b[MIME.table] as TablePayload;
    assert.equal(t.columns.find((c) => c.name === 'tvl')?.kind, 'usd');
  }
});
