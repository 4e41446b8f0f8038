// A model set whose link head takes pair features (pair_x): a tiny model trained for one
// epoch on a prior history by the Python trainer, with its PyTorch parity file
// (test/fixtures/model-pairs; `python3 -m dxtrain --data SHARD --horizons 1 --epochs 1
// --d 8 --layers 1 --link-hidden 16 --parity ...`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode, forecastDetailed, loadModelSet, ModelError, scoreAnchorPairs, scorePairs } from '../../../src/core/model';
import { pairWindow } from '../../../src/core/model/forecast';
import { modelForecasters } from '../../../src/core/eval/model-forecasters';
import { modelGraphForecaster } from '../../../src/core/api/forecasting';
import { NUM_PAIR_FEATURES, pairFeatureSchemaHash } from '../../../src/core/features/pair-features';
import { FIXTURE_MODELS, previousOf, randomSnapshot } from './graph-fixture';
import type { Snapshot } from '../../../src/core/snapshot/types';

const PAIR_MODELS = new URL('../../fixtures/model-pairs/', import.meta.url).pathname;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function copyOf(dir: string): string {
  const d = mkdtempSync(join(tmpdir(), 'dexposure-pair-model-'));
  cpSync(dir, d, { recursive: true });
  return d;
}

test('the link graph gets pair_x: ORT reproduces the PyTorch outputs within 1e-4, in any chunking', async () => {
  const p = JSON.parse(readFileSync(join(PAIR_MODELS, 'parity-h1.json'), 'utf8'));
  const I = p.inputs;
  const set = await loadModelSet(PAIR_MODELS, 1);
  assert.equal(set.cards.link.pairFeatures?.hash, pairFeatureSchemaHash());
  assert.equal(I.K, NUM_PAIR_FEATURES);
  const g = { numNodes: I.N, features: Float32Array.from(I.x), edgeIndex: BigInt64Array.from(I.edge_index, (v: number) => BigInt(v)), edgeLw: Float32Array.from(I.edge_lw) };
  const enc = await encode(set, g);
  const r = await scorePairs(set, enc, Int32Array.from(I.pairs), Float32Array.from(I.base_lw), 7, Float32Array.from(I.pair_x));
  assert.ok(maxAbsDiff(r.logit, p.outputs.logit) < 1e-4);
  assert.ok(maxAbsDiff(r.predLw, p.outputs.pred_lw) < 1e-4);
  await assert.rejects(scorePairs(set, enc, Int32Array.from(I.pairs), Float32Array.from(I.base_lw)), /takes pair features \(pair_x\) and none were given/);
  await assert.rejects(scorePairs(set, enc, Int32Array.from(I.pairs), Float32Array.from(I.base_lw), 8192, new Float32Array(3)), /pair_x holds 3 values, expected 120 pairs x 25 features/);
});

test('a link card whose pair-feature hash differs is refused, naming both schemas', async () => {
  const dir = copyOf(PAIR_MODELS);
  try {
    const f = join(dir, 'h1', 'link.card.json');
    const card = JSON.parse(readFileSync(f, 'utf8'));
    card.pairFeatures.hash = 'ab'.repeat(32);
    card.pairFeatures.memoryWeeks = 4;
    writeFileSync(f, JSON.stringify(card));
    await assert.rejects(loadModelSet(dir, 1), (e: Error) => e instanceof ModelError && e.message.includes(f) && /pair feature schema mismatch.*over 4 weeks, hash abababababab.*over 8 weeks/.test(e.message));
    delete card.pairFeatures;
    writeFileSync(f, JSON.stringify(card));
    await assert.rejects(loadModelSet(dir, 1), /takes pair_x but its card has no "pairFeatures"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Eight weeks of one slowly changing graph. */
function weeks(): Snapshot[] {
  const base = randomSnapshot(60, 240, 5, '2024-03-04');
  const out: Snapshot[] = [];
  for (let k = 7; k >= 0; k--) {
    const week = new Date(Date.parse('2024-03-04T00:00:00Z') - 7 * 86400000 * k).toISOString().slice(0, 10);
    // drop a different tenth of the edges each earlier week
    const keep = Array.from(base.edgeSource, (_, e) => (e + k) % 10 !== 0 || k === 0);
    const idx = keep.flatMap((x, e) => (x ? [e] : []));
    out.push({ ...base, week, edgeSource: Int32Array.from(idx, (e) => base.edgeSource[e]), edgeTarget: Int32Array.from(idx, (e) => base.edgeTarget[e]), edgeWeight: Float64Array.from(idx, (e) => base.edgeWeight[e]) });
  }
  return out;
}

test('forecast and evaluation feed the pair features from the weeks before the anchor', async () => {
  const ws = weeks();
  const anchor = ws[7];
  const prev = ws[6];
  const window = pairWindow(anchor, prev, ws, 8);
  assert.deepEqual(window.map((s) => s.week), ws.map((s) => s.week));
  assert.deepEqual(pairWindow(anchor, prev, undefined, 8).map((s) => s.week), [prev.week, anchor.week]);
  const pairs = new Int32Array(2 * 50);
  for (let i = 0; i < 50; i++) {
    pairs[i] = anchor.edgeSource[i];
    pairs[50 + i] = anchor.edgeTarget[i];
  }
  const short = await scoreAnchorPairs(anchor, prev, pairs, { horizon: 1, modelsDir: PAIR_MODELS });
  const full = await scoreAnchorPairs(anchor, prev, pairs, { horizon: 1, modelsDir: PAIR_MODELS, history: ws });
  assert.ok(maxAbsDiff(short.score, full.score) > 1e-4, 'the edge memory changes the scores');
  assert.ok(full.score.every((p) => p >= 0 && p <= 1));
  // the evaluation's forecaster keeps the weeks it observes and scores with them
  const [f] = await modelForecasters(1, PAIR_MODELS);
  for (const s of ws) f.observe!(s);
  const viaEval = (await f.score(anchor, prev, pairs, 1)) as { score: Float64Array };
  assert.ok(maxAbsDiff(viaEval.score, full.score) < 1e-6);
  const r = await forecastDetailed(anchor, prev, { horizon: 1, modelsDir: PAIR_MODELS, history: ws });
  assert.ok(r.snapshot.edgeSource.length > 0);
  assert.ok(r.candidateProbability.every((p) => p >= 0 && p <= 1));
});

test('the graph forecaster of Figure 4 and Figure 5 reads the edge memory from its source', async () => {
  const ws = weeks();
  const source = { weeks: ws.map((s) => s.week), snapshot: async (w: string) => ws.find((s) => s.week === w)! };
  const anchor = ws[7];
  const prev = ws[6];
  const withSource = await modelGraphForecaster(PAIR_MODELS, source)(anchor, prev, 1);
  const full = await forecastDetailed(anchor, prev, { horizon: 1, modelsDir: PAIR_MODELS, history: ws.slice(0, 7) });
  const bare = await forecastDetailed(anchor, prev, { horizon: 1, modelsDir: PAIR_MODELS });
  assert.deepEqual(withSource.edgeSource, full.snapshot.edgeSource);
  assert.deepEqual(withSource.edgeWeight, full.snapshot.edgeWeight);
  assert.notDeepEqual(bare.snapshot.edgeWeight, full.snapshot.edgeWeight, 'the edge memory changes the forecast');
  // without a source it has the previous week only, as before
  assert.deepEqual((await modelGraphForecaster(PAIR_MODELS)(anchor, prev, 1)).edgeWeight, bare.snapshot.edgeWeight);
});

test('a model set without pair features runs exactly as before, with or without history', async () => {
  const s = randomSnapshot(60, 240, 5, '2024-03-04');
  const prev = previousOf(s);
  const a = await forecastDetailed(s, prev, { horizon: 1, modelsDir: FIXTURE_MODELS });
  const b = await forecastDetailed(s, prev, { horizon: 1, modelsDir: FIXTURE_MODELS, history: weeks() });
  assert.deepEqual(a.candidateProbability, b.candidateProbability);
  assert.deepEqual(a.snapshot.edgeSource, b.snapshot.edgeSource);
});
