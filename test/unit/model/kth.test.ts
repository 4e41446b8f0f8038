/** kthSmallest (the cut of includedEdges) against a typed-array sort, NaN sorting last. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kthSmallest } from '../../../src/core/model/forecast';
import { rngFromSeed } from '../../../src/core/random';

test('kthSmallest gives the sorted array\'s k-th value: ties, sorted and reversed input, NaN last', () => {
  const rng = rngFromSeed(5);
  const inputs: Float64Array[] = [new Float64Array([3]), new Float64Array([NaN, 1, NaN]), new Float64Array([2, 2, 2, 2])];
  for (const n of [2, 3, 10, 257, 4000]) {
    inputs.push(Float64Array.from({ length: n }, () => Math.round(rng.next() * 10) / 10)); // many ties
    inputs.push(Float64Array.from({ length: n }, (_, i) => i)); // sorted
    inputs.push(Float64Array.from({ length: n }, (_, i) => n - i)); // reversed
    inputs.push(Float64Array.from({ length: n }, () => (rng.next() < 0.1 ? NaN : rng.next()))); // with NaN
  }
  for (const a of inputs) {
    const sorted = Float64Array.from(a).sort();
    for (const k of new Set([0, 1, Math.floor(a.length / 2), a.length - 2, a.length - 1].filter((k) => k >= 0 && k < a.length))) {
      assert.ok(Object.is(kthSmallest(Float64Array.from(a), k), sorted[k]), `n ${a.length}, k ${k}`);
    }
  }
});
