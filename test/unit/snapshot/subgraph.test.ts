import { test } from 'node:test';
import assert from 'node:assert/strict';
import { snapshotFromRecords, validateSnapshot } from '../../../src/core/snapshot/records';
import { compositionOf, exposures, indexOfId, protocols, totalTvl } from '../../../src/core/snapshot/access';
import { commonNodes, subgraph, subgraphByCategory, topKByTvl } from '../../../src/core/snapshot/subgraph';

const A = snapshotFromRecords({
  week: '2025-01-06',
  protocols: [
    { id: 'x', name: 'X', category: 'CEX', tvl: 10, composition: { BTC: 6, USDT: 4 } },
    { id: 'y', name: 'Y', category: 'Lending', tvl: 30, composition: {} },
    { id: 'z', name: 'Z', category: 'CEX', tvl: 20, composition: { ETH: 20 } },
    { id: 'w', name: 'W', category: 'Dexes', tvl: 5 },
  ],
  exposures: [
    { source: 'x', target: 'y', weight: 1 },
    { source: 'y', target: 'z', weight: 2 },
    { source: 'z', target: 'x', weight: 3 },
    { source: 'w', target: 'x', weight: 4 },
    { source: 'z', target: 'z', weight: 5 },
  ],
});

test('snapshotFromRecords round-trips through the object views', () => {
  validateSnapshot(A);
  assert.deepEqual(protocols(A).map((p) => [p.id, p.tvl, p.category]), [['x', 10, 'CEX'], ['y', 30, 'Lending'], ['z', 20, 'CEX'], ['w', 5, 'Dexes']]);
  assert.deepEqual(compositionOf(A, 0), { BTC: 6, USDT: 4 });
  assert.deepEqual(compositionOf(A, 3), {});
  assert.deepEqual(exposures(A)[2], { source: 'z', target: 'x', weight: 3 });
  assert.equal(indexOfId(A, 'z'), 2);
  assert.equal(indexOfId(A, 'nope'), -1);
  assert.equal(totalTvl(A), 65);
});

test('snapshotFromRecords rejects bad records with the record path', () => {
  const base = { week: '2025-01-06', protocols: [{ id: 'a', name: 'A', category: 'CEX', tvl: 1 }], exposures: [] };
  assert.throws(() => snapshotFromRecords({ ...base, week: '2025-02-30' }), /week: expected a date YYYY-MM-DD/);
  assert.throws(() => snapshotFromRecords({ ...base, protocols: [...base.protocols, { id: 'a', name: 'A', category: 'CEX', tvl: 1 }] }), /protocols\[1\]\.id: expected an id not already used \(protocols\[0\]\)/);
  assert.throws(() => snapshotFromRecords({ ...base, protocols: [{ id: 'a', name: 'A', category: 'CEX', tvl: -1 }] }), /protocols\[0\]\.tvl: expected a finite number >= 0, got -1/);
  assert.throws(() => snapshotFromRecords({ ...base, protocols: [{ id: 'a', name: 'A', category: 'CEX', tvl: NaN }] }), /got NaN/);
  assert.throws(() => snapshotFromRecords({ ...base, exposures: [{ source: 'a', target: 'b', weight: 1 }] }), /exposures\[0\]\.target: expected the id of one of the protocols, got "b"/);
  assert.throws(() => snapshotFromRecords({ ...base, exposures: [{ source: 'a', target: 'a', weight: Infinity }] }), /exposures\[0\]\.weight/);
});

test('subgraph keeps edges whose endpoints both survive, in the order given', () => {
  const s = subgraph(A, [2, 0]);
  assert.deepEqual(s.ids, ['z', 'x']);
  assert.deepEqual(Array.from(s.tvl), [20, 10]);
  // z->x (3) and z->z (5) survive; x->y, y->z, w->x do not.
  assert.deepEqual(exposures(s), [
    { source: 'z', target: 'x', weight: 3 },
    { source: 'z', target: 'z', weight: 5 },
  ]);
  assert.deepEqual(compositionOf(s, 0), { ETH: 20 });
  assert.deepEqual(compositionOf(s, 1), { BTC: 6, USDT: 4 });
  validateSnapshot(s);
  assert.throws(() => subgraph(A, [0, 0]), /listed twice/);
  assert.throws(() => subgraph(A, [9]), /out of range/);
});

test('subgraphByCategory and topKByTvl', () => {
  assert.deepEqual(subgraphByCategory(A, ['CEX']).ids, ['x', 'z']);
  assert.equal(subgraphByCategory(A, ['CEX']).edgeSource.length, 2); // z->x, z->z
  assert.deepEqual(subgraphByCategory(A, ['cex']).ids, []);
  const top = topKByTvl(A, 2);
  assert.deepEqual(top.ids, ['y', 'z']);
  assert.deepEqual(exposures(top), [{ source: 'y', target: 'z', weight: 2 }, { source: 'z', target: 'z', weight: 5 }]);
  assert.equal(topKByTvl(A, 10).ids.length, 4);
});

test('commonNodes aligns two weeks on their shared ids in the first week\'s order', () => {
  const B = snapshotFromRecords({
    week: '2025-01-13',
    protocols: [
      { id: 'q', name: 'Q', category: 'CEX', tvl: 1 },
      { id: 'z', name: 'Z', category: 'CEX', tvl: 21 },
      { id: 'x', name: 'X', category: 'CEX', tvl: 11 },
    ],
    exposures: [
      { source: 'x', target: 'z', weight: 7 },
      { source: 'q', target: 'x', weight: 8 },
    ],
  });
  const [a, b] = commonNodes(A, B);
  assert.deepEqual(a.ids, ['x', 'z']);
  assert.deepEqual(b.ids, ['x', 'z']);
  assert.deepEqual(Array.from(b.tvl), [11, 21]);
  assert.deepEqual(exposures(b), [{ source: 'x', target: 'z', weight: 7 }]);
  assert.deepEqual(exposures(a).map((e) => `${e.source}${e.target}`), ['zx', 'zz']);
});
