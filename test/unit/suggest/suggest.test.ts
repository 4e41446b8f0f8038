import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestNames, didYouMean, editDistance, nearestWeeksNote } from '../../../src/core/suggest';
import { buildDx } from '../../../src/kernel/dx';
import { DxMemberError, guardMembers } from '../../../src/kernel/dx-members';

test('editDistance counts insertions, deletions, substitutions and adjacent swaps (hand-computed)', () => {
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('stres', 'stress'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('strses', 'stress'), 1); // one swap of adjacent letters
  assert.equal(editDistance('graph', 'graph'), 0);
});

test('closestNames ranks by distance, keeps prefixes, and drops names too far away', () => {
  const names = ['stress', 'stressView', 'sweep', 'spillover', 'forecast', 'forecastRisk', 'measures'];
  assert.deepEqual(closestNames('stres', names), ['stress', 'stressView']);
  assert.deepEqual(closestNames('forcast', names), ['forecast']);
  assert.deepEqual(closestNames('forecas', names), ['forecast', 'forecastRisk']);
  assert.deepEqual(closestNames('MEASURE', names), ['measures']);
  assert.deepEqual(closestNames('qqqq', names), []);
  assert.equal(didYouMean('stres', names, (c) => `dx.${c}`), ' Did you mean dx.stress or dx.stressView?');
  assert.equal(didYouMean('qqqq', names), '');
});

test('nearestWeeksNote names the weeks on either side of an absent date, or the closest spellings', () => {
  const weeks = ['2022-01-03', '2022-01-10', '2022-01-17'];
  assert.equal(nearestWeeksNote('2022-01-12', weeks), '; nearest 2022-01-10 or 2022-01-17');
  assert.equal(nearestWeeksNote('2021-06-01', weeks), '; nearest 2022-01-03');
  assert.equal(nearestWeeksNote('2023-01-01', weeks), '; nearest 2022-01-17');
  assert.equal(nearestWeeksNote('2022-01-1', weeks), '; nearest 2022-01-10 or 2022-01-17');
  assert.equal(nearestWeeksNote('2022-01-12', []), '');
  assert.equal(nearestWeeksNote('last week', weeks), '');
});

test('dx answers a misspelled member with "did you mean" and leaves real members and probes alone', () => {
  const dx = buildDx() as Record<string, unknown>;
  assert.equal(typeof dx.stress, 'function');
  assert.throws(() => dx.stres, (e: unknown) => e instanceof DxMemberError && /^dx has no member "stres"\. Did you mean dx\.stress/.test(e.message));
  assert.throws(() => dx.grpah, /Did you mean dx\.graph\?/);
  assert.throws(() => dx.zzzzzz, /dx has no member "zzzzzz"\. Type "dx\." to list its members/);
  // Promise resolution, JSON and inspection probe these; they must not throw.
  assert.equal(dx.then, undefined);
  assert.equal(dx.toJSON, undefined);
  assert.equal(typeof dx.toString, 'function');
  assert.equal('stres' in dx, false);
  assert.ok(Object.keys(dx).includes('stress'));
  const g = guardMembers({ alpha: 1 }) as Record<string, unknown>;
  assert.throws(() => g.alpah, /Did you mean dx\.alpha\?/);
});
