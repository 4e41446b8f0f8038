// Bad input gets a clean error naming the file and the field: truncated mapping JSON,
// values nested 10,000 deep (in mapping files and in week files), never a stack overflow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readMappingFiles } from '../../../src/core/exposure/mapping-files';
import { ReleaseFormatError } from '../../../src/core/snapshot/errors';
import { parseWeekBytes } from '../../../src/core/snapshot/week-parser';

const root = resolve(__dirname, '..', '..', '..');
const FIXTURE = join(root, 'test', 'fixtures', 'release');

function withMapping(edit: (dir: string) => void, check: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'dx-bad-mapping-'));
  try {
    cpSync(FIXTURE, dir, { recursive: true });
    edit(join(dir, 'mapping'));
    check(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isRelease = (re: RegExp) => (e: unknown) => e instanceof ReleaseFormatError && re.test(e.message);

test('truncated mapping JSON: file, line, byte and "truncated"', () => {
  withMapping(
    (m) => writeFileSync(join(m, 'id_to_info.json'), readFileSync(join(FIXTURE, 'mapping', 'id_to_info.json')).subarray(0, 100)),
    (dir) => assert.throws(() => readMappingFiles(join(dir, 'mapping')), isRelease(/id_to_info\.json, line \d+ \(byte 100\): expected valid JSON: .*truncated/)),
  );
});

test('a mapping field nested 10,000 deep: the file and the field, no stack overflow', () => {
  const deepArray = `${'['.repeat(10000)}${']'.repeat(10000)}`;
  const deepObject = `${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}`;
  withMapping(
    (m) => writeFileSync(join(m, 'id_to_info.json'), `{"2269": {"name": ${deepArray}, "category": "CEX"}}`),
    (dir) => assert.throws(() => readMappingFiles(join(dir, 'mapping')), isRelease(/id_to_info\.json, "2269"\.name: expected a string, got an array \(nested too deep to show\)/)),
  );
  withMapping(
    (m) => writeFileSync(join(m, 'token_to_protocol.json'), `{"MAP": {"USDT": {"id": ${deepObject}, "frequency": 1}}}`),
    (dir) => assert.throws(() => readMappingFiles(join(dir, 'mapping')), isRelease(/token_to_protocol\.json, MAP\."USDT"\.id: expected a protocol id string, got an object/)),
  );
});

test('a week field nested 10,000 deep: refused at 1000 levels with file, week and record', () => {
  const deep = `${'['.repeat(10000)}${']'.repeat(10000)}`;
  const text = Buffer.from(`{"nodes": [{"id": "a", "size": 1, "extra": ${deep}}], "links": []}`);
  assert.throws(() => parseWeekBytes(text, 'w.json', '2025-01-06'), isRelease(/^w\.json, byte \d+, week 2025-01-06, nodes\[0\]: expected values nested at most 1000 levels deep/));
  // 999 levels of an unknown field are fine
  const ok = Buffer.from(`{"nodes": [{"id": "a", "size": 1, "extra": ${'['.repeat(999)}${']'.repeat(999)}}], "links": []}`);
  assert.deepEqual(parseWeekBytes(ok, 'w.json', '2025-01-06').ids, ['a']);
});

test('the CLI prints such errors as one line, without a stack trace', () => {
  withMapping(
    (m) => writeFileSync(join(m, 'rev_map.json'), '{"USDT": "1'),
    (dir) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), 'inspect', dir], { cwd: root, encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /^dexposure: .*rev_map\.json, line 1 \(byte 11\): expected valid JSON: unterminated string \(is the file truncated\?\)\n$/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    },
  );
});
