/**
 * What the displays say to a reader: the release table without a repeated file name,
 * the spillover heatmap on a log colour scale in dollars, Table 3 with each published
 * row beside ours, Figure 4 without legend entries that draw nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIME_BUNDLE, type Displayable, type TablePayload } from '../../../src/core/display/protocol';
import { MIME } from '../../../src/core/display/views';
import { groupedBarFigure } from '../../../src/core/display/chart-view';
import { open } from '../../../src/core/api';
import { besidePaper, r2MissingReason } from '../../../src/core/api/forecasting';
import { spilloverFigure } from '../../../src/core/api/risk';

const bundle = (v: unknown) => (v as Displayable)[MIME_BUNDLE]();

test('the release table names its one file once, in the caption', async () => {
  const data = await open(undefined, { cacheDir: false });
  const t = bundle(data)[MIME.table] as TablePayload;
  assert.deepEqual(t.columns.map((c) => c.name), ['week', 'protocols', 'exposures']);
  assert.match(t.caption!, /^every week from historical-network_week_2022-01-03\.json; first and last 6 weeks/);
  assert.deepEqual(t.rows[0], [data.summaries[0]!.week, data.summaries[0]!.nodes, data.summaries[0]!.edges]);
});

test('the spillover heatmap colours log10 dollars, labels the bar in dollars and hovers the exact amount', () => {
  const m = { sectors: ['4360', 'Dexes', 'Lending'], matrix: [[0, 2e3, 0], [5e9, 0, 1e6], [3e5, 7e7, 0]], total: 5.0703e9, index: 0.97 };
  const f = spilloverFigure(m, '2024-01-01');
  const tr = f.data[0] as { z: (number | null)[][]; customdata: number[][]; zmin: number; zmax: number; colorbar: { tickvals: number[]; ticktext: string[] } };
  assert.deepEqual(tr.z[1], [Math.log10(5e9), null, 6]);
  assert.equal(tr.z[0]![0], null, 'an empty cell stays blank');
  assert.deepEqual(tr.customdata, m.matrix);
  // log10(2e3) = 3.3 .. log10(5e9) = 9.7: whole powers of ten 3..10
  assert.equal(tr.zmin, 3);
  assert.equal(tr.zmax, 10);
  assert.deepEqual(tr.colorbar.ticktext, ['$1K', '$10K', '$100K', '$1M', '$10M', '$100M', '$1B', '$10B']);
  // Sector names are categories even when they look like numbers.
  assert.equal((f.layout!.xaxis as { type: string }).type, 'category');
  assert.equal((f.layout!.yaxis as { type: string }).type, 'category');
});

test('besidePaper puts each published row right under the row of the same horizon and model family', () => {
  const ours = [
    { model: 'dexposure-fm', h: 1 }, { model: 'persistence', h: 1 }, { model: 'edgebank', h: 1 },
    { model: 'dexposure-fm', h: 4 }, { model: 'persistence', h: 4 },
  ];
  const paper = [
    { model: 'DeXposure-FM (paper)', h: 1 }, { model: 'DeXposure-FM (paper)', h: 4 },
    { model: 'Persistence (paper)', h: 1 }, { model: 'Persistence (paper)', h: 4 }, { model: 'Persistence (paper)', h: 12 },
  ];
  assert.deepEqual(besidePaper(ours, paper).map((r) => `${r.model}@${r.h}`), [
    'dexposure-fm@1', 'DeXposure-FM (paper)@1', 'persistence@1', 'Persistence (paper)@1', 'edgebank@1',
    'dexposure-fm@4', 'DeXposure-FM (paper)@4', 'persistence@4', 'Persistence (paper)@4',
    'Persistence (paper)@12',
  ]);
});

test('a bar group with no values is left out of the legend and the figure says why', () => {
  const f = groupedBarFigure(['density', '4360'], [
    { name: 'ours, h = 1', values: [0.8, 0.1] },
    { name: 'ours, h = 12', values: [NaN, NaN] },
    { name: 'paper', values: [0.841, 0] },
  ], { missing: { 'ours, h = 12': r2MissingReason([{ n: 1 }, { n: 1 }]) } });
  assert.deepEqual(f.data.map((t) => t.name), ['ours, h = 1', 'paper']);
  const notes = (f.layout!.annotations as { text: string }[]).map((a) => a.text);
  assert.deepEqual(notes, ['Not drawn: ours, h = 12 (only 1 anchor week has a realised graph this far ahead; R² needs 2)']);
  assert.equal((f.layout!.xaxis as { type: string }).type, 'category');
  assert.equal(groupedBarFigure(['a'], [{ name: 'x', values: [1] }]).layout!.annotations, undefined, 'nothing to explain, no note');
});
