import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Snapshot } from '../../../src/core/snapshot/types';
import { FEATURE_SCHEMA, featureSchemaHash, NUM_FEATURES, canonicalJson } from '../../../src/core/features/schema';
import { nodeFeatures } from '../../../src/core/features/node-features';
import { featureCategory } from '../../../src/core/features/categories';

function snap(week: string, ids: string[], tvl: number[], cats: string[], comp: Record<string, number>[], edges: [number, number, number][]): Snapshot {
  const offsets = new Uint32Array(ids.length + 1);
  const tokens: string[] = [];
  const values: number[] = [];
  comp.forEach((c, i) => {
    for (const [k, v] of Object.entries(c)) {
      tokens.push(k);
      values.push(v);
    }
    offsets[i + 1] = tokens.length;
  });
  return {
    week,
    kind: 'observed',
    ids,
    names: ids,
    categories: cats,
    tvl: Float64Array.from(tvl),
    composition: { offsets, tokens, values: Float64Array.from(values) },
    edgeSource: Int32Array.from(edges.map((e) => e[0])),
    edgeTarget: Int32Array.from(edges.map((e) => e[1])),
    edgeWeight: Float64Array.from(edges.map((e) => e[2])),
  };
}

const col = (name: string) => FEATURE_SCHEMA.names.indexOf(name);

test('three-node snapshot, hand-computed', () => {
  // a: TVL 100 held as {X: 75, Y: 25}; b: TVL 0, issuer only; c: TVL 50 in one token, plus a
  // negative composition entry (clipped to 0 for shares, still counted as a token type).
  // Edges: a->b, c->b, a->c, b->b (self-loop counts), a->b again (duplicates count).
  const cur = snap('2024-01-08', ['a', 'b', 'c'], [100, 0, 50], ['Lending', 'Unknown', 'Cross Chain'], [{ X: 75, Y: 25 }, {}, { Z: 50, W: -3 }], [
    [0, 1, 10],
    [2, 1, 5],
    [0, 2, 1],
    [1, 1, 2],
    [0, 1, 3],
  ]);
  const prev = snap('2024-01-01', ['c', 'a', 'gone'], [40, 0, 7], ['Bridge', 'Lending', 'Dexes'], [{}, {}, {}], []);
  const x = nodeFeatures(cur, prev);
  assert.equal(NUM_FEATURES, 23);
  assert.equal(x.length, 3 * NUM_FEATURES);
  const row = (i: number) => Array.from(x.subarray(i * NUM_FEATURES, (i + 1) * NUM_FEATURES));
  const f32 = (v: number) => Math.fround(v);

  const a = row(0);
  assert.equal(a[col('log_tvl')], f32(Math.log(101)));
  assert.equal(a[col('n_token_types')], 2);
  assert.equal(a[col('max_token_share')], f32(0.75));
  // -(0.75 ln 0.75 + 0.25 ln 0.25) = 0.5623351446
  assert.ok(Math.abs(a[col('token_entropy')] - 0.5623351446) < 1e-6);
  assert.equal(a[col('cat_lending')], 1);
  assert.equal(a.slice(4, 20).reduce((s, v) => s + v, 0), 1);
  // a had TVL 0 last week: no change (authors' rule needs both > 0).
  assert.equal(a[col('prev_tvl_change')], 0);
  // out-degrees: a 3, b 1, c 1 -> max 3; in-degrees: a 0, b 4 (two a->b, c->b, b->b), c 1 -> max 4.
  assert.equal(a[col('out_degree_norm')], 1);
  assert.equal(a[col('in_degree_norm')], 0);

  const b = row(1);
  assert.deepEqual([b[0], b[1], b[2], b[3]], [0, 0, 0, 0]);
  assert.equal(b[col('cat_unknown')], 1);
  assert.equal(b[col('prev_tvl_change')], 0); // not in the previous week
  assert.equal(b[col('in_degree_norm')], 1);
  assert.equal(b[col('out_degree_norm')], f32(1 / 3));

  const c = row(2);
  assert.equal(c[col('log_tvl')], f32(Math.log(51)));
  assert.equal(c[col('n_token_types')], 2);
  assert.ok(Math.abs(c[col('max_token_share')] - 1) < 1e-6);
  assert.ok(Math.abs(c[col('token_entropy')]) < 1e-6);
  assert.equal(c[col('cat_bridge')], 1); // "Cross Chain" maps to Bridge
  assert.equal(c[col('prev_tvl_change')], f32(Math.log(51) - Math.log(41)));
  assert.equal(c[col('in_degree_norm')], f32(1 / 4));
  assert.equal(c[col('out_degree_norm')], f32(1 / 3));

  // Without a previous week the change column is 0 everywhere.
  const x0 = nodeFeatures(cur);
  for (let i = 0; i < 3; i++) assert.equal(x0[i * NUM_FEATURES + col('prev_tvl_change')], 0);
});

test('a week without edges divides degrees by 1, not 0', () => {
  const s = snap('2024-01-01', ['a'], [5], ['Dexes'], [{ X: 5 }], []);
  const x = nodeFeatures(s);
  assert.equal(x[col('in_degree_norm')], 0);
  assert.equal(x[col('out_degree_norm')], 0);
  assert.equal(x[col('cat_dexes')], 1);
});

test('bad snapshots are rejected with the field named', () => {
  const s = snap('2024-01-01', ['a', 'b'], [1, 2], ['Dexes', 'Dexes'], [{}, {}], [[0, 5, 1]]);
  assert.throws(() => nodeFeatures(s), /features\/node-features: current snapshot 2024-01-01: edge 0 has endpoint index out of range/);
  const t = snap('2024-01-01', ['a', 'b'], [1], ['Dexes', 'Dexes'], [{}, {}], []);
  assert.throws(() => nodeFeatures(t), /one entry per node/);
});

test('raw DefiLlama categories map onto the fixed vocabulary', () => {
  assert.equal(featureCategory('Dexes'), 'Dexes');
  assert.equal(featureCategory('liquid staking'), 'Liquid Staking');
  assert.equal(featureCategory('Liquid Restaking'), 'Restaking');
  assert.equal(featureCategory('NFT Lending'), 'Lending');
  assert.equal(featureCategory('RWA Lending'), 'RWA');
  assert.equal(featureCategory('Options'), 'Derivatives');
  assert.equal(featureCategory('Decentralized Stablecoin'), 'Algo-Stables');
  assert.equal(featureCategory('Gaming'), 'Other');
  assert.equal(featureCategory(''), 'Unknown');
  assert.equal(featureCategory(undefined), 'Unknown');
  assert.equal(featureCategory('Unknown'), 'Unknown');
});

test('schema hash is the SHA-256 of the canonical schema JSON, and is pinned', () => {
  const expected = createHash('sha256')
    .update(
      `{"categories":${JSON.stringify(FEATURE_SCHEMA.categories)},"name":"dexposure-node-features","names":${JSON.stringify(FEATURE_SCHEMA.names)},"version":1}`,
    )
    .digest('hex');
  assert.equal(featureSchemaHash(), expected);
  // Pinned: changing the feature vector must be a deliberate schema version bump.
  assert.equal(featureSchemaHash(), '3f90be3ba20e0a9918c3ef0649c6580ffbfba4ffbcc7e51ce0beecb9d76e6983');
  assert.equal(canonicalJson({ b: [1, { d: 2, c: 'x' }], a: null }), '{"a":null,"b":[1,{"c":"x","d":2}]}');
  assert.notEqual(featureSchemaHash({ ...FEATURE_SCHEMA, version: 2 }), featureSchemaHash());
  assert.deepEqual(FEATURE_SCHEMA.names.slice(0, 4), ['log_tvl', 'n_token_types', 'max_token_share', 'token_entropy']);
  assert.deepEqual(FEATURE_SCHEMA.names.slice(-3), ['prev_tvl_change', 'in_degree_norm', 'out_degree_norm']);
});
