import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MIME_BUNDLE } from '../../../src/core/display/protocol';
import { MIME } from '../../../src/core/display/views';
import { ERROR_MIME, NO_DISPLAY, toMimeBundle } from '../../../src/kernel/display';
import { buildDx, kernelDxModule } from '../../../src/kernel/dx';
import { dxModules } from '../../../src/kernel/dx-modules';

describe('kernel display: values -> MIME bundles', () => {
  test('primitives and undefined', () => {
    assert.equal(toMimeBundle(undefined), undefined);
    assert.deepEqual(toMimeBundle('a\nb'), { 'text/plain': 'a\nb' });
    assert.deepEqual(toMimeBundle(1.5), { 'text/plain': '1.5' });
    assert.deepEqual(toMimeBundle(10n), { 'text/plain': '10' });
    assert.deepEqual(toMimeBundle(null), { 'text/plain': 'null', 'application/json': null });
  });

  test('a value with [MIME_BUNDLE] uses it, and gets a text fallback when it has none', () => {
    const v = { [MIME_BUNDLE]: () => ({ [MIME.graph]: { version: 1 }, 'text/markdown': 'g' }) };
    assert.deepEqual(toMimeBundle(v), { [MIME.graph]: { version: 1 }, 'text/markdown': 'g' });
    const bare = { n: 1, [MIME_BUNDLE]: () => ({ [MIME.graph]: { version: 1 } }) };
    const b = toMimeBundle(bare)!;
    assert.equal(typeof b['text/plain'], 'string');
    assert.throws(() => toMimeBundle({ [MIME_BUNDLE]: () => 5 }), /must return an object/);
  });

  test('records -> table with inferred column kinds and a markdown fallback', () => {
    const b = toMimeBundle([
      { id: 'a', tvl: 1, share: 0.5, ok: true, week: '2022-05-09', when: new Date('2022-01-01T00:00:00Z') },
      { id: 'b|c', tvl: 2, share: null, ok: false, week: '2022-05-16', extra: 'x' },
    ])!;
    const t = b[MIME.table] as { columns: { name: string; kind: string }[]; rows: unknown[][] };
    assert.deepEqual(
      t.columns.map((c) => `${c.name}:${c.kind}`),
      ['id:string', 'tvl:usd', 'share:number', 'ok:boolean', 'week:date', 'when:date', 'extra:string'],
    );
    assert.deepEqual(t.rows[0], ['a', 1, 0.5, true, '2022-05-09', '2022-01-01', null], 'a Date at midnight UTC is a day');
    assert.deepEqual(t.rows[1], ['b|c', 2, null, false, '2022-05-16', null, 'x']);
    // a field named tvl holds dollars and prints as money under the header TVL
    assert.equal(String(b['text/markdown']).split('\n')[0], '| id | TVL | share | ok | week | when | extra |');
    assert.equal(String(b['text/markdown']).split('\n')[3], '| b\\|c | $2.00 |  | no | 2022-05-16 |  | x |');
  });

  test('the last expression and dx.table build the same table: NaN is a numeric null, dates keep their time, names are escaped', () => {
    const b = toMimeBundle([
      { v: NaN, at: new Date('2022-01-01T12:30:00Z'), name: '<img src=x onerror=alert(1)>', o: { deep: [1, 2] } },
      { v: 1.5, at: new Date('x'), name: 'b', o: null },
    ])!;
    const t = b[MIME.table] as { columns: { name: string; kind: string }[]; rows: unknown[][] };
    assert.deepEqual(t.columns.map((c) => `${c.name}:${c.kind}`), ['v:number', 'at:date', 'name:string', 'o:string']);
    assert.deepEqual(t.rows, [
      [null, '2022-01-01T12:30:00.000Z', '<img src=x onerror=alert(1)>', '{ deep: [ 1, 2 ] }'],
      [1.5, null, 'b', null],
    ]);
    const md = String(b['text/markdown']);
    assert.doesNotMatch(md, /<img/, 'markdown fallback escapes HTML');
    assert.match(md, /&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  test('long tables: the payload keeps every row, the markdown shows the first 30', () => {
    const rows = Array.from({ length: 45 }, (_, i) => ({ i }));
    const b = toMimeBundle(rows)!;
    assert.equal((b[MIME.table] as { rows: unknown[] }).rows.length, 45);
    assert.match(String(b['text/markdown']), /_\.\.\. 15 more rows \(45 in all\)_$/);
    assert.equal(String(b['text/markdown']).split('\n').filter((l) => /^\| \d/.test(l)).length, 30);
  });

  test('Plotly figures -> chart payload; typed arrays become arrays', () => {
    const b = toMimeBundle({ data: [{ type: 'scatter', x: new Float64Array([1, 2]), y: [3, 4] }], layout: { title: { text: 'T' } } })!;
    assert.deepEqual(b[MIME.chart], { version: 1, data: [{ type: 'scatter', x: [1, 2], y: [3, 4] }], layout: { title: { text: 'T' } } });
    assert.match(String(b['text/markdown']), /^\*\*Chart: T\*\* \(1 trace;/);
    assert.match(String(b['text/markdown']), /\| trace 1 \| scatter \| 2 \|/);
    // Not a figure: extra keys.
    assert.equal(toMimeBundle({ data: [{ x: [1] }], other: 1 })![MIME.chart], undefined);
  });

  test('errors and other objects', () => {
    const e = toMimeBundle(new TypeError('bad'))!;
    assert.deepEqual(Object.keys(e), [ERROR_MIME, 'text/plain']);
    assert.equal((e[ERROR_MIME] as { name: string }).name, 'TypeError');
    const m = toMimeBundle(new Map([['a', 1]]))!;
    assert.equal(m['text/plain'], "Map(1) { 'a' => 1 }");
    assert.equal(m['application/json'], undefined);
    assert.deepEqual(toMimeBundle({ a: [1, { b: 'c' }] })!['application/json'], { a: [1, { b: 'c' }] });
    assert.equal(toMimeBundle({ a: NaN })!['application/json'], undefined, 'NaN is not JSON');
    assert.equal(toMimeBundle({ [NO_DISPLAY]: true }), undefined);
  });
});

describe('kernel dx: assembled from dx modules', () => {
  test('the real module list merges without conflicts and keeps the kernel functions', () => {
    const dx = buildDx(dxModules);
    assert.equal(dx.display, kernelDxModule.display);
    for (const { module } of dxModules) for (const k of Object.keys(module)) assert.ok(k in dx, k);
  });

  test('a name defined twice is an error naming both modules', () => {
    assert.throws(() => buildDx([{ name: 'a', module: { f: 1 } }, { name: 'b', module: { f: 2 } }]), /"f" is defined by both the a and the b dx modules/);
    assert.throws(() => buildDx([{ name: 'x', module: { display: 1 } }]), /"display" is defined by both the kernel and the x dx modules/);
  });
});
