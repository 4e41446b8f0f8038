/**
 * The models shipped in models/: every horizon the product offers loads through the
 * same checks as in the kernel (files present, sha256 equal to the card's, the feature
 * schema of this build), the cards say what they were trained on, and a forecast of a
 * sample week is a well-formed graph. A model committed half-written, or left behind
 * by a change of the feature vector, fails here rather than in a user's notebook.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { featureSchemaHash } from '../../../src/core/features';
import { forecast, loadModelSet } from '../../../src/core/model';
import { openRelease } from '../../../src/core/snapshot/release';

const MODELS = resolve('models');

for (const h of [1, 4, 8, 12]) {
  test(`models/h${h}: loads, is for horizon ${h} and this feature schema, and records its training data`, async () => {
    const set = await loadModelSet(MODELS, h);
    assert.equal(set.horizon, h);
    for (const role of ['encoder', 'link', 'node'] as const) {
      const card = set.cards[role];
      assert.equal(card.horizon, h);
      assert.equal(card.featureSchema.hash, featureSchemaHash());
      assert.equal(card.trainingData.weeks, 283, 'trained on the full-scale synthetic history');
      assert.equal(card.trainingData.seed, 42);
      assert.ok((card.metrics.test.auprc ?? 0) > 0.5, `h${h} ${role}: a test AUPRC above chance is recorded`);
    }
  });
}

test('models/frozen/h1: the frozen-encoder baseline loads and says so', async () => {
  const set = await loadModelSet(join(MODELS, 'frozen'), 1);
  assert.match(set.cards.encoder.model, /frozen-encoder$/);
  assert.equal(set.cards.encoder.hyperparameters.freeze_encoder, true);
});

test('a 4-week forecast of a sample week: the anchor\'s protocols, probabilities in [0, 1], finite weights and TVL', async () => {
  const release = await openRelease(resolve('examples/data'));
  const anchor = await release.snapshot('2022-05-02');
  const previous = await release.snapshot('2022-04-25');
  const g = await forecast(anchor, previous, { horizon: 4, modelsDir: MODELS });
  assert.equal(g.kind, 'forecast');
  assert.equal(g.week, '2022-05-30');
  assert.deepEqual(g.ids, anchor.ids);
  assert.ok(g.edgeSource.length > 0);
  assert.ok(g.edgeProbability!.every((p) => p >= 0 && p <= 1));
  assert.ok(g.edgeWeight.every((w) => Number.isFinite(w) && w >= 0));
  assert.ok(g.tvl.every((v) => Number.isFinite(v) && v >= 0));
});
