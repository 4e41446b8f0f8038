import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHoldingsJson, readHoldingsCsv, splitCsvLine } from '../../../src/core/exposure/holdings-file';
import { buildCommand } from '../../../src/cli/commands/build';
import { formatUsd, linkJson, nodeJson } from '../../../src/core/exposure/release-writer';
import { guessDefiLlamaCategory } from '../../../src/core/exposure/defillama-category';

const tmp = () => mkdtempSync(join(tmpdir(), 'dx-build-'));

test('CSV fields split with RFC 4180 quoting', () => {
  assert.deepEqual(splitCsvLine('a,"b,c",,"say ""hi"""'), ['a', 'b,c', '', 'say "hi"']);
  assert.deepEqual(splitCsvLine('x,'), ['x', '']);
});

test('holdings CSV: header in any order, repeated rows summed, errors name file and line', async () => {
  const d = tmp();
  const f = join(d, 'h.csv');
  writeFileSync(f, 'token,usd,week,protocol\nETH,10,2024-01-08,182\nETH,5,2024-01-08,182\n"A,B",1.5,2024-01-01,7\n');
  const h = await readHoldingsCsv(f);
  assert.deepEqual([...h.keys()], ['2024-01-01', '2024-01-08']);
  assert.equal(h.get('2024-01-08')!.get('182')!.get('ETH'), 15);
  assert.equal(h.get('2024-01-01')!.get('7')!.get('A,B'), 1.5);
  writeFileSync(f, 'week,protocol,token,usd\n2024-01-08,182,ETH,-3\n');
  await assert.rejects(readHoldingsCsv(f), /exposure\/holdings: .*h\.csv: line 2: usd: expected a finite number >= 0, got "-3"/);
  writeFileSync(f, 'week,protocol,usd\n');
  await assert.rejects(readHoldingsCsv(f), /missing column "token"/);
  assert.throws(() => parseHoldingsJson('{"2024-13-45": {}}', 'x.json'), /x\.json/);
  const nested = parseHoldingsJson('{"2024-01-01": {"1": {"ETH": 2}}}');
  assert.equal(nested.get('2024-01-01')!.get('1')!.get('ETH'), 2);
});

test('release records: fixed key order, cents, -0 printed as 0', () => {
  assert.equal(formatUsd(1.005), '1');
  assert.equal(formatUsd(12.345678), '12.35');
  assert.equal(formatUsd(-0.001), '0');
  assert.equal(nodeJson({ id: null, size: 3, composition: { 'a"b': 1 } }), '{"id":null,"size":3,"composition":{"a\\"b":1}}');
  assert.equal(linkJson({ source: '1', target: null, size: 2.5, composition: {} }), '{"source":"1","target":null,"size":2.5,"composition":{}}');
  assert.throws(() => formatUsd(NaN), /non-finite/);
});

test('DefiLlama categories guessed from name and sector', () => {
  assert.equal(guessDefiLlamaCategory('Lido', 'Asset Management'), 'Liquid Staking');
  assert.equal(guessDefiLlamaCategory('Arbitrum Bridge', 'Infrastructure, Services & Financial Products'), 'Bridge');
  assert.equal(guessDefiLlamaCategory('Binance CEX', 'Trading & Exchanges'), 'CEX');
  assert.equal(guessDefiLlamaCategory('AAVE V3', 'Lending, Borrowing & Real World Assets'), 'Lending');
  assert.equal(guessDefiLlamaCategory('Uniswap V3', 'Trading & Exchanges'), 'Dexes');
  assert.equal(guessDefiLlamaCategory('Zorafi Swap', 'Unknown'), 'Dexes');
  assert.equal(guessDefiLlamaCategory('Something', 'Asset Management'), 'Yield');
  assert.equal(guessDefiLlamaCategory('EigenLayer', 'Lending, Borrowing & Real World Assets'), 'Restaking');
});

test('dexposure build writes a release from holdings (Lido -> wstETH -> Pendle)', async () => {
  const d = tmp();
  const mapDir = join(d, 'map');
  const out = join(d, 'out');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(mapDir);
  writeFileSync(join(mapDir, 'id_to_info.json'), JSON.stringify({ '182': { name: 'Lido', category: 'Asset Management' }, '382': { name: 'Pendle', category: 'Asset Management' } }));
  writeFileSync(join(mapDir, 'rev_map.json'), JSON.stringify({ LDO: '182', PENDLE: '382' }));
  const csv = join(d, 'holdings.csv');
  writeFileSync(
    csv,
    [
      'week,protocol,token,usd',
      '2024-01-01,182,ETH,1000',
      '2024-01-01,182,STETH,300',
      '2024-01-01,382,WSTETH,200',
      '2024-01-08,182,ETH,1100',
      '2024-01-08,182,STETH,250',
      '2024-01-08,382,WSTETH,260',
      '',
    ].join('\n'),
  );
  const log = console.log;
  const lines: string[] = [];
  console.log = (s: string) => lines.push(s);
  try {
    assert.equal(await buildCommand.run([csv, '--mapping', mapDir, '--out', out, '--json']), 0);
  } finally {
    console.log = log;
  }
  const summary = JSON.parse(lines.join('\n'));
  assert.equal(summary.weeks, 1);
  const file = JSON.parse(readFileSync(join(out, 'historical-network_week_2024-01-01.json'), 'utf8'));
  assert.deepEqual(Object.keys(file.data), ['2024-01-01']);
  const wk = file.data['2024-01-01'];
  assert.deepEqual(wk.nodes, [
    { id: '182', size: 1350, composition: { ETH: 1100, STETH: 250 } },
    { id: '382', size: 260, composition: { WSTETH: 260 } },
    { id: 'ETH', size: 0, composition: {} },
  ]);
  assert.deepEqual(wk.links, [
    { source: 'ETH', target: '182', size: 100, composition: { ETH: 100 } },
    { source: '182', target: '182', size: 50, composition: { STETH: 50 } },
    { source: '182', target: '382', size: 60, composition: { WSTETH: 60 } },
  ]);
  assert.equal(readFileSync(join(out, 'meta_df.csv'), 'utf8'), 'id,name,category\n182,Lido,Liquid Staking\n382,Pendle,Yield\n');
  assert.ok(existsSync(join(out, 'mapping', 'rev_map.json')));
  await assert.rejects(buildCommand.run([csv, '--out', out]), /--mapping and --out are required/);
});
