import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIME_BUNDLE } from '../../../src/core/display/protocol';
import { MIME } from '../../../src/core/display/views';
import { inferKind, tableView } from '../../../src/core/display/table-view';
import { chartView, groupedBarFigure, scatterIdentityFigure } from '../../../src/core/display/chart-view';
import { graphView } from '../../../src/core/display/graph-view';
import { layoutGraph } from '../../../src/core/display/graph-layout';
import type { Snapshot } from '../../../src/core/snapshot/types';
import { HOSTILE_NAME, syntheticSnapshot } from '../../fixtures/views/synthetic-snapshot';

test('inferKind picks the narrowest kind', () => {
  assert.equal(inferKind([1, 2, null]), 'integer');
  assert.equal(inferKind([1, 2.5]), 'number');
  assert.equal(inferKind([true, false]), 'boolean');
  assert.equal(inferKind(['2024-01-01', '2024-01-08']), 'date');
  assert.equal(inferKind(['a', 1]), 'string');
  assert.equal(inferKind([null, undefined]), 'string');
});

test('tableView from row objects: columns in first-seen order, kinds inferred, NaN -> null', () => {
  const v = tableView([{ name: 'Aave', tvl: 1.5e9, n: 3 }, { name: 'Lido', tvl: Number.NaN, extra: true }], { title: 'T', columns: { tvl: { kind: 'usd' } } });
  const b = v[MIME_BUNDLE]();
  assert.deepEqual(Object.keys(b).sort(), [MIME.table, 'text/markdown'].sort());
  const p = v.payload;
  assert.deepEqual(p.columns.map((c) => [c.name, c.kind]), [['name', 'string'], ['tvl', 'usd'], ['n', 'integer'], ['extra', 'boolean']]);
  assert.deepEqual(p.rows, [['Aave', 1.5e9, 3, null], ['Lido', null, null, true]]);
  assert.match(v.markdown, /\*\*T\*\*/);
  assert.match(v.markdown, /\$1\.50B/);
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(b)));
});

test('tableView from columns with typed arrays, and from row arrays', () => {
  const v = tableView({ id: ['a', 'b'], x: Float64Array.from([0.5, Infinity]) });
  assert.deepEqual(v.payload.rows, [['a', 0.5], ['b', null]]);
  assert.equal(v.payload.columns[1]!.kind, 'number');
  const w = tableView([[1, 'x'], [2, 'y']], { columns: ['k', 'v'] });
  assert.deepEqual(w.payload.columns.map((c) => c.name), ['k', 'v']);
});

test('tableView rejects ragged input with the row or column named', () => {
  assert.throws(() => tableView([[1, 2], [3]], { columns: ['a', 'b'] }), /display\/table: row 1 has 1 cells, expected 2/);
  assert.throws(() => tableView({ a: [1, 2], b: [1] }), /column "b" has 1 values, expected 2/);
  assert.throws(() => tableView(null as never), /expected rows/);
});

test('chartView converts typed arrays and non-finite values, keeps layout', () => {
  const v = chartView({ data: [{ type: 'scatter', name: 'loss', x: [1, 2, 3], y: Float64Array.from([1, NaN, 3]) }], layout: { title: { text: 'Loss' } } });
  assert.deepEqual((v.payload.data[0] as { y: unknown }).y, [1, null, 3]);
  assert.match(v.markdown, /Chart: Loss/);
  assert.match(v.markdown, /\| loss \| scatter \| 3 \|/);
  assert.throws(() => chartView({ data: 'x' as never }), /figure.data must be an array/);
  assert.throws(() => chartView({ data: [{ f: () => 1 }] }), /figure.data\[0\]\.f is a function/);
});

test('scatterIdentityFigure draws y = x over the joint range; groupedBarFigure checks lengths', () => {
  const f = scatterIdentityFigure({ x: [1, 5], y: [-2, 3] });
  assert.deepEqual((f.data[1] as { x: number[] }).x, [-2, 5]);
  assert.deepEqual((f.data[1] as { y: number[] }).y, [-2, 5]);
  assert.throws(() => groupedBarFigure(['a', 'b'], [{ name: 'g', values: [1] }]), /group "g" has 1 values for 2 categories/);
});

function tiny(): Snapshot {
  // a -> b -> c, a -> c; d isolated; TVL order a, b, c, d
  return {
    week: '2024-01-08', kind: 'observed',
    ids: ['a', 'b', 'c', 'd'], names: ['A', HOSTILE_NAME, 'C', 'D'], categories: ['Lending', 'Dexs', 'Lending', 'CDP'],
    tvl: Float64Array.from([400, 300, 200, 100]),
    edgeSource: Int32Array.from([0, 1, 0]), edgeTarget: Int32Array.from([1, 2, 2]), edgeWeight: Float64Array.from([50, 20, 10]),
  };
}

test('graphView: nodes by TVL, edges by id, categories by TVL, SIS ranks a permutation', () => {
  const v = graphView(tiny());
  const p = v.payload;
  assert.deepEqual(p.nodes.map((n) => n.id), ['a', 'b', 'c', 'd']);
  assert.deepEqual(p.edges, [{ source: 'a', target: 'b', weight: 50 }, { source: 'b', target: 'c', weight: 20 }, { source: 'a', target: 'c', weight: 10 }]);
  assert.deepEqual(p.categories, ['Lending', 'Dexs', 'CDP']);
  assert.deepEqual(p.nodes.map((n) => n.sisRank).sort(), [1, 2, 3, 4]);
  for (const n of p.nodes) assert.ok(Math.abs(n.x) <= 1000 && Math.abs(n.y) <= 1000);
  assert.ok(!v.markdown.includes('<img'), 'hostile name escaped in markdown');
  assert.match(v.markdown, /4 protocols, 3 exposures/);
});

test('graphView marks predicted edges and drops those below the probability cut or off the node set', () => {
  const pred: Snapshot = { ...tiny(), kind: 'forecast', ids: ['a', 'b', 'z'], names: ['A', 'B', 'Z'], categories: ['x', 'x', 'x'], tvl: Float64Array.from([1, 1, 1]),
    edgeSource: Int32Array.from([0, 1, 0]), edgeTarget: Int32Array.from([1, 0, 2]), edgeWeight: Float64Array.from([5, 6, 7]), edgeProbability: Float64Array.from([0.9, 0.2, 0.99]) };
  const p = graphView(tiny(), { predicted: pred, sis: false }).payload;
  const predicted = p.edges.filter((e) => e.kind === 'predicted');
  assert.deepEqual(predicted, [{ source: 'a', target: 'b', weight: 5, kind: 'predicted', probability: 0.9 }]);
  assert.equal(p.nodes[0]!.sisRank, undefined);
});

test('graphView rejects edges pointing outside the node set', () => {
  const s = { ...tiny(), edgeTarget: Int32Array.from([1, 9, 2]) };
  assert.throws(() => graphView(s), /edge 1 points at node 9, outside 0\.\.3/);
});

test('layoutGraph is deterministic, finite, and places connected tail nodes near a neighbour', () => {
  const s = syntheticSnapshot({ nodes: 600, edges: 2500, seed: 3 });
  const input = { n: 600, tvl: s.tvl, ids: s.ids, edgeSource: s.edgeSource, edgeTarget: s.edgeTarget, edgeWeight: s.edgeWeight };
  const a = layoutGraph(input, { layoutNodes: 200 });
  const b = layoutGraph(input, { layoutNodes: 200 });
  assert.deepEqual(Array.from(a.x), Array.from(b.x));
  assert.deepEqual(Array.from(a.y), Array.from(b.y));
  for (let i = 0; i < 600; i++) assert.ok(Number.isFinite(a.x[i]!) && Number.isFinite(a.y[i]!));
  // distinct positions for the laid-out set (FA2 repulsion)
  const keys = new Set(Array.from(a.order.slice(0, 200), (i) => `${a.x[i]},${a.y[i]}`));
  assert.equal(keys.size, 200);
  // order is by TVL descending
  for (let r = 1; r < 600; r++) assert.ok(s.tvl[a.order[r - 1]!]! >= s.tvl[a.order[r]!]!);
});

test('graphView at full scale keeps every node and edge', () => {
  const s = syntheticSnapshot({ nodes: 5700, edges: 30000 });
  const p = graphView(s, { topN: 500 }).payload;
  assert.equal(p.nodes.length, 5700);
  assert.equal(p.edges.length, s.edgeSource.length);
  assert.equal(p.topN, 500);
});
