import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectAlerts, earlyWarnings, warningPoint } from '../../../src/core/warnings';
import type { WarningPoint } from '../../../src/core/warnings';
import { snap } from '../measures/fixture-snapshot';

const weeks = (n: number): string[] => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2022, 0, 3 + 7 * i)).toISOString().slice(0, 10));

function series(values: number[]): WarningPoint[] {
  return weeks(values.length).map((week, i) => ({ week, density: 0.01, tvlHHI: values[i], spilloverIndex: 0.2, nodes: 10, edges: 5, totalTvl: 1 }));
}

test('an HHI jump after steady noise is flagged with its z-score (hand-computed)', () => {
  // Changes: +1, -1, +1, -1, +1, -1 (mean 0, population sd 1), then +5: z = 5.
  const r = detectAlerts(series([10, 11, 10, 11, 10, 11, 10, 15, 15.5]), { window: 6 });
  assert.deepEqual(r.alerts.map((a) => [a.week, a.measure]), [[weeks(9)[7], 'tvlHHI']]);
  assert.ok(Math.abs(r.alerts[0].zScore - 5) < 1e-12);
  assert.equal(r.alerts[0].change, 5);
  assert.deepEqual(r.alertWeeks, [weeks(9)[7]]);
  // The week after: window (-1, +1, -1, +1, -1, +5), mean 2/3, sd ~2.13, so z ~ -0.08: no alert.
  assert.equal(r.alerts.length, 1);
});

test('k and minHistory control alerting; drops alert too (negative z)', () => {
  const s = series([10, 11, 10, 11, 10, 11, 10, 7]); // last change -3: z = -3
  assert.equal(detectAlerts(s, { window: 6 }).alerts[0].zScore, -3);
  assert.equal(detectAlerts(s, { window: 6, k: 3 }).alerts.length, 0, '|z| = 3 is not > 3');
  assert.equal(detectAlerts(series([10, 11, 30]), {}).alerts.length, 0, 'too little history');
});

test('flat history: any change is an alert', () => {
  const r = detectAlerts(series([5, 5, 5, 5, 5, 6]));
  assert.equal(r.alerts.length, 1);
  assert.ok(r.alerts[0].zScore > 1e6);
});

test('earlyWarnings computes density, TVL HHI and spillover per week', () => {
  const w = weeks(2);
  const a = snap([['x', 1, 'Lending'], ['y', 3, 'Dexes'], ['z', 0, 'Dexes']], [['x', 'y', 2], ['x', 'y', 1], ['y', 'z', 1]], w[1]);
  const b = snap([['x', 1, 'Lending'], ['y', 1, 'Dexes']], [], w[0]);
  const r = earlyWarnings([a, b]);
  assert.deepEqual(r.series.map((p) => p.week), w, 'sorted by week');
  const p = warningPoint(a);
  assert.equal(p.density, 2 / 6); // distinct pairs x->y, y->z
  assert.equal(p.tvlHHI, 1 / 16 + 9 / 16);
  assert.equal(p.spilloverIndex, 1); // one off-diagonal cell (Lending -> Dexes)
  assert.equal(warningPoint(a, { mode: 'parity' }).density, 3 / 6);
  assert.equal(r.series[0].density, 0);
});

test('bad input is rejected precisely', () => {
  assert.throws(() => detectAlerts(series([1, 2]), { k: 0 }), /warnings\/early-warning: k must be a finite number > 0, got 0/);
  assert.throws(() => detectAlerts(series([1, 2]), { window: 1 }), /window must be an integer >= 2/);
  const s = series([1, 2]);
  s.reverse();
  assert.throws(() => detectAlerts(s), /weeks must be strictly ascending/);
  const bad = series([1, Number.NaN]);
  assert.throws(() => detectAlerts(bad), /tvlHHI of week 2022-01-10 is not a finite number/);
});
