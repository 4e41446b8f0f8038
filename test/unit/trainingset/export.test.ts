import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReleaseWriter } from '../../../src/core/exposure/release-writer';
import type { WeekNetwork } from '../../../src/core/exposure/network';
import { openRelease } from '../../../src/core/snapshot/release';
import { exportTrainingSet, type TrainingSetIndex } from '../../../src/core/trainingset/export';
import { readF32, readI32, readU8 } from '../../../src/core/trainingset/binary';
import { releaseFingerprint } from '../../../src/core/trainingset/fingerprint';
import { FEATURE_SCHEMA, featureSchemaHash, NUM_FEATURES } from '../../../src/core/features/schema';
import { exportTrainingSetCommand } from '../../../src/cli/commands/export-training-set';
import { NUM_PAIR_FEATURES, PAIR_FEATURE_SCHEMA, pairFeatureCard, pairFeatureSchemaHash } from '../../../src/core/features/pair-features';

const tmp = () => mkdtempSync(join(tmpdir(), 'dx-ts-'));
const node = (id: string | null, size: number, composition: Record<string, number> = size ? { T: size } : {}) => ({ id, size, composition });
const link = (source: string, target: string | null, size: number) => ({ source, target, size, composition: { T: size } });

/** Three weeks, small enough to work out every array by hand. */
const WEEKS: [string, WeekNetwork][] = [
  [
    '2024-01-01',
    {
      nodes: [node('A', 100), node('B', 50), node('C', 0), node('D', 10), node(null, 5)],
      links: [link('A', 'B', 20), link('B', 'C', 5), link('A', null, 3)],
    },
  ],
  [
    '2024-01-08',
    {
      nodes: [node('A', 120), node('B', 40), node('C', 0), node('E', 7)],
      links: [link('A', 'B', 30), link('C', 'A', 2), link('A', 'E', 4), link('A', 'B', 10), link('B', 'B', 1)],
    },
  ],
  ['2024-01-15', { nodes: [node('A', 130), node('C', 1), node('E', 7)], links: [link('C', 'A', 8)] }],
];

async function release(): Promise<string> {
  const dir = tmp();
  const w = new ReleaseWriter(dir, WEEKS[0][0]);
  for (const [week, net] of WEEKS) await w.writeWeek(week, net);
  await w.close();
  writeFileSync(join(dir, 'meta_df.csv'), 'id,name,category\nA,Alpha,Lending\nB,"Beta, Inc",Dexes\n');
  return dir;
}

async function exportTo(dir: string, seed = 42, hardRatio = 0): Promise<{ out: string; index: TrainingSetIndex }> {
  const out = tmp();
  const src = await openRelease(dir);
  const index = await exportTrainingSet(src, out, { horizons: [1, 2], seed, negRatio: 2, hardRatio, source: { path: dir, fingerprint: await releaseFingerprint(dir) } });
  return { out, index };
}

const ln1p = (x: number) => Math.fround(Math.log1p(x));

test('index.json lists weeks and pairs with counts', async () => {
  const dir = await release();
  const { out, index } = await exportTo(dir);
  const disk = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
  assert.deepEqual(disk, index);
  assert.equal(index.format, 'dexposure-training-set');
  assert.equal(index.version, 2);
  assert.deepEqual(index.pairFeatures, pairFeatureCard());
  assert.equal(index.pairFeatures.hash, pairFeatureSchemaHash());
  assert.equal(index.hardRatio, 0);
  assert.equal(index.maxPositives, null);
  assert.equal(index.featureSchema.hash, featureSchemaHash());
  assert.deepEqual(index.featureSchema.names, FEATURE_SCHEMA.names);
  assert.deepEqual(index.source, { path: dir, weeks: 3, from: '2024-01-01', to: '2024-01-15', fingerprint: await releaseFingerprint(dir) });
  assert.deepEqual(index.horizons, [1, 2]);
  assert.deepEqual(
    index.weeks.map((w) => [w.week, w.numNodes, w.numEdges]),
    [
      ['2024-01-01', 4, 2], // null-id node skipped; the null-target link dropped
      ['2024-01-08', 4, 5],
      ['2024-01-15', 3, 1],
    ],
  );
  assert.deepEqual(
    index.pairs.map((p) => [p.horizon, p.anchor, p.target, p.numPositives, p.numPairs]),
    [
      [1, '2024-01-01', '2024-01-08', 3, 9],
      [1, '2024-01-08', '2024-01-15', 1, 3],
      [2, '2024-01-01', '2024-01-15', 1, 3],
    ],
  );
});

test('week arrays: features, ids, edges and log weights', async () => {
  const { out } = await exportTo(await release());
  const d = join(out, 'weeks', '2024-01-08');
  assert.deepEqual(JSON.parse(readFileSync(join(d, 'node_ids.json'), 'utf8')), ['A', 'B', 'C', 'E']);
  assert.deepEqual(Array.from(readI32(join(d, 'edge_index.i32'))), [0, 2, 0, 0, 1, /* targets */ 1, 0, 3, 1, 1]);
  assert.deepEqual(Array.from(readF32(join(d, 'edge_lw.f32'))), [30, 2, 4, 10, 1].map(ln1p));
  const x = readF32(join(d, 'features.f32'));
  assert.equal(x.length, 4 * NUM_FEATURES);
  const col = (n: string) => FEATURE_SCHEMA.names.indexOf(n);
  assert.equal(x[col('log_tvl')], ln1p(120));
  assert.equal(x[col('cat_lending')], 1); // A is Lending in meta_df
  assert.equal(x[NUM_FEATURES + col('cat_dexes')], 1); // B, quoted name with a comma
  assert.equal(x[3 * NUM_FEATURES + col('cat_unknown')], 1); // E is not in meta_df
  // A went from 100 to 120: the previous-week change uses the previous exported week.
  assert.equal(x[col('prev_tvl_change')], Math.fround(Math.log(121) - Math.log(101)));
});

test('pairs: positives from the target week, negatives never positive, baselines, node targets', async () => {
  const { out } = await exportTo(await release());
  const d = join(out, 'pairs', 'h1', '2024-01-01');
  const pairs = readI32(join(d, 'pairs.i32'));
  const P = pairs.length / 2;
  assert.equal(P, 9);
  const label = readF32(join(d, 'label.f32'));
  const y = readF32(join(d, 'y_lw.f32'));
  const base = readF32(join(d, 'base_lw.f32'));
  // Anchor indices: A 0, B 1, C 2, D 3. Target edges A->B (30, then 10: last wins),
  // C->A, A->E (E absent at the anchor: dropped), B->B (self-loop kept).
  const src = Array.from(pairs.subarray(0, P));
  const dst = Array.from(pairs.subarray(P));
  assert.deepEqual(src.slice(0, 3), [0, 2, 1]);
  assert.deepEqual(dst.slice(0, 3), [1, 0, 1]);
  assert.deepEqual(Array.from(label), [1, 1, 1, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(y), [ln1p(10), ln1p(2), ln1p(1), 0, 0, 0, 0, 0, 0]);
  // base_lw: A->B was an anchor edge of 20; B->C (5) if drawn as a negative; else 0.
  const positives = new Set(['0,1', '2,0', '1,1']);
  const seen = new Set<string>();
  for (let i = 0; i < P; i++) {
    const k = `${src[i]},${dst[i]}`;
    const expectBase = k === '0,1' ? ln1p(20) : k === '1,2' ? ln1p(5) : 0;
    assert.equal(base[i], expectBase, `base_lw of ${k}`);
    if (i >= 3) {
      assert.ok(!positives.has(k), `negative ${k} is a positive`);
      assert.notEqual(src[i], dst[i]);
      assert.ok(!seen.has(k), `negative ${k} drawn twice`);
      assert.ok(src[i] >= 0 && src[i] < 4 && dst[i] >= 0 && dst[i] < 4);
      seen.add(k);
    }
  }
  const nt = readF32(join(d, 'node_target.f32'));
  const mask = readU8(join(d, 'node_mask.u8'));
  assert.deepEqual(Array.from(mask), [1, 1, 1, 0]);
  assert.deepEqual(Array.from(nt), [Math.fround(Math.log(121) - Math.log(101)), Math.fround(Math.log(41) - Math.log(51)), 0, 0]);
  // h2 from the first week: only C->A survives into 2024-01-15.
  const p2 = readI32(join(out, 'pairs', 'h2', '2024-01-01', 'pairs.i32'));
  assert.deepEqual([p2[0], p2[3]], [2, 0]);
});

test('version 2: hard negatives follow the v1 pairs, with their kinds and pair features', async () => {
  const dir = await release();
  const v1 = await exportTo(dir, 42, 0);
  const { out, index } = await exportTo(dir, 42, 2);
  assert.equal(index.hardRatio, 2);
  const d = join(out, 'pairs', 'h1', '2024-01-08');
  const d1 = join(v1.out, 'pairs', 'h1', '2024-01-08');
  const pairs = readI32(join(d, 'pairs.i32'));
  const P = pairs.length / 2;
  const kind = readU8(join(d, 'neg_kind.u8'));
  const x = readF32(join(d, 'pair_x.f32'));
  assert.equal(kind.length, P);
  assert.equal(x.length, P * NUM_PAIR_FEATURES);
  // the first pairs are the hard-ratio-0 export's (positives, then random negatives)
  const old = readI32(join(d1, 'pairs.i32'));
  const P1 = old.length / 2;
  for (let i = 0; i < P1; i++) assert.deepEqual([pairs[i], pairs[P + i]], [old[i], old[P1 + i]], `pair ${i}`);
  assert.deepEqual(Array.from(readU8(join(d1, 'neg_kind.u8'))), [0, 1, 1]);
  // Anchor 2024-01-08: A 0, B 1, C 2, E 3; edges A->B, C->A, A->E, B->B; 2024-01-01 had B->C.
  // Target 2024-01-15 keeps only C->A (the positive). Historical: connected either way by
  // the anchor; structural: two hops apart at the anchor, never connected (B-E, C-E).
  const name = (i: number) => `${'ABCE'[pairs[i]]}${'ABCE'[pairs[P + i]]}`;
  const historical = new Set(['AB', 'BA', 'AC', 'AE', 'EA', 'BC', 'CB']);
  const structural = new Set(['BE', 'EB', 'CE', 'EC']);
  assert.equal(kind[0], 0);
  assert.equal(name(0), 'CA');
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < P; i++) {
    counts[kind[i]]++;
    if (kind[i] === 2) assert.ok(historical.has(name(i)), `historical ${name(i)}`);
    if (kind[i] === 3) assert.ok(structural.has(name(i)), `structural ${name(i)}`);
  }
  assert.deepEqual(counts, [1, 2, 2, 2]);
  const entry = index.pairs.find((p) => p.horizon === 1 && p.anchor === '2024-01-08')!;
  assert.deepEqual(entry.numNegatives, { random: 2, historical: 2, structural: 2 });
  assert.equal(entry.numPairs, P);
  // pair features of the positive C -> A: the window holds 2024-01-01 and the anchor
  const f = (i: number, n: string) => x[i * NUM_PAIR_FEATURES + PAIR_FEATURE_SCHEMA.names.indexOf(n)];
  assert.equal(f(0, 'pq_now'), 1);
  assert.equal(f(0, 'pq_lw'), ln1p(2));
  assert.equal(f(0, 'pq_frac'), 1 / 8);
  assert.equal(f(0, 'qp_since'), 9);
  assert.equal(f(0, 'window_coverage'), 2 / 8);
  assert.equal(f(0, 'p_present_frac'), 2 / 8);
  assert.equal(f(0, 'q_in_deg'), ln1p(1)); // C -> A
  // h1 from 2024-01-01: the window is the first week alone; the positive A -> B was 20 there
  const x0 = readF32(join(out, 'pairs', 'h1', '2024-01-01', 'pair_x.f32'));
  assert.equal(x0[PAIR_FEATURE_SCHEMA.names.indexOf('pq_lw')], ln1p(20));
  assert.equal(x0[PAIR_FEATURE_SCHEMA.names.indexOf('pq_age')], 1);
  assert.equal(x0[PAIR_FEATURE_SCHEMA.names.indexOf('window_coverage')], 1 / 8);
});

test('negatives are fixed for a seed and change with it', async () => {
  const dir = await release();
  const a = await exportTo(dir, 42);
  const b = await exportTo(dir, 42);
  const c = await exportTo(dir, 7);
  const f = (o: string) => readFileSync(join(o, 'pairs', 'h1', '2024-01-01', 'pairs.i32'));
  assert.ok(f(a.out).equals(f(b.out)));
  assert.ok(!f(a.out).equals(f(c.out)));
});

test('the CLI exports and rejects bad options', async () => {
  const dir = await release();
  const out = tmp();
  const log = console.log;
  const lines: string[] = [];
  console.log = (s: string) => lines.push(s);
  try {
    assert.equal(await exportTrainingSetCommand.run([dir, '--out', out, '--horizons', '1', '--json']), 0);
  } finally {
    console.log = log;
  }
  assert.deepEqual(JSON.parse(lines.join('\n')).pairs, 2);
  await assert.rejects(exportTrainingSetCommand.run([dir, '--out', out, '--horizons', 'x']), /--horizons expects a list/);
  await assert.rejects(exportTrainingSetCommand.run([dir]), /RELEASE_DIR and --out are required/);
});

test('the release fingerprint is the data: opening (caching) the release does not change it, editing a file does', async () => {
  const dir = await release();
  const before = await releaseFingerprint(dir);
  await (await openRelease(dir)).snapshot('2024-01-08'); // writes .dexposure-cache into the folder
  assert.ok(existsSync(join(dir, '.dexposure-cache')), 'the loader cached the converted weeks in the release folder');
  assert.equal(await releaseFingerprint(dir), before);
  writeFileSync(join(dir, 'meta_df.csv'), 'id,name,category\nA,Alpha,Lending\n');
  assert.notEqual(await releaseFingerprint(dir), before);
});
