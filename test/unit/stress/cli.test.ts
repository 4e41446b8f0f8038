import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measuresCommand } from '../../../src/cli/commands/measures';
import { stressCommand } from '../../../src/cli/commands/stress';
import { warningsCommand } from '../../../src/cli/commands/warnings';
import { stressView } from '../../../src/core/display/stress-view';
import { openRelease } from '../../../src/core/snapshot/release';
import { runStress } from '../../../src/core/stress';

const DATA = join(__dirname, '..', '..', '..', 'examples', 'data');

async function capture(run: () => Promise<number>): Promise<string> {
  const orig = console.log;
  const out: string[] = [];
  console.log = (...a: unknown[]) => void out.push(a.map(String).join(' '));
  try {
    assert.equal(await run(), 0);
  } finally {
    console.log = orig;
  }
  return out.join('\n');
}

test('measures --json on the sample release keeps the interface field names', async () => {
  const m = JSON.parse(await capture(() => measuresCommand.run([DATA, '--week', '2022-01-03', '--json']))) as Record<string, unknown>;
  for (const k of ['week', 'density', 'tvlHHI', 'edgeHHI', 'giniTVL', 'spilloverIndex', 'meanSIS', 'protocols']) assert.ok(k in m, k);
  const p = (m.protocols as Record<string, unknown>[])[0];
  for (const k of ['id', 'name', 'category', 'tvl', 'pagerank', 'tailExposure', 'sis']) assert.ok(k in p, k);
  assert.equal(m.week, '2022-01-03');
  const human = await capture(() => measuresCommand.run([DATA, '--week', '2022-01-03', '--top', '3']));
  assert.match(human, /Watchlist \(top 3 by SIS/);
});

test('stress --json: presets and a scenario file; the totals agree with the per-protocol losses', async () => {
  const r = JSON.parse(await capture(() => stressCommand.run([DATA, '--week', '2022-01-03', '--scenario', 'top5', '--json']))) as {
    systemLossPct: number; totalLoss: number; totalTvl: number; losses: Record<string, number>; depth: number; affected: number; distressed: number; scenario: string; week: string;
  };
  assert.equal(r.scenario, 'top5');
  const sum = Object.values(r.losses).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - r.totalLoss) <= 1e-6 * r.totalLoss);
  assert.ok(Math.abs(r.systemLossPct - (100 * r.totalLoss) / r.totalTvl) < 1e-9);
  const dir = mkdtempSync(join(tmpdir(), 'dx-stress-'));
  const file = join(dir, 'sc.json');
  writeFileSync(file, JSON.stringify({ name: 'wbtc', shocks: [{ kind: 'protocols', ids: ['2'], loss: 0.5 }] }));
  const f = JSON.parse(await capture(() => stressCommand.run([DATA, '--week', '2022-01-03', '--scenario', file, '--json']))) as { scenario: string; losses: Record<string, number> };
  assert.equal(f.scenario, 'wbtc');
  assert.ok(f.losses['2'] > 0);
  writeFileSync(file, JSON.stringify({ name: 'bad', shocks: [{ kind: 'top', n: 1, loss: 3 }] }));
  await assert.rejects(stressCommand.run([DATA, '--week', '2022-01-03', '--scenario', file]), /at scenario.shocks\[0\].loss: expected a loss ratio in \[0, 1\], got 3/);
  await assert.rejects(stressCommand.run([DATA, '--week', '2022-01-04', '--scenario', 'top1']), /week 2022-01-04 is not in the release .* nearest 2022-01-03 or 2022-01-10/);
});

test('warnings --json: one series point per week in range, alerts inside it', async () => {
  const r = JSON.parse(await capture(() => warningsCommand.run([DATA, '--from', '2022-01-01', '--to', '2022-06-30', '--json']))) as {
    series: { week: string; density: number; tvlHHI: number; spilloverIndex: number }[]; alerts: { week: string; measure: string; zScore: number }[];
  };
  assert.equal(r.series[0].week, '2022-01-03');
  assert.ok(r.series.every((p) => p.week >= '2022-01-01' && p.week <= '2022-06-30'));
  assert.equal(r.series.length, 26);
  for (const a of r.alerts) {
    assert.ok(Math.abs(a.zScore) > 2);
    assert.ok(r.series.some((p) => p.week === a.week));
  }
  await assert.rejects(warningsCommand.run([DATA, '--from', '2030-01-01', '--to', '2030-02-01']), /no weeks of the release fall in/);
});

test('stress --json and the stress view state the same figures and rounds of one run', async () => {
  const j = JSON.parse(await capture(() => stressCommand.run([DATA, '--week', '2022-01-03', '--scenario', 'top5', '--json']))) as Record<string, unknown>;
  const release = await openRelease(DATA);
  const r = runStress(await release.snapshot('2022-01-03'), 'top5');
  const view = JSON.parse(JSON.stringify(stressView(r).payload.result)) as Record<string, unknown>;
  const figures = ['systemLossPct', 'totalLoss', 'totalTvl', 'depth', 'affected', 'distressed'];
  for (const k of figures) {
    assert.equal(typeof j[k], 'number', k);
    assert.equal(j[k], view[k], k);
  }
  assert.ok((j.distressed as number) >= 5 && (j.rounds as unknown[]).length >= 1, 'top5 distresses its five targets in round 0');
  assert.deepEqual(j.rounds, view.rounds);
  // the domain's per-node columns stay out of both
  for (const k of ['lossByNode', 'distressedRound']) assert.ok(!(k in view), k);
  assert.ok(!('lossByNode' in j));
});
