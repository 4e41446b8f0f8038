import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from '../../../src/core/synth';
import { splitCsvLine } from '../../../src/core/exposure/holdings-file';
import type { WeekNetwork } from '../../../src/core/exposure/network';

const MAPPING = join(__dirname, '..', '..', '..', 'examples', 'data', 'mapping');
const tmp = () => mkdtempSync(join(tmpdir(), 'dx-synth-'));

function readRelease(dir: string): Record<string, WeekNetwork> {
  const f = readdirSync(dir).find((n) => n.startsWith('historical-network_week_'))!;
  return JSON.parse(readFileSync(join(dir, f), 'utf8')).data;
}

test('same seed gives byte-identical files; another seed differs', async () => {
  const [a, b, c] = [tmp(), tmp(), tmp()];
  const opts = { weeks: 12, protocols: 60, start: '2023-01-02', mapping: MAPPING };
  await synthesize({ seed: 5, ...opts }, a);
  await synthesize({ seed: 5, ...opts }, b);
  await synthesize({ seed: 6, ...opts }, c);
  const name = 'historical-network_week_2023-01-02.json';
  assert.ok(readFileSync(join(a, name)).equals(readFileSync(join(b, name))));
  assert.ok(readFileSync(join(a, 'meta_df.csv')).equals(readFileSync(join(b, 'meta_df.csv'))));
  assert.ok(!readFileSync(join(a, name)).equals(readFileSync(join(c, name))));
});

test('output is a valid release with the real quirks', async () => {
  const dir = tmp();
  const s = await synthesize({ seed: 11, weeks: 20, protocols: 150, start: '2023-06-05', mapping: MAPPING }, dir);
  const data = readRelease(dir);
  const weeks = Object.keys(data);
  assert.equal(weeks.length, 20);
  assert.equal(weeks[0], '2023-06-05');
  assert.equal(weeks[19], '2023-10-16');
  assert.deepEqual(weeks, [...weeks].sort());
  let nullIds = 0;
  let nullTargets = 0;
  let selfLoops = 0;
  let issuerOnly = 0;
  const meta = new Map(
    readFileSync(join(dir, 'meta_df.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => splitCsvLine(l))
      .map((f) => [f[0], f[2]] as const),
  );
  let absent = 0;
  let total = 0;
  for (const w of weeks) {
    const { nodes, links } = data[w];
    const ids = new Set<string>();
    for (const n of nodes) {
      if (n.id === null) {
        nullIds++;
        continue;
      }
      assert.ok(!ids.has(n.id), `duplicate id ${n.id} in ${w}`);
      ids.add(n.id);
      const sum = Object.values(n.composition).reduce((x, y) => x + y, 0);
      assert.ok(Math.abs(sum - n.size) <= 0.01 * Object.keys(n.composition).length + 1e-9 * n.size, `size != sum(composition) for ${n.id} in ${w}`);
      assert.ok(n.size >= 0);
      if (n.size === 0 && Object.keys(n.composition).length === 0) issuerOnly++;
      total++;
      if (!meta.has(n.id)) absent++;
    }
    for (const l of links) {
      assert.ok(l.size >= 0);
      if (l.target === null) nullTargets++;
      else assert.ok(ids.has(l.target), `link target ${l.target} missing from nodes of ${w}`);
      assert.ok(l.source !== null && ids.has(l.source));
      if (l.source === l.target) selfLoops++;
      // The link is the net of its per-token flows.
      const net = Object.values(l.composition).reduce((x, y) => x + y, 0);
      assert.ok(Math.abs(net - l.size) <= 0.01 * Object.keys(l.composition).length + 1e-6 * l.size);
    }
  }
  assert.ok(nullIds > 0, 'some null-id nodes');
  assert.ok(nullTargets > 0, 'some null-target links');
  assert.ok(selfLoops > 0, 'some self-loops');
  assert.ok(issuerOnly > 0, 'some issuer-only nodes');
  assert.ok(absent / total > 0.3 && absent / total < 0.8, `share of node ids absent from meta_df: ${absent / total}`);
  const cats = new Set(meta.values());
  assert.ok(cats.size >= 8 && cats.size <= 20, `meta_df categories: ${cats.size}`);
  assert.ok(!cats.has(''), 'no empty categories');
  // Weekly flows: about half the directed edges persist, nearly all node ids do.
  assert.ok(s.edgePersistence > 0.4 && s.edgePersistence < 0.7, `edge persistence ${s.edgePersistence}`);
  assert.ok(s.nodeOverlap > 0.95, `node overlap ${s.nodeOverlap}`);
});

test('the Terra window loses about a third of total TVL', async () => {
  const dir = tmp();
  const s = await synthesize({ seed: 3, weeks: 10, protocols: 120, start: '2022-04-04', mapping: MAPPING }, dir);
  const data = readRelease(dir);
  const tvl = (w: string) => data[w].nodes.reduce((x, n) => x + n.size, 0);
  const change = tvl('2022-05-23') / tvl('2022-04-25') - 1;
  assert.ok(change < -0.25 && change > -0.48, `TVL change over the Terra window: ${change}`);
  // Without crises the same weeks follow the smooth path: a much smaller fall.
  const calm = await synthesize({ seed: 3, weeks: 10, protocols: 120, start: '2022-04-04', mapping: MAPPING, crises: false }, tmp());
  const calmChange = calm.tvlPerWeek[7] / calm.tvlPerWeek[3] - 1;
  assert.ok(Math.abs(s.tvlPerWeek[7] / s.tvlPerWeek[3] - 1 - change) < 1e-6);
  assert.ok(calmChange > -0.2, `calm TVL change ${calmChange}`);
  await assert.rejects(synthesize({ seed: 1, start: '2022-04-05', mapping: MAPPING }, tmp()), /start must be a Monday/);
  await assert.rejects(synthesize({ seed: 1, weeks: 1, mapping: MAPPING }, tmp()), /weeks must be an integer/);
});
