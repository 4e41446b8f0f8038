import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededHistories } from '../../../src/core/eval/histories';
import { defaultMappingDir, generatorKey } from '../../../src/core/synth';

const WEEK = 'historical-network_week_2020-03-23.json';

/** A cached folder as an older generator (or other options) left it. */
function staleFolder(dir: string, seed: number, synthJson: object | undefined): string {
  const folder = join(dir, `synth-small-seed${seed}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, WEEK), '{"stale": true}');
  if (synthJson) writeFileSync(join(folder, 'synth.json'), JSON.stringify(synthJson));
  return folder;
}

test('a cached history made under another generator key, or with none, is generated again; one with the current key is reused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dx-histories-'));
  const key = generatorKey({ seed: 1, scale: 'small' }, defaultMappingDir());
  const other = staleFolder(dir, 1, { generator: 'dexposure synth', generatorKey: 'f'.repeat(64), seed: 1 });
  const keyless = staleFolder(dir, 2, { generator: 'dexposure synth', seed: 2 });
  const generated: [number, string][] = [];
  const reused: number[] = [];
  const first = await seededHistories([1, 2], {
    dir,
    onGenerate: (s, _f, why) => generated.push([s, why]),
    onReuse: (s) => reused.push(s),
  });
  assert.deepEqual(first.map((h) => [h.seed, h.folder, h.reused]), [[1, other, false], [2, keyless, false]]);
  assert.equal(reused.length, 0);
  assert.match(generated[0][1], /another generator or other options/);
  assert.match(generated[1][1], /no generator key/);
  for (const f of [other, keyless]) {
    assert.notEqual(readFileSync(join(f, WEEK), 'utf8'), '{"stale": true}', `${f} still holds the stale week`);
    assert.ok(readdirSync(dir).every((n) => !n.includes('.tmp-') && !n.includes('.old-')), 'no temporary folder left');
  }
  assert.equal(first[0].key, key);
  assert.equal(JSON.parse(readFileSync(join(other, 'synth.json'), 'utf8')).generatorKey, key);

  // the same call again reuses both, untouched
  const before = readFileSync(join(other, WEEK));
  generated.length = 0;
  const second = await seededHistories([1, 2], { dir, onGenerate: (s, _f, why) => generated.push([s, why]), onReuse: (s) => reused.push(s) });
  assert.deepEqual(second.map((h) => h.reused), [true, true]);
  assert.equal(generated.length, 0);
  assert.deepEqual(reused, [1, 2]);
  assert.ok(readFileSync(join(other, WEEK)).equals(before));
});
