import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnLabel, fieldLabel, kindFromName } from '../../../src/core/display/columns';
import { tableMarkdown } from '../../../src/core/display/markdown';
import { tablePayload } from '../../../src/core/display/table-view';

test('fieldLabel turns field names into headers; prose names stay', () => {
  const cases: [field: string, header: string | undefined][] = [
    ['tvl', 'TVL'],
    ['sis', 'SIS'],
    ['tailExposure', 'tail exposure'],
    ['pagerank', 'PageRank'],
    ['systemLossPct', 'system loss'],
    ['preTvlUsd', 'pre TVL'],
    ['mean nodes', undefined],
    ['ΔTVL %', undefined],
    ['name', undefined],
  ];
  for (const [field, header] of cases) assert.equal(fieldLabel(field), header, field);
  assert.equal(columnLabel({ name: 'tvl', label: 'TVL (USD)' }), 'TVL (USD)');
  assert.equal(columnLabel({ name: 'category' }), 'category');
});

test('kindFromName reads the unit a name states, and only that', () => {
  assert.equal(kindFromName('systemLossPct'), 'percent');
  assert.equal(kindFromName('node-id overlap %'), 'percent');
  assert.equal(kindFromName('share (%)'), 'percent');
  assert.equal(kindFromName('ΔMAE worst 20%'), undefined, 'a % inside the name is not a unit');
  assert.equal(kindFromName('tvl'), 'usd');
  assert.equal(kindFromName('totalLoss'), 'usd');
  assert.equal(kindFromName('pagerank'), undefined);
});

test('tables of result fields get labels, units and descriptions; CSV names stay the fields', () => {
  const p = tablePayload([
    { name: 'Aave', tvl: 12.3e9, sis: 0.4123, tailExposure: 0.25, systemLossPct: 19.7121 },
    { name: 'curve', tvl: 4e6, sis: 0.1, tailExposure: 0.5, systemLossPct: 3 },
  ]);
  assert.deepEqual(p.columns.map((c) => c.name), ['name', 'tvl', 'sis', 'tailExposure', 'systemLossPct']);
  assert.deepEqual(p.columns.map(columnLabel), ['name', 'TVL', 'SIS', 'tail exposure', 'system loss']);
  assert.deepEqual(p.columns.map((c) => c.kind), ['string', 'usd', 'number', 'number', 'percent']);
  assert.match(p.columns[2]!.description!, /systemic importance/);
  const md = tableMarkdown(p).split('\n');
  assert.equal(md[0], '| name | TVL | SIS | tail exposure | system loss |');
  assert.equal(md[2], '| Aave | $12.30B | 0.4123 | 0.2500 | 19.71% |', 'a percentage prints as the views print it');
  // An explicit kind or label wins over the name.
  const q = tablePayload([{ lossPct: 0.5 }], { columns: { lossPct: { kind: 'number', label: 'loss ratio' } } });
  assert.equal(q.columns[0]!.kind, 'number');
  assert.equal(q.columns[0]!.label, 'loss ratio');
});
