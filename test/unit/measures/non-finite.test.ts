// Sizes near the largest double overflow in sums and squares: measures and stress tests
// refuse with a message naming the week and the cause, never return Infinity or NaN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMeasures } from '../../../src/core/measures/compute';
import { runStress, sweep } from '../../../src/core/stress/run';
import { firstNonFinite, NonFiniteError } from '../../../src/core/snapshot/finite';
import { parseWeekBytes } from '../../../src/core/snapshot/week-parser';
import type { Snapshot } from '../../../src/core/snapshot/types';

function snapshot(json: string): Snapshot {
  const d = parseWeekBytes(Buffer.from(json), 'f.json', '2025-01-06');
  return { ...d, kind: 'observed', names: [...d.ids], categories: d.ids.map(() => 'Lending'), sectors: d.ids.map(() => 'Lending') } as unknown as Snapshot;
}

const shockTop = { name: 'top', shocks: [{ kind: 'top' as const, n: 1, loss: 0.5 }] };

test('two sizes of 1e308 (their sum is Infinity): measures and stress refuse, naming the week and the largest node', () => {
  const s = snapshot('{"nodes": [{"id": "a", "size": 1e308}, {"id": "b", "size": 1e308}, {"id": "c", "size": 1}], "links": [{"source": "a", "target": "b", "size": 5}, {"source": "b", "target": "c", "size": 1}]}');
  assert.throws(() => computeMeasures(s), (e: unknown) => e instanceof NonFiniteError && /^measures: week 2025-01-06: the node sizes add up to Infinity \(the largest, a, is 1e\+308\)/.test(e.message));
  assert.throws(() => runStress(s, shockTop), (e: unknown) => e instanceof NonFiniteError && /^stress: week 2025-01-06: the node sizes add up to Infinity/.test(e.message));
  assert.throws(() => sweep(s, shockTop, { shockSizes: [0.1, 0.5] }), NonFiniteError);
});

test('exposures that add up to Infinity are refused', () => {
  const s = snapshot('{"nodes": [{"id": "a", "size": 1}, {"id": "b", "size": 1}], "links": [{"source": "a", "target": "b", "size": 1.5e308}, {"source": "b", "target": "a", "size": 1.5e308}]}');
  assert.throws(() => computeMeasures(s), /the exposures add up to Infinity \(the largest, a -> b, is 1\.5e\+308\)/);
});

test('the result check names the first field that is not finite', () => {
  assert.equal(firstNonFinite({ totalTvl: 1, meanSIS: 2, nested: { list: [1, Float64Array.of(0, NaN)] } }), 'nested.list[1][1]');
  assert.equal(firstNonFinite({ a: 1, b: [2, 3], c: Int32Array.of(1) }), undefined);
  assert.equal(firstNonFinite({ a: -Infinity }), 'a');
});

test('ordinary large sizes (1e15 USD) still compute', () => {
  const s = snapshot('{"nodes": [{"id": "a", "size": 1e15}, {"id": "b", "size": 3e15}], "links": [{"source": "a", "target": "b", "size": 2e14}]}');
  const m = computeMeasures(s);
  assert.equal(m.totalTvl, 4e15);
  assert.equal(m.tvlHHI, (1 + 9) / 16);
  assert.ok(Number.isFinite(runStress(s, shockTop).totalLoss));
});

test('firstNonFinite names the first NaN or infinite number by its path, wherever it lies', () => {
  const cases: [unknown, string | undefined][] = [
    [1, undefined],
    [NaN, '(value)'],
    [{ a: 1, b: [2, { c: Infinity }] }, 'b[1].c'],
    [[[1, 2], [3, -Infinity]], '[1][1]'],
    [{ rows: [{ x: 1, ys: new Float64Array([0, NaN]) }] }, 'rows[0].ys[1]'],
    [{ s: 'text', n: null, ok: [true, 'x', 3], bad: { deep: [[NaN]] } }, 'bad.deep[0][0]'],
    [{ x: new Int32Array([1, 2]), y: new Float32Array([1, Infinity]) }, 'y[1]'],
  ];
  for (const [value, want] of cases) assert.equal(firstNonFinite(value), want, JSON.stringify(want));
  assert.equal(firstNonFinite({ a: [NaN] }, 'result'), 'result.a[0]');
});
