/**
 * PairIndex (src/core/model/pair-index.ts) against a Map keyed by u * n + v, over
 * random pairs with repeats, through several doublings of the table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IntList, PairIndex } from '../../../src/core/model/pair-index';
import { rngFromSeed } from '../../../src/core/random';

test('PairIndex answers as a Map keyed by u * n + v, through growth and repeated pairs', () => {
  const rng = rngFromSeed(17);
  for (const n of [1, 7, 5700, 100_000]) {
    const idx = new PairIndex(n, 4);
    const ref = new Map<number, number>();
    const firsts = new PairIndex(n);
    const order: number[] = [];
    for (let k = 0; k < 20_000; k++) {
      // a small range makes repeats frequent
      const u = Math.floor(rng.next() * Math.min(n, 300));
      const v = Math.floor(rng.next() * Math.min(n, 300));
      const key = u * n + v;
      assert.equal(idx.set(u, v, k), !ref.has(key));
      ref.set(key, k);
      if (firsts.add(u, v)) order.push(key);
    }
    assert.equal(idx.size, ref.size);
    assert.equal(firsts.size, order.length);
    for (const [key, value] of ref) {
      const u = Math.floor(key / n);
      assert.equal(idx.get(u, key - u * n), value);
      assert.ok(idx.has(u, key - u * n));
    }
    // add() numbers pairs by first insertion
    order.forEach((key, rank) => assert.equal(firsts.get(Math.floor(key / n), key % n), rank));
    // absent pairs
    for (let k = 0; k < 1000; k++) {
      const u = Math.floor(rng.next() * n);
      const v = Math.floor(rng.next() * n);
      assert.equal(idx.get(u, v), ref.get(u * n + v) ?? -1);
    }
  }
});

test('IntList keeps what was pushed, in order, past its first capacity', () => {
  const l = new IntList();
  for (let i = 0; i < 5000; i++) l.push(i * 3 - 7);
  assert.equal(l.length, 5000);
  assert.deepEqual(Array.from(l.view()), Array.from({ length: 5000 }, (_, i) => i * 3 - 7));
});
