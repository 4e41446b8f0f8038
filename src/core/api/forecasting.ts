/**
 * Forecasting and evaluation for notebooks: `forecast` turns a week into the
 * predicted graph h weeks ahead; `evaluate` computes the paper's Table 3 on the
 * hold-out weeks; `forecastRisk` the forecast-then-measure figure and predictive
 * stress table; `eventStudy` Table 5 and Figure 5. Results display themselves.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '../snapshot/types';
import { readModelCard } from '../model/card';
import type { Release } from '../snapshot/release';
import type { SnapshotSource } from '../trainingset/export';
import { forecast as modelForecast, type ForecastOptions } from '../model/forecast';
import { evaluateForecasts, type EvaluateOptions, type Table3, type Table3Row } from '../eval/evaluate';
import { resolveModelsDir, standardForecasters, standardGraphScorers } from '../eval/model-forecasters';
import { evaluateGraphQuality, type GraphQualityRow } from '../eval/graph-quality';
import type { Interval } from '../eval/bootstrap';
import { evaluateForecastGraphs, persistenceGraph, type ForecastEvaluation, type ForecastEvaluationOptions, type GraphForecaster } from '../eval/forecast-then-measure';
import { checkTrainedBefore, eventForecast, eventStructure, findEvent, PAPER_FIGURE5_CONTAGION_MAE, PAPER_TABLE5, type EventForecast, type EventStructure } from '../eval/events';
import { MIME_BUNDLE } from '../display/protocol';
import { tableView } from '../display/table-view';
import { chartView, groupedBarFigure } from '../display/chart-view';
import { plotlyText } from '../display/plotly-text';
import { displaySource } from '../display/format';
import { graphView } from '../display/graph-view';
import { withDisplay, withDisplays } from './show';

const bundleOf = (v: { [MIME_BUNDLE](): Record<string, unknown> }) => v[MIME_BUNDLE]();

export interface DxForecastOptions extends Partial<ForecastOptions> {
  /** The week before the anchor (for the previous-week TVL change feature); looked up when forecasting from a release. */
  previous?: Snapshot;
}

function previousWeek(release: Release, week: string): string | undefined {
  const i = release.weeks.indexOf(week);
  return i > 0 ? release.weeks[i - 1] : undefined;
}

/**
 * The predicted graph G^(t+h): `forecast(snapshot, { horizon, previous })` or
 * `forecast(release, week, { horizon })`. Displays as the graph with predicted
 * edges dashed by probability.
 */
export async function forecast(from: Snapshot | Release, weekOrOpts?: string | DxForecastOptions, maybeOpts: DxForecastOptions = {}): Promise<Snapshot> {
  let anchor: Snapshot;
  let opts: DxForecastOptions;
  let source: string | undefined;
  if ('snapshot' in from && typeof from.snapshot === 'function') {
    source = from.dir;
    if (typeof weekOrOpts !== 'string') throw new Error('dx.forecast(release, week, opts): the week (YYYY-MM-DD) is required when forecasting from a release');
    anchor = await from.snapshot(weekOrOpts);
    const prev = previousWeek(from, weekOrOpts);
    opts = { ...maybeOpts, previous: maybeOpts.previous ?? (prev ? await from.snapshot(prev) : undefined) };
  } else {
    anchor = from as Snapshot;
    opts = (typeof weekOrOpts === 'object' ? weekOrOpts : maybeOpts) ?? {};
  }
  const horizon = opts.horizon ?? 1;
  const modelsDir = resolveModelsDir(opts.modelsDir);
  if ('snapshot' in from && typeof from.snapshot === 'function' && !opts.history) {
    const history = await memoryHistory(from, anchor.week, modelsDir, horizon);
    if (history) opts = { ...opts, history };
  }
  const { previous, ...rest } = opts;
  const predicted = await modelForecast(anchor, previous, { ...rest, horizon, modelsDir });
  return withDisplay(predicted, () => bundleOf(graphView(anchor, { predicted, source, title: `Forecast from ${anchor.week} to ${predicted.week}, h = ${horizon} (${predicted.forecast?.model ?? 'model'}): predicted exposures dashed` })));
}

const fmt = (x: number, d = 3) => (Number.isFinite(x) ? Number(x.toFixed(d)) : null);

/** Paper Table 3 (DeXposure-FM and persistence rows), for side-by-side display. */
export const PAPER_TABLE3: readonly { model: string; horizon: number; auroc: number; auprc: number; weightMAE: number; weightRMSE: number; nodeMAE: number; nodeRMSE: number }[] = [
  { model: 'DeXposure-FM (paper)', horizon: 1, auroc: 0.995, auprc: 0.972, weightMAE: 2.465, weightRMSE: 3.388, nodeMAE: 0.056, nodeRMSE: 0.4 },
  { model: 'DeXposure-FM (paper)', horizon: 4, auroc: 0.995, auprc: 0.973, weightMAE: 2.489, weightRMSE: 3.424, nodeMAE: 0.14, nodeRMSE: 0.68 },
  { model: 'DeXposure-FM (paper)', horizon: 8, auroc: 0.994, auprc: 0.967, weightMAE: 2.554, weightRMSE: 3.509, nodeMAE: 0.229, nodeRMSE: 0.89 },
  { model: 'DeXposure-FM (paper)', horizon: 12, auroc: 0.993, auprc: 0.967, weightMAE: 2.648, weightRMSE: 3.606, nodeMAE: 0.286, nodeRMSE: 1.046 },
  { model: 'Persistence (paper)', horizon: 1, auroc: 0.763, auprc: 0.604, weightMAE: 2.487, weightRMSE: 4.296, nodeMAE: 0.057, nodeRMSE: 0.403 },
  { model: 'Persistence (paper)', horizon: 4, auroc: 0.782, auprc: 0.635, weightMAE: 2.372, weightRMSE: 4.138, nodeMAE: 0.138, nodeRMSE: 0.685 },
  { model: 'Persistence (paper)', horizon: 8, auroc: 0.749, auprc: 0.58, weightMAE: 2.618, weightRMSE: 4.4, nodeMAE: 0.213, nodeRMSE: 0.899 },
  { model: 'Persistence (paper)', horizon: 12, auroc: 0.762, auprc: 0.603, weightMAE: 2.541, weightRMSE: 4.304, nodeMAE: 0.272, nodeRMSE: 1.065 },
];

/**
 * Our rows with each published row right under the row it compares with (same
 * horizon, same model family), so a reader sees ours and the paper's together
 * instead of scrolling to the end of the table.
 */
export function besidePaper<A extends { model: string; h: number | string }, B extends { model: string; h: number | string }>(ours: A[], paper: B[]): (A | B)[] {
  const family = (m: string) => (/persistence/i.test(m) ? 'persistence' : /dexposure|model|gnn/i.test(m) ? 'model' : m.toLowerCase());
  const left = [...paper];
  const out: (A | B)[] = [];
  for (const r of ours) {
    out.push(r);
    for (let i = 0; i < left.length; i++) {
      if (left[i]!.h === r.h && family(left[i]!.model) === family(r.model)) {
        out.push(left[i]!);
        left.splice(i, 1);
        i--;
      }
    }
  }
  return [...out, ...left];
}

export interface DxEvaluateOptions extends EvaluateOptions {
  modelsDir?: string;
  /** Skip the model and evaluate the baselines only. */
  baselinesOnly?: boolean;
  /** Also the learned pair baseline with each feature group left out. */
  ablations?: boolean;
  /** The graph-level table (default true) and at most this many anchors per horizon for it. */
  graphs?: boolean;
  graphAnchors?: number;
  /** Show the paper's published rows beside ours (default true). */
  withPaper?: boolean;
}

export interface DxTable3 extends Table3 {
  /** Graph-level forecast quality of the model's G^(t+h) and of persistence G_t. */
  graphs: GraphQualityRow[];
}

/** A metric column and, beside it, its interval as text ("0.947-0.955"). */
const withCi = (name: string, x: number, ci: Interval | undefined, d = 3): Record<string, number | string | null> => ({ [name]: fmt(x, d), [`${name} 95% CI`]: ci && Number.isFinite(ci[0]) ? `${ci[0].toFixed(d)}-${ci[1].toFixed(d)}` : null });

/**
 * Table 3 on the hold-out weeks of a release (or of several histories), with the
 * yardstick of `dexposure evaluate`: every baseline, each kind of negative, the task
 * split, the graph-level table and bootstrap intervals. Displays as four tables.
 */
export async function evaluate(release: Release | Release[], opts: DxEvaluateOptions = {}): Promise<DxTable3> {
  const list = Array.isArray(release) ? release : [release];
  const t = await evaluateForecasts(list, (h) => standardForecasters(h, opts), opts);
  const graphs = opts.graphs === false ? [] : await evaluateGraphQuality(list, standardGraphScorers(opts), { horizons: opts.horizons, split: opts.split, maxAnchors: opts.graphAnchors, bootstrap: opts.bootstrap, blockLength: opts.blockLength, seed: opts.seed, signal: opts.signal });
  const result: DxTable3 = { ...t, graphs };
  const where = list.length === 1 ? list[0].dir : `${list.length} histories`;
  const span = `${t.testWeeks.length} hold-out weeks ${t.testWeeks[0]} .. ${t.testWeeks.at(-1)}${list.length > 1 ? ' each' : ''}`;
  return withDisplays(result, () => {
    const ci = (r: Table3Row, k: string) => r.ci?.[k];
    const ours = t.rows.map((r) => ({ model: r.model, h: r.horizon, ...withCi('AUROC', r.auroc, ci(r, 'auroc')), ...withCi('AUPRC', r.auprc, ci(r, 'auprc')), ...withCi('MRR', r.mrr, ci(r, 'mrr')), ...withCi('w MAE', r.weightMAE, ci(r, 'weightMAE')), 'w RMSE': fmt(r.weightRMSE), ...withCi('dTVL MAE', r.nodeMAE, ci(r, 'nodeMAE')), 'dTVL RMSE': fmt(r.nodeRMSE), ECE: fmt(r.ece), pairs: r.pairs }));
    const paper = opts.withPaper === false ? [] : PAPER_TABLE3.filter((p) => t.rows.some((r) => r.horizon === p.horizon)).map((p) => ({ model: p.model, h: p.horizon, AUROC: p.auroc, AUPRC: p.auprc, MRR: null, 'w MAE': p.weightMAE, 'w RMSE': p.weightRMSE, 'dTVL MAE': p.nodeMAE, 'dTVL RMSE': p.nodeRMSE, ECE: null, pairs: null }));
    const intervals = `Values with week-block bootstrap 95% intervals (${t.protocol.bootstrap.replicates} replicates, circular blocks of ${t.protocol.bootstrap.blockLength} week pairs).`;
    const table3 = tableView(besidePaper(ours, paper), {
      title: `Table 3 on ${where}: ${span}`,
      caption: `Edge existence on positives + 5:1 uniform random negatives (the paper's protocol, fixed seed), pooled over test weeks; ${t.protocol.mrr.description}; errors in log space. ${intervals} Rows marked (paper) are the published numbers on the real 2025 hold-out.`,
      columns: Object.fromEntries(['AUROC', 'AUPRC', 'MRR', 'w MAE', 'w RMSE', 'dTVL MAE', 'dTVL RMSE', 'ECE'].map((c) => [c, { digits: 3 }])),
    });
    const negatives = tableView(
      t.rows.map((r) => ({ model: r.model, h: r.horizon, ...withCi('AUPRC random', r.negatives.random.auprc, ci(r, 'negatives.random.auprc')), ...withCi('AUPRC historical', r.negatives.historical.auprc, ci(r, 'negatives.historical.auprc')), ...withCi('AUPRC structural', r.negatives.structural.auprc, ci(r, 'negatives.structural.auprc')), ...withCi('AUPRC all', r.negatives.all.auprc, ci(r, 'negatives.all.auprc')), ...withCi('AUROC all', r.negatives.all.auroc, ci(r, 'negatives.all.auroc')) })),
      { title: `Edge existence against each kind of negative, ${where}`, caption: `The same positives against ${t.protocol.negatives.description}. ${intervals}` },
    );
    const tasks = tableView(
      t.rows.map((r) => ({ model: r.model, h: r.horizon, ...withCi('pair AUPRC', r.existence.auprc, ci(r, 'existence.auprc')), ...withCi('direction accuracy', r.direction.accuracy, ci(r, 'direction.accuracy')), ...withCi('w MAE persisting', r.magnitude.persistingMAE, ci(r, 'magnitude.persistingMAE')), ...withCi('w MAE new', r.magnitude.newMAE, ci(r, 'magnitude.newMAE')), ...withCi('dTVL MAE (TVL > 0)', r.nodeMAEPositive, ci(r, 'nodeMAEPositive')) })),
      { title: `The task split, ${where}`, caption: `Pair existence either way (every kind of negative); direction of the pairs that exist one way at t+h (ties count half); log-weight error of edges present at t and t+h (persisting) and of new edges; ΔTVL error on protocols with positive TVL at t. ${intervals}` },
    );
    const bundles = [bundleOf(table3), bundleOf(negatives), bundleOf(tasks)];
    if (graphs.length) {
      bundles.push(
        bundleOf(
          tableView(
            graphs.map((g) => ({ model: g.model, h: g.horizon, anchors: g.anchors, edges: Math.round(g.predictedEdges), ...withCi('precision', g.precision, g.ci.precision), ...withCi('recall', g.recall, g.ci.recall), ...withCi('F1', g.f1, g.ci.f1), ...withCi('new-edge recall', g.newRecall, g.ci.newRecall), ...withCi('w MAE matched', g.weightMAE, g.ci.weightMAE), 'candidate recall': fmt(g.candidateRecall), 'candidate new recall': fmt(g.candidateNewRecall) })),
            { title: `Graph level: the forecast G^(t+h) vs the realised G_(t+h), ${where}`, caption: `The model's forecast as dx.forecast builds it (its own candidate pairs) against persistence G_t with the same number of edges, on the anchor's protocols. ${intervals}` },
          ),
        ),
      );
    }
    return bundles;
  });
}

export interface DxForecastRiskOptions extends ForecastEvaluationOptions {
  modelsDir?: string;
  /** Use the persistence forecast instead of the model (for comparison). */
  model?: 'dexposure-fm' | 'persistence';
}

/**
 * The weeks of `source` before `week` that a model with pair features reads as its
 * edge memory (its card's memoryWeeks, the anchor included), oldest first; undefined
 * for a model without pair features or an anchor that `source` does not hold.
 */
async function memoryHistory(source: SnapshotSource, week: string, modelsDir: string | undefined, horizon: number): Promise<Snapshot[] | undefined> {
  if (!modelsDir) return undefined;
  const card = join(modelsDir, `h${horizon}`, 'link.card.json');
  const memory = existsSync(card) ? readModelCard(card).pairFeatures?.memoryWeeks : undefined;
  const weeks = [...source.weeks].sort();
  const i = weeks.indexOf(week);
  if (!memory || i < 0) return undefined;
  return Promise.all(weeks.slice(Math.max(0, i - (memory - 1)), i).map((w) => source.snapshot(w)));
}

/**
 * The model's graph forecaster (G_t -> G^(t+h)) for the forecast-then-measure
 * evaluations. With `source`, a model with pair features gets the weeks before each
 * anchor as its edge memory, as in training; without it, only the previous week.
 */
export function modelGraphForecaster(modelsDir?: string, source?: SnapshotSource): GraphForecaster {
  const dir = resolveModelsDir(modelsDir);
  return async (anchor, previous, horizon) => {
    const history = source ? await memoryHistory(source, anchor.week, dir, horizon) : undefined;
    return modelForecast(anchor, previous, { horizon, modelsDir: dir, ...(history ? { history } : {}) });
  };
}

/** Why a horizon has no R^2 to draw: too few anchor weeks, or a measure that did not vary. */
export function r2MissingReason(fits: readonly { n: number }[]): string {
  const n = Math.max(0, ...fits.map((f) => f.n));
  return n < 2 ? `only ${n} anchor week${n === 1 ? ' has' : 's have'} a realised graph this far ahead; R² needs 2` : 'the measure did not vary over the anchor weeks, so R² is undefined';
}

/** Figure 4 (forecast-then-measure R^2) and Table 4 (predictive stress testing) on the hold-out weeks. */
export async function forecastRisk(release: Release, opts: DxForecastRiskOptions = {}): Promise<ForecastEvaluation> {
  const usePersistence = opts.model === 'persistence';
  const r = await evaluateForecastGraphs(release, usePersistence ? 'persistence' : 'dexposure-fm', usePersistence ? persistenceGraph : modelGraphForecaster(opts.modelsDir, release), opts);
  return withDisplays(r, () => {
    const s = r.stressSummary;
    const anchors = [...new Set(r.stressCases.map((c) => c.week))].sort();
    const rows = [...s.byHorizon, s.overall].map((x) => ({ h: x.horizon ?? 'all', cases: x.cases, 'MAE model': fmt(x.maeModel, 2), 'MAE persistence': fmt(x.maeBaseline, 2), 'dMAE (all)': fmt(x.deltaMAE, 2), 'dMAE (worst 20%)': fmt(x.deltaMAEWorst, 2), 'win rate (worst 20%)': fmt(x.winRateWorst, 2) }));
    const table = tableView(rows, { title: `Table 4 on ${displaySource(release.dir)}: predictive stress testing (${r.model}), system loss in % points, ${anchors.length} anchor weeks ${anchors[0] ?? '-'} .. ${anchors.at(-1) ?? '-'}`, caption: 'dMAE = MAE(persistence) - MAE(model); paper: h1 -0.95/+3.04/100%, h4 -1.71/+1.42/83%, h8 -0.17/+2.60/100%, h12 -0.55/+2.21/83%.' });
    const metrics = [...new Set(r.fits.map((f) => f.metric))];
    const hs = [...new Set(r.fits.map((f) => f.horizon))];
    const fig = groupedBarFigure(
      metrics,
      hs.map((h) => ({ name: `h = ${h}`, values: metrics.map((m) => r.fits.find((f) => f.horizon === h && f.metric === m)?.pearsonR2 ?? NaN) })),
      { title: `Figure 4 on ${displaySource(release.dir)}: forecast-then-measure, R^2 of predicted vs realised (paper: TVL HHI 0.001, density 0.841, mean SIS 0.700, spillover 0.000)`, yTitle: 'R^2', missing: Object.fromEntries(hs.map((h) => [`h = ${h}`, r2MissingReason(r.fits.filter((f) => f.horizon === h))])) },
    );
    return [bundleOf(table), bundleOf(chartView(fig))];
  });
}

export interface EventStudy {
  structure: EventStructure;
  forecast?: EventForecast;
  paper?: { preTvlB: number; postTvlB: number; dTvlPct: number; dEdgesPct: number; contagionMAE?: number };
}

/**
 * Table 5 and Figure 5 for a crisis ('terra', 'ftx', 'svb' or its date). The
 * forecast part needs a model trained only on weeks before the event window:
 * pass its folder as `modelsDir` (`dexposure export-training-set DATA --to <anchor
 * week>`, then `npm run train` on that set; docs/API.md), or a graph forecaster of
 * your own.
 */
export async function eventStudy(release: Release, event: string, opts: { modelsDir?: string; forecaster?: GraphForecaster; model?: string } = {}): Promise<EventStudy> {
  const e = findEvent(event);
  const structure = await eventStructure(release, e);
  if (opts.modelsDir && !opts.forecaster) {
    const card = join(opts.modelsDir, 'h1', 'encoder.card.json');
    if (existsSync(card)) checkTrainedBefore(e, readModelCard(card).trainingData.to, `the model in ${join(opts.modelsDir, 'h1')}`, structure.anchor);
  }
  const forecaster = opts.forecaster ?? (opts.modelsDir ? modelGraphForecaster(opts.modelsDir, release) : undefined);
  const fc = forecaster ? await eventForecast(release, e, opts.model ?? (opts.forecaster ? 'custom' : 'dexposure-fm'), forecaster) : undefined;
  const paper = PAPER_TABLE5[e.id] ? { ...PAPER_TABLE5[e.id], contagionMAE: PAPER_FIGURE5_CONTAGION_MAE[e.id] } : undefined;
  const result: EventStudy = { structure, forecast: fc, paper };
  return withDisplays(result, () => {
    const rows: Record<string, unknown>[] = [
      { source: `this data (${displaySource(release.dir)})`, anchor: structure.anchor, last: structure.last, 'pre TVL ($B)': fmt(structure.preTvl / 1e9, 2), 'post TVL ($B)': fmt(structure.postTvl / 1e9, 2), 'dTVL %': fmt(structure.dTvlPct, 1), 'dEdges %': fmt(structure.dEdgesPct, 1), 'contagion MAE %': fc ? fmt(fc.contagionMAE, 2) : null },
    ];
    if (paper) rows.push({ source: 'paper (real release)', anchor: structure.anchor, last: structure.last, 'pre TVL ($B)': paper.preTvlB, 'post TVL ($B)': paper.postTvlB, 'dTVL %': paper.dTvlPct, 'dEdges %': paper.dEdgesPct, 'contagion MAE %': paper.contagionMAE ?? null });
    const columns = { 'pre TVL ($B)': { digits: 2 }, 'post TVL ($B)': { digits: 2 }, 'dTVL %': { digits: 1 }, 'dEdges %': { digits: 1 }, 'contagion MAE %': { digits: 2 } };
    const table = bundleOf(tableView(rows, { title: `${e.name} (${e.date}): structure change over the event window`, columns }));
    if (!fc) return [table];
    const chart = bundleOf(
      chartView({
        data: [
          { type: 'scatter', mode: 'lines+markers', name: 'realised TVL HHI', x: fc.weeks.map((w) => w.week), y: fc.weeks.map((w) => w.actualTvlHHI) },
          { type: 'scatter', mode: 'lines+markers', name: 'predicted TVL HHI', x: fc.weeks.map((w) => w.week), y: fc.weeks.map((w) => w.predictedTvlHHI), line: { dash: 'dash' } },
          { type: 'scatter', mode: 'lines+markers', name: 'realised loss %', yaxis: 'y2', x: fc.weeks.map((w) => w.week), y: fc.weeks.map((w) => w.actualLossPct) },
          { type: 'scatter', mode: 'lines+markers', name: 'predicted loss %', yaxis: 'y2', x: fc.weeks.map((w) => w.week), y: fc.weeks.map((w) => w.predictedLossPct), line: { dash: 'dash' } },
        ],
        layout: { title: { text: plotlyText(`Figure 5 on ${displaySource(release.dir)}: ${e.name}, one-step forecasts (${fc.model}) through the window`) }, yaxis: { title: { text: 'TVL HHI' } }, yaxis2: { title: { text: 'system loss, top-5 50% (%)' }, overlaying: 'y', side: 'right' }, legend: { orientation: 'h', x: 0, y: 1.02, xanchor: 'left', yanchor: 'bottom' } },
      }),
    );
    return [table, chart];
  });
}
