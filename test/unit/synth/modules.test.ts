import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readMappingFiles } from '../../../src/core/exposure/mapping-files';
import { readRealAggregates } from '../../../src/core/realism';
import { K } from '../../../src/core/realism/sectors';
import { rngFromSeed } from '../../../src/core/random';
import { weekTargets, addWeeks } from '../../../src/core/synth/calendar';
import { totalTvlPath, protocolLevel, growthSince } from '../../../src/core/synth/market';
import { dayNumber } from '../../../src/core/weeks';
import { Population, POPULATION, listingDay, RENAMED_BY_2025 } from '../../../src/core/synth/population';
import { Exposures, EXPOSURES } from '../../../src/core/synth/exposures';

const REAL = readRealAggregates();
const MAPPING = readMappingFiles(join(__dirname, '..', '..', '..', 'resources', 'dexposure-mapping'));

test('calendar: targets are the real week times the scale; cell shares sum to 1', () => {
  const t = weekTargets(['2022-04-25', '2024-03-25'], REAL, 0.5, true);
  const r = REAL.weeks.find((w) => w.week === '2024-03-25')!;
  assert.equal(t[1].nodes, Math.round(r.nodes * 0.5));
  assert.equal(t[1].links, Math.round(r.links * 0.5));
  assert.equal(t[1].linkSize, r.linkSize);
  assert.ok(Math.abs(t[0].cellShares.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.equal(t[0].tvl, REAL.events[0].totalTvl);
  // Outside the real calendar: the nearest real week.
  const late = weekTargets([addWeeks('2025-08-18', 10)], REAL, 1, true)[0];
  assert.equal(late.nodes, REAL.weeks[REAL.weeks.length - 1].nodes);
});

test('market: event weeks are exact; real levels follow the monthly trajectory', () => {
  const path = totalTvlPath(REAL, true);
  for (const e of REAL.events) assert.equal(path(e.week), e.totalTvl);
  const calm = totalTvlPath(REAL, false);
  assert.ok(calm('2022-05-23') > 1.2 * path('2022-05-23'));
  // Month start: exactly the month's value (AAVE V2, id 111).
  const aave = REAL.monthly.get('111')!;
  assert.equal(protocolLevel('2022-04-01', aave, undefined, path), aave.get('2022-04'));
  // Known only in December 2025: scaled by the market.
  assert.ok(Math.abs(protocolLevel('2025-08-18', undefined, 1e9, path) - 1e9) < 1);
  assert.ok(listingDay('100') < listingDay('4000'));
});

test('market: a protocol known only in 2025 grows into its level from its listing (age plus a year)', () => {
  const listed = dayNumber('2021-12-01');
  // 730 days old, 1,461 days before December 2025: (730 + 365) / (1461 + 365).
  assert.ok(Math.abs(growthSince(listed, dayNumber('2023-12-01')) - 1095 / 1826) < 1e-12);
  assert.equal(growthSince(listed, dayNumber('2025-12-01')), 1);
  assert.equal(growthSince(listed, dayNumber('2026-06-01')), 1);
  assert.equal(growthSince(undefined, dayNumber('2021-01-04')), 1);
  // Before its listing it keeps the share of its first day: 365 / (1461 + 365).
  assert.ok(Math.abs(growthSince(listed, dayNumber('2021-06-07')) - 365 / 1826) < 1e-12);
  const path = totalTvlPath(REAL, true);
  const week = '2022-04-25';
  const expected = (26e9 * path(week) * growthSince(listed, dayNumber(week))) / path('2025-08-18');
  assert.ok(Math.abs(protocolLevel(week, undefined, 26e9, path, listed) / expected - 1) < 1e-12);
});

test('population: at full scale the largest real protocols enter when listed, never die at random, and keep near their level', () => {
  const market = totalTvlPath(REAL, true);
  const pop = new Population(rngFromSeed(11), MAPPING, REAL, market);
  let week = '2024-06-03';
  const lido = () => pop.nodes.find((n) => n.id === '182');
  for (let i = 0; i < 30; i++) {
    // No exposures here, so every node is peripheral and 3% die each week.
    pop.step(week, 6000, i === 0);
    pop.setSizes(week, market(week));
    const l = lido();
    assert.ok(l && l.alive, `${week}: Lido (182) alive`);
    // u is damped by 1 / (1 + level / realDampLevel): at ~$25B within e^(1.5 / 9).
    const level = protocolLevel(week, l.monthly, l.level2025, market, l.listed);
    assert.ok(Math.abs(Math.log(l.size / level)) <= POPULATION.uMax / (1 + level / POPULATION.realDampLevel) + 1e-9, `${week}: Lido ${l.size} vs level ${level}`);
    week = addWeeks(week, 1);
  }
  // A protocol renamed by December 2025 carries its level under the mapping's name.
  const eigen = pop.nodes.find((n) => n.id === '3107');
  assert.equal(RENAMED_BY_2025[eigen?.name ?? ''], 'EigenCloud');
  assert.equal(eigen!.level2025, Math.max(...REAL.tvl2025.filter((p) => p.name === 'EigenCloud').map((p) => p.tvl)));
  // The week's largest fictional protocols are named (a meta_df.csv row), not bare ids.
  const fictional = pop.alive.map((j) => pop.nodes[j]).filter((n) => n.kind === 'fictional').sort((a, b) => b.size - a.size);
  assert.ok(fictional.length > 100);
  assert.ok(fictional.slice(0, 20).every((n) => !n.unknownCategory), 'the 20 largest fictional protocols have a category');
});

test('population: node count reaches the target, class nodes stay, sizes sum to the total TVL', () => {
  const rng = rngFromSeed(1);
  const market = totalTvlPath(REAL, true);
  const pop = new Population(rng, MAPPING, REAL, market);
  let week = '2023-01-02';
  for (let i = 0; i < 10; i++) {
    const target = 400 + 20 * i;
    pop.step(week, target, i === 0);
    pop.setSizes(week, 1.5e11);
    assert.equal(pop.alive.length, target);
    const kinds = pop.alive.map((j) => pop.nodes[j].kind);
    for (const c of ['LP', 'UNKNOWN', 'OTHER']) assert.ok(pop.alive.some((j) => pop.nodes[j].id === c));
    const tokens = kinds.filter((k) => k === 'token').length / kinds.length;
    assert.ok(tokens > 0.4 && tokens < 0.5, `token share ${tokens}`);
    const total = pop.alive.reduce((s, j) => s + pop.nodes[j].size, 0);
    assert.ok(Math.abs(total / 1.5e11 - 1) < 1e-9, `total ${total}`);
    for (const j of pop.alive) {
      const n = pop.nodes[j];
      if (n.kind === 'fictional') assert.ok(Number(n.id) > 100000 && !MAPPING.idToInfo.has(n.id));
      if (n.kind === 'real') assert.equal(MAPPING.idToInfo.get(n.id)!.name, n.name);
      if (n.kind === 'token' || n.kind === 'class') assert.equal(n.size, 0);
    }
    week = addWeeks(week, 1);
  }
});

test('population: ~58% of alive nodes have no category while fictional protocols churn in and out', () => {
  // No real level is known, so every protocol is fictional; 3% of the peripheral ones die
  // each week, so over a year far more are born than are alive at any time. Drawn at a
  // fixed share, the share without a category drifted with that mix (0.73 at full scale).
  const noReal = { ...REAL, monthly: new Map<string, Map<string, number>>(), tvl2025: REAL.tvl2025.map((p) => ({ ...p, name: `not a mapped protocol: ${p.name}` })) };
  const pop = new Population(rngFromSeed(5), MAPPING, noReal, totalTvlPath(REAL, true));
  let week = '2023-01-02';
  for (let i = 0; i < 52; i++) {
    pop.step(week, 600 + 5 * i, i === 0);
    const alive = pop.alive.map((j) => pop.nodes[j]);
    const unknown = alive.filter((n) => n.unknownCategory).length / alive.length;
    assert.ok(Math.abs(unknown - POPULATION.unknownShare) < 0.03, `${week}: share without a category ${unknown}`);
    assert.ok(alive.every((n) => n.kind !== 'real'));
    week = addWeeks(week, 1);
  }
  const born = pop.nodes.filter((n) => n.kind === 'fictional');
  const alive = pop.alive.filter((j) => pop.nodes[j].kind === 'fictional').length;
  assert.ok(born.length > 1.5 * alive, `${born.length} fictional protocols born, ${alive} alive`);
  // Tokens and class nodes never have one; fictional protocols make up the rest (600 nodes:
  // ~280 tokens and 3 class nodes, so ~20% of the ~320 fictional ones).
  assert.ok(pop.nodes.every((n) => n.kind === 'fictional' || n.unknownCategory));
  const fictionalUnknown = born.filter((n) => n.unknownCategory).length / born.length;
  assert.ok(fictionalUnknown > 0.1 && fictionalUnknown < 0.35, `fictional without a category ${fictionalUnknown}`);
});

test('population: in a reduced history no fictional protocol is larger than the largest real one or a tenth of the total', () => {
  const market = totalTvlPath(REAL, true);
  const pop = new Population(rngFromSeed(7), MAPPING, REAL, market, undefined, 0.02);
  let week = '2022-01-03';
  for (let i = 0; i < 20; i++) {
    pop.step(week, 80, i === 0);
    pop.setSizes(week, market(week));
    const alive = pop.alive.map((j) => pop.nodes[j]);
    const largestReal = Math.max(...alive.filter((n) => n.kind === 'real').map((n) => n.size));
    for (const n of alive) if (n.kind === 'fictional') assert.ok(n.size <= Math.max(largestReal, 0.1 * market(week)) * (1 + 1e-12), `${week}: ${n.name} ${n.size} > ${largestReal}`);
    const total = alive.reduce((s, n) => s + n.size, 0);
    // What the fictional ones cannot hold goes to the real ones, at most doubling them.
    assert.ok(total <= market(week) * (1 + 1e-9) && total > 0.6 * market(week), `${week}: total ${total} vs ${market(week)}`);
    week = addWeeks(week, 1);
  }
});

test('population: ids stay unique at full scale (token symbols that look like protocol ids are left out)', () => {
  const pop = new Population(rngFromSeed(3), MAPPING, REAL, totalTvlPath(REAL, true));
  pop.step('2025-06-02', 10500, true);
  const ids = pop.alive.map((j) => pop.nodes[j].id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(!ids.some((id) => /^\d+$/.test(id) && pop.nodes[pop.alive[ids.indexOf(id)]].kind === 'token'));
});

test('exposures: core edges keep their direction; link size per cell is the real mix', () => {
  const rng = rngFromSeed(2);
  const market = totalTvlPath(REAL, true);
  const pop = new Population(rng, MAPPING, REAL, market);
  const ex = new Exposures(rng, pop);
  const weeks = Array.from({ length: 6 }, (_, i) => addWeeks('2024-01-01', i));
  const targets = weekTargets(weeks, REAL, 0.05, true);
  const seen: Set<string>[] = [];
  for (const [i, t] of targets.entries()) {
    pop.step(t.week, t.nodes, i === 0);
    pop.setSizes(t.week, t.tvl);
    const links = ex.week(t);
    assert.ok(links.length <= t.links && links.length > 0.97 * t.links);
    const sizes = links.reduce((s, l) => s + l.size, 0);
    assert.ok(Math.abs(sizes / t.linkSize - 1) < 0.02, `link size ${sizes} vs ${t.linkSize}`);
    const pairs = new Set(links.filter((l) => l.target !== null && l.source !== l.target).map((l) => `${l.source}>${l.target}`));
    seen.push(pairs);
  }
  // The core (coreShare of the links) persists.
  const [a, b] = [seen[3], seen[4]];
  let kept = 0;
  let reversed = 0;
  for (const p of a) {
    const [u, v] = p.split('>');
    if (b.has(p)) kept++;
    else if (b.has(`${v}>${u}`)) reversed++;
  }
  assert.ok(kept / a.size > EXPOSURES.coreShare - 0.08, `kept ${kept / a.size}`);
  // Pairs still linked a week later keep their direction (reversals come from periphery flows only).
  assert.ok(kept / (kept + reversed) > 0.95, `same direction ${kept / (kept + reversed)}`);
  assert.equal(K, 7);
});
