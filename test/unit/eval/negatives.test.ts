/**
 * Hard-negative sampling invariants: a negative is never a positive of t+h; each
 * kind is what its label says (historical = connected either way at some week <= t,
 * structural = two hops apart at t and never connected); the same seed gives the
 * same pairs; the random kind is the training-set export's sample.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openRelease } from '../../../src/core/snapshot/release';
import { buildPair } from '../../../src/core/trainingset/export';
import {
  kindCode,
  KIND_POSITIVE,
  PairMemory,
  sampleWeek,
  undirectedAdjacency,
} from '../../../src/core/eval/negatives';
import type { Snapshot } from '../../../src/core/snapshot/types';

const SAMPLE = join(__dirname, '../../../examples/data');

async function setting(h: number) {
  const src = await openRelease(SAMPLE);
  const weeks = [...src.weeks].sort();
  const memory = new PairMemory();
  const snaps: Snapshot[] = [];
  const t = 60;
  for (let i = 0; i <= t + h; i++) {
    const s = await src.snapshot(weeks[i]);
    snaps.push(s);
    memory.add(s); // the memory also holds weeks after the anchor: samples must ignore them
  }
  return { anchor: snaps[t], target: snaps[t + h], before: snaps.slice(0, t + 1), memory };
}

test('hard negatives: never a positive, kinds as labelled, deterministic per seed', async () => {
  const h = 4;
  const { anchor, target, before, memory } = await setting(h);
  const s = sampleWeek(anchor, target, h, memory, { seed: 7 });
  const P = s.label.length;
  const id = (i: number) => anchor.ids[i];
  const targetEdges = new Set<string>();
  for (let k = 0; k < target.edgeSource.length; k++)
    targetEdges.add(`${target.ids[target.edgeSource[k]]}|${target.ids[target.edgeTarget[k]]}`);
  const everBy = new Set<string>();
  for (const w of before)
    for (let k = 0; k < w.edgeSource.length; k++) {
      const a = w.ids[w.edgeSource[k]];
      const b = w.ids[w.edgeTarget[k]];
      everBy.add(`${a}|${b}`);
      everBy.add(`${b}|${a}`);
    }
  const adj = undirectedAdjacency(anchor);
  const counts = new Map<number, number>();
  let reverseOfAnchor = 0;
  const anchorEdges = new Set<string>();
  for (let k = 0; k < anchor.edgeSource.length; k++)
    anchorEdges.add(`${id(anchor.edgeSource[k])}|${id(anchor.edgeTarget[k])}`);
  for (let i = 0; i < P; i++) {
    const u = s.pairs[i];
    const v = s.pairs[P + i];
    const key = `${id(u)}|${id(v)}`;
    counts.set(s.kind[i], (counts.get(s.kind[i]) ?? 0) + 1);
    if (s.kind[i] === KIND_POSITIVE) {
      assert.ok(targetEdges.has(key), `positive ${key} is an edge of t+h`);
      assert.equal(s.label[i], 1);
      continue;
    }
    assert.equal(s.label[i], 0);
    assert.ok(u !== v, 'no self-pairs');
    assert.ok(!targetEdges.has(key), `negative ${key} is not an edge of t+h`);
    assert.equal(s.reverseLabel[i], targetEdges.has(`${id(v)}|${id(u)}`) ? 1 : 0);
    if (s.kind[i] === kindCode('historical')) {
      assert.ok(everBy.has(key), `historical ${key} was connected at some week <= t`);
      if (anchorEdges.has(`${id(v)}|${id(u)}`) && !anchorEdges.has(key)) reverseOfAnchor++;
    }
    if (s.kind[i] === kindCode('structural')) {
      assert.ok(!everBy.has(key), `structural ${key} was never connected by t`);
      assert.ok(!adj[u].includes(v), 'not adjacent at t');
      assert.ok(
        adj[u].some((z) => adj[z].includes(v)),
        `structural ${key} has a common neighbour at t`,
      );
    }
  }
  const pos = s.numPositives;
  assert.ok(pos > 100);
  assert.equal(counts.get(kindCode('random')), 5 * pos);
  assert.equal(counts.get(kindCode('historical')), 2 * pos);
  assert.equal(counts.get(kindCode('structural')), 2 * pos);
  assert.ok(reverseOfAnchor > 0, 'reverses of edges of G_t are among the historical negatives');
  // no duplicate pair within the hard kinds
  const hard = new Set<string>();
  for (let i = 0; i < P; i++)
    if (s.kind[i] >= kindCode('historical')) {
      const k = `${s.pairs[i]}|${s.pairs[P + i]}`;
      assert.ok(!hard.has(k));
      hard.add(k);
    }

  // deterministic per seed; another seed gives other pairs
  const again = sampleWeek(anchor, target, h, memory, { seed: 7 });
  assert.deepEqual(again.pairs, s.pairs);
  assert.deepEqual(again.kind, s.kind);
  assert.deepEqual(again.mrr, s.mrr);
  const other = sampleWeek(anchor, target, h, memory, { seed: 8 });
  assert.notDeepEqual(other.pairs, s.pairs);

  // the random kind is exactly the training-set export's sample (the paper's protocol)
  const bp = buildPair(anchor, target, h, { seed: 7, negRatio: 5 });
  const mine = Array.from({ length: P }, (_, i) => i).filter(
    (i) => s.kind[i] === KIND_POSITIVE || s.kind[i] === kindCode('random'),
  );
  assert.equal(mine.length, bp.label.length);
  const bpP = bp.label.length;
  const mineSet = mine.map((i) => `${s.pairs[i]}|${s.pairs[P + i]}`).sort();
  const theirs = Array.from({ length: bpP }, (_, i) => `${bp.pairs[i]}|${bp.pairs[bpP + i]}`).sort();
  assert.deepEqual(mineSet, theirs);
});

test('MRR negatives: historical partners either way by t, random otherwise, never a positive of the source', async () => {
  const h = 1;
  const { anchor, target, before, memory } = await setting(h);
  const s = sampleWeek(anchor, target, h, memory, {
    seed: 3,
    mrrQueries: 40,
    mrrHistorical: 5,
    mrrRandom: 5,
  });
  const q = s.mrr!;
  assert.equal(q.offsets.length, 41);
  const targetEdges = new Set<string>();
  for (let k = 0; k < target.edgeSource.length; k++)
    targetEdges.add(`${target.ids[target.edgeSource[k]]}|${target.ids[target.edgeTarget[k]]}`);
  const partners = new Map<string, Set<string>>();
  for (const w of before)
    for (let k = 0; k < w.edgeSource.length; k++) {
      const a = w.ids[w.edgeSource[k]];
      const b = w.ids[w.edgeTarget[k]];
      if (!partners.has(a)) partners.set(a, new Set());
      if (!partners.has(b)) partners.set(b, new Set());
      partners.get(a)!.add(b);
      partners.get(b)!.add(a);
    }
  let historical = 0;
  for (let j = 0; j < 40; j++) {
    const at = q.offsets[j] + j;
    const u = anchor.ids[q.src[at]];
    assert.ok(targetEdges.has(`${u}|${anchor.ids[q.dst[at]]}`), 'the query is a positive');
    const negs = q.offsets[j + 1] - q.offsets[j];
    assert.equal(negs, 10);
    for (let k = 1; k <= negs; k++) {
      assert.equal(q.src[at + k], q.src[at]);
      const v = anchor.ids[q.dst[at + k]];
      assert.ok(!targetEdges.has(`${u}|${v}`), 'a negative is not an edge of t+h');
      if (k <= 5 && partners.get(u)?.has(v)) historical++;
    }
  }
  assert.ok(historical > 0);
});
