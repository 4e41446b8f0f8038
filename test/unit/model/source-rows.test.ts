/**
 * Pairs grouped by source (src/core/model/source-rows.ts) against plain Maps keyed by
 * u * n + v, over random pairs with repeats.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupBySource } from '../../../src/core/group-by';
import { lastEdgeOf, TargetStamps } from '../../../src/core/model/source-rows';
import { rngFromSeed } from '../../../src/core/random';

test('groupBySource lists each source\'s pairs in input order (hand-computed)', () => {
  const g = groupBySource(4, [2, 0, 2, 3, 0, 2]);
  assert.deepEqual(Array.from(g.offsets), [0, 2, 2, 5, 6]);
  assert.deepEqual(Array.from(g.order), [1, 4, 0, 2, 5, 3]);
  // only the first `count` entries
  const h = groupBySource(4, [2, 0, 2, 3, 0, 2], 3);
  assert.deepEqual(Array.from(h.order), [1, 0, 2]);
});

test('TargetStamps: a fresh set for each source, without clearing', () => {
  const t = new TargetStamps(5);
  t.begin(0);
  assert.equal(t.add(3), true);
  assert.equal(t.add(3), false);
  assert.equal(t.has(3), true);
  assert.equal(t.has(4), false);
  t.begin(1);
  assert.equal(t.has(3), false, 'marks of source 0 are not those of source 1');
  assert.equal(t.add(3), true);
});

test('lastEdgeOf gives the last index of each queried pair, as a Map keyed by u * n + v', () => {
  const rng = rngFromSeed(17);
  for (const n of [1, 7, 300, 5700]) {
    const E = 20_000;
    // a small range makes repeats frequent
    const span = Math.min(n, 60);
    const from = Int32Array.from({ length: E }, () => Math.floor(rng.next() * span));
    const to = Int32Array.from({ length: E }, () => Math.floor(rng.next() * span));
    const last = new Map<number, number>();
    for (let k = 0; k < E; k++) last.set(from[k] * n + to[k], k);
    const Q = 5000;
    const qs = Int32Array.from({ length: Q }, () => Math.floor(rng.next() * Math.min(n, 80)));
    const qt = Int32Array.from({ length: Q }, () => Math.floor(rng.next() * Math.min(n, 80)));
    const got = lastEdgeOf(n, from, to, qs, qt);
    let hits = 0;
    for (let i = 0; i < Q; i++) {
      const want = last.get(qs[i] * n + qt[i]) ?? -1;
      assert.equal(got[i], want, `pair ${qs[i]} -> ${qt[i]}`);
      if (want >= 0) hits++;
    }
    if (n >= 300) assert.ok(hits > 0 && hits < Q, `both present and absent pairs were asked (${hits} of ${Q} present)`);
  }
});
