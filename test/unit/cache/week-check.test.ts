// The one-pass week check (week-check.ts): its WebAssembly function gives what the
// JavaScript reference gives, and both what the rule written out plainly gives, on
// random weeks with values at and past every boundary (indices -1, 0, n - 1, n, the
// int32 extremes; sizes -0, subnormals, the largest double, Infinity, NaN, negatives).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checksInWebAssembly, usable, usableJs } from '../../../src/core/cache/week-check';

/** The rule itself: what the one pass must answer (-0 is refused by the pass and accepted later, by the exact scans). */
function plain(tvl: Float64Array, s: Int32Array, t: Int32Array, w: Float64Array, n: number): boolean {
  const size = (v: number): boolean => v >= 0 && v < Infinity && !Object.is(v, -0);
  for (const v of tvl) if (!size(v)) return false;
  for (let e = 0; e < s.length; e++) if (s[e] < 0 || s[e] >= n || t[e] < 0 || t[e] >= n || !size(w[e])) return false;
  return true;
}

/** The columns laid out in one buffer as a week file's body would hold them, behind `pad` bytes of something else. */
function layout(pad: number, tvl: number[], s: number[], t: number[], w: number[]) {
  const bytes = new Uint8Array(pad + 8 * tvl.length + 4 * s.length + 4 * t.length + 8 * w.length + 16);
  bytes.fill(0xee);
  let at = pad;
  const f64 = (x: number[]) => {
    const a = new Float64Array(bytes.buffer, at, x.length);
    a.set(x);
    at += 8 * x.length;
    return a;
  };
  const i32 = (x: number[]) => {
    const a = new Int32Array(bytes.buffer, at, x.length);
    a.set(x);
    at += 4 * x.length;
    return a;
  };
  const tvlCol = f64(tvl);
  const weightCol = f64(w); // the doubles first: 8-byte aligned
  const week = { tvl: tvlCol, edgeWeight: weightCol, edgeSource: i32(s), edgeTarget: i32(t) };
  return { file: bytes.subarray(8, at + 8), week };
}

test('WebAssembly is used here, and answers as the JavaScript reference and the plain rule on random weeks', () => {
  assert.ok(checksInWebAssembly(), 'the module compiles and instantiates');
  let seed = 12345;
  const rand = (k: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % k;
  };
  const goodSize = () => [0, 1.5, 5e-324, Number.MAX_VALUE, 2 ** 53, 1e-300, 7][rand(7)];
  const badSize = () => [-0, -1, -5e-324, Infinity, -Infinity, NaN, -Number.MAX_VALUE][rand(7)];
  let yes = 0;
  let no = 0;
  for (let c = 0; c < 2000; c++) {
    const n = rand(50);
    const m = rand(80);
    const tvl = Array.from({ length: n }, goodSize);
    const s = Array.from({ length: m }, () => rand(Math.max(n, 1)));
    const t = Array.from({ length: m }, () => rand(Math.max(n, 1)));
    const w = Array.from({ length: m }, goodSize);
    const bad = rand(5);
    if (bad === 0 && n > 0) tvl[rand(n)] = badSize();
    if (bad === 1 && m > 0) w[rand(m)] = badSize();
    if (bad === 2 && m > 0) (rand(2) ? s : t)[rand(m)] = [-1, n, n + 1, -2147483648, 2147483647, n - 1, 0][rand(7)];
    const { file, week } = layout(8 + 8 * rand(4), tvl, s, t, w);
    const want = plain(week.tvl, week.edgeSource, week.edgeTarget, week.edgeWeight, n);
    assert.equal(usableJs(week, n), want, `case ${c}: the JavaScript reference`);
    assert.equal(usable(file, week, n), want, `case ${c}: WebAssembly`);
    if (want) yes++;
    else no++;
  }
  assert.ok(yes > 300 && no > 300, `both answers occur (${yes} usable, ${no} not)`);
});

test('a larger week than the memory holds at first (it grows), and columns outside the file (the JavaScript loop)', () => {
  const n = 70_000;
  const m = 20_000;
  const tvl = Array.from({ length: n }, (_, i) => i);
  const s = Array.from({ length: m }, (_, i) => (i * 7) % n);
  const t = Array.from({ length: m }, (_, i) => n - 1 - i);
  const w = Array.from({ length: m }, (_, i) => i / 3);
  const { file, week } = layout(64, tvl, s, t, w);
  assert.ok(file.byteLength > 65536 * 8);
  assert.equal(usable(file, week, n), true);
  week.edgeTarget[m - 1] = n;
  assert.equal(usable(file, week, n), false);
  week.edgeTarget[m - 1] = 0;
  week.tvl[n - 1] = NaN;
  assert.equal(usable(file, week, n), false);
  const copy = { ...week, tvl: Float64Array.from(week.tvl) }; // another buffer
  assert.equal(usable(file, copy, n), false);
  copy.tvl[n - 1] = 1;
  assert.equal(usable(file, copy, n), true);
});
