/** byDescendingKey (src/core/descending-order.ts) against a stable comparator sort. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byDescendingKey } from '../../../src/core/descending-order';
import { rngFromSeed } from '../../../src/core/random';

test('byDescendingKey: hand-computed order, ties kept in the order given', () => {
  const keys = [0.5, 2, -1, 2, 0, -0, 7];
  assert.deepEqual(Array.from(byDescendingKey(keys, Int32Array.from([0, 1, 2, 3, 4, 5, 6]))), [6, 1, 3, 0, 4, 5, 2]);
  // the items' own order decides among equal keys (-0 equals 0)
  assert.deepEqual(Array.from(byDescendingKey(keys, Int32Array.from([5, 3, 4, 1]))), [3, 1, 5, 4]);
  assert.deepEqual(Array.from(byDescendingKey(keys, new Int32Array(0))), []);
});

test('byDescendingKey equals a stable comparator sort over many binades, signs, repeats and subnormals', () => {
  const rng = rngFromSeed(8);
  for (const n of [1, 2, 17, 1000, 70_000]) {
    const keys = Float64Array.from({ length: n }, (_, i) => {
      const u = rng.next();
      if (i % 13 === 0) return [0, -0, 1, -1, 5e-324, -5e-324, 1e308, -1e308, 0.25][i % 9];
      if (i % 5 === 0) return Math.round(u * 8) / 8; // repeats
      return (u < 0.3 ? -1 : 1) * Math.pow(rng.next(), 1 + 60 * rng.next()) * Math.pow(10, Math.floor(rng.next() * 40) - 20);
    });
    const items = Int32Array.from({ length: n }, (_, i) => i).reverse(); // any order of items
    const want = Array.from(items).sort((a, b) => keys[b] - keys[a]); // stable: equal keys keep the items' order
    assert.deepEqual(Array.from(byDescendingKey(keys, items)), want, `n ${n}`);
  }
});
