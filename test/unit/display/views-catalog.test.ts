import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIME_BUNDLE } from '../../../src/core/display/protocol';
import { summaryView, validateSummary } from '../../../src/core/display/views/summary';
import { PayloadError } from '../../../src/core/display/validate';
import { MIME, VIEW_MIMES, VIEWS, viewByMime } from '../../../src/core/display/views';
import { chartPayloadFixture, graphPayloadFixture, sparklinesPayloadFixture, stressPayloadFixture, summaryPayloadFixture, tablePayloadFixture } from '../../fixtures/views/payloads';
import { blockLine, sparklinesView, validateSparklines } from '../../../src/core/display/views/sparklines';
import { chartView } from '../../../src/core/display/chart-view';
import { graphView } from '../../../src/core/display/graph-view';
import { stressView } from '../../../src/core/display/stress-view';
import { tableView } from '../../../src/core/display/table-view';
import { runStress } from '../../../src/core/stress';
import { syntheticSnapshot } from '../../fixtures/views/synthetic-snapshot';
import * as displayIndex from '../../../src/core/display';
import { viewHelpers } from '../../../src/kernel/views';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { notebookRenderer: { id: string; mimeTypes: string[] }[] };
};

test("package.json's notebook renderer claims exactly the views' MIME types, in their order", () => {
  const renderers = manifest.contributes.notebookRenderer;
  assert.equal(renderers.length, 1);
  assert.deepEqual(renderers[0].mimeTypes, [...VIEW_MIMES]);
});

test('each view is named once and its MIME type is application/vnd.dexposure.<name>+json', () => {
  const names = VIEWS.map((v) => v.name);
  assert.equal(new Set(names).size, names.length);
  for (const v of VIEWS) {
    assert.equal(v.mime, `application/vnd.dexposure.${v.name}+json`);
    assert.equal(MIME[v.name], v.mime);
    assert.equal(viewByMime(v.mime), v);
  }
  assert.equal(viewByMime('application/vnd.dexposure.nothing+json'), undefined);
});

test("each view's check refuses what is not its payload, naming the field, and a newer protocol", () => {
  for (const v of VIEWS) {
    assert.throws(() => v.validate([]), (e: unknown) => e instanceof PayloadError && /^payload: expected an object, got \[\]/.test(e.message), v.name);
    assert.throws(() => v.validate({}), { message: /^version: expected a finite number, got nothing$/ }, v.name);
    assert.throws(() => v.validate({ version: 99 }), /newer DeXposure \(display protocol 99; this renderer reads up to 1\)/, v.name);
  }
});

// One builder per view, on real inputs: what the kernel emits passes the view's own
// check, and the view's markdown of the payload is the fallback the bundle carries.
const s = syntheticSnapshot({ nodes: 40, edges: 120, seed: 3, week: '2024-03-04' });
const BUILT = {
  graph: graphView(s, { topN: 20 }),
  stress: stressView(runStress(s, 'top1')),
  chart: chartView({ data: [{ type: 'bar', name: 'a', x: ['p', 'q'], y: [1, 2] }], layout: { title: { text: 'Bars' } } }),
  table: tableView([{ name: 'a', tvl: 1 }]),
  summary: summaryView([{ label: 'protocols', value: 40, kind: 'integer' }]),
  sparklines: sparklinesView({ protocols: [40, 41, null, 43] }, { x: ['2024-03-04', '2024-03-11', '2024-03-18', '2024-03-25'], kind: 'integer' }),
};

test("every view's builder emits a payload its check accepts, with the view's markdown as fallback", () => {
  assert.deepEqual(Object.keys(BUILT).sort(), VIEWS.map((v) => v.name).sort(), 'a builder per view in this test');
  for (const v of VIEWS) {
    const bundle = BUILT[v.name][MIME_BUNDLE]();
    const payload = JSON.parse(JSON.stringify(bundle[v.mime]));
    assert.deepEqual(v.validate(payload), payload, v.name);
    assert.equal((v.markdown as (p: unknown) => string)(payload), bundle['text/markdown'], v.name);
  }
  // and the shared fixtures (the renderer's browser tests draw these) pass too
  for (const [name, p] of [['graph', graphPayloadFixture()], ['stress', stressPayloadFixture()], ['chart', chartPayloadFixture()], ['table', tablePayloadFixture()], ['summary', summaryPayloadFixture()], ['sparklines', sparklinesPayloadFixture()]] as const)
    assert.doesNotThrow(() => viewByMime(MIME[name])!.validate(JSON.parse(JSON.stringify(p))), name);
});

test("the library's display index exports each view's builder, <name>View, the same function dx offers", () => {
  const dxBuilders = new Set<unknown>(Object.values(viewHelpers));
  for (const v of VIEWS) {
    const builder = (displayIndex as Record<string, unknown>)[`${v.name}View`];
    assert.equal(typeof builder, 'function', `${v.name}View exported from src/core/display`);
    assert.ok(dxBuilders.has(builder), `${v.name}View reachable from dx`);
  }
});

test('key figures: values formatted by kind, undefined ones as n/a, names escaped; bad figures refused', () => {
  const v = summaryView(
    [
      { label: 'total TVL', value: 1.5e9, kind: 'usd' },
      { label: 'top-10 share', value: 12.345, kind: 'percent', digits: 1 },
      { label: 'mean SIS', value: Number.NaN, kind: 'number' },
      { label: 'max in-degree', value: 1234, kind: 'integer' },
      { label: '<b>|x|</b>', value: 0.5, kind: 'number', digits: 2 },
    ],
    { title: 'Week 2024-03-04', caption: 'default mode' },
  );
  assert.equal(v.payload.items[2].value, null, 'NaN is stored as null');
  assert.equal(
    v.markdown,
    [
      '**Week 2024-03-04**',
      '',
      '| figure | value |',
      '| --- | ---: |',
      '| total TVL | $1.50B |',
      '| top-10 share | 12.3% |',
      '| mean SIS | n/a |',
      '| max in-degree | 1,234 |',
      '| &lt;b&gt;\\|x\\|&lt;/b&gt; | 0.50 |',
      '',
      '_default mode_',
    ].join('\n'),
  );
  assert.throws(() => summaryView([{ label: 'x', value: 1, kind: 'text' as never }]), /figure 0 \(x\) has kind "text"; expected one of number, integer, percent, usd/);
  assert.throws(() => validateSummary({ version: 1, items: [{ label: 'x', value: '3', kind: 'usd' }] }), { message: /^items\[0\]\.value: expected a finite number, got "3"$/ });
  assert.throws(() => validateSummary({ version: 1, items: [{ label: 'x', value: 3, kind: 'euro' }] }), { message: /^items\[0\]\.kind: expected one of number, integer, percent, usd, got "euro"$/ });
});

test('sparklines: first, last, change, low and high per series, the line in blocks, gaps kept; bad series refused', () => {
  const v = sparklinesView(
    [
      { label: 'Aave', values: [100, 110, 90, 120, 150] },
      { label: 'Lido', values: [300, Number.NaN, 270, 240, 240] },
      { label: 'share <b>', values: [10, 12, 11, 12.5, 9], kind: 'percent', digits: 1 },
      { label: 'gone', values: [0, 0, 5, null, 5] },
      { label: 'empty', values: [null, null, null, null, null] },
    ],
    { x: ['w1', 'w2', 'w3', 'w4', 'w5'], title: 'TVL', caption: 'five weeks', digits: 0 },
  );
  assert.deepEqual(v.payload.rows[1].values, [300, null, 270, 240, 240], 'NaN is stored as null');
  assert.equal(
    v.markdown,
    [
      '**TVL**',
      '',
      'w1 to w5, 5 points',
      '',
      '| series | trend | first | last | change | low | high |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      // (150 - 100) / 100 = +50% ('+' escaped for markdown); blocks: (v - 90) / 60 * 7 = 1.17, 2.33, 0, 3.5, 7, rounded 1, 2, 0, 4, 7
      '| Aave | ▂▃▁▅█ | 100 | 150 | +50.0% | 90 | 150 |',
      // (240 - 300) / 300 = -20%; blocks: (v - 240) / 60 * 7 = 7, gap, 3.5, 0, 0
      '| Lido | █ ▅▁▁ | 300 | 240 | -20.0% | 240 | 300 |',
      // a percent series changes in points: 9 - 10 = -1 pp; blocks (v - 9) / 3.5 * 7 = 2, 6, 4, 7, 0
      '| share &lt;b&gt; | ▃▇▅█▁ | 10.0% | 9.0% | -1.00 pp | 9.0% | 12.5% |',
      // no relative change from 0
      '| gone | ▁▁█ █ | 0 | 5 | n/a | 0 | 5 |',
      '| empty |  | n/a | n/a | n/a | n/a | n/a |',
      '',
      '_five weeks_',
    ].join('\n'),
  );
  assert.equal(blockLine([3, 3, 3]), '▄▄▄', 'a flat line sits in the middle');
  assert.deepEqual(sparklinesView({ a: [1, 2, 3] }).payload.x, ['1', '2', '3'], 'points numbered when no x is given');
  assert.deepEqual(sparklinesView({ a: new Float64Array([1, 2]) }, { x: [2024, 2025] }).payload, { version: 1, x: ['2024', '2025'], kind: 'number', rows: [{ label: 'a', values: [1, 2] }] });
  assert.throws(() => sparklinesView({ a: [1, 2, 3] }, { x: ['w1', 'w2'] }), /^Error: display\/sparklines: row 0 \(a\) has 3 values for 2 points \(opts.x\)$/);
  assert.throws(() => sparklinesView([{ label: 'a', values: [1], kind: 'euro' as never }]), /row 0 \(a\) has kind "euro"; expected one of number, integer, percent, usd/);
  assert.throws(() => sparklinesView([{ values: [1] } as never]), /row 0 needs a label/);
  assert.throws(() => validateSparklines({ version: 1, x: ['w1', 'w2'], kind: 'usd', rows: [{ label: 'a', values: [1] }] }), { message: /^rows\[0\]\.values: expected 2 values \(one per x\), got "1 values"$/ });
  assert.throws(() => validateSparklines({ version: 1, x: ['w1'], kind: 'usd', rows: [{ label: 'a', values: ['1'] }] }), { message: /^rows\[0\]\.values\[0\]: expected a finite number, got "1"$/ });
  assert.throws(() => validateSparklines({ version: 1, x: [1], kind: 'usd', rows: [] }), { message: /^x\[0\]: expected a string, got 1$/ });
});
