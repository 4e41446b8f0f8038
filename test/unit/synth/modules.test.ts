import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readMappingFiles } from '../../../src/core/exposure/mapping-files';
import { readRealAggregates } from '../../../src/core/realism';
import { K } from '../../../src/core/realism/sectors';
import { rngFromSeed } from '../../../src/core/random';
import { weekTargets, addWeeks } from '../../../src/core/synth/calendar';
import { totalTvlPath, protocolLevel } from '../../../src/core/synth/market';
import { Population, listingDay } from '../../../src/core/synth/population';
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
