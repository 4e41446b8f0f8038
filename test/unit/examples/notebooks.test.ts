/**
 * The example notebooks run headless from start to end (`dexposure run`), every cell
 * succeeds, and the outputs a reader looks for are there with sensible values.
 * They use the shipped models: quickstart and stress-lab forecast with horizon 4
 * (models/h4), paper-figures at reduced scale (DEXPOSURE_QUICK=1) with horizon 1
 * (models/h1). DEXPOSURE_MODELS points them at another model folder.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type ChartPayload, type GraphPayload, type StressPayload, type TablePayload } from '../../../src/core/display/protocol';
import { MIME } from '../../../src/core/display/views';
import { parseNotebook, STDOUT_MIME, type NotebookCell, type NotebookDocument } from '../../../src/core/notebook';
import { testKernelPath } from '../kernel/kernel-build';
import { ROOT as root, runCli } from '../cli/cli-process';

const dir = mkdtempSync(path.join(tmpdir(), 'dx-examples-test-'));
let kernelPath: string;

before(async () => {
  kernelPath = await testKernelPath();
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stderr: string;
  doc: NotebookDocument;
}

async function runNotebook(name: string, env: Record<string, string> = {}): Promise<Run> {
  const out = path.join(dir, name);
  // the sample data, not whatever dexposure.dataPath the environment has
  const r = await runCli(['run', path.join(root, 'examples', name), '--out', out, '--quiet'], { env: { DEXPOSURE_KERNEL_PATH: kernelPath, DEXPOSURE_DATA_PATH: '', ...env } });
  try {
    return { code: r.code, stderr: r.stderr, doc: parseNotebook(readFileSync(out, 'utf8'), out) };
  } catch (e) {
    throw new Error(`${name}: no executed notebook (exit ${r.code}): ${r.stderr}\n${(e as Error).message}`, { cause: e });
  }
}

const codeCells = (doc: NotebookDocument) => doc.cells.filter((c) => c.kind === 'code');

function assertAllSucceeded(name: string, r: Run): void {
  assert.equal(r.code, 0, `${name} failed:\n${r.stderr}`);
  const cells = codeCells(r.doc);
  assert.ok(cells.length > 0);
  cells.forEach((c, i) => assert.equal(c.execution?.success, true, `${name}: code cell ${i + 1} did not succeed: ${c.source.split('\n')[0]}`));
}

/** Every output item of one MIME type, in notebook order, with the cell it came from. */
function items<T>(doc: NotebookDocument, mime: string): { data: T; cell: NotebookCell }[] {
  return doc.cells.flatMap((cell) => cell.outputs.flatMap((o) => o.items.filter((it) => it.mime === mime).map((it) => ({ data: it.data as T, cell }))));
}

const tables = (doc: NotebookDocument) => items<TablePayload>(doc, MIME.table).map((x) => x.data);
const charts = (doc: NotebookDocument) => items<ChartPayload>(doc, MIME.chart).map((x) => x.data);
const chartTitle = (c: ChartPayload) => String((c.layout?.title as { text?: string } | undefined)?.text ?? '');
const stdout = (doc: NotebookDocument) => items<string>(doc, STDOUT_MIME).map((x) => x.data).join('');
const column = (t: TablePayload, name: string) => {
  const j = t.columns.findIndex((c) => c.name === name);
  assert.ok(j >= 0, `table "${t.title}" has no column "${name}" (has ${t.columns.map((c) => c.name).join(', ')})`);
  return t.rows.map((r) => r[j]);
};
const findTable = (doc: NotebookDocument, re: RegExp) => {
  const t = tables(doc).find((x) => re.test(x.title ?? ''));
  assert.ok(t, `no table titled ${re} (titles: ${tables(doc).map((x) => x.title).join(' | ')})`);
  return t;
};

/** No text fallback shows a NaN or an Infinity: every number a reader sees is defined. */
function assertNoNaNText(name: string, doc: NotebookDocument): void {
  for (const mime of ['text/markdown', 'text/plain', STDOUT_MIME]) {
    for (const { data, cell } of items<string>(doc, mime)) assert.doesNotMatch(String(data), /\bNaN\b|Infinity/, `${name}: ${mime} output of "${cell.source.split('\n')[0]}" shows NaN/Infinity`);
  }
}

describe('example notebooks run headless', () => {
  test('quickstart: a week, its watchlist and spillovers, a 4-week forecast compared with the realised graph', async () => {
    const r = await runNotebook('quickstart.dxnb');
    assertAllSucceeded('quickstart', r);
    assertNoNaNText('quickstart', r.doc);
    const graphs = items<GraphPayload>(r.doc, MIME.graph).map((x) => x.data);
    assert.equal(graphs.length, 2, 'the week and the forecast');
    const [week, forecast] = graphs;
    assert.ok(week.nodes.length > 100 && week.edges.length > 100);
    assert.ok(week.edges.every((e) => e.kind !== 'predicted'));
    assert.match(forecast.title ?? '', /h = 4/);
    assert.ok(forecast.edges.some((e) => e.kind === 'predicted' && e.probability! >= 0 && e.probability! <= 1));

    const watch = findTable(r.doc, /^Watchlist: top 10 by SIS/);
    assert.deepEqual(watch.columns.map((c) => c.name), ['rank', 'name', 'id', 'category', 'tvl', 'sis', 'pagerank', 'tailExposure']);
    assert.deepEqual(column(watch, 'rank'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const sis = column(watch, 'sis') as number[];
    assert.ok(sis.every((x, i) => i === 0 || x <= sis[i - 1]), 'ranked by SIS');

    assert.ok(charts(r.doc).some((c) => (c.data[0] as { type?: string }).type === 'heatmap' && /Sector spillovers/.test(chartTitle(c))));

    // forecast vs realised, then persistence vs realised: the exposure counts add up
    const measures = findTable(r.doc, /^forecast G\^\(t\+4\) \(.*\) vs realised G_\(t\+4\)/);
    const persistence = findTable(r.doc, /^persistence G_t \(.*\) vs realised G_\(t\+4\)/);
    for (const t of [measures, persistence]) {
      const m = /(\d+) in .*, (\d+) in .*; (\d+) kept .*, (\d+) added .*, (\d+) dropped/.exec(t.caption ?? '');
      assert.ok(m, `exposure counts in the caption of "${t.title}": ${t.caption}`);
      const [inA, inB, kept, added, dropped] = m.slice(1).map(Number);
      assert.equal(kept + dropped, inA);
      assert.equal(kept + added, inB);
      assert.ok(kept > 0);
    }
    assert.deepEqual(column(measures, 'graph'), ['forecast G^(t+4)', 'realised G_(t+4)']);
    const weeks = column(measures, 'week') as string[];
    assert.equal(weeks[0], weeks[1], 'the forecast is for the realised week');
    const fc = /forecast from (\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)/.exec(stdout(r.doc));
    assert.ok(fc);
    assert.equal((Date.parse(fc[2]) - Date.parse(fc[1])) / 86400000, 28, 'four weeks ahead');
    assert.equal(fc[2], weeks[1]);
  });

  test('stress-lab: paper scenarios, a user scenario, sweeps, the what-if view and stress on forecast graphs', async () => {
    const r = await runNotebook('stress-lab.dxnb');
    assertAllSucceeded('stress-lab', r);
    assertNoNaNText('stress-lab', r.doc);
    const stress = items<StressPayload>(r.doc, MIME.stress).map((x) => x.data);
    const single = stress.filter((s) => !s.comparison);
    assert.deepEqual(single.slice(0, 4).map((s) => s.scenario.name), ['top1', 'top5', 'bridge', 'stablecoin de-peg']);
    for (const s of single) {
      assert.ok(s.result.systemLossPct >= 0 && s.result.systemLossPct <= 100);
      assert.ok(s.whatIf, `${s.scenario.name}: the view has the what-if slider`);
    }
    const whatIf = single.at(-1)!;
    assert.deepEqual([whatIf.whatIf!.min, whatIf.whatIf!.max, whatIf.whatIf!.step], [0.05, 1, 0.05]);

    const paper = findTable(r.doc, /^Paper scenarios on /);
    assert.deepEqual(column(paper, 'scenario'), ['top1', 'top5', 'bridge']);

    const [bySize, byThreshold] = charts(r.doc);
    assert.match(chartTitle(bySize), /System loss vs shock size/);
    assert.match(chartTitle(byThreshold), /System loss vs distress threshold/);
    for (const c of [bySize, byThreshold]) assert.equal(c.data.length, 4, 'three paper scenarios and the user scenario');
    for (const trace of bySize.data as { y: number[] }[]) {
      assert.equal(trace.y.length, 21);
      assert.equal(trace.y[0], 0, 'no shock, no loss');
      assert.ok(trace.y.every((v, i) => i === 0 || v >= trace.y[i - 1] - 1e-9), 'loss grows with the shock');
    }

    const compared = stress.filter((s) => s.comparison);
    assert.equal(compared.length, 3);
    for (const c of compared) {
      assert.equal(c.comparison!.length, 2);
      assert.deepEqual([c.result.label, ...c.comparison!.map((x) => x.label)].map((l) => l!.split(' ')[0]), ['observed', 'forecast', 'realised']);
    }
    const summary = findTable(r.doc, /^System loss on G_t, G\^\(t\+4\) and G_\(t\+4\)/);
    assert.deepEqual(column(summary, 'scenario'), ['top1', 'top5', 'bridge']);
    const f = column(summary, 'forecast %') as number[];
    const real = column(summary, 'realised %') as number[];
    assert.deepEqual(column(summary, '|forecast - realised|'), f.map((x, i) => Math.abs(x - real[i])));
  });

  test('paper-figures at reduced scale: Tables 1, 3, 4, 5 and Figures 2-5, each beside the published numbers', async () => {
    const r = await runNotebook('paper-figures.dxnb', { DEXPOSURE_QUICK: '1' });
    assertAllSucceeded('paper-figures', r);
    assertNoNaNText('paper-figures', r.doc);
    assert.match(stdout(r.doc), /Computing on the bundled synthetic sample \(80 weeks, 2022-01-03 \.\. 2023-07-10\); horizons 1; reduced scale/);

    const t1 = findTable(r.doc, /^Table 1: dataset statistics, the bundled synthetic sample/);
    assert.deepEqual(column(t1, 'weeks'), [80, 283]);

    const t3 = findTable(r.doc, /^Table 3 on .*: 13 hold-out weeks/);
    const models = column(t3, 'model') as string[];
    for (const m of ['dexposure-fm', 'persistence', 'edgebank', 'DeXposure-FM (paper)', 'Persistence (paper)']) assert.ok(models.includes(m), `Table 3 has a ${m} row`);
    assert.deepEqual([...new Set(column(t3, 'h'))], [1]);
    for (const v of column(t3, 'AUROC')) assert.ok(typeof v === 'number' && v >= 0 && v <= 1);

    const t4 = findTable(r.doc, /^Table 4: predictive stress testing \(dexposure-fm\), the bundled synthetic sample .*, 4 anchor weeks/);
    assert.deepEqual(column(t4, 'h'), [1, 'all']);
    assert.deepEqual(column(t4, 'ΔMAE all (paper)'), [-0.95, null]);
    assert.equal(column(t4, 'cases')[0], 12, '4 anchor weeks x 3 scenarios');

    const titles = charts(r.doc).map(chartTitle);
    for (const re of [/^Figure 2: system-loss MAE by horizon, the bundled/, /^Figure 3: predicted vs realised system loss per case/, /^Figure 4: R² of measures/, /^Figure 5 on .*Terra\/Luna/, /^Figure 5 on .*FTX/]) {
      assert.ok(titles.some((t) => re.test(t)), `a chart titled ${re} (titles: ${titles.join(' | ')})`);
    }
    const fig2 = charts(r.doc).find((c) => /^Figure 2/.test(chartTitle(c)))!;
    assert.deepEqual((fig2.data as { name: string; y: number[] }[]).filter((d) => /paper/.test(d.name)).map((d) => d.y), [[2.07], [1.11]]);

    const t5 = findTable(r.doc, /^Table 5 and the Figure 5 contagion MAE/);
    assert.deepEqual(column(t5, 'event'), ['Terra/Luna', 'Terra/Luna', 'FTX', 'FTX']);
    assert.deepEqual(column(t5, 'data'), ['bundled sample', 'paper (real release)', 'bundled sample', 'paper (real release)']);
    const dTvl = column(t5, 'ΔTVL %') as number[];
    assert.ok(dTvl[0] < 0 && dTvl[2] > 0, 'TVL falls through Terra/Luna and rises through FTX, as in the paper');
    const mae = column(t5, 'contagion MAE %') as number[];
    assert.ok(mae[0] >= 0 && mae[2] >= 0);
  });
});
