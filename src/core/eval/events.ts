/**
 * Event studies (the paper's Table 5 and Figure 5; data-spec §5.7): the structure
 * change over a crisis window, and one-step-ahead forecasts through it from a model
 * trained only on weeks before the window.
 *
 * Windows as coded by the authors (`T2:SHOCK_EVENTS`, CLAW `STRESS_EVENTS`): the
 * event weeks are the Mondays of the closed event window; the anchor is the week
 * just before the first event week. Table 5 compares the anchor with the last event
 * week. The contagion check shocks the 5 largest protocols (by TVL at the forecast's
 * origin) by 50%, as in `T2:run_early_warning_analysis`.
 */
import type { Snapshot } from '../snapshot/types';
import type { SnapshotSource } from '../trainingset/export';
import { computeMeasures } from '../measures/compute';
import type { MeasureMode } from '../measures/types';
import { compareStress } from '../stress/run';
import type { Scenario } from '../stress/types';
import type { GraphForecaster } from './forecast-then-measure';

export interface CrisisEvent {
  id: string;
  name: string;
  date: string;
  windowStart: string;
  windowEnd: string;
}

export const CRISIS_EVENTS: readonly CrisisEvent[] = [
  { id: 'terra', name: 'Terra/Luna', date: '2022-05-09', windowStart: '2022-05-02', windowEnd: '2022-05-23' },
  { id: 'ftx', name: 'FTX', date: '2022-11-07', windowStart: '2022-10-31', windowEnd: '2022-11-21' },
  { id: 'svb', name: 'SVB / USDC de-peg', date: '2023-03-10', windowStart: '2023-03-06', windowEnd: '2023-03-27' },
];

/** Paper Table 5 (anchor week -> last event week). */
export const PAPER_TABLE5: Readonly<Record<string, { preTvlB: number; postTvlB: number; dTvlPct: number; dEdgesPct: number }>> = {
  terra: { preTvlB: 261.9, postTvlB: 166.3, dTvlPct: -36.5, dEdgesPct: 9.3 },
  ftx: { preTvlB: 119.9, postTvlB: 175.1, dTvlPct: 46.1, dEdgesPct: -1.8 },
};

/** Paper Figure 5: contagion MAE through the window (%). */
export const PAPER_FIGURE5_CONTAGION_MAE: Readonly<Record<string, number>> = { terra: 6.23, ftx: 14.55 };

export const EVENT_SHOCK: Scenario = { name: 'top-5 by TVL, 50%', shocks: [{ kind: 'top', n: 5, loss: 0.5 }] };

export function findEvent(idOrDate: string): CrisisEvent {
  const e = CRISIS_EVENTS.find((x) => x.id === idOrDate.toLowerCase() || x.date === idOrDate);
  if (!e) throw new Error(`eval/events: unknown event "${idOrDate}" (known: ${CRISIS_EVENTS.map((x) => `${x.id} (${x.date})`).join(', ')})`);
  return e;
}

export interface EventWeeks {
  anchor: string;
  weeks: string[];
}

/** The anchor and the event weeks of `event` present in `weeks`. */
export function eventWeeks(event: CrisisEvent, weeks: readonly string[]): EventWeeks {
  const sorted = [...weeks].sort();
  const inWindow = sorted.filter((w) => w >= event.windowStart && w <= event.windowEnd);
  const before = sorted.filter((w) => w < event.windowStart);
  if (inWindow.length === 0 || before.length === 0) {
    throw new Error(`eval/events: the data (${sorted[0]} .. ${sorted.at(-1)}) does not cover the ${event.name} window ${event.windowStart} .. ${event.windowEnd} and the week before it`);
  }
  return { anchor: before[before.length - 1], weeks: inWindow };
}

/**
 * The last week a model for `event`'s one-step forecasts may be trained on: the
 * anchor, the last week of `weeks` before the window's first week. A training set
 * exported with `--to` this week holds no pair whose target lies in the window.
 */
export function trainingCutoff(event: CrisisEvent, weeks: readonly string[]): string {
  return eventWeeks(event, weeks).anchor;
}

/**
 * Refuses a model whose training data reaches into `event`'s window (the week
 * `trainedTo` is the last week of its training set, from the model card); `model`
 * names it and `cutoff` (trainingCutoff) says where to stop in the message.
 */
export function checkTrainedBefore(event: CrisisEvent, trainedTo: string | undefined, model: string, cutoff?: string): void {
  if (trainedTo === undefined || trainedTo < event.windowStart) return;
  throw new Error(
    `eval/events: ${model} was trained on weeks up to ${trainedTo}, which reaches into the ${event.name} window (${event.windowStart} .. ${event.windowEnd}); ` +
      `its forecasts there would have seen the weeks they predict. Train one on weeks before ${event.windowStart}: ` +
      `dexposure export-training-set DATA --to ${cutoff ?? `<the week before ${event.windowStart}>`} --horizons 1, then npm run train (docs/API.md, dx.eventStudy)`,
  );
}

const totalTvl = (s: Snapshot) => s.tvl.reduce((a, b) => a + b, 0);

export interface EventStructure {
  event: string;
  name: string;
  anchor: string;
  last: string;
  preTvl: number;
  postTvl: number;
  dTvlPct: number;
  preEdges: number;
  postEdges: number;
  dEdgesPct: number;
  /** Total TVL and edge count of every week from the anchor to the last event week. */
  series: { week: string; tvl: number; edges: number; nodes: number }[];
}

/** Table 5: how total TVL and the number of exposures changed over the event window. */
export async function eventStructure(source: SnapshotSource, event: CrisisEvent): Promise<EventStructure> {
  const { anchor, weeks } = eventWeeks(event, source.weeks);
  const series = [];
  for (const w of [anchor, ...weeks]) {
    const s = await source.snapshot(w);
    series.push({ week: w, tvl: totalTvl(s), edges: s.edgeSource.length, nodes: s.ids.length });
  }
  const pre = series[0];
  const post = series[series.length - 1];
  return {
    event: event.id,
    name: event.name,
    anchor,
    last: post.week,
    preTvl: pre.tvl,
    postTvl: post.tvl,
    dTvlPct: pre.tvl > 0 ? (100 * (post.tvl - pre.tvl)) / pre.tvl : NaN,
    preEdges: pre.edges,
    postEdges: post.edges,
    dEdgesPct: pre.edges > 0 ? (100 * (post.edges - pre.edges)) / pre.edges : NaN,
    series,
  };
}

export interface EventForecastWeek {
  week: string;
  predictedTvlHHI: number;
  actualTvlHHI: number;
  predictedDensity: number;
  actualDensity: number;
  /** System loss (% of TVL) of the top-5 50% shock on the forecast, the realised week and the persistence graph. */
  predictedLossPct: number;
  actualLossPct: number;
  persistenceLossPct: number;
}

export interface EventForecast {
  event: string;
  model: string;
  anchor: string;
  baselineTvlHHI: number;
  weeks: EventForecastWeek[];
  meanPredictedTvlHHI: number;
  meanActualTvlHHI: number;
  hhiMAE: number;
  contagionMAE: number;
  persistenceContagionMAE: number;
}

/**
 * Figure 5: one-step-ahead forecasts through the event window. `forecast` must
 * come from a model trained on weeks before `event.windowStart` only; the caller
 * owns that (the CLI and `dx.eventStudy` train or pick such a model).
 */
export async function eventForecast(source: SnapshotSource, event: CrisisEvent, model: string, forecast: GraphForecaster, opts: { mode?: MeasureMode } = {}): Promise<EventForecast> {
  const mode = opts.mode ?? 'default';
  const { anchor, weeks } = eventWeeks(event, source.weeks);
  const sorted = [...source.weeks].sort();
  const rows: EventForecastWeek[] = [];
  const anchorSnap = await source.snapshot(anchor);
  const baselineTvlHHI = computeMeasures(anchorSnap, { mode }).tvlHHI;
  for (const w of weeks) {
    const i = sorted.indexOf(w);
    const prevWeek = sorted[i - 1];
    const origin = await source.snapshot(prevWeek);
    const before = i >= 2 ? await source.snapshot(sorted[i - 2]) : undefined;
    const actual = await source.snapshot(w);
    const predicted = await forecast(origin, before, 1);
    const pm = computeMeasures(predicted, { mode });
    const am = computeMeasures(actual, { mode });
    const cmp = compareStress(
      [
        { label: 'persistence', snapshot: origin },
        { label: 'predicted', snapshot: predicted },
        { label: 'realised', snapshot: actual },
      ],
      EVENT_SHOCK,
      { mode },
    );
    const [o, p, r] = cmp.results.map((x) => x.systemLossPct);
    rows.push({ week: w, predictedTvlHHI: pm.tvlHHI, actualTvlHHI: am.tvlHHI, predictedDensity: pm.density, actualDensity: am.density, predictedLossPct: p, actualLossPct: r, persistenceLossPct: o });
  }
  const mean = (f: (r: EventForecastWeek) => number) => rows.reduce((s, r) => s + f(r), 0) / rows.length;
  return {
    event: event.id,
    model,
    anchor,
    baselineTvlHHI,
    weeks: rows,
    meanPredictedTvlHHI: mean((r) => r.predictedTvlHHI),
    meanActualTvlHHI: mean((r) => r.actualTvlHHI),
    hhiMAE: mean((r) => Math.abs(r.predictedTvlHHI - r.actualTvlHHI)),
    contagionMAE: mean((r) => Math.abs(r.predictedLossPct - r.actualLossPct)),
    persistenceContagionMAE: mean((r) => Math.abs(r.persistenceLossPct - r.actualLossPct)),
  };
}
