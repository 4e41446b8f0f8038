import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasTextFallback, orderBundleMimes, withTextFallback } from '../../../src/extension/bundle-order';

test('bundle order puts our rich types first and text/plain last, stable otherwise', () => {
  assert.deepEqual(
    orderBundleMimes(['text/plain', 'text/markdown', 'application/vnd.dexposure.graph+json', 'text/html', 'text/x-foo', 'text/x-bar']),
    ['application/vnd.dexposure.graph+json', 'text/html', 'text/markdown', 'text/x-foo', 'text/x-bar', 'text/plain'],
  );
});

test('withTextFallback adds text/plain only when no text fallback exists', () => {
  const rich = { 'application/vnd.dexposure.chart+json': { version: 1, data: [] } };
  assert.equal(hasTextFallback(rich), false);
  assert.equal(withTextFallback(rich)['text/plain'], '[DeXposure output: application/vnd.dexposure.chart+json]');
  assert.deepEqual(Object.keys(rich), ['application/vnd.dexposure.chart+json'], 'input not mutated');
  const withMd = { ...rich, 'text/markdown': '**chart**' };
  assert.equal(withTextFallback(withMd), withMd);
  assert.equal(withTextFallback({})['text/plain'], '[DeXposure output: empty]');
});
