import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, addWeeks, dayNumber, DEFAULT_HORIZONS, nearestWeeks } from '../../../src/core/weeks';

test('weeks: date arithmetic across months, years and leap days (UTC, no DST shifts)', () => {
  assert.equal(dayNumber('1970-01-08'), 7);
  assert.equal(addWeeks('2024-12-30', 1), '2025-01-06');
  assert.equal(addWeeks('2024-02-26', 12), '2024-05-20');
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2023-02-28', 1), '2023-03-01');
  assert.equal(addWeeks('2022-03-28', -4), '2022-02-28');
  // The European DST change of 2022-03-27 must not shift the result by an hour into another day.
  assert.equal(addWeeks('2022-03-21', 1), '2022-03-28');
});

test('weeks: anything that is not YYYY-MM-DD is refused, not turned into a wrong week', () => {
  assert.throws(() => addWeeks('2022-5-2', 1), /weeks: "2022-5-2" is not a date YYYY-MM-DD/);
  assert.throws(() => addDays('last week', 1), /not a date/);
});

test('weeks: nearest weeks before and after a missing one', () => {
  const ws = ['2022-01-03', '2022-01-10', '2022-01-24'];
  assert.deepEqual(nearestWeeks(ws, '2022-01-17'), ['2022-01-10', '2022-01-24']);
  assert.deepEqual(nearestWeeks(ws, '2021-12-27'), ['2022-01-03']);
  assert.deepEqual(nearestWeeks(ws, '2023-01-02'), ['2022-01-24']);
  assert.deepEqual(nearestWeeks([], '2023-01-02'), []);
});

test('weeks: the default horizons are the paper Table 3 horizons and cannot be changed by a caller', () => {
  assert.deepEqual(DEFAULT_HORIZONS, [1, 4, 8, 12]);
  assert.throws(() => (DEFAULT_HORIZONS as number[]).push(24), TypeError);
});
