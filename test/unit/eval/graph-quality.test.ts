import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { snap } from './eval-snapshot';
import {
  evaluateGraphQuality,
  graphCounts,
  graphQualityRow,
  persistenceGraphScorer,
  type GraphScorer,
} from '../../../src/core/eval/graph-quality';
import { openRelease } from '../../../src/core/snapshot/release';
import { addWeeks } from '../../../src/core/weeks';



// t: a->b, b->c, c->a, a->d; t+h: a->b (kept), c->a (kept), b->a (new), d->c (new), e->a (e is new at t+h)
const anchor = snap(
  '2024-01-01',
  ['a', 'b', 'c', 'd'],
  [
    ['a', 'b', 1],
    ['b', 'c', 1],
    ['c', 'a', 3],
    ['a', 'd', 1],
  ],
);
const actual = snap(
  '2024-01-08',
  ['e', 'a', 'b', 'c', 'd'],
  [
    ['a', 'b', 3],
    ['c', 'a', 3],
    ['b', 'a', 1],
    ['d', 'c', 7],
    ['e', 'a', 1],
  ],
);

test('graph level: persistence G_t against the realised week, hand-counted', () => {
  const c = graphCounts(anchor, { snapshot: anchor }, actual);
  // realised on anchor protocols: 4 edges (e->a dropped), 2 of them new; G_t has 4 edges, 2 realised
  assert.deepEqual(
    { p: c.predicted, a: c.actual, m: c.matched, an: c.actualNew, mn: c.matchedNew },
    { p: 4, a: 4, m: 2, an: 2, mn: 0 },
  );
  assert.ok(Math.abs(c.weightAbsErr - (Math.log(4) - Math.log(2))) < 1e-12); // a->b 1 -> 3; c->a unchanged
  const r = graphQualityRow('persistence', 1, [c], [1], { bootstrap: 0 });
  assert.deepEqual([r.precision, r.recall, r.f1, r.newRecall], [0.5, 0.5, 0.5, 0]);
  assert.ok(Math.abs(r.weightMAE - (Math.log(4) - Math.log(2)) / 2) < 1e-12);
  assert.ok(Number.isNaN(r.candidateRecall));
});

test('graph level: an oracle forecast (the realised week on the anchor protocols) scores 1 everywhere, its candidates too', () => {
  const oracle = snap(
    '2024-01-08',
    ['a', 'b', 'c', 'd'],
    [
      ['a', 'b', 3],
      ['c', 'a', 3],
      ['b', 'a', 1],
      ['d', 'c', 7],
    ],
  );
  const cands = Int32Array.from([0, 2, 1, 3, 0, 1, 0, 0, 2, 2]); // a->b, c->a, b->a, d->c, a->c
  const c = graphCounts(anchor, { snapshot: oracle, candidates: cands }, actual);
  const r = graphQualityRow('oracle', 1, [c, c], [2], { bootstrap: 100 });
  assert.deepEqual(
    [r.precision, r.recall, r.f1, r.newRecall, r.weightMAE, r.candidateRecall, r.candidateNewRecall],
    [1, 1, 1, 1, 0, 1, 1],
  );
  assert.equal(r.candidates, 5);
  assert.deepEqual(r.ci.precision, [1, 1]);
  // a forecast on another node set is refused with the reason
  assert.throws(() => graphCounts(anchor, { snapshot: actual }, actual), /must keep the anchor's protocols/);
});

test('graph level over the sample hold-out: persistence has no new edges, the oracle is perfect', async () => {
  const src = await openRelease(join(__dirname, '../../../examples/data'));
  const oracle: GraphScorer = {
    name: 'oracle',
    forecast: async (a, _p, h) => {
      const t = await src.snapshot(addWeeks(a.week, h));
      const at = new Map(a.ids.map((id, i) => [id, i]));
      const keep = Array.from({ length: t.edgeSource.length }, (_, k) => k).filter(
        (k) => at.has(t.ids[t.edgeSource[k]]) && at.has(t.ids[t.edgeTarget[k]]),
      );
      return {
        snapshot: {
          ...a,
          edgeSource: Int32Array.from(keep, (k) => at.get(t.ids[t.edgeSource[k]])!),
          edgeTarget: Int32Array.from(keep, (k) => at.get(t.ids[t.edgeTarget[k]])!),
          edgeWeight: Float64Array.from(keep, (k) => t.edgeWeight[k]),
        },
      };
    },
  };
  const rows = await evaluateGraphQuality(src, [oracle, persistenceGraphScorer], {
    horizons: [1],
    maxAnchors: 5,
    bootstrap: 50,
  });
  const o = rows.find((r) => r.model === 'oracle')!;
  const p = rows.find((r) => r.model === 'persistence')!;
  assert.equal(o.anchors, 5);
  assert.deepEqual([o.precision, o.recall, o.newRecall], [1, 1, 1]);
  assert.ok(o.weightMAE < 1e-12);
  assert.equal(p.newRecall, 0);
  assert.ok(p.precision > 0.2 && p.precision < 1);
  assert.ok(p.ci.precision[0] <= p.precision && p.precision <= p.ci.precision[1]);
});

test('graph level: each scorer gets the weeks before the anchor it asks for (a pair-feature model reads its memory window)', async () => {
  const src = await openRelease(join(__dirname, '../../../examples/data'));
  const weeks = [...src.weeks].sort();
  const seen: Record<string, { anchor: string; previous?: string; history: string[] }[]> = { w3: [], w1: [] };
  const recorder = (name: 'w3' | 'w1', historyWeeks?: number): GraphScorer => ({
    name,
    historyWeeks,
    forecast: (a, p, _h, history) => {
      seen[name].push({ anchor: a.week, previous: p?.week, history: history.map((s) => s.week) });
      return { snapshot: a };
    },
  });
  await evaluateGraphQuality(src, [recorder('w3', 3), recorder('w1')], { horizons: [2], maxAnchors: 4, bootstrap: 0 });
  assert.equal(seen.w3.length, 4);
  for (const name of ['w3', 'w1'] as const) {
    const want = name === 'w3' ? 3 : 1;
    for (const r of seen[name]) {
      const i = weeks.indexOf(r.anchor);
      // the listed weeks just before the anchor, oldest first, the last one the previous week
      assert.deepEqual(r.history, weeks.slice(i - want, i), `${name} at ${r.anchor}`);
      assert.equal(r.previous, weeks[i - 1]);
    }
  }
});
