// Numeric ids follow the authors' rule (str() of what json.loads gives, data-spec §1.1),
// so `2269.0` stays "2269.0" and 20-digit ids stay distinct; lone surrogates are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseWeekBytes } from '../../../src/core/snapshot/week-parser';
import { ReleaseFormatError } from '../../../src/core/snapshot/errors';
import { pythonStrOfJsonNumber } from '../../../src/core/snapshot/python-id';

// Printed by Python 3.11: {l: str(json.loads(l)) for l in literals}
const PYTHON: Record<string, string> = {
  '2269': '2269',
  '2269.0': '2269.0',
  '-0': '0',
  '0': '0',
  '-0.0': '-0.0',
  '0.0': '0.0',
  '12345678901234567890': '12345678901234567890',
  '12345678901234567891': '12345678901234567891',
  '1e16': '1e+16',
  '1E16': '1e+16',
  '1.5e16': '1.5e+16',
  '9999999999999998.0': '9999999999999998.0',
  '1e15': '1000000000000000.0',
  '123456789012345.6': '123456789012345.6',
  '0.0001': '0.0001',
  '0.00001': '1e-05',
  '1e-5': '1e-05',
  '2.5E-7': '2.5e-07',
  '-3.25': '-3.25',
  '1e308': '1e+308',
  '5e-324': '5e-324',
  '100': '100',
  '1.0e2': '100.0',
  '0.1': '0.1',
  '1.7976931348623157e308': '1.7976931348623157e+308',
};

test('str() of JSON numbers: the Python reference table', () => {
  for (const [lit, want] of Object.entries(PYTHON)) assert.equal(pythonStrOfJsonNumber(lit), want, lit);
  assert.equal(pythonStrOfJsonNumber('1e999'), undefined);
});

const PY = '/usr/bin/python3';
test('str() of JSON numbers: random literals against the local Python', { skip: !existsSync(PY) && 'no /usr/bin/python3' }, () => {
  let x = 12345;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const lits: string[] = [];
  for (let k = 0; k < 400; k++) {
    const v = (rnd() - 0.3) * 10 ** Math.floor(rnd() * 40 - 12);
    lits.push(String(v), v.toExponential(Math.floor(rnd() * 16)), v.toFixed(Math.floor(rnd() * 6)), String(Math.floor(rnd() * 1e6)) + '0'.repeat(Math.floor(rnd() * 20)));
  }
  const r = spawnSync(PY, ['-c', 'import json,sys\nfor l in sys.stdin.read().split():\n    print(str(json.loads(l)))'], { input: lits.join('\n'), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const want = r.stdout.trim().split('\n');
  assert.equal(want.length, lits.length);
  lits.forEach((l, i) => assert.equal(pythonStrOfJsonNumber(l), want[i], l));
});

function week(nodes: string, links = '[]'): Buffer {
  return Buffer.from(`{"nodes": ${nodes}, "links": ${links}}`);
}

test('numeric ids in a week: kept distinct as Python would', () => {
  const d = parseWeekBytes(
    week('[{"id": 2269.0, "size": 1}, {"id": 2269, "size": 2}, {"id": 12345678901234567890, "size": 3}, {"id": 12345678901234567891, "size": 4}]', '[{"source": 12345678901234567891, "target": 2269.0, "size": 5}]'),
    'f.json',
    '2025-01-06',
  );
  assert.deepEqual(d.ids, ['2269.0', '2269', '12345678901234567890', '12345678901234567891']);
  assert.deepEqual([d.edgeSource[0], d.edgeTarget[0]], [3, 0]);
  assert.equal(d.repairs.numericIds, 6);
});

test('lone surrogates in an id are refused with file, week, record and offset', () => {
  const text = week('[{"id": "a\\ud800", "size": 1}, {"id": "a\\udbff", "size": 2}]');
  assert.throws(
    () => parseWeekBytes(text, 'f.json', '2025-01-06', 100),
    (e: unknown) => e instanceof ReleaseFormatError && /f\.json/.test(e.message) && /2025-01-06/.test(e.message) && /nodes\[0\]/.test(e.message) && /valid Unicode/.test(e.message) && /byte 118,/.test(e.message),
  );
  // byte 118: the opening quote of the id (11 + 7 bytes after offset 100); a proper pair is fine
  assert.deepEqual(parseWeekBytes(week('[{"id": "\\ud83d\\ude00", "size": 1}]'), 'f.json', 'w').ids, ['😀']);
});
