import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPretrainCorpus, parseSeedList, readManifest } from '../../../src/core/trainingset/pretrain-corpus';
import { drawPrior } from '../../../src/core/synth/prior';
import { pretrainDataCommand } from '../../../src/cli/commands/pretrain-data';

const tmp = () => mkdtempSync(join(tmpdir(), 'dx-corpus-'));
// the smallest in-regime draw among the first seeds (quick to generate)
const BY_SIZE = Array.from({ length: 200 }, (_, s) => s).sort((a, b) => drawPrior(a).protocols * drawPrior(a).weeks - drawPrior(b).protocols * drawPrior(b).weeks);
const [SMALL, NEXT] = BY_SIZE;
const OPTS = { horizons: [1], maxPositives: 20, anchorStride: 16 };

test('a shard per seed: a v2 training set with its draw, listed in the manifest; the raw history is gone', async () => {
  const out = tmp();
  const m = await buildPretrainCorpus(out, { seeds: [SMALL], ...OPTS });
  assert.equal(m.shards.length, 1);
  const s = m.shards[0];
  const d = drawPrior(SMALL);
  assert.equal(s.seed, SMALL);
  assert.equal(s.dir, `shard-${SMALL}`);
  assert.equal(s.weeks, d.weeks);
  assert.deepEqual(s.drawn, d.drawn);
  assert.deepEqual(readManifest(join(out, 'manifest.json')), m);
  const index = JSON.parse(readFileSync(join(out, s.dir, 'index.json'), 'utf8'));
  assert.equal(index.version, 2);
  assert.equal(index.anchorStride, 16);
  assert.equal(index.maxPositives, 20);
  assert.equal(index.weeks.length, d.weeks);
  // anchors every 16th week only, at most 20 positives each
  const anchors = index.pairs.map((p: { anchor: string }) => index.weeks.findIndex((w: { week: string }) => w.week === p.anchor));
  assert.ok(anchors.length > 0 && anchors.every((i: number) => i % 16 === 0), `anchor indices ${anchors}`);
  assert.ok(index.pairs.every((p: { numPositives: number }) => p.numPositives <= 20));
  assert.equal(s.numPairs, index.pairs.reduce((t: number, p: { numPairs: number }) => t + p.numPairs, 0));
  assert.equal(JSON.parse(readFileSync(join(out, s.dir, 'synth.json'), 'utf8')).prior.drawn.flipRate, d.drawn.flipRate);
  assert.deepEqual(readdirSync(out).sort(), ['manifest.json', `shard-${SMALL}`]);

  // resumable: a second run keeps the finished shard (no rebuild) and redoes a killed one
  const before = statSync(join(out, s.dir, 'index.json')).mtimeMs;
  // leftovers of a build killed during seed NEXT: half a raw history and a shard not in the manifest
  mkdirSync(join(out, `.raw-${NEXT}`));
  writeFileSync(join(out, `.raw-${NEXT}`, 'half.json'), '{');
  mkdirSync(join(out, `shard-${NEXT}`));
  writeFileSync(join(out, `shard-${NEXT}`, 'stale'), 'x');
  const events: string[] = [];
  const m2 = await buildPretrainCorpus(out, { seeds: [SMALL, NEXT], ...OPTS, onShard: (e) => events.push(`${e.seed}:${e.status}`) });
  assert.deepEqual(events, [`${SMALL}:present`, `${NEXT}:built`]);
  assert.equal(statSync(join(out, s.dir, 'index.json')).mtimeMs, before);
  assert.deepEqual(m2.shards.map((x) => x.seed), [SMALL, NEXT].sort((a, b) => a - b));
  assert.ok(!existsSync(join(out, `shard-${NEXT}`, 'stale')));
  assert.ok(existsSync(join(out, `shard-${NEXT}`, 'index.json')));
  assert.deepEqual(readdirSync(out).sort(), ['manifest.json', `shard-${SMALL}`, `shard-${NEXT}`].sort());
  // other options on the same folder are refused rather than mixed
  await assert.rejects(buildPretrainCorpus(out, { seeds: [SMALL], horizons: [1, 4] }), /built with other options/);
});

test('evaluation seeds are refused; oversized draws skipped; seed lists parsed', async () => {
  await assert.rejects(buildPretrainCorpus(tmp(), { seeds: [1, 9000] }), /seed 9000 is reserved for evaluation/);
  const out = tmp();
  const big = Array.from({ length: 50 }, (_, s) => s).find((s) => drawPrior(s).protocols > 5000)!;
  const events: string[] = [];
  const m = await buildPretrainCorpus(out, { seeds: [big], maxProtocols: 5000, onShard: (e) => events.push(e.status) });
  assert.deepEqual(events, ['skipped']);
  assert.equal(m.shards.length, 0);
  assert.ok(!existsSync(join(out, `shard-${big}`)));
  assert.deepEqual(parseSeedList('3,5-7,5'), [3, 5, 6, 7]);
  assert.throws(() => parseSeedList('7-3'), /runs backwards/);
  assert.throws(() => parseSeedList('a'), /expected seeds/);
  await assert.rejects(pretrainDataCommand.run(['--seeds', '8999-9001', '--out', tmp()]), /seed 9000 is reserved/);
  await assert.rejects(pretrainDataCommand.run(['--out', tmp()]), /--seeds and --out are required/);
});
