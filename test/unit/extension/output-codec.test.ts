import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeItemData,
  encodeItemData,
  itemEncoding,
  orderBundleMimes,
  withTextFallback,
  STDOUT_MIME,
} from '../../../src/extension/output-codec';

const dec = new TextDecoder();

test('JSON MIME types are stored as JSON values and survive a round trip', () => {
  const table = { version: 1, columns: [{ name: 'tvl', kind: 'usd' }], rows: [[1.5e9]] };
  const mime = 'application/vnd.dexposure.table+json';
  assert.equal(itemEncoding(mime), 'json');
  const bytes = encodeItemData(mime, table);
  assert.equal(dec.decode(bytes), JSON.stringify(table));
  assert.deepEqual(decodeItemData(mime, bytes), table);
});

test('text types are strings; nbformat-style line arrays are joined', () => {
  assert.equal(itemEncoding('text/markdown'), 'text');
  assert.equal(itemEncoding(STDOUT_MIME), 'text');
  assert.equal(dec.decode(encodeItemData('text/plain', ['a\n', 'b'])), 'a\nb');
  assert.equal(decodeItemData('text/plain', new TextEncoder().encode('héllo')), 'héllo');
});

test('binary types are base64 strings', () => {
  const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255]);
  const saved = decodeItemData('image/png', bytes);
  assert.equal(saved, 'iVBORwD/');
  assert.deepEqual(encodeItemData('image/png', saved), bytes);
  assert.throws(() => encodeItemData('image/png', 42), /image\/png output must be a base64 string, got number/);
});

test('non-JSON bytes under a JSON type are kept as text, not dropped', () => {
  assert.equal(decodeItemData('application/json', new TextEncoder().encode('{oops')), '{oops');
});

test('bundle order puts our rich types first and text/plain last, stable otherwise', () => {
  assert.deepEqual(
    orderBundleMimes(['text/plain', 'text/markdown', 'application/vnd.dexposure.graph+json', 'text/html', 'text/x-foo']),
    ['application/vnd.dexposure.graph+json', 'text/html', 'text/markdown', 'text/x-foo', 'text/plain'],
  );
});

test('withTextFallback adds text/plain only when no text fallback exists', () => {
  const rich = { 'application/vnd.dexposure.chart+json': { version: 1, data: [] } };
  assert.equal(withTextFallback(rich)['text/plain'], '[DeXposure output: application/vnd.dexposure.chart+json]');
  const withMd = { ...rich, 'text/markdown': '**chart**' };
  assert.equal(withTextFallback(withMd), withMd);
});
