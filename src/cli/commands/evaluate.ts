/**
 * `dexposure evaluate`: Table 3 of the paper on a release's hold-out weeks, for our
 * model (when a model set is available) and the baselines (src/core/eval).
 */
import { existsSync } from 'node:fs';
import { AtomicFile } from '../../core/files/atomic-write';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command';
import { CliError } from '../command';
import { formatTable, type Column } from '../table-format';
import { openForCli } from '../release-args';
import { edgeBankForecaster, evaluateForecasts, heuristicForecaster, persistenceForecaster, type Forecaster, type Table3Row } from '../../core/eval/evaluate';
import { modelForecasters } from '../../core/eval/model-forecasters';
import { evaluateForecastGraphs, type ForecastEvaluation } from '../../core/eval/forecast-then-measure';
import { modelGraphForecaster } from '../../core/api/forecasting';

const usage = `Usage: dexposure evaluate DATA [--horizons 1,4,8,12] [--models DIR] [--baselines-only]
                          [--risk] [--predictions FILE.csv] [--seed 42] [--json]

Scores the hold-out weeks of DATA (a release folder) the way the paper's Table 3 does:
edge existence AUROC/AUPRC on positives plus 5:1 uniform negatives (fixed seed, pooled
over test weeks), TGB-style MRR with historical + random negatives, log-weight MAE/RMSE
on positive edges, node log-TVL-change MAE/RMSE and the expected calibration error
(with the model's reliability table),
for the model ("dexposure-fm", and "frozen-encoder" when shipped) and the baselines
"persistence", "edgebank" and "heuristic".
  --models DIR        model set to evaluate (default: the bundled models/)
  --baselines-only    skip the model
  --risk              also Table 4 (predictive stress testing: the paper's three
                      scenarios on G_t, the forecast G^(t+h) and the realised G_(t+h))
                      and Figure 4 (forecast-then-measure R^2 of TVL HHI, density,
                      mean SIS and spillover index), over the same hold-out anchors
  --predictions FILE  also write every scored pair as CSV (model, horizon, week,
                      source, target, label, score, weightTrue, weightPred)
  --json              { data, testWeeks, rows: [{ model, horizon, auroc, auprc, mrr,
                      weightMAE, weightRMSE, nodeMAE, nodeRMSE, ece, reliability
                      [{ lo, hi, count, meanPredicted, observedRate }], ... }] }; with
                      --risk also table4 { overall, byHorizon } and figure4 [fits]`;

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Columns for formatTable: the first `left` are labels (left-aligned), the rest numbers. */
const columns = (head: string[], left: number): Column[] => head.map((header, i) => ({ header, align: i < left ? 'left' : 'right' }));

function fmt(x: number, digits = 3): string {
  return Number.isNaN(x) ? '-' : x.toFixed(digits);
}

export function formatTable3(rows: Table3Row[]): string {
  const head = ['model', 'h', 'AUROC', 'AUPRC', 'MRR', 'w MAE', 'w RMSE', 'dTVL MAE', 'dTVL RMSE', 'ECE', 'pairs'];
  const body = rows.map((r) => [r.model, String(r.horizon), fmt(r.auroc), fmt(r.auprc), fmt(r.mrr), fmt(r.weightMAE), fmt(r.weightRMSE), fmt(r.nodeMAE), fmt(r.nodeRMSE), fmt(r.ece), String(r.pairs)]);
  return formatTable(columns(head, 1), body);
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
  return ['Reliability of the existence probabilities (bins of predicted probability; ECE = pair-weighted mean |mean p - observed|)', formatTable(columns(head, 3), body)].join('\n');
}

/** Table 4 (system-loss errors in % points) and Figure 4 (R^2 per measure and horizon) as text. */
export function formatRisk(r: ForecastEvaluation): string {
  const s = r.stressSummary;
  const head = ['h', 'cases', 'MAE model', 'MAE persistence', 'dMAE all', 'worst', 'dMAE worst 20%', 'win rate worst 20%'];
  const body = [...s.byHorizon, s.overall].map((x) => [x.horizon === null ? 'all' : String(x.horizon), String(x.cases), fmt(x.maeModel, 2), fmt(x.maeBaseline, 2), fmt(x.deltaMAE, 2), String(x.worstCases), fmt(x.deltaMAEWorst, 2), `${fmt(100 * x.winRateWorst, 0)}%`]);
  const metrics = [...new Set(r.fits.map((f) => f.metric))];
  const fHead = ['h', ...metrics.flatMap((m) => [`${m} R^2`, `${m} r^2`])];
  const fBody = [...new Set(r.fits.map((f) => f.horizon))].map((h) => [String(h), ...metrics.flatMap((m) => {
    const f = r.fits.find((x) => x.horizon === h && x.metric === m);
    return [fmt(f?.r2 ?? NaN), fmt(f?.pearsonR2 ?? NaN)];
  })]);
  return [
    `Table 4: predictive stress testing (${r.model} vs persistence), system loss in % points; dMAE = MAE(persistence) - MAE(model), positive when the forecast helps`,
    formatTable(columns(head, 0), body),
    '',
    'Figure 4: forecast-then-measure on the forecast G^(t+h) vs the realised G_(t+h): R^2 (coefficient of determination) and r^2 (squared Pearson correlation, as the paper reports)',
    formatTable(columns(fHead, 0), fBody),
  ].join('\n');
}

export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  summary: 'Forecasting metrics (Table 3) of the model and baselines on hold-out weeks',
  usage,
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          horizons: { type: 'string', default: '1,4,8,12' },
          models: { type: 'string' },
          'baselines-only': { type: 'boolean', default: false },
          risk: { type: 'boolean', default: false },
          predictions: { type: 'string' },
          seed: { type: 'string', default: '42' },
          json: { type: 'boolean', default: false },
        },
      });
    } catch (e) {
      throw new CliError(`evaluate: ${(e as Error).message}\n\n${usage}`);
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw new CliError(`evaluate: expected one DATA folder, got ${positionals.length}\n\n${usage}`);
    const data = positionals[0];
    if (!existsSync(data)) throw new CliError(`evaluate: ${data}: no such folder`);
    if (!/^\d+(,\d+)*$/.test(values.horizons!)) throw new CliError(`evaluate: --horizons expects a list like 1,4,8,12, got "${values.horizons}"`);
    const horizons = values.horizons!.split(',').map(Number);
    if (!/^\d+$/.test(values.seed!)) throw new CliError(`evaluate: --seed expects a non-negative integer, got "${values.seed}"`);
    const seed = Number(values.seed);
    if (values.risk && values['baselines-only']) throw new CliError('evaluate: --risk forecasts graphs with the model; it cannot be combined with --baselines-only');

    const src = await openForCli(data, { cacheDir: process.env.DEXPOSURE_CACHE_PATH || undefined });
    const out = values.predictions ? openPredictions(values.predictions) : undefined;
    try {
      return await evaluateInto(out);
    } finally {
      // a failed or interrupted evaluation leaves no partial predictions file
      out?.abort();
    }

    async function evaluateInto(out: AtomicFile | undefined): Promise<number> {
      out?.write('model,horizon,week,source,target,label,score,weightTrue,weightPred\n');
      const progress = !values.json && process.stderr.isTTY;
      const table = await evaluateForecasts(
        src,
        async (h): Promise<Forecaster[]> => [
          ...(values['baselines-only'] ? [] : await modelForecasters(h, values.models)),
          persistenceForecaster(),
          edgeBankForecaster(),
          heuristicForecaster(),
        ],
        {
          horizons,
          seed,
          onPrediction: out
            ? (r) => out.write(`${r.model},${r.horizon},${r.week},${csvField(r.source)},${csvField(r.target)},${r.label},${r.score},${r.weightTrue},${r.weightPred}\n`)
            : undefined,
          onProgress: progress ? (w, i, n) => process.stderr.write(`\revaluate: week ${i + 1}/${n} ${w}   `) : undefined,
        },
      ).catch((e: Error) => {
        throw new CliError(`evaluate: ${e.message}`, 1);
      });
      if (progress) process.stderr.write('\n');
      const risk = values.risk
        ? await evaluateForecastGraphs(src, 'dexposure-fm', modelGraphForecaster(values.models), {
            horizons,
            onProgress: progress ? (w, i, n) => process.stderr.write(`\revaluate --risk: anchor ${i + 1}/${n} ${w}   `) : undefined,
          }).catch((e: Error) => {
            throw new CliError(`evaluate --risk: ${e.message}`, 1);
          })
        : undefined;
      if (progress && risk) process.stderr.write('\n');
      if (out) {
        try {
          out.commit();
        } catch (e) {
          throw new CliError(`evaluate: --predictions: ${(e as Error).message}`, 1);
        }
      }
      if (values.json) {
        const riskJson = risk ? { table4: risk.stressSummary, figure4: risk.fits, stressCases: risk.stressCases } : {};
        console.log(JSON.stringify({ data: resolve(data), testWeeks: table.testWeeks, split: table.split, seed, rows: table.rows, ...riskJson }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2));
      } else {
        console.log(`hold-out: ${table.testWeeks.length} test weeks ${table.testWeeks[0]} .. ${table.testWeeks.at(-1)} (${table.split === 'holdout-date' ? 'weeks from 2025-01-01' : `the last ${table.testWeeks.length} weeks: the history has no 2025 hold-out`}), seed ${seed}\n`);
        console.log(formatTable3(table.rows));
        const reliability = formatReliability(table.rows);
        if (reliability) console.log(`\n${reliability}`);
        if (risk) console.log(`\n${formatRisk(risk)}`);
      }
      return 0;
    }
  },
};

function openPredictions(file: string): AtomicFile {
  try {
    return new AtomicFile(file);
  } catch (e) {
    throw new CliError(`evaluate: --predictions: ${(e as Error).message}`);
  }
}
