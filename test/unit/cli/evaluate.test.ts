/**
 * `dexposure evaluate` end to end on the bundled sample (shipped models, h = 1):
 * the JSON contract of Table 3 (the model names and fields the issue fixes) and,
 * with --risk, Table 4 and Figure 4 over the same hold-out anchors, checked against
 * their definitions (dMAE = MAE(persistence) - MAE(model), three scenarios per
 * anchor, R^2 of the four Figure 4 measures).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { ROOT as root, runCli } from './cli-process';

const sample = path.join(root, 'examples', 'data');

const cli = (args: string[]) => runCli(args);

test('evaluate --risk --json: Table 3 rows for the model and every baseline, Table 4 and Figure 4 by definition', { timeout: 300_000 }, async () => {
  const r = await cli(['evaluate', sample, '--horizons', '1', '--risk', '--json', '--bootstrap', '200', '--graph-anchors', '4']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.rows.map((x: { model: string }) => x.model).sort(), ['combined', 'dexposure-fm', 'edgebank', 'edgebank-u', 'frozen-encoder', 'heuristic', 'pair-lad', 'pair-logreg', 'pair-median', 'persistence', 'persistence-u', 'popularity']);
  // the sampling protocol is stated; every row has each kind of negative, the task split and intervals
  assert.deepEqual([out.negatives.random, out.negatives.historical, out.negatives.structural], [5, 2, 2]);
  assert.match(out.protocol.mrr.description, /10 historical partners .* and 10 random protocols/);
  for (const row of out.rows) {
    for (const k of ['random', 'historical', 'structural', 'all']) assert.equal(typeof row.negatives[k].auprc, 'number', `${row.model} ${k}`);
    assert.equal(row.negatives.historical.negatives, 2 * row.positives);
    for (const k of ['auroc', 'auprc', 'mrr', 'weightMAE', 'nodeMAE', 'negatives.all.auprc', 'existence.auprc', 'direction.accuracy', 'magnitude.newMAE', 'nodeMAEPositive']) {
      const [lo, hi] = row.ci[k];
      assert.ok(lo <= hi, `${row.model} ${k} interval ${lo}..${hi}`);
    }
  }
  // graph level: the model's own forecast and persistence, with the same number of edges
  const g = (m: string) => out.graphs.find((x: { model: string }) => x.model === m);
  assert.equal(g('dexposure-fm').anchors, 4);
  assert.equal(g('dexposure-fm').predictedEdges, g('persistence').predictedEdges);
  assert.equal(g('persistence').newRecall, 0);
  assert.ok(g('dexposure-fm').candidateRecall > g('dexposure-fm').recall, 'the candidates hold more of the realised edges than the chosen ones');
  for (const row of out.rows) {
    for (const k of ['auroc', 'auprc', 'mrr', 'weightMAE', 'weightRMSE', 'nodeMAE', 'nodeRMSE']) assert.equal(typeof row[k], 'number', `${row.model}.${k}`);
    assert.equal(row.horizon, 1);
  }
  const fm = out.rows.find((x: { model: string }) => x.model === 'dexposure-fm');
  assert.ok(fm.ece >= 0 && fm.ece <= 1, 'the model reports a calibration error');
  // ECE is the pair-weighted mean gap of its reliability table, recomputed here from the bins.
  assert.equal(fm.reliability.length, 10);
  assert.equal(fm.reliability.reduce((s: number, b: { count: number }) => s + b.count, 0), fm.pairs, 'every scored pair falls in one bin');
  const gap = fm.reliability.reduce((s: number, b: { count: number; meanPredicted: number | null; observedRate: number | null }) => (b.count ? s + (b.count / fm.pairs) * Math.abs(b.meanPredicted! - b.observedRate!) : s), 0);
  assert.ok(Math.abs(gap - fm.ece) < 1e-9, `ECE ${fm.ece} is the weighted gap of the bins ${gap}`);
  assert.equal(out.rows.find((x: { model: string }) => x.model === 'heuristic').reliability, undefined, 'a score-only baseline has no reliability table');

  const { overall, byHorizon } = out.table4;
  assert.equal(byHorizon.length, 1);
  assert.equal(byHorizon[0].horizon, 1);
  assert.equal(overall.horizon, null);
  const anchors = new Set(out.stressCases.map((c: { week: string }) => c.week));
  assert.equal(overall.cases, 3 * anchors.size, 'the three paper scenarios on every anchor');
  assert.ok(anchors.size > 0 && [...anchors].every((w) => out.testWeeks.includes(w)), 'anchors are hold-out weeks');
  assert.ok(Math.abs(overall.deltaMAE - (overall.maeBaseline - overall.maeModel)) < 1e-9);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const cases = out.stressCases as { predicted: number; realised: number; observed: number }[];
  assert.ok(Math.abs(overall.maeModel - mean(cases.map((c) => Math.abs(c.predicted - c.realised)))) < 1e-9, 'MAE(model) is the mean |predicted - realised| loss');
  assert.ok(Math.abs(overall.maeBaseline - mean(cases.map((c) => Math.abs(c.observed - c.realised)))) < 1e-9, 'MAE(persistence) is the mean |observed - realised| loss');
  assert.deepEqual(out.figure4.map((f: { metric: string }) => f.metric).sort(), ['density', 'meanSIS', 'spilloverIndex', 'tvlHHI']);
  for (const f of out.figure4) assert.equal(f.n, anchors.size, `${f.metric}: one point per anchor`);
});

test('evaluate --risk refuses --baselines-only with the reason', async () => {
  const r = await cli(['evaluate', sample, '--horizons', '1', '--risk', '--baselines-only']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--risk forecasts graphs with the model; it cannot be combined with --baselines-only/);
});

test('evaluate --seeds: refuses a DATA folder beside it and a malformed list, with the reason', async () => {
  const both = await cli(['evaluate', sample, '--seeds', '1,2']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /give either a DATA folder or --seeds, not both/);
  const bad = await cli(['evaluate', '--seeds', '1,x']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--seeds expects a list of integers >= 0 like 1,4,8,12, got "1,x"/);
});

// A horizon outside DEFAULT_HORIZONS and the shipped model set (h1, h4, h8, h12): the
// baselines and persistence's graph level run at it, the model sits out and says so,
// and asking for the model there by name is refused before any work.
test('evaluate --horizons 2: the baselines at a horizon the model set lacks; the model refused there when asked for', { timeout: 600_000 }, async () => {
  const r = await cli(['evaluate', sample, '--horizons', '2', '--json', '--bootstrap', '0', '--graph-anchors', '2', '--max-positives', '50']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.rows.map((x: { model: string }) => x.model).sort(), ['combined', 'edgebank', 'edgebank-u', 'heuristic', 'pair-lad', 'pair-logreg', 'pair-median', 'persistence', 'persistence-u', 'popularity']);
  for (const row of out.rows) {
    assert.equal(row.horizon, 2);
    assert.ok(row.positives > 0 && row.auprc > 0, `${row.model} scored pairs two weeks ahead`);
  }
  assert.deepEqual(out.graphs.map((g: { model: string; horizon: number; anchors: number }) => [g.model, g.horizon, g.anchors]), [['persistence', 2, 2]]);
  const text = await cli(['evaluate', sample, '--horizons', '2', '--bootstrap', '0', '--no-graphs', '--max-positives', '20']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /models has no model for h = 2: the baselines only there \(npm run train -- --horizons 2 trains one/);
  for (const args of [['--models', path.join(root, 'models')], ['--risk']]) {
    const refused = await cli(['evaluate', sample, '--horizons', '1,2', ...args]);
    assert.equal(refused.code, 2, args.join(' '));
    assert.match(refused.stderr, /models has no model for h = 2 \(it has h1, h4, h8, h12\); train one \(npm run train -- --horizons 2/);
  }
});
