// Conversion workers run the plain CommonJS bundle: the parent's module hooks and
// preloads (tsx under tests and benchmarks) are left out, every other flag kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutModuleHooks } from '../../../src/core/snapshot/week-pool';

test('module hooks and preloads are dropped with their values, in both spellings; other flags kept in order', () => {
  assert.deepEqual(withoutModuleHooks(['--import', 'tsx', '--max-old-space-size=4096']), ['--max-old-space-size=4096']);
  assert.deepEqual(withoutModuleHooks(['--enable-source-maps', '-r', './pre.js', '--loader=ts-node/esm', '--require=x', '--experimental-loader', 'y', '--no-warnings']), ['--enable-source-maps', '--no-warnings']);
  assert.deepEqual(withoutModuleHooks(['--import=tsx']), []);
  assert.deepEqual(withoutModuleHooks([]), []);
  // a flag that merely starts like one of them is kept
  assert.deepEqual(withoutModuleHooks(['--imports-are-fine', '--requirement']), ['--imports-are-fine', '--requirement']);
});
