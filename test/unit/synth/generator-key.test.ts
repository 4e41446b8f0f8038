import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMappingDir, defaultSynthParams, GENERATOR_VERSION, generatorKey, synthesize } from '../../../src/core/synth';

const tmp = () => mkdtempSync(join(tmpdir(), 'dx-genkey-'));
const mapping = defaultMappingDir();

test('the generator version is pinned to the output it writes: a changed generator must bump GENERATOR_VERSION', async () => {
  // A tiny history's week and meta files, hashed. When this fails after a change to the
  // generator, bump GENERATOR_VERSION (so cached histories are regenerated) and record
  // the new digest beside it.
  const pinned: Record<string, string> = {
    'anchored-1': 'bef0e1adf13b7b7bab2f7c07fed6e151704a42c04b65e1810e78d97506807d8c',
  };
  const dir = tmp();
  await synthesize({ seed: 7, weeks: 3, protocols: 20 }, dir);
  const h = createHash('sha256');
  for (const f of readdirSync(dir).sort()) if (f !== 'synth.json' && f !== 'mapping') h.update(f).update(readFileSync(join(dir, f)));
  assert.equal(h.digest('hex'), pinned[GENERATOR_VERSION], `no digest recorded for generator version ${GENERATOR_VERSION}, or the output changed under it`);
});

test('synth.json records the key of the options it was written with; the key follows every option that changes the files', async () => {
  const dir = tmp();
  const opts = { seed: 3, weeks: 3, protocols: 20 };
  await synthesize(opts, dir);
  const rec = JSON.parse(readFileSync(join(dir, 'synth.json'), 'utf8'));
  assert.equal(rec.generatorVersion, GENERATOR_VERSION);
  assert.match(rec.generatorKey, /^[0-9a-f]{64}$/);
  assert.equal(rec.generatorKey, generatorKey(opts, mapping));
  assert.equal(generatorKey({ ...opts }, mapping), generatorKey(opts, mapping), 'same options, same key');
  const params = defaultSynthParams();
  params.flipRate = 0.01;
  const others = [
    { ...opts, seed: 4 },
    { ...opts, weeks: 4 },
    { ...opts, protocols: 21 },
    { ...opts, crises: false },
    { ...opts, params },
    { ...opts, scale: 'full' as const },
  ].map((o) => generatorKey(o, mapping));
  assert.equal(new Set([generatorKey(opts, mapping), ...others]).size, others.length + 1);
  // the defaults written out give the same files, so the same key
  assert.equal(generatorKey({ ...opts, params: defaultSynthParams(), crises: true }, mapping), generatorKey(opts, mapping));
});

test('the key follows the bytes of the mapping files', () => {
  const copy = tmp();
  cpSync(mapping, copy, { recursive: true });
  const opts = { seed: 1 };
  assert.equal(generatorKey(opts, copy), generatorKey(opts, mapping));
  const meta = join(copy, 'meta_df.csv');
  writeFileSync(meta, readFileSync(meta, 'utf8') + 'x-1,Extra protocol,Dexs\n');
  assert.notEqual(generatorKey(opts, copy), generatorKey(opts, mapping));
});
