/**
 * The stress-testing entry points: one scenario on one graph (`runStress`), the same
 * scenario on several graphs over their common node set (`compareStress`), sensitivity
 * sweeps (`sweep`) and the paper's Table 4 summary over many cases
 * (`predictiveStressSummary`, data-spec §5.5: ΔMAE = MAE(persistence) − MAE(model) on
 * total loss %, and the worst 20% of cases by persistence error, k = ceil(0.2 n), with the
 * model's win rate = share of those cases where its error is strictly smaller).
 */
import { checkResultFinite, checkSumsFinite } from '../snapshot/finite';
import type { Snapshot } from '../snapshot/types';
import { resolveStressOptions, simulateContagion, stressResult } from './debtrank';
import { resolveScenario, toScenario, withLoss } from './scenario';
import type { PresetName } from './scenario';
import { inducedSubgraph } from './subgraph';
import type {
  LabelledSnapshot,
  PredictiveCase,
  PredictiveSummary,
  PredictiveSummaryRow,
  ResolvedShock,
  Scenario,
  StressComparison,
  StressOptions,
  StressResult,
  SweepResult,
  SweepSpec,
} from './types';

/** Run one scenario (a preset name or a scenario object) on one snapshot. */
export function runStress(s: Snapshot, scenario: PresetName | Scenario, opts: StressOptions = {}): StressResult {
  return runStressListing(s, scenario, opts, Infinity);
}

/**
 * `runStress` whose `losses` stop after the largest `maxLosses` rows (the same rows, in
 * the same order, as the full list's first ones): for a view that lists no more, such
 * as a what-if rerun of the stress view.
 */
export function runStressListing(s: Snapshot, scenario: PresetName | Scenario, opts: StressOptions, maxLosses: number): StressResult {
  const sc = toScenario(scenario);
  checkSumsFinite(s, 'stress');
  const shock = resolveScenario(s, sc);
  const result = stressResult(s, sc.name, shock, simulateContagion(s, shock, opts), opts, maxLosses);
  checkResultFinite(result, 'stress', s.week);
  return result;
}

export interface CompareOptions extends StressOptions {
  /** Which graph selects the shocked protocols (index or label; default the first). */
  selectOn?: number | string;
}

/**
 * The same scenario on several graphs (e.g. observed G_t, forecast G^(t+h), realised
 * G_(t+h)), each restricted to the ids present in all of them. The shocked protocols and
 * their loss ratios are chosen once, on the `selectOn` graph, and applied to every graph
 * (loss = ratio x that graph's TVL), as the authors' callers do.
 */
export function compareStress(graphs: (Snapshot | LabelledSnapshot<Snapshot>)[], scenario: PresetName | Scenario, opts: CompareOptions = {}): StressComparison {
  if (graphs.length === 0) throw new Error('stress/compare: no graphs to compare');
  const sc = toScenario(scenario);
  const labelled = graphs.map((g, i) => ('snapshot' in g ? g : { label: g.kind ?? `graph ${i}`, snapshot: g }));
  let common = new Set(labelled[0].snapshot.ids);
  for (const g of labelled.slice(1)) {
    const ids = new Set(g.snapshot.ids);
    common = new Set([...common].filter((id) => ids.has(id)));
  }
  const subs = labelled.map((g) => inducedSubgraph(g.snapshot, common));
  let ref = 0;
  if (typeof opts.selectOn === 'number') ref = opts.selectOn;
  else if (typeof opts.selectOn === 'string') ref = labelled.findIndex((g) => g.label === opts.selectOn);
  if (!(ref >= 0 && ref < subs.length)) throw new Error(`stress/compare: selectOn ${JSON.stringify(opts.selectOn)} names none of the graphs (${labelled.map((g) => g.label).join(', ')})`);
  const refShock = resolveScenario(subs[ref], sc);
  const ratio = new Map<string, number>();
  for (let j = 0; j < refShock.targets.length; j++) {
    const i = refShock.targets[j];
    ratio.set(subs[ref].ids[i], refShock.initialLoss[j] / subs[ref].tvl[i]);
  }
  const results = subs.map((s, gi) => {
    const targets: number[] = [];
    const loss: number[] = [];
    const ignored = [...refShock.ignored];
    s.ids.forEach((id, i) => {
      const r = ratio.get(id);
      if (r === undefined) return;
      if (!(s.tvl[i] > 0)) {
        ignored.push(id);
        return;
      }
      targets.push(i);
      loss.push(r * s.tvl[i]);
    });
    const shock: ResolvedShock = { targets: Int32Array.from(targets), initialLoss: Float64Array.from(loss), ignored: [...new Set(ignored)].sort() };
    checkSumsFinite(s, 'stress');
    const res = stressResult(s, sc.name, shock, simulateContagion(s, shock, opts), opts);
    checkResultFinite(res, 'stress', s.week);
    res.label = labelled[gi].label;
    return res;
  });
  return { scenario: sc.name, commonNodes: common.size, shocked: [...ratio.keys()].sort(), results };
}

function checkValues(values: unknown, name: string, lo: number, hi: number): number[] {
  if (!Array.isArray(values) || values.length === 0) throw new Error(`stress/sweep: ${name} must be a non-empty array of numbers`);
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !(v >= lo && v <= hi)) throw new Error(`stress/sweep: ${name}[${i}] must be a number in [${lo}, ${hi}], got ${String(v)}`);
  });
  return values as number[];
}

/** System loss as a function of the shock size (every loss ratio set to x) or the distress threshold. */
export function sweep(s: Snapshot, scenario: PresetName | Scenario, spec: SweepSpec, opts: StressOptions = {}): SweepResult {
  const sc = toScenario(scenario);
  resolveStressOptions(opts);
  const byShock = spec.shockSizes !== undefined;
  if (byShock === (spec.thresholds !== undefined)) throw new Error('stress/sweep: give exactly one of shockSizes or thresholds');
  const values = byShock ? checkValues(spec.shockSizes, 'shockSizes', 0, 1) : checkValues(spec.thresholds, 'thresholds', 0, 1);
  const out: SweepResult = { scenario: sc.name, parameter: byShock ? 'shockSize' : 'threshold', values: [...values], systemLossPct: [], totalLoss: [], distressed: [], affected: [], depth: [] };
  checkSumsFinite(s, 'stress sweep');
  const fixedShock = byShock ? undefined : resolveScenario(s, sc);
  for (const v of values) {
    const shock = fixedShock ?? resolveScenario(s, withLoss(sc, v));
    const o = byShock ? opts : { ...opts, threshold: v };
    const r = stressResult(s, sc.name, shock, simulateContagion(s, shock, o), o);
    checkResultFinite(r, 'stress sweep', s.week);
    out.systemLossPct.push(r.systemLossPct);
    out.totalLoss.push(r.totalLoss);
    out.distressed.push(r.distressed);
    out.affected.push(r.affected);
    out.depth.push(r.depth);
  }
  return out;
}

function summaryRow(horizon: number | null, cases: PredictiveCase[]): PredictiveSummaryRow {
  const n = cases.length;
  const modelErr = cases.map((c) => Math.abs(c.predicted - c.realised));
  const baseErr = cases.map((c) => Math.abs(c.observed - c.realised));
  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
  const maeModel = mean(modelErr);
  const maeBaseline = mean(baseErr);
  const k = Math.ceil(0.2 * n);
  // Stable sort: equal persistence errors keep input order (numpy's argsort on a reversed key would too).
  const worst = Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => baseErr[b] - baseErr[a] || a - b)
    .slice(0, k);
  const maeModelW = mean(worst.map((i) => modelErr[i]));
  const maeBaseW = mean(worst.map((i) => baseErr[i]));
  const wins = worst.filter((i) => modelErr[i] < baseErr[i]).length;
  return { horizon, cases: n, maeModel, maeBaseline, deltaMAE: maeBaseline - maeModel, worstCases: k, deltaMAEWorst: maeBaseW - maeModelW, winRateWorst: wins / k };
}

/** Table 4: ΔMAE over all cases and over the worst 20% by persistence error, with the win rate. */
export function predictiveStressSummary(cases: PredictiveCase[]): PredictiveSummary {
  if (!Array.isArray(cases) || cases.length === 0) throw new Error('stress/predictive: no cases to summarise');
  cases.forEach((c, i) => {
    for (const k of ['observed', 'predicted', 'realised'] as const) {
      if (typeof c[k] !== 'number' || !Number.isFinite(c[k])) throw new Error(`stress/predictive: cases[${i}].${k} must be a finite number (system loss %), got ${String(c[k])}`);
    }
  });
  const horizons = [...new Set(cases.map((c) => c.horizon).filter((h): h is number => h !== undefined))].sort((a, b) => a - b);
  return {
    overall: summaryRow(null, cases),
    byHorizon: horizons.map((h) => summaryRow(h, cases.filter((c) => c.horizon === h))),
  };
}
