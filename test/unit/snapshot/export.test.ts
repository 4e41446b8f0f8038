import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { exportSnapshot } from '../../../src/core/snapshot/export';
import { parseCsv } from '../../../src/core/snapshot/csv';
import { snapshotFromRecords } from '../../../src/core/snapshot/records';

const S1 = snapshotFromRecords({
  week: '2025-01-06',
  protocols: [
    { id: '1599', name: 'AAVE V3, "the" lender', category: 'Lending', tvl: 0.1 + 0.2 },
    { id: '182', name: 'Lido\nLiquid', category: 'Liquid Staking', tvl: 24000000000.123455 },
    { id: 'ETH', name: 'ETH', category: 'Unknown', tvl: 0 },
  ],
  exposures: [
    { source: '1599', target: '182', weight: 1 / 3 },
    { source: '182', target: 'ETH', weight: 1.7976931348623157e308 },
  ],
});
const S2 = snapshotFromRecords({ week: '2025-01-13', protocols: [{ id: '182', name: 'Lido', category: 'Liquid Staking', tvl: 5e-324 }], exposures: [{ source: '182', target: '182', weight: 2 }] });

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'dx-export-'));
}

test('CSV export re-parses to the same strings and bit-identical numbers', async () => {
  const out = tmp();
  try {
    const r = await exportSnapshot(S1, out, 'csv');
    assert.equal(r.nodes, 3);
    const nodes = parseCsv(readFileSync(join(out, 'nodes.csv'), 'utf8')).map((x) => x.fields);
    assert.deepEqual(nodes[0], ['id', 'name', 'category', 'tvl']);
    assert.deepEqual(nodes.slice(1).map((f) => f[1]), S1.names);
    assert.deepEqual(nodes.slice(1).map((f) => Number(f[3])), Array.from(S1.tvl));
    const edges = parseCsv(readFileSync(join(out, 'edges.csv'), 'utf8')).map((x) => x.fields);
    assert.deepEqual(edges, [['source', 'target', 'weight'], ['1599', '182', String(1 / 3)], ['182', 'ETH', '1.7976931348623157e+308']]);
    assert.equal(Number(edges[1][2]), 1 / 3);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('a range of weeks adds a week column (CSV and Arrow)', async () => {
  const out = tmp();
  try {
    await exportSnapshot([S1, S2], out, 'csv');
    const edges = parseCsv(readFileSync(join(out, 'edges.csv'), 'utf8')).map((x) => x.fields);
    assert.deepEqual(edges[0], ['week', 'source', 'target', 'weight']);
    assert.deepEqual(edges[3], ['2025-01-13', '182', '182', '2']);
    await exportSnapshot([S1, S2], out, 'arrow');
    const nt = tableFromIPC(readFileSync(join(out, 'nodes.arrow')));
    assert.deepEqual(nt.schema.fields.map((f) => f.name), ['week', 'id', 'name', 'category', 'tvl']);
    assert.deepEqual(nt.getChild('week')?.toArray(), ['2025-01-06', '2025-01-06', '2025-01-06', '2025-01-13']);
    assert.deepEqual(Array.from(nt.getChild('tvl')?.toArray() as Float64Array), [...Array.from(S1.tvl), 5e-324]);
    assert.equal(nt.getChild('name')?.get(0), 'AAVE V3, "the" lender');
    const et = tableFromIPC(readFileSync(join(out, 'edges.arrow')));
    assert.deepEqual(et.getChild('source')?.toArray(), ['1599', '182', '182']);
    assert.deepEqual(Array.from(et.getChild('weight')?.toArray() as Float64Array), [1 / 3, 1.7976931348623157e308, 2]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

const PY = '/usr/bin/python3';
const hasPandas = existsSync(PY) && (() => {
  try {
    execFileSync(PY, ['-c', 'import pandas'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

test('pandas reads the CSV export with the same values', { skip: hasPandas ? false : 'python3-pandas not installed' }, async () => {
  const out = tmp();
  try {
    await exportSnapshot(S1, out, 'csv');
    const script = `
import pandas as pd, json, sys
n = pd.read_csv(sys.argv[1] + '/nodes.csv', dtype={'id': str}, float_precision='round_trip')
e = pd.read_csv(sys.argv[1] + '/edges.csv', dtype={'source': str, 'target': str}, float_precision='round_trip')
print(json.dumps({'ids': list(n['id']), 'names': list(n['name']), 'tvl': [repr(x) for x in n['tvl']], 'w': [repr(x) for x in e['weight']]}))`;
    const got = JSON.parse(execFileSync(PY, ['-c', script, out], { encoding: 'utf8' })) as { ids: string[]; names: string[]; tvl: string[]; w: string[] };
    assert.deepEqual(got.ids, S1.ids);
    assert.deepEqual(got.names, S1.names);
    assert.deepEqual(got.tvl.map(Number), Array.from(S1.tvl));
    assert.deepEqual(got.w.map(Number), Array.from(S1.edgeWeight));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
