/** sortedIdsOf: a node list's ids sorted exactly as Array.prototype.sort sorts the strings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortedIdsOf } from '../../../src/core/snapshot/access';
import type { Snapshot } from '../../../src/core/snapshot/types';
import { rng } from '../xorshift';

function week(ids: string[]): Snapshot {
  const n = ids.length;
  return { week: '2024-01-01', kind: 'observed', ids, names: ids, categories: ids.map(() => 'Lending'), tvl: new Float64Array(n).fill(1), edgeSource: new Int32Array(0), edgeTarget: new Int32Array(0), edgeWeight: new Float64Array(0) };
}

test('hand-checked order: code-unit order, not numeric, locale or case-folded', () => {
  const ids = ['b', '10', '9', 'B', 'a', 'é', 'Z', '', 'a-b', 'a_b', '😀', 'ab'];
  // Enough nodes to take the ranked path, the same ids again.
  const s = week([...ids, ...Array.from({ length: 80 }, (_, i) => `x${i}`)]);
  const nodes = Array.from({ length: ids.length }, (_, i) => i);
  const want = ['', '10', '9', 'B', 'Z', 'a', 'a-b', 'a_b', 'ab', 'b', 'é', '😀'];
  assert.deepEqual(sortedIdsOf(s, nodes), want, 'short list');
  assert.deepEqual(sortedIdsOf(s, [...nodes, ...Array.from({ length: 70 }, (_, i) => ids.length + i)]).filter((id) => !/^x\d/.test(id)), want, 'ranked list');
});

test('random ids and node lists (repeats, duplicate ids) match a plain sort of the strings', () => {
  const r = rng(17);
  const alphabet = ['a', 'b', 'A', '0', '9', '-', 'é', 'ß', '\u{1F600}', ' '];
  const ids = Array.from({ length: 3000 }, () => Array.from({ length: 1 + Math.floor(r() * 6) }, () => alphabet[Math.floor(r() * alphabet.length)]).join(''));
  const s = week(ids);
  for (const len of [0, 1, 63, 64, 500, 3000, 6000]) {
    const nodes = Int32Array.from({ length: len }, () => Math.floor(r() * ids.length));
    assert.deepEqual(sortedIdsOf(s, nodes), Array.from(nodes, (i) => ids[i]!).sort(), `${len} nodes`);
  }
});
