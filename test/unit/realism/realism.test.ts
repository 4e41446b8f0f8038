import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from '../../../src/core/synth';
import { realism, autocorrelation, offDiagonalHhi, mixDistance, realAggregatesDir } from '../../../src/core/realism';
import { openRelease } from '../../../src/core/snapshot/release';
import { exportSnapshot } from '../../../src/core/snapshot/export';
import type { Snapshot } from '../../../src/core/snapshot/types';

const PY = '/usr/bin/python3';
const hasNumpy = existsSync(PY) && (() => {
  try {
    execFileSync(PY, ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const tmp = () => mkdtempSync(join(tmpdir(), 'dx-realism-'));

test('autocorrelation, off-diagonal HHI and mix distance on hand-computed cases', () => {
  // x = 1,2,3,4: mean 2.5, deviations -1.5,-0.5,0.5,1.5; lag 1: (0.75 - 0.25 + 0.75) / 5 = 0.25
  assert.equal(autocorrelation([1, 2, 3, 4], 1), 0.25);
  const cells = new Float64Array(49);
  cells[0 * 7 + 1] = 3; // off-diagonal
  cells[2 * 7 + 3] = 1;
  cells[5 * 7 + 5] = 100; // diagonal: ignored
  assert.equal(offDiagonalHhi(cells), (3 / 4) ** 2 + (1 / 4) ** 2);
  const other = new Float64Array(49);
  other[0 * 7 + 1] = 1;
  assert.ok(Math.abs(mixDistance(cells, other)! - (1 - 3 / 104)) < 1e-12);
  assert.equal(mixDistance(new Float64Array(49), other), null);
});

test('realism rows match an independent NumPy recomputation from the exported CSVs', { skip: hasNumpy ? false : 'python3-numpy not installed' }, async () => {
  const dir = tmp();
  await synthesize({ seed: 7, from: '2022-01-03', to: '2022-09-26', scale: 0.02 }, dir);
  const release = await openRelease(dir, { cacheDir: false });
  const r = await realism(release, { horizons: [1, 4] });
  const snaps: Snapshot[] = [];
  for await (const s of release.snapshots()) snaps.push(s);
  const out = tmp();
  await exportSnapshot(snaps, out, 'csv');
  const ref = JSON.parse(execFileSync(PY, [join(__dirname, 'realism_reference.py'), out, dir, realAggregatesDir(), '1,4'], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs reference ${b}`);
  assert.deepEqual(r.series.week, ref.week);
  r.series.week.forEach((w, i) => {
    close(r.series.linkSize[i], ref.linkSize[i], `link size ${w}`);
    close(r.series.tvl[i], ref.tvl[i], `TVL ${w}`);
    close(r.series.spillover[i], ref.spillover[i], `spillover ${w}`);
    close(r.series.spilloverReal[i]!, ref.spilloverReal[i], `real spillover ${w}`);
    close(r.series.sectorDistance[i]!, ref.sectorDistance[i], `sector distance ${w}`);
  });
  const row = (metric: string) => {
    const x = r.rows.find((q) => q.metric === metric);
    assert.ok(x, `row ${metric}`);
    return x!;
  };
  for (const lag of ['1', '4', '8', '12']) close(row(`autocorrelation, lag ${lag}`).value, ref.acf[lag], `acf ${lag}`);
  close(row('directed edges kept, h = 1').value, ref.edgePersistence['1'], 'edge persistence h=1');
  close(row('directed edges kept, h = 4').value, ref.edgePersistence['4'], 'edge persistence h=4');
  close(row('same direction when a pair is still linked, h = 1').value, ref.directionPersistence['1'], 'direction h=1');
  close(row('same direction when a pair is still linked, h = 4').value, ref.directionPersistence['4'], 'direction h=4');
  close(row('nodes with category Unknown').value, ref.unknownShare, 'unknown share');
  close(row('TVL share of the 10 largest nodes (last week)').value, ref.top10, 'top-10 share');
  // The event weeks inside the window are the real totals within 20%.
  const ev = r.rows.filter((q) => q.group === 'event weeks');
  assert.equal(ev.length, 3); // the Terra weeks 2022-04-25, 05-02, 05-23
  for (const e of ev) assert.ok(e.pass, `${e.metric}: ${e.value} vs ${e.real}`);
});

test('the persistence-baseline rows equal a full evaluation of the persistence baseline (dexposure evaluate)', async () => {
  const { evaluateForecasts, persistenceForecaster } = await import('../../../src/core/eval/evaluate');
  const dir = tmp();
  // Reaches the 2025 hold-out with 15 test weeks (the split needs 13, and 38 before it).
  await synthesize({ seed: 5, from: '2024-03-25', to: '2025-04-14', scale: 0.01 }, dir);
  const release = await openRelease(dir, { cacheDir: false });
  const r = await realism(release, { horizons: [1, 4] });
  const full = await evaluateForecasts(release, () => [persistenceForecaster()], { horizons: [1, 4], bootstrap: 0 });
  assert.equal(full.split, 'holdout-date');
  assert.equal(full.rows.length, 2);
  for (const t of full.rows) {
    const v = (m: string) => r.rows.find((q) => q.metric === `${m}, h = ${t.horizon}`)?.value;
    assert.equal(v('AUROC'), t.auroc, `AUROC h = ${t.horizon}`);
    assert.equal(v('AUPRC'), t.auprc, `AUPRC h = ${t.horizon}`);
    assert.equal(v('weight MAE'), t.weightMAE, `weight MAE h = ${t.horizon}`);
    assert.equal(v('dTVL MAE'), t.nodeMAE, `dTVL MAE h = ${t.horizon}`);
    assert.ok(t.auroc > 0.6 && t.auroc < 1, `a real ranking, not a constant: ${t.auroc}`);
  }
});

test('dx.realism shows the rows as a table and each weekly series as a chart', async () => {
  const { realism: dxRealism } = await import('../../../src/core/api');
  const { MIME_BUNDLES } = await import('../../../src/core/display/protocol');
  const { MIME } = await import('../../../src/core/display/views');
  const dir = tmp();
  await synthesize({ seed: 2, from: '2022-09-05', to: '2022-12-26', scale: 0.01 }, dir);
  const r = await dxRealism(await openRelease(dir, { cacheDir: false }), { horizons: [1] });
  const bundles = (r as unknown as Record<symbol, () => Record<string, unknown>[]>)[MIME_BUNDLES]();
  assert.equal(bundles.length, 4);
  const table = bundles[0][MIME.table] as { title: string; rows: unknown[][] };
  assert.equal(table.title, `Realism of ${dir}: ${r.passed} of ${r.total} rows pass (17 weeks 2022-09-05 .. 2022-12-26)`);
  assert.equal(table.rows.length, r.rows.length);
  const titles = bundles.slice(1).map((b) => ((b[MIME.chart] as { layout: { title: { text: string } } }).layout.title.text));
  assert.deepEqual(titles, ['Node and link records per week', 'Total link size and TVL per week (USD)', '7-sector spillover index (off-diagonal HHI) and distance of the sector mix to the real week']);
  // The FTX event weeks inside the window are rows of their own.
  assert.deepEqual(r.rows.filter((x) => x.group === 'event weeks').map((x) => x.metric), ['total TVL 2022-10-24 ($B)', 'total TVL 2022-10-31 ($B)', 'total TVL 2022-11-21 ($B)']);
});
