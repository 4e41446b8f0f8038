/**
 * runStressListing (what-if reruns of the stress view build only the loss rows the view
 * lists): the rows it keeps are runStress's first ones, in the same order, and the rest
 * of the result is the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runStress } from '../../../src/core/stress';
import { runStressListing } from '../../../src/core/stress/run';
import type { Scenario } from '../../../src/core/stress';
import { randomSnapshot, snap } from '../measures/fixture-snapshot';

function sameBesidesLosses(a: ReturnType<typeof runStress>, b: ReturnType<typeof runStress>, what: string): void {
  const { losses: _a, ...restA } = a;
  const { losses: _b, ...restB } = b;
  assert.deepEqual(restA, restB, `${what}: figures, rounds and per-node columns`);
}

test('ties: equal losses are listed by id, and a cut through a tie keeps the smallest ids', () => {
  // Hub H fails completely; its ten creditors hold equal claims and have equal TVL, so
  // each loses the same amount. Their ids are out of order in the snapshot (index order
  // z, b, a10, a9, ...), so index order and id order differ.
  const creditors = ['z', 'b', 'a10', 'a9', 'm', 'a', 'y', 'c1', 'c0', 'k'];
  const s = snap([['H', 1000], ...creditors.map((id): [string, number] => [id, 50]), ['small', 10]], [...creditors.map((id): [string, string, number] => [id, 'H', 20]), ['small', 'H', 3]]);
  const sc: Scenario = { name: 'H fails', shocks: [{ kind: 'protocols', ids: ['H'], loss: 1 }] };
  const full = runStress(s, sc);
  assert.deepEqual(full.losses.map((l) => l.id), ['H', 'a', 'a10', 'a9', 'b', 'c0', 'c1', 'k', 'm', 'y', 'z', 'small'], 'hand-worked order: H, then the tie by id, then the smallest loss');
  for (const k of [0, 1, 2, 4, 11, 12, 13, 100]) {
    const cut = runStressListing(s, sc, {}, k);
    assert.deepEqual(cut.losses, full.losses.slice(0, k), `first ${k} rows`);
    sameBesidesLosses(cut, full, `k = ${k}`);
  }
});

test('random graphs: the first k rows of runStress for every k tried, both modes', () => {
  for (let seed = 1; seed <= 4; seed++) {
    const s = randomSnapshot(400, 4000, seed);
    for (const sc of ['top1', 'top5', 'lending'] as const) {
      for (const mode of ['default', 'parity'] as const) {
        const full = runStress(s, sc, { mode });
        assert.ok(full.losses.length > 20, `seed ${seed} ${sc} ${mode}: a case with many rows (${full.losses.length})`);
        for (const k of [1, 7, 20, full.losses.length - 1, full.losses.length]) {
          const cut = runStressListing(s, sc, { mode }, k);
          assert.deepEqual(cut.losses, full.losses.slice(0, k), `seed ${seed} ${sc} ${mode}: first ${k} rows`);
          sameBesidesLosses(cut, full, `seed ${seed} ${sc} ${mode} k ${k}`);
        }
      }
    }
  }
});
