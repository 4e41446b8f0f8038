/**
 * `dexposure finetune` end to end on a small synthetic release: export, fine-tune from
 * pretrained weights (made here by the pretrainer on exports of two other histories),
 * a model set with pair features and its provenance, and a second run that resumes
 * instead of redoing the work.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { ROOT, runCli } from './cli-process';

const python = process.env.DEXPOSURE_PYTHON || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const hasTorch = spawnSync(python, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status === 0;

test('finetune: a model set from pretrained weights on a small release, resumed on a second run', { timeout: 900_000, skip: hasTorch ? false : `PyTorch is not importable by ${python}` }, async () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'dexposure-finetune-'));
  try {
    const rel = (seed: number) => path.join(tmp, `rel-${seed}`);
    for (const seed of [3, 4, 9]) {
      const s = await runCli(['synth', '--seed', String(seed), '--weeks', '34', '--protocols', '60', '--out', rel(seed)]);
      assert.equal(s.code, 0, s.stderr);
    }
    // A corpus of two prior histories: shard-4 trains, shard-9 is held out for calibration.
    const corpus = path.join(tmp, 'corpus');
    for (const seed of [4, 9]) {
      const e = await runCli(['export-training-set', rel(seed), '--out', path.join(corpus, `shard-${seed}`), '--horizons', '1']);
      assert.equal(e.code, 0, e.stderr);
    }
    writeFileSync(path.join(corpus, 'manifest.json'), JSON.stringify({ format: 'dexposure-pretrain-manifest', version: 1, shards: [{ seed: 4, dir: 'shard-4' }, { seed: 9, dir: 'shard-9' }] }));
    const pre = path.join(tmp, 'pre');
    const env = { ...process.env, PYTHONPATH: path.join(ROOT, 'training') };
    const p = spawnSync(python, ['-m', 'dxtrain.pretrain', '--corpus', corpus, '--out', pre, '--horizons', '1', '--steps', '12', '--checkpoint-every', '6', '--d', '16', '--link-hidden', '16'], { env, encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);

    const out = path.join(tmp, 'mine');
    const args = ['finetune', rel(3), '--out', out, '--pretrained', path.join(pre, 'pretrained.pt'), '--horizons', '1', '--epochs', '2'];
    const f = await runCli(args);
    assert.equal(f.code, 0, f.stderr);
    assert.match(f.stderr, /exporting the training set/);
    assert.match(f.stderr, /h=1 epoch 1: loss/, 'the trainer reports its progress');
    const card = JSON.parse(readFileSync(path.join(out, 'h1', 'link.card.json'), 'utf8'));
    const index = JSON.parse(readFileSync(path.join(out, 'training-set', 'index.json'), 'utf8'));
    assert.deepEqual(card.pairFeatures, index.pairFeatures, 'the card carries the pair-feature schema with its hash');
    assert.ok(card.inputs.includes('pair_x'));
    assert.equal(card.pretrainedFrom.steps, 12);
    assert.equal(card.trainingData.fingerprint, index.source.fingerprint);
    assert.match(card.calibration.fittedOn, /validation/);
    assert.match(f.stdout, /h1: .*test AUPRC/);

    // Again: the export is reused and the finished horizon skipped.
    const g = await runCli(args);
    assert.equal(g.code, 0, g.stderr);
    assert.match(g.stderr, /reusing the training set/);
    assert.match(g.stderr, /h=1: .* already holds this run's model set; skipped/);
    assert.doesNotMatch(g.stderr, /epoch 1: loss/);
    assert.equal(JSON.parse(readFileSync(path.join(out, 'h1', 'link.card.json'), 'utf8')).sha256, card.sha256);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
