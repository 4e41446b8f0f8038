import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { encode, loadModelSet, ModelError, predictNodeChange, scorePairs, parseModelCard } from '../../../src/core/model';
import { intraOpThreads } from '../../../src/core/model/model-set';
import { FIXTURE_MODELS } from './graph-fixture';

function copyFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dexposure-model-'));
  cpSync(FIXTURE_MODELS, dir, { recursive: true });
  return dir;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('ORT through loadModelSet reproduces the PyTorch outputs of the fixture model within 1e-4', async () => {
  const p = JSON.parse(readFileSync(join(FIXTURE_MODELS, 'parity-h1.json'), 'utf8'));
  const I = p.inputs;
  const set = await loadModelSet(FIXTURE_MODELS, 1);
  const g = {
    numNodes: I.N,
    features: Float32Array.from(I.x),
    edgeIndex: BigInt64Array.from(I.edge_index, (v: number) => BigInt(v)),
    edgeLw: Float32Array.from(I.edge_lw),
  };
  const enc = await encode(set, g);
  assert.ok(maxAbsDiff(enc.h.data as Float32Array, p.outputs.h) < 1e-4);
  assert.ok(maxAbsDiff(enc.linkSrc.data as Float32Array, p.outputs.link_src) < 1e-4);
  // Chunks of 7 pairs: chunking must not change any score.
  const r = await scorePairs(set, enc, Int32Array.from(I.pairs), Float32Array.from(I.base_lw), 7);
  assert.ok(maxAbsDiff(r.logit, p.outputs.logit) < 1e-4);
  assert.ok(maxAbsDiff(r.predLw, p.outputs.pred_lw) < 1e-4);
  const node = await predictNodeChange(set, enc, g);
  assert.ok(maxAbsDiff(node, p.outputs.node_dlog) < 1e-4);
  assert.equal(set.name, 'dexposure-fm-small@h1');
  assert.deepEqual(set.sessions.link.outputNames, ['logit', 'pred_lw']);
});

test('a corrupt ONNX file is refused with its path and the sha256 mismatch', async () => {
  const dir = copyFixture();
  try {
    const f = join(dir, 'h1', 'link.onnx');
    const bytes = readFileSync(f);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(f, bytes);
    await assert.rejects(loadModelSet(dir, 1), (e: Error) => e instanceof ModelError && e.message.includes(f) && /corrupt or replaced: sha256/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file ORT cannot parse (card updated to match) is refused as unloadable, not run', async () => {
  const dir = copyFixture();
  try {
    const f = join(dir, 'h1', 'node.onnx');
    const junk = Buffer.from('not an onnx model at all');
    writeFileSync(f, junk);
    const cardPath = join(dir, 'h1', 'node.card.json');
    const card = JSON.parse(readFileSync(cardPath, 'utf8'));
    card.sha256 = createHash('sha256').update(junk).digest('hex');
    writeFileSync(cardPath, JSON.stringify(card));
    await assert.rejects(loadModelSet(dir, 1), /node\.onnx: onnxruntime cannot load it/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('missing model file, missing horizon and feature-schema mismatch each name the problem', async () => {
  const dir = copyFixture();
  try {
    await assert.rejects(loadModelSet(dir, 4), /no model set for horizon 4/);
    const cardPath = join(dir, 'h1', 'encoder.card.json');
    const card = JSON.parse(readFileSync(cardPath, 'utf8'));
    writeFileSync(cardPath, JSON.stringify({ ...card, featureSchema: { ...card.featureSchema, hash: '0'.repeat(64) } }));
    await assert.rejects(loadModelSet(dir, 1), (e: Error) => e.message.includes(cardPath) && /feature schema mismatch/.test(e.message));
    writeFileSync(cardPath, JSON.stringify(card));
    unlinkSync(join(dir, 'h1', 'encoder.onnx'));
    await assert.rejects(loadModelSet(dir, 1), /encoder\.onnx: model file missing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('card parsing refuses newer versions and malformed fields', () => {
  const good = readFileSync(join(FIXTURE_MODELS, 'h1', 'encoder.card.json'), 'utf8');
  assert.equal(parseModelCard(good, 'x.json').role, 'encoder');
  const card = JSON.parse(good);
  assert.throws(() => parseModelCard(JSON.stringify({ ...card, version: 2 }), 'x.json'), /x\.json: card version 2 is newer/);
  assert.throws(() => parseModelCard(JSON.stringify({ ...card, sha256: 'abc' }), 'x.json'), /sha256/);
  assert.throws(() => parseModelCard('{', 'x.json'), /x\.json: not valid JSON/);
});

test('graphs with a ScatterND (the neighbour sums) run on one intra-op thread, others on the threads asked for', () => {
  // onnxruntime's CPU ScatterND adds its updates on several threads without locks: two
  // edges into one node would race (training/dxtrain/onnx_scatter.py).
  const graph = (role: string) => readFileSync(join(FIXTURE_MODELS, 'h1', `${role}.onnx`));
  assert.equal(intraOpThreads(graph('encoder'), 2), 1);
  assert.equal(intraOpThreads(graph('node'), undefined), 1);
  assert.equal(intraOpThreads(graph('link'), 2), 2);
  assert.equal(intraOpThreads(graph('link'), undefined), undefined);
  assert.equal(intraOpThreads(new TextEncoder().encode('..op_type..ScatterElements..'), 2), 2);
});
