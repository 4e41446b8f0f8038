import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareStress, predictiveStressSummary, resolveScenario, runStress, scenarios, sweep, validateScenario } from '../../../src/core/stress';
import { topByTvl } from '../../../src/core/stress/scenario';
import { snap } from '../measures/fixture-snapshot';

const world = (): ReturnType<typeof snap> =>
  snap([
    ['big', 1000, 'Lending'],
    ['br1', 50, 'Bridge'],
    ['br2', 40, 'Canonical Bridge'],
    ['cc', 30, 'Cross Chain'],
    ['st', 60, 'CDP'],
    ['le2', 70, 'RWA Lending'],
    ['dx', 80, 'Dexes'],
    ['zero', 0, 'Bridge'],
  ], [['dx', 'big', 10]]);

const ids = (s: ReturnType<typeof snap>, r: ReturnType<typeof resolveScenario>): string[] => Array.from(r.targets, (i) => s.ids[i]);

test('presets select the documented protocols', () => {
  const s = world();
  assert.deepEqual(ids(s, resolveScenario(s, scenarios.top1)), ['big']);
  assert.deepEqual(Array.from(resolveScenario(s, scenarios.top1).initialLoss), [500]);
  assert.deepEqual(ids(s, resolveScenario(s, scenarios.top5)).sort(), ['big', 'br1', 'dx', 'le2', 'st']);
  // "bridge" is a case-insensitive substring of the category (the authors' rule); zero-TVL nodes are skipped.
  assert.deepEqual(ids(s, resolveScenario(s, scenarios.bridge)), ['br1', 'br2']);
  assert.deepEqual(ids(s, resolveScenario(s, scenarios.stablecoin)), ['st']);
  assert.deepEqual(ids(s, resolveScenario(s, scenarios.lending)), ['big', 'le2']);
});

test('overlapping shocks take the largest ratio; token shocks add holding losses, capped at TVL', () => {
  const s = world();
  s.composition = {
    offsets: Uint32Array.from([0, 2, 2, 2, 2, 2, 2, 3, 3]),
    tokens: ['USDC', 'ETH', 'USDC'],
    values: Float64Array.from([200, 700, 80]),
  };
  const r = resolveScenario(s, {
    name: 'mix',
    shocks: [
      { kind: 'protocols', ids: ['big', 'dx'], loss: 0.1 },
      { kind: 'top', n: 1, loss: 0.3 },
      { kind: 'tokens', tokens: ['USDC'], loss: 0.5 },
    ],
  });
  assert.deepEqual(ids(s, r), ['big', 'dx']);
  // big: max(0.1, 0.3) x 1000 + 0.5 x 200; dx: 0.1 x 80 + 0.5 x 80.
  assert.deepEqual(Array.from(r.initialLoss), [400, 48]);
  const noComp = world();
  assert.throws(() => resolveScenario(noComp, { name: 't', shocks: [{ kind: 'tokens', tokens: ['USDC'], loss: 0.1 }] }), /at scenario.shocks\[0\]: a token shock needs the snapshot's composition table/);
});

test('scenario validation names the path and what was expected', () => {
  assert.throws(() => validateScenario(null), /stress\/scenario: at scenario: expected an object/);
  assert.throws(() => validateScenario({ name: 'x', shocks: [] }), /at scenario.shocks: expected a non-empty array of shocks/);
  assert.throws(() => validateScenario({ name: 'x', shocks: [{ kind: 'top', n: 0, loss: 0.5 }] }), /at scenario.shocks\[0\].n: expected an integer >= 1, got 0/);
  assert.throws(() => validateScenario({ name: 'x', shocks: [{ kind: 'protocols', ids: ['a'], loss: 1.5 }] }), /at scenario.shocks\[0\].loss: expected a loss ratio in \[0, 1\], got 1.5/);
  assert.throws(() => validateScenario({ name: 'x', shocks: [{ kind: 'sector', loss: 0.5 }] }), /at scenario.shocks\[0\].kind: expected "protocols", "top", "categories" or "tokens", got "sector"/);
  assert.throws(() => validateScenario({ name: 'x', shocks: [{ kind: 'top', n: 1, loss: 0.5, extra: 1 }] }), /at scenario.shocks\[0\].extra: unknown property/);
  assert.throws(() => validateScenario({ name: 'x', shocks: [{ kind: 'categories', categories: [''], loss: 0.5 }] }), /at scenario.shocks\[0\].categories\[0\]: expected a non-empty string/);
  assert.throws(() => runStress(world(), 'nope' as 'top1'), /unknown preset "nope"/);
  const ok = validateScenario({ name: 'mine', shocks: [{ kind: 'categories', categories: ['Lending'], loss: 0.2 }] });
  assert.equal(ok.shocks[0].kind === 'categories' && ok.shocks[0].match, 'exact');
});

test('compareStress: common node set, shocked set chosen once on the first graph', () => {
  const observed = snap([['a', 100], ['b', 100], ['c', 50], ['only-t', 1000]], [['b', 'a', 10], ['c', 'b', 10]]);
  const forecast = snap([['a', 100], ['b', 300], ['c', 50]], [['b', 'a', 10], ['c', 'a', 30]]);
  forecast.kind = 'forecast';
  const cmp = compareStress([{ label: 'observed', snapshot: observed }, { label: 'predicted', snapshot: forecast }], 'top1');
  assert.equal(cmp.commonNodes, 3);
  // On the observed common subgraph the largest is a (tie with b broken by id); 'only-t' is not common.
  assert.deepEqual(cmp.shocked, ['a']);
  const [o, p] = cmp.results;
  assert.equal(o.label, 'observed');
  assert.equal(p.label, 'predicted');
  // Observed: a loses 50 -> b takes 10 (its exposure) -> not past 10% of 100. Total 60 of 250.
  assert.ok(Math.abs(o.systemLossPct - 24) < 1e-12);
  // Predicted: a loses 50 > the 40 of claims on it, so b and c lose their whole exposures
  // (10 and 30; c is distressed). Total 90 of 450.
  assert.ok(Math.abs(p.systemLossPct - 20) < 1e-12);
  assert.equal(p.distressed, 2);
  assert.deepEqual(p.shocked, ['a']);
  assert.throws(() => compareStress([observed], 'top1', { selectOn: 'nope' }), /selectOn "nope" names none of the graphs/);
});

test('predictive summary: ΔMAE and worst-20% win rate (hand-computed)', () => {
  const cases = [
    { observed: 10, predicted: 11, realised: 12, horizon: 1 }, // base 2, model 1
    { observed: 5, predicted: 9, realised: 5, horizon: 1 }, // base 0, model 4
    { observed: 20, predicted: 14, realised: 12, horizon: 1 }, // base 8, model 2  <- worst
    { observed: 3, predicted: 4, realised: 4, horizon: 4 }, // base 1, model 0
    { observed: 1, predicted: 9, realised: 6, horizon: 4 }, // base 5, model 3  <- worst of h4
    { observed: 2, predicted: 2, realised: 2, horizon: 4 }, // base 0, model 0
  ];
  const s = predictiveStressSummary(cases);
  assert.equal(s.overall.cases, 6);
  assert.ok(Math.abs(s.overall.maeBaseline - 16 / 6) < 1e-12);
  assert.ok(Math.abs(s.overall.maeModel - 10 / 6) < 1e-12);
  assert.ok(Math.abs(s.overall.deltaMAE - 1) < 1e-12);
  assert.equal(s.overall.worstCases, 2); // ceil(1.2)
  assert.ok(Math.abs(s.overall.deltaMAEWorst - ((8 + 5) / 2 - (2 + 3) / 2)) < 1e-12);
  assert.equal(s.overall.winRateWorst, 1);
  assert.deepEqual(s.byHorizon.map((r) => [r.horizon, r.cases, r.worstCases]), [[1, 3, 1], [4, 3, 1]]);
  assert.ok(Math.abs(s.byHorizon[0].deltaMAE - (10 / 3 - 7 / 3)) < 1e-12);
  assert.throws(() => predictiveStressSummary([]), /no cases/);
  assert.throws(() => predictiveStressSummary([{ observed: 1, predicted: Number.NaN, realised: 1 }]), /cases\[0\].predicted must be a finite number/);
});

test('sweep returns one point per value and validates its spec', () => {
  const s = world();
  const r = sweep(s, 'top1', { shockSizes: [0, 0.5, 1] });
  assert.equal(r.parameter, 'shockSize');
  assert.deepEqual(r.systemLossPct.map((x) => Math.round(x * 1e6) / 1e6), [0, (100 * (500 + 10)) / 1330, (100 * (1000 + 10)) / 1330].map((x) => Math.round(x * 1e6) / 1e6));
  assert.throws(() => sweep(s, 'top1', { shockSizes: [2] }), /shockSizes\[0\] must be a number in \[0, 1\], got 2/);
  assert.throws(() => sweep(s, 'top1', {} as never), /exactly one of shockSizes or thresholds/);
});

test('topByTvl: largest first, equal TVL by id, zero TVL never, the same for small and large n', () => {
  // Node i: TVL floor(i / 3) + 1 (three-way ties), id p(44 - i), so within a tie the
  // larger index has the smaller id; node 10 has zero TVL. Expected: 44, 43, ..., 0 without 10.
  const nodes: [string, number, string][] = Array.from({ length: 45 }, (_, i) => [`p${String(44 - i).padStart(2, '0')}`, i === 10 ? 0 : Math.floor(i / 3) + 1, 'Dexs']);
  const s = snap(nodes, []);
  const all = Array.from({ length: 45 }, (_, k) => 44 - k).filter((i) => i !== 10);
  // n = 5 cuts inside the tie of nodes 39-41 (TVL 14): 41 (p03) and 40 (p04) are in, 39 (p05) is not.
  assert.deepEqual(topByTvl(s, 5), [44, 43, 42, 41, 40]);
  assert.deepEqual(topByTvl(s, 1), [44]);
  assert.deepEqual(topByTvl(s, 40), all.slice(0, 40));
  assert.deepEqual(topByTvl(s, 100), all);
});
