import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runStress, sweep } from '../../../src/core/stress';
import type { Scenario, StressResult } from '../../../src/core/stress';
import { randomSnapshot, referenceGraphs, referenceSnapshot, snap } from '../measures/fixture-snapshot';

const shock = (ids: string[], loss: number): Scenario => ({ name: 'hand', shocks: [{ kind: 'protocols', ids, loss }] });

function close(actual: number, expected: number, what: string, tol = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs expected ${expected}`);
}

function lossOf(r: StressResult, id: string): number {
  return r.losses.find((l) => l.id === id)?.loss ?? 0;
}

// Chain C <- B <- A (A holds B's tokens, B holds C's): edges A->B 40, B->C 60.
const chain = (): ReturnType<typeof snap> => snap([['A', 100], ['B', 100], ['C', 100]], [['A', 'B', 40], ['B', 'C', 60]]);

test('chain: losses travel creditor by creditor (default caps each creditor at its exposure)', () => {
  const d = runStress(chain(), shock(['C'], 0.5));
  // Round 1: B takes 60 x 50/60 = 50; round 2: B's loss 50 > claims 40, so A takes all 40.
  close(lossOf(d, 'C'), 50, 'C');
  close(lossOf(d, 'B'), 50, 'B');
  close(lossOf(d, 'A'), 40, 'A');
  close(d.systemLossPct, (100 * 140) / 300, 'pct');
  assert.equal(d.depth, 2);
  assert.equal(d.distressed, 3);
  assert.deepEqual(d.rounds.map((r) => r.newlyDistressed), [['C'], ['B'], ['A']]);
  assert.deepEqual(d.losses.map((l) => [l.id, l.distressedRound]), [['B', 1], ['C', 0], ['A', 2]]);
  // Parity passes the whole debtor loss: A takes 50.
  const p = runStress(chain(), shock(['C'], 0.5), { mode: 'parity' });
  close(p.totalLoss, 150, 'parity total');
  assert.equal(p.depth, 2);
});

test('cycle: default lets later losses travel on (echo) until TVL caps; parity passes once', () => {
  const s = snap([['A', 100], ['B', 100], ['C', 100]], [['A', 'B', 100], ['B', 'C', 100], ['C', 'A', 100]]);
  const d = runStress(s, shock(['A'], 0.5));
  // C, B take 50 each; A takes 50 back (100); the echo carries 50 more round the cycle.
  for (const id of ['A', 'B', 'C']) close(lossOf(d, id), 100, id);
  close(d.systemLossPct, 100, 'pct');
  assert.equal(d.depth, 2);
  assert.equal(d.roundsRun, 6);
  const p = runStress(s, shock(['A'], 0.5), { mode: 'parity' });
  close(p.totalLoss, 200, 'parity total');
  close(lossOf(p, 'A'), 100, 'parity A');
  assert.equal(p.depth, 2);
  // With small exposures the cap stops the cascade at once: C loses its 10, not 50.
  const thin = snap([['A', 100], ['B', 100], ['C', 100]], [['A', 'B', 10], ['B', 'C', 10], ['C', 'A', 10]]);
  const t = runStress(thin, shock(['A'], 0.5));
  close(t.totalLoss, 60, 'thin total');
  assert.equal(t.distressed, 1);
  assert.equal(t.affected, 2);
});

test('star: a hub failure spreads in proportion to exposures; threshold decides distress', () => {
  const s = snap(
    [['H', 1000], ['L1', 100], ['L2', 100], ['L3', 100], ['L4', 100]],
    [['L1', 'H', 100], ['L2', 'H', 100], ['L3', 'H', 200], ['L4', 'H', 400]],
  );
  for (const mode of ['default', 'parity'] as const) {
    const r = runStress(s, shock(['H'], 0.1), { mode });
    // Hub loses 100; creditors take 100 x share: 12.5, 12.5, 25, 50 (loss below claims: modes agree).
    close(lossOf(r, 'L1'), 12.5, `${mode} L1`);
    close(lossOf(r, 'L4'), 50, `${mode} L4`);
    close(r.systemLossPct, (100 * 200) / 1400, `${mode} pct`);
    assert.equal(r.distressed, 5);
    assert.equal(r.depth, 1);
  }
  const hi = runStress(s, shock(['H'], 0.1), { threshold: 0.2 });
  assert.equal(hi.distressed, 3);
  assert.equal(hi.affected, 5);
  const hiP = runStress(s, shock(['H'], 0.1), { threshold: 0.2, mode: 'parity' });
  assert.equal(hiP.affected, 3, 'parity reports affected = distressed');
});

test('tree: two levels of creditors', () => {
  const s = snap(
    [['R', 400], ['A', 100], ['B', 100], ['C', 50], ['D', 50]],
    [['A', 'R', 300], ['B', 'R', 100], ['C', 'A', 50], ['D', 'A', 50]],
  );
  for (const mode of ['default', 'parity'] as const) {
    const r = runStress(s, shock(['R'], 0.5), { mode });
    // R loses 200: A takes 150 -> capped at TVL 100, B 50; A passes 100: C, D take 50 each (their TVL).
    close(r.totalLoss, 450, `${mode} total`);
    close(r.systemLossPct, (100 * 450) / 700, `${mode} pct`);
    assert.equal(r.depth, 2);
    assert.equal(r.distressed, 5);
    assert.deepEqual(r.rounds[2].newlyDistressed, ['C', 'D']);
  }
});

test('3-node case: parity depends on processing order (ascending id), default does not', () => {
  // a holds b's tokens, c holds a's; a and b both shocked 50%.
  const build = (aId: string): ReturnType<typeof snap> => snap([[aId, 100], ['b', 100], ['c', 1000]], [[aId, 'b', 100], ['c', aId, 100]]);
  const sc = (aId: string): Scenario => shock([aId, 'b'], 0.5);
  // "a" < "b": a passes its 50 before b's loss reaches it; total 100 + 50 + 50.
  close(runStress(build('a'), sc('a'), { mode: 'parity' }).totalLoss, 200, 'parity a-first');
  // "z" > "b": b first, so z passes 100 including b's loss: c takes 100.
  close(runStress(build('z'), sc('z'), { mode: 'parity' }).totalLoss, 250, 'parity b-first');
  // Default: synchronous rounds, the later loss of a travels on in round 2 either way.
  close(runStress(build('a'), sc('a')).totalLoss, 250, 'default a');
  close(runStress(build('z'), sc('z')).totalLoss, 250, 'default z');
});

test('empty graph, single node, unknown ids', () => {
  const e = runStress(snap([], []), 'top1');
  assert.equal(e.systemLossPct, 0);
  assert.equal(e.depth, 0);
  assert.deepEqual(e.losses, []);
  const one = runStress(snap([['x', 80]], []), 'top1');
  close(one.systemLossPct, 50, 'single');
  assert.equal(one.depth, 0);
  assert.deepEqual(one.shocked, ['x']);
  const miss = runStress(snap([['x', 80]], []), shock(['nope', 'x'], 1));
  assert.deepEqual(miss.ignored, ['nope']);
  close(miss.systemLossPct, 100, 'missing id ignored');
});

test('zero-TVL creditors: capped at 0 by default, uncapped and never distressed in parity', () => {
  const s = snap([['d', 100], ['z', 0], ['c', 100]], [['z', 'd', 50], ['c', 'd', 50]]);
  const d = runStress(s, shock(['d'], 1));
  close(d.totalLoss, 150, 'default total');
  close(d.systemLossPct, 75, 'default pct');
  assert.equal(lossOf(d, 'z'), 0);
  const p = runStress(s, shock(['d'], 1), { mode: 'parity' });
  close(p.totalLoss, 200, 'parity total');
  close(lossOf(p, 'z'), 50, 'parity z');
  assert.equal(p.distressed, 2);
  assert.equal(p.losses.find((l) => l.id === 'z')?.distressedRound, undefined);
  // A zero-TVL protocol cannot be shocked.
  assert.deepEqual(runStress(s, shock(['z'], 1)).ignored, ['z']);
});

test('self-loops: not an exposure by default, a creditor share in parity', () => {
  const s = snap([['d', 100], ['c', 20]], [['d', 'd', 80], ['c', 'd', 20]]);
  const d = runStress(s, shock(['d'], 0.5));
  close(lossOf(d, 'c'), 20, 'default c');
  close(d.totalLoss, 70, 'default total');
  const p = runStress(s, shock(['d'], 0.5), { mode: 'parity' });
  close(lossOf(p, 'd'), 90, 'parity d');
  close(lossOf(p, 'c'), 10, 'parity c');
  close(p.totalLoss, 100, 'parity total');
});

test('disconnected parts: the untouched component keeps its TVL', () => {
  const s = snap([['A', 100], ['B', 100], ['C', 100], ['x', 100], ['y', 100]], [['A', 'B', 40], ['B', 'C', 60], ['x', 'y', 50]]);
  const r = runStress(s, shock(['C'], 0.5));
  close(r.totalLoss, 140, 'total');
  close(r.systemLossPct, 28, 'pct');
  assert.equal(lossOf(r, 'x') + lossOf(r, 'y'), 0);
});

test('parity matches the transcribed authors\' simulate_contagion; default matches its Python reference', () => {
  for (const g of referenceGraphs()) {
    const s = referenceSnapshot(g);
    for (const [name, sc] of Object.entries({ top1: 'top1', top5: 'top5', bridge: 'bridge' } as const)) {
      const p = runStress(s, sc, { mode: 'parity' });
      const ref = g.reference.parity.contagion[name];
      close(p.totalLoss, ref.totalLoss, `${g.name} ${name} parity total`, 1e-12);
      close(p.systemLossPct, ref.systemLossPct, `${g.name} ${name} parity pct`, 1e-12);
      assert.equal(p.distressed, ref.distressed, `${g.name} ${name} parity distressed`);
      assert.equal(p.depth, ref.depth, `${g.name} ${name} parity depth`);
      for (const [id, l] of Object.entries(ref.losses)) close(lossOf(p, id), l, `${g.name} ${name} parity ${id}`, 1e-12);
      const d = runStress(s, sc);
      const dref = g.reference.default.contagion[name];
      close(d.totalLoss, dref.totalLoss, `${g.name} ${name} default total`, 1e-9);
      assert.equal(d.distressed, dref.distressed, `${g.name} ${name} default distressed`);
      assert.equal(d.affected, dref.affected, `${g.name} ${name} default affected`);
      assert.equal(d.depth, dref.depth, `${g.name} ${name} default depth`);
      for (const [id, l] of Object.entries(dref.losses)) close(lossOf(d, id), l, `${g.name} ${name} default ${id}`, 1e-9);
    }
  }
});

test('invariants on random graphs: bounded by TVL, monotone in shock size and threshold', () => {
  const sizes = Array.from({ length: 21 }, (_, i) => i / 20);
  for (let seed = 1; seed <= 6; seed++) {
    const s = randomSnapshot(150, 900 + 100 * seed, seed);
    let totalTvl = 0;
    for (const t of s.tvl) totalTvl += t;
    for (const sc of ['top1', 'top5', 'bridge', 'lending'] as const) {
      const r = runStress(s, sc);
      assert.ok(r.totalLoss <= totalTvl * (1 + 1e-12), `seed ${seed} ${sc}: total loss within TVL`);
      for (let i = 0; i < s.ids.length; i++) assert.ok(r.lossByNode[i] <= s.tvl[i], `seed ${seed} ${sc}: node ${i} loses at most its TVL`);
      const p = runStress(s, sc, { mode: 'parity' });
      for (let i = 0; i < s.ids.length; i++) if (s.tvl[i] > 0) assert.ok(p.lossByNode[i] <= s.tvl[i], `parity node ${i}`);
      const sw = sweep(s, sc, { shockSizes: sizes });
      assert.equal(sw.systemLossPct[0], 0);
      for (let k = 1; k < sizes.length; k++) {
        assert.ok(sw.systemLossPct[k] >= sw.systemLossPct[k - 1] - 1e-9, `seed ${seed} ${sc}: monotone at ${sizes[k]} (${sw.systemLossPct[k - 1]} -> ${sw.systemLossPct[k]})`);
        assert.ok(sw.distressed[k] >= sw.distressed[k - 1]);
      }
      const th = sweep(s, sc, { thresholds: [0, 0.05, 0.1, 0.2, 0.5, 1] });
      for (let k = 1; k < th.values.length; k++) assert.ok(th.systemLossPct[k] <= th.systemLossPct[k - 1] + 1e-9, `seed ${seed} ${sc}: threshold monotone`);
    }
  }
});

test('options are validated', () => {
  assert.throws(() => runStress(chain(), 'top1', { threshold: 2 }), /stress\/debtrank: threshold must be a number in \[0, 1\], got 2/);
  assert.throws(() => runStress(chain(), 'top1', { maxRounds: 1.5 }), /maxRounds must be an integer >= 0/);
  const capped = runStress(chain(), shock(['C'], 0.5), { maxRounds: 1 });
  assert.equal(capped.depth, 1);
  assert.equal(lossOf(capped, 'A'), 0);
});
