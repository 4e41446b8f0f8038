import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readIdToInfo, readMappingFiles } from '../../../src/core/exposure/mapping-files';
import { ReleaseFormatError } from '../../../src/core/snapshot/errors';
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

test('readIdToInfo: the id_to_info of readMappingFiles, and the same error for every bad mapping file', () => {
  assert.deepEqual(readIdToInfo(REAL), readMappingFiles(REAL).idToInfo);
  const info = '{"2269": {"name": "Binance CEX", "category": "CEX"}, "182": {"name": "Lido"}}';
  const cases: [string, string, RegExp][] = [
    // the first bad entry in the object's key order (integer-like keys first, as JSON.parse orders them)
    ['rev_map.json', '{"USDT": "2810", "B": [1], "7": {}}', /rev_map\.json, "7": expected a protocol id string, got \{\}/],
    ['rev_map.json', '[]', /rev_map\.json: expected an object of token -> protocol id, got \[\]/],
    ['rev_map.json', '{"USDT": "1', /rev_map\.json, line 1 \(byte 11\): expected valid JSON: unterminated string/],
    ['token_to_protocol.json', '{"MAP": {"USDT": {"id": "2810", "frequency": 3}}, "LP": {"X-LP": {"id": true}}}', /token_to_protocol\.json, LP\."X-LP"\.id: expected a protocol id string, got true/],
    ['token_to_protocol.json', '{"PRIMARY": {"USDC": 5}}', /token_to_protocol\.json, PRIMARY\."USDC": expected \{id: string, frequency: number\}, got 5/],
    ['token_to_protocol.json', '{"OTHER": ["USDC"]}', /token_to_protocol\.json, OTHER: expected an object of token -> \{id, frequency\}, got \["USDC"\]/],
  ];
  for (const [file, text, expected] of cases) {
    const dir = mkdtempSync(join(tmpdir(), 'dx-id-to-info-'));
    try {
      writeFileSync(join(dir, 'id_to_info.json'), info);
      writeFileSync(join(dir, 'rev_map.json'), '{"USDT": "2810"}');
      writeFileSync(join(dir, 'token_to_protocol.json'), '{}');
      writeFileSync(join(dir, file), text);
      const message = (f: () => unknown): string => {
        try {
          f();
        } catch (e) {
          assert.ok(e instanceof ReleaseFormatError, String(e));
          return e.message;
        }
        return assert.fail(`${file} ${text}: no error`);
      };
      const got = message(() => readIdToInfo(dir));
      assert.match(got, expected);
      assert.equal(got, message(() => readMappingFiles(dir)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // good files: the names and sectors, nothing of the token files needed
  const dir = mkdtempSync(join(tmpdir(), 'dx-id-to-info-'));
  try {
    writeFileSync(join(dir, 'id_to_info.json'), info);
    writeFileSync(join(dir, 'rev_map.json'), '{"USDT": "2810"}');
    assert.deepEqual([...readIdToInfo(dir)], [
      ['182', { name: 'Lido', category: 'Unknown' }],
      ['2269', { name: 'Binance CEX', category: 'CEX' }],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
