import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadMapping, readMetaDf } from '../../../src/core/snapshot/meta';

const REAL = join(__dirname, '..', '..', 'fixtures', 'mapping');

test('loadMapping reads the real mapping files with their quirks', () => {
  const m = loadMapping(REAL);
  assert.equal(m.idToInfo.size, 4127); // README of the real files
  assert.deepEqual(m.idToInfo.get('2269'), { name: 'Binance CEX', category: 'Trading & Exchanges' });
  assert.equal(m.idToInfo.get('182')?.name, 'Lido');
  const sectors = new Set([...m.idToInfo.values()].map((v) => v.category));
  assert.equal(sectors.size, 7);
  assert.ok(sectors.has('Lending, Borrowing & Real World Assets'));
  // The stray "nan" key of rev_map.json.
  assert.ok(m.revMap.has('nan'));
  assert.deepEqual(m.strayRevMapKeys, ['nan']);
  // Class names used as ids, and PRIMARY tokens that are their own node.
  assert.equal(m.tokenToProtocol.get('LP')?.get('WBNB-HGET-CAKE-LP')?.id, '1779');
  assert.ok([...(m.tokenToProtocol.get('LP')?.values() ?? [])].some((e) => e.id === 'LP'));
  assert.ok([...(m.tokenToProtocol.get('UNKNOWN')?.values() ?? [])].some((e) => e.id === 'UNKNOWN'));
  assert.ok(m.classIds.has('OTHER'));
  assert.equal(m.tokenToProtocol.get('PRIMARY')?.get('USDT')?.id, '2810');
  assert.ok(m.selfIssuedTokens.has('USDC'));
  assert.ok(!m.selfIssuedTokens.has('USDT'));
  assert.equal(m.tokenToProtocol.get('PRIMARY')?.size, 9719);
});

test('readMetaDf: quoted names, last row wins, empty categories', () => {
  const m = readMetaDf(join(__dirname, '..', '..', 'fixtures', 'release', 'meta_df.csv'));
  assert.equal(m.rows.get('1599')?.name, 'AAVE V3, "the" lender');
  assert.equal(m.rows.size, 4);
});
