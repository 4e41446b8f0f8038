import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIME_BUNDLE, MIME_BUNDLES, type Displayable } from '../../../src/core/display/protocol';
import type { SummaryPayload } from '../../../src/core/display/views/summary';
import { MIME } from '../../../src/core/display/views';
import { open, measures, stress, sweep, warnings, spillover, watchlist, compare } from '../../../src/core/api';
import { computeMeasures } from '../../../src/core/measures/compute';

const bundle = (v: unknown) => (v as Displayable)[MIME_BUNDLE]();

test('dx.open() without a path opens the bundled sample and displays a summary', async () => {
  delete process.env.DEXPOSURE_DATA_PATH;
  const data = await open(undefined, { cacheDir: false });
  assert.equal(data.weeks.length, 80);
  const b = bundle(data);
  assert.ok(b[MIME.table]);
  assert.match(String(b['text/markdown']), /80 weeks, 2022-01-03 \.\. 2023-07-10/);
  // the display hook is invisible to code that walks the object
  assert.ok(!Object.keys(data).includes(String(MIME_BUNDLE)));
});

test('risk results are the core results plus a display, with a markdown fallback', async () => {
  const data = await open(undefined, { cacheDir: false });
  const s = await data.snapshot('2023-07-10');
  const m = measures(s);
  const ref = computeMeasures(s);
  assert.deepEqual(JSON.parse(JSON.stringify(m)), JSON.parse(JSON.stringify(ref)));
  // two outputs: the network measures as key figures, then the top protocols
  const [figures, top] = (m as unknown as { [MIME_BUNDLES](): Record<string, unknown>[] })[MIME_BUNDLES]();
  const fp = figures[MIME.summary] as SummaryPayload;
  const figure = (label: string) => fp.items.find((f) => f.label === label)!;
  assert.deepEqual([figure('protocols').value, figure('exposures').value, figure('total TVL').value], [ref.nodes, ref.edges, ref.totalTvl]);
  assert.equal(figure('TVL HHI').value, ref.tvlHHI);
  assert.equal(figure('reciprocity').kind, 'percent');
  assert.equal(figure('reciprocity').value, 100 * ref.reciprocity, 'a share reads as a percentage');
  assert.equal(figure('max in-degree').kind, 'integer');
  assert.match(String(figures['text/markdown']), new RegExp(`\\| protocols \\| ${m.nodes} \\|`));
  assert.ok(top[MIME.table]);
  assert.match(String(bundle(m)['text/markdown']), /top 20 protocols by systemic importance/, 'the single-output form joins both fallbacks');

  const r = stress(s, 'top1');
  assert.ok(bundle(r)[MIME.stress]);
  const sw = sweep(s, 'top1', { shockSizes: [0.1, 0.5, 1] });
  assert.deepEqual(sw.values, [0.1, 0.5, 1]);
  assert.ok(sw.systemLossPct[0] <= sw.systemLossPct[1] && sw.systemLossPct[1] <= sw.systemLossPct[2]);
  assert.ok(bundle(sw)[MIME.chart]);
  assert.ok(bundle(spillover(s))[MIME.chart]);
  assert.equal(watchlist(s, 5).length, 5);
  const c = compare([await data.snapshot('2023-07-03'), s], 'top5');
  assert.equal(c.results.length, 2);
  const cp = bundle(c)[MIME.stress] as { scenario: { name: string; shockSize?: number } };
  assert.equal(cp.scenario.name, 'top5');
  assert.equal(cp.scenario.shockSize, 0.3, 'the comparison view states the scenario\'s own shock (top-5 lose 30%)');

  const w = await warnings(data, { from: '2022-04-04', to: '2022-07-25' });
  assert.equal(w.series[0].week, '2022-04-04');
  assert.equal(w.series.at(-1)!.week, '2022-07-25');
  const wb = bundle(w);
  assert.ok(wb[MIME.chart]);
  assert.match(String(wb['text/markdown']), /alerts\*\* in \d+ weeks/);
});
