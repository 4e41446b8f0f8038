/**
 * `dexposure evaluate`: Table 3 of the paper on a release's hold-out weeks, for our
 * model (when a model set is available) and the baselines (src/core/eval).
 */
import { existsSync } from 'node:fs';
import { AtomicFile } from '../../core/files/atomic-write';
import { resolve } from 'node:path';
import { CliError } from '../command';
import { choiceOption, defineCommand, integerListOption, integerOption } from '../args';
import { DEFAULT_HORIZONS } from '../../core/weeks';
import { formatTable, type Column } from '../table-format';
import { openForCli } from '../release-args';
import { evaluateForecasts, type Table3, type Table3Row } from '../../core/eval/evaluate';
import { modelHorizons, resolveModelsDir, standardForecasters, standardGraphScorers } from '../../core/eval/model-forecasters';
import { evaluateGraphQuality, type GraphQualityRow } from '../../core/eval/graph-quality';
import { seededHistories } from '../../core/eval/histories';
import type { Interval } from '../../core/eval/bootstrap';
import type { SnapshotSource } from '../../core/trainingset/export';
import { evaluateForecastGraphs, type ForecastEvaluation } from '../../core/eval/forecast-then-measure';
import { modelGraphForecaster } from '../../core/api/forecasting';

const usage = `Usage: dexposure evaluate DATA | --seeds 1,2,3 [--horizons 1,4,8,12] [--models DIR]
                          [--baselines-only] [--no-graphs] [--graph-anchors N] [--ablations]
                          [--max-positives N] [--hard-ratio 2] [--bootstrap 1000] [--block 4]
                          [--risk] [--predictions FILE.csv] [--seed 42] [--json]

Scores the hold-out weeks of DATA (a release folder), or of several synthetic histories
(--seeds), for the model ("dexposure-fm", and "frozen-encoder" when shipped) and the
baselines, with week-block bootstrap 95% intervals on every metric:
  Table 3 (the paper's protocol): edge existence AUROC/AUPRC on positives plus 5:1
    uniform random negatives (fixed seed, pooled over test weeks), TGB-style MRR
    against 10 historical + 10 random negatives per positive, log-weight MAE/RMSE on
    positive edges, node log-TVL-change MAE/RMSE and the expected calibration error;
  hard negatives: AUROC/AUPRC against random, historical (connected either way at
    some week <= t, including reverses of edges of G_t) and structural (two hops
    apart at t) negatives, separately and together;
  tasks: pair existence (either direction), direction given the pair exists,
    magnitude given the edge exists (persisting and new edges), dTVL on protocols
    with positive TVL;
  graphs: precision / recall / F1 of the forecast G^(t+h) that dx.forecast returns
    (its own candidate pairs), recall of new edges, weight error on matched edges,
    against persistence G_t with the same number of edges.
Baselines: persistence, edgebank, heuristic (directed, the paper's), persistence-u and
edgebank-u (either direction), popularity (preferential attachment), combined (the
three before plus Adamic-Adar), pair-logreg (logistic regression on pair features,
fitted on the training weeks; no graph encoder), pair-lad (pair-logreg's existence
score; its weights by least absolute deviation, the fit for the weight MAE), pair-median
(a pair's median log-weight over its last 13 weeks, or its last one, or a typical one,
as the training weeks favour per number of weeks linked).
  --seeds LIST        evaluate synthetic histories with these seeds, pooled (generated
                      into --synth-dir on first use, reused afterwards while made
                      by the same generator version with the same options and
                      inputs, else generated again; the output says which)
  --synth-dir DIR     where seeded histories live (default .cache/synth)
  --synth-scale S     small (default: 60 weeks, 300 protocols) or full (283 weeks)
  --models DIR        model set to evaluate (default: the bundled models/)
  --baselines-only    skip the model
  --no-graphs         skip the graph-level table
  --graph-anchors N   at most N anchors per horizon for the graph-level table (evenly spaced)
  --ablations         also pair-logreg with each feature group left out (same rows,
                      same iteration budget)
  --max-positives N   at most N positives per test week pair (seeded subset; 0 = all, default)
  --hard-ratio R      historical and structural negatives per positive, each (default 2)
  --bootstrap B       bootstrap replicates (default 1000; 0 = no intervals)
  --block L           bootstrap block length in week pairs (default 4)
  --risk              also Table 4 (predictive stress testing: the paper's three
                      scenarios on G_t, the forecast G^(t+h) and the realised G_(t+h))
                      and Figure 4 (forecast-then-measure R^2 of TVL HHI, density,
                      mean SIS and spillover index), over the same hold-out anchors
  --predictions FILE  also write every scored pair as CSV (model, horizon, week,
                      source, target, label, score, weightTrue, weightPred,
                      negativeKind: empty for a positive, else random / historical / structural)
  --json              { data, [seeds, synthHistories: [{ seed, folder, generatorKey,
                      reused }]], testWeeks, protocol, rows: [{ model, horizon, auroc, auprc, mrr,
                      weightMAE, weightRMSE, nodeMAE, nodeRMSE, ece, reliability, negatives
                      {random, historical, structural, all}, existence, direction, magnitude,
                      nodeMAEPositive, ci {metric: [lo, hi]}, ... }], graphs: [rows];
                      with --risk also table4 { overall, byHorizon } and figure4 [fits]`;

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Columns for formatTable: the first `left` are labels (left-aligned), the rest numbers. */
const columns = (head: string[], left: number): Column[] =>
  head.map((header, i) => ({ header, align: i < left ? 'left' : 'right' }));

function fmt(x: number, digits = 3): string {
  return Number.isNaN(x) ? '-' : x.toFixed(digits);
}

/** A value with its interval: "0.951 (0.947-0.955)". */
function fci(x: number, ci: Interval | undefined, digits = 3): string {
  if (Number.isNaN(x)) return '-';
  return ci ? `${x.toFixed(digits)} (${fmt(ci[0], digits)}-${fmt(ci[1], digits)})` : x.toFixed(digits);
}

/** A column of a per-model table: its header and its cell of a row. */
type RowColumn<R> = [header: string, cell: (r: R) => string];

/** A table with one line per model and horizon, then the given columns. */
function modelTable<R extends { model: string; horizon: number }>(rows: readonly R[], cols: RowColumn<R>[]): string {
  return formatTable(
    columns(['model', 'h', ...cols.map(([h]) => h)], 1),
    rows.map((r) => [r.model, String(r.horizon), ...cols.map(([, cell]) => cell(r))]),
  );
}

export function formatTable3(rows: Table3Row[]): string {
  return modelTable(rows, [
    ['AUROC', (r) => fci(r.auroc, r.ci?.auroc)],
    ['AUPRC', (r) => fci(r.auprc, r.ci?.auprc)],
    ['MRR', (r) => fci(r.mrr, r.ci?.mrr)],
    ['w MAE', (r) => fci(r.weightMAE, r.ci?.weightMAE)],
    ['w RMSE', (r) => fci(r.weightRMSE, r.ci?.weightRMSE)],
    ['dTVL MAE', (r) => fci(r.nodeMAE, r.ci?.nodeMAE)],
    ['dTVL RMSE', (r) => fci(r.nodeRMSE, r.ci?.nodeRMSE)],
    ['ECE', (r) => fci(r.ece, r.ci?.ece)],
    ['pairs', (r) => String(r.pairs)],
  ]);
}

/** AUPRC (and AUROC) against each kind of negative and all together. */
export function formatNegatives(rows: Table3Row[]): string {
  return modelTable(rows, [
    ['AUPRC random', (r) => fci(r.negatives.random.auprc, r.ci['negatives.random.auprc'])],
    ['AUPRC historical', (r) => fci(r.negatives.historical.auprc, r.ci['negatives.historical.auprc'])],
    ['AUPRC structural', (r) => fci(r.negatives.structural.auprc, r.ci['negatives.structural.auprc'])],
    ['AUPRC all', (r) => fci(r.negatives.all.auprc, r.ci['negatives.all.auprc'])],
    ['AUROC historical', (r) => fci(r.negatives.historical.auroc, r.ci['negatives.historical.auroc'])],
    ['AUROC all', (r) => fci(r.negatives.all.auroc, r.ci['negatives.all.auroc'])],
  ]);
}

/** The task split: existence either way, direction, magnitude, dTVL on positive-TVL protocols. */
export function formatTasks(rows: Table3Row[]): string {
  return modelTable(rows, [
    ['pair AUPRC', (r) => fci(r.existence.auprc, r.ci['existence.auprc'])],
    ['pair AUROC', (r) => fci(r.existence.auroc, r.ci['existence.auroc'])],
    ['direction acc', (r) => fci(r.direction.accuracy, r.ci['direction.accuracy'])],
    ['w MAE persisting', (r) => fci(r.magnitude.persistingMAE, r.ci['magnitude.persistingMAE'])],
    ['w MAE new', (r) => fci(r.magnitude.newMAE, r.ci['magnitude.newMAE'])],
    ['dTVL MAE TVL>0', (r) => fci(r.nodeMAEPositive, r.ci.nodeMAEPositive)],
    ['dTVL MAE all', (r) => fci(r.nodeMAE, r.ci.nodeMAE)],
  ]);
}

/** Graph-level forecast quality. */
export function formatGraphs(rows: GraphQualityRow[]): string {
  return modelTable(rows, [
    ['anchors', (r) => String(r.anchors)],
    ['edges', (r) => fmt(r.predictedEdges, 0)],
    ['precision', (r) => fci(r.precision, r.ci.precision)],
    ['recall', (r) => fci(r.recall, r.ci.recall)],
    ['F1', (r) => fci(r.f1, r.ci.f1)],
    ['new-edge recall', (r) => fci(r.newRecall, r.ci.newRecall)],
    ['w MAE matched', (r) => fci(r.weightMAE, r.ci.weightMAE)],
    ['candidates', (r) => fmt(r.candidates, 0)],
    ['cand. recall', (r) => fmt(r.candidateRecall)],
    ['cand. new recall', (r) => fmt(r.candidateNewRecall)],
  ]);
}

/** The sampling protocol in words, printed above the tables. */
export function formatProtocol(t: Table3): string {
  const p = t.protocol;
  return [
    `negatives ${p.negatives.description}${p.maxPositives ? `; at most ${p.maxPositives} positives per week pair` : ''}`,
    p.mrr.description,
    p.bootstrap.replicates
      ? `intervals: week-block bootstrap, ${p.bootstrap.replicates} replicates, circular blocks of ${p.bootstrap.blockLength} week pairs${t.histories.length > 1 ? ', stratified by history' : ''}, 95% percentile`
      : 'no intervals (--bootstrap 0)',
  ].join('\n');
}

/**
 * Reliability tables of the rows that give probabilities (the model by default): per
 * bin of predicted probability, the mean prediction, the observed positive rate and
 * the number of pairs, so a reader can see where ECE comes from.
 */
export function formatReliability(rows: Table3Row[], models = ['dexposure-fm']): string {
  const withBins = rows.filter((r) => r.reliability && models.includes(r.model));
  if (!withBins.length) return '';
  const bins = withBins[0].reliability!;
  const head = ['model', 'h', '', ...bins.map((b) => `${b.lo.toFixed(1)}-${b.hi.toFixed(1)}`)];
  const body = withBins.flatMap((r) => [
    [r.model, String(r.horizon), 'mean p', ...r.reliability!.map((b) => fmt(b.meanPredicted, 2))],
    ['', '', 'observed', ...r.reliability!.map((b) => fmt(b.observedRate, 2))],
    ['', '', 'pairs', ...r.reliability!.map((b) => String(b.count))],
  ]);
  return [
    'Reliability of the existence probabilities (bins of predicted probability; ECE = pair-weighted mean |mean p - observed|)',
    formatTable(columns(head, 3), body),
  ].join('\n');
}

/** Table 4 (system-loss errors in % points) and Figure 4 (R^2 per measure and horizon) as text. */
export function formatRisk(r: ForecastEvaluation): string {
  const s = r.stressSummary;
  const head = [
    'h',
    'cases',
    'MAE model',
    'MAE persistence',
    'dMAE all',
    'worst',
    'dMAE worst 20%',
    'win rate worst 20%',
  ];
  const body = [...s.byHorizon, s.overall].map((x) => [
    x.horizon === null ? 'all' : String(x.horizon),
    String(x.cases),
    fmt(x.maeModel, 2),
    fmt(x.maeBaseline, 2),
    fmt(x.deltaMAE, 2),
    String(x.worstCases),
    fmt(x.deltaMAEWorst, 2),
    `${fmt(100 * x.winRateWorst, 0)}%`,
  ]);
  const metrics = [...new Set(r.fits.map((f) => f.metric))];
  const fHead = ['h', ...metrics.flatMap((m) => [`${m} R^2`, `${m} r^2`])];
  const fBody = [...new Set(r.fits.map((f) => f.horizon))].map((h) => [
    String(h),
    ...metrics.flatMap((m) => {
      const f = r.fits.find((x) => x.horizon === h && x.metric === m);
      return [fmt(f?.r2 ?? NaN), fmt(f?.pearsonR2 ?? NaN)];
    }),
  ]);
  return [
    `Table 4: predictive stress testing (${r.model} vs persistence), system loss in % points; dMAE = MAE(persistence) - MAE(model), positive when the forecast helps`,
    formatTable(columns(head, 0), body),
    '',
    'Figure 4: forecast-then-measure on the forecast G^(t+h) vs the realised G_(t+h): R^2 (coefficient of determination) and r^2 (squared Pearson correlation, as the paper reports)',
    formatTable(columns(fHead, 0), fBody),
  ].join('\n');
}

export const evaluateCommand = defineCommand(
  {
    name: 'evaluate',
    summary: 'Forecasting metrics (Table 3, hard negatives, task split, graph-level) of the model and baselines on hold-out weeks',
    usage,
    strings: ['horizons', 'models', 'graph-anchors', 'max-positives', 'hard-ratio', 'bootstrap', 'block', 'seeds', 'synth-dir', 'synth-scale', 'predictions', 'seed'],
    flags: ['baselines-only', 'no-graphs', 'ablations', 'risk', 'json'],
  },
  async (values, positionals) => {
    const cmd = 'evaluate';
    const seedList = integerListOption(cmd, '--seeds', values.seeds, { min: 0 });
    const seeds = seedList?.join(',');
    if (seeds === undefined && positionals.length !== 1)
      throw new CliError(`evaluate: expected one DATA folder (or --seeds), got ${positionals.length}\n\n${usage}`);
    if (seeds !== undefined && positionals.length !== 0)
      throw new CliError(`evaluate: give either a DATA folder or --seeds, not both\n\n${usage}`);
    const synthScale = choiceOption(cmd, '--synth-scale', values['synth-scale'], ['small', 'full'] as const) ?? 'small';
    const data = positionals[0];
    if (data !== undefined && !existsSync(data)) throw new CliError(`evaluate: ${data}: no such folder`);
    const horizons = integerListOption(cmd, '--horizons', values.horizons, { min: 1 }) ?? [...DEFAULT_HORIZONS];
    const seed = integerOption(cmd, '--seed', values.seed, { min: 0 }) ?? 42;
    const maxPositives = integerOption(cmd, '--max-positives', values['max-positives'], { min: 0 }) ?? 0;
    const hardRatio = integerOption(cmd, '--hard-ratio', values['hard-ratio'], { min: 0 }) ?? 2;
    const bootstrap = integerOption(cmd, '--bootstrap', values.bootstrap, { min: 0 }) ?? 1000;
    const blockLength = integerOption(cmd, '--block', values.block, { min: 1 }) ?? 4;
    const graphAnchors = integerOption(cmd, '--graph-anchors', values['graph-anchors'], { min: 1 });
    if (values.risk && values['baselines-only'])
      throw new CliError('evaluate: --risk forecasts graphs with the model; it cannot be combined with --baselines-only');
    if (values.risk && seeds !== undefined)
      throw new CliError('evaluate: --risk evaluates one history; it cannot be combined with --seeds');
    // Horizons the model set lacks: refused up front where the model is asked for by
    // name (--models, --risk), else the model sits out at those horizons, said below.
    const modelsDir = resolveModelsDir(values.models);
    const noModel = values['baselines-only'] || !modelsDir ? [] : horizons.filter((h) => !modelHorizons(modelsDir).includes(h));
    if (noModel.length && (values.models !== undefined || values.risk))
      throw new CliError(`evaluate: ${modelsDir} has no model for ${noModel.map((h) => `h = ${h}`).join(', ')} (it has ${modelHorizons(modelsDir!).map((h) => `h${h}`).join(', ') || 'none'}); train one (npm run train -- --horizons ${noModel.join(',')}, docs/MODEL.md) or use --baselines-only${values.risk ? ' (without --risk)' : ''}`);

    const progress = !values.json && process.stderr.isTTY;
    const t0 = performance.now();
    const histories = seeds
      ? await seededHistories(seeds.split(',').map(Number), {
          dir: values['synth-dir'] ?? '.cache/synth',
          scale: synthScale,
          onGenerate: (s, f, reason) =>
            !values.json &&
            process.stderr.write(`evaluate: generating the synthetic history of seed ${s} into ${f} (${reason})\n`),
        }).catch((e: Error) => {
          throw new CliError(`evaluate: ${e.message}`, 1);
        })
      : undefined;
    const folders = histories ? histories.map((h) => h.folder) : [data!];
    const srcs: SnapshotSource[] = [];
    for (const f of folders)
      srcs.push(
        await openForCli(f, { cacheDir: process.env.DEXPOSURE_CACHE_PATH || undefined, quiet: values.json }),
      );
    const out = values.predictions ? openPredictions(values.predictions) : undefined;
    try {
      return await evaluateInto(out);
    } finally {
      // a failed or interrupted evaluation leaves no partial predictions file
      out?.abort();
    }

    async function evaluateInto(out: AtomicFile | undefined): Promise<number> {
      out?.write('model,horizon,week,source,target,label,score,weightTrue,weightPred,negativeKind\n');
      const tTable = performance.now();
      const table = await evaluateForecasts(
        srcs,
        (h) =>
          standardForecasters(h, {
            modelsDir: values.models,
            baselinesOnly: values['baselines-only'],
            ablations: values.ablations,
          }),
        {
          horizons,
          seed,
          hardRatio,
          maxPositives,
          bootstrap,
          blockLength,
          onPrediction: out
            ? (r) =>
                out.write(
                  `${r.model},${r.horizon},${r.week},${csvField(r.source)},${csvField(r.target)},${r.label},${r.score},${r.weightTrue},${r.weightPred},${r.negativeKind}\n`,
                )
            : undefined,
          onProgress: progress
            ? (w, i, n) => process.stderr.write(`\revaluate: week ${i + 1}/${n} ${w}   `)
            : undefined,
        },
      ).catch((e: Error) => {
        throw new CliError(`evaluate: ${e.message}`, 1);
      });
      if (progress) process.stderr.write('\n');
      const tGraphs = performance.now();
      const scorers = standardGraphScorers({
        modelsDir: values.models,
        baselinesOnly: values['baselines-only'],
      });
      const graphs = values['no-graphs']
        ? []
        : await evaluateGraphQuality(srcs, scorers, {
            horizons,
            maxAnchors: graphAnchors,
            bootstrap,
            blockLength,
            seed,
            onProgress: progress
              ? (w, i, n) => process.stderr.write(`\revaluate graphs: ${w} ${i + 1}/${n}   `)
              : undefined,
          }).catch((e: Error) => {
            throw new CliError(`evaluate (graph-level): ${e.message}`, 1);
          });
      if (progress && graphs.length) process.stderr.write('\n');
      const tRisk = performance.now();
      const risk = values.risk
        ? await evaluateForecastGraphs(srcs[0], 'dexposure-fm', modelGraphForecaster(values.models, srcs[0]), {
            horizons,
            onProgress: progress
              ? (w, i, n) => process.stderr.write(`\revaluate --risk: anchor ${i + 1}/${n} ${w}   `)
              : undefined,
          }).catch((e: Error) => {
            throw new CliError(`evaluate --risk: ${e.message}`, 1);
          })
        : undefined;
      if (progress && risk) process.stderr.write('\n');
      const tEnd = performance.now();
      if (out) {
        try {
          out.commit();
        } catch (e) {
          throw new CliError(`evaluate: --predictions: ${(e as Error).message}`, 1);
        }
      }
      const timings = {
        openSeconds: (tTable - t0) / 1000,
        table3Seconds: (tGraphs - tTable) / 1000,
        graphsSeconds: (tRisk - tGraphs) / 1000,
        riskSeconds: (tEnd - tRisk) / 1000,
      };
      if (values.json) {
        const riskJson = risk
          ? { table4: risk.stressSummary, figure4: risk.fits, stressCases: risk.stressCases }
          : {};
        console.log(
          JSON.stringify(
            {
              data: data ? resolve(data) : folders.map((f) => resolve(f)),
              ...(seeds ? { seeds: seeds.split(',').map(Number) } : {}),
              ...(histories
                ? { synthHistories: histories.map((h) => ({ seed: h.seed, folder: resolve(h.folder), generatorKey: h.key, reused: h.reused })) }
                : {}),
              testWeeks: table.testWeeks,
              split: table.split,
              histories: table.histories,
              seed,
              protocol: table.protocol,
              negatives: table.protocol.negatives,
              rows: table.rows,
              graphs,
              timings,
              ...riskJson,
            },
            (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
            2,
          ),
        );
      } else {
        const where = histories
          ? `${folders.length} synthetic histories (seeds ${seeds}, ${synthScale} scale, ${histories.map((h) => `${h.folder} ${h.reused ? 'reused' : 'generated'} under generator key ${h.key.slice(0, 12)}`).join(', ')}); per history `
          : '';
        console.log(
          `hold-out: ${where}${table.testWeeks.length} test weeks ${table.testWeeks[0]} .. ${table.testWeeks.at(-1)} (${table.split === 'holdout-date' ? 'weeks from 2025-01-01' : `the last ${table.testWeeks.length} weeks: the history has no 2025 hold-out`}), seed ${seed}`,
        );
        console.log(`${formatProtocol(table)}\n`);
        if (noModel.length)
          console.log(`${modelsDir} has no model for ${noModel.map((h) => `h = ${h}`).join(', ')}: the baselines only there (npm run train -- --horizons ${noModel.join(',')} trains one, docs/MODEL.md)\n`);
        console.log("Table 3 (the paper's protocol: positives + random negatives), value (95% interval)");
        console.log(formatTable3(table.rows));
        console.log('\nExistence against each kind of negative (same positives)');
        console.log(formatNegatives(table.rows));
        console.log(
          '\nTasks: pair existence either way (all negatives), direction of existing one-way pairs, log-weight error of persisting and new edges, dTVL on protocols with TVL > 0 and on all',
        );
        console.log(formatTasks(table.rows));
        if (graphs.length) {
          console.log(
            "\nGraph level: the forecast G^(t+h) (its own candidate pairs) vs the realised G_(t+h) on the anchor's protocols; persistence = G_t, the same number of edges",
          );
          console.log(formatGraphs(graphs));
        }
        const reliability = formatReliability(table.rows);
        if (reliability) console.log(`\n${reliability}`);
        if (risk) console.log(`\n${formatRisk(risk)}`);
        console.log(
          `\ntime: open ${timings.openSeconds.toFixed(0)} s, tables ${timings.table3Seconds.toFixed(0)} s, graph level ${timings.graphsSeconds.toFixed(0)} s${risk ? `, risk ${timings.riskSeconds.toFixed(0)} s` : ''}`,
        );
      }
      return 0;
    }
  },
);

function openPredictions(file: string): AtomicFile {
  try {
    return new AtomicFile(file);
  } catch (e) {
    throw new CliError(`evaluate: --predictions: ${(e as Error).message}`);
  }
}
