import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeMeasures, MeasureContext, NETWORK_MEASURES, networkMeasures } from '../../../src/core/measures';
import { earlyWarnings, warningPoint } from '../../../src/core/warnings';
import { randomSnapshot, snap } from './fixture-snapshot';

test('catalog: computeMeasures reports every network measure, with the value its descriptor computes', () => {
  const s = randomSnapshot(40, 120, 3);
  const m = computeMeasures(s);
  const ctx = new MeasureContext(s);
  for (const d of NETWORK_MEASURES) {
    assert.equal(typeof m[d.key], 'number', d.key);
    assert.equal(m[d.key], d.compute(ctx), d.key);
  }
  assert.equal(new Set(NETWORK_MEASURES.map((d) => d.key)).size, NETWORK_MEASURES.length, 'keys are unique');
});

test('catalog: a subset computes only what it needs (no PageRank for density)', () => {
  const s = randomSnapshot(30, 80, 4);
  const ctx = new MeasureContext(s);
  const r = networkMeasures(ctx, ['density', 'tvlHHI']);
  assert.deepEqual(Object.keys(r).sort(), ['density', 'tvlHHI']);
  assert.equal((ctx as unknown as { sisResult?: unknown }).sisResult, undefined);
});

test('reciprocity: share of distinct pairs whose reverse exists (hand case, duplicates and self-loops left out)', () => {
  // a->b and b->a are mutual; a->c is not; the duplicate a->b and the self-loop c->c do not count.
  const s = snap(
    [['a', 10], ['b', 5], ['c', 1]],
    [['a', 'b', 1], ['b', 'a', 2], ['a', 'c', 3], ['a', 'b', 4], ['c', 'c', 5]],
  );
  assert.equal(computeMeasures(s).reciprocity, 2 / 3);
  assert.equal(computeMeasures(s, { mode: 'parity' }).reciprocity, 2 / 3);
  assert.equal(computeMeasures(snap([['a', 1], ['b', 1]], [])).reciprocity, 0);
});

test('any catalog measure can be monitored by the early-warning series', () => {
  const weeks = ['2024-01-01', '2024-01-08', '2024-01-15'];
  const snaps = weeks.map((w, i) => ({ ...snap([['a', 10], ['b', 5], ['c', 1]], i === 2 ? [['a', 'b', 1], ['b', 'a', 1]] : [['a', 'b', 1], ['a', 'c', 1]]), week: w }));
  const r = earlyWarnings(snaps, { measures: ['reciprocity'], minHistory: 2, window: 2 });
  assert.deepEqual(r.measures, ['reciprocity']);
  assert.deepEqual(r.series.map((p) => p.reciprocity), [0, 0, 1]);
  assert.equal(warningPoint(snaps[0]).reciprocity, undefined, 'not computed unless asked');
  assert.throws(() => earlyWarnings(snaps, { measures: ['nope' as never] }), /unknown measure "nope"/);
});
