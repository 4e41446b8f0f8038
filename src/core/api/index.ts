/**
 * The notebook API (`dx` in every cell; also importable by scripts): data, risk,
 * forecasting. The kernel merges these modules with its own display functions and
 * the view builders (src/kernel/dx-modules.ts).
 */
import { open, synth, sample } from './data';
import { measures, watchlist, spillover, stress, compare, sweep, warnings } from './risk';
import { forecast, evaluate, forecastRisk, eventStudy } from './forecasting';
import { graphDiff } from './graph-diff';
import { paper } from './paper';
import { realism } from './realism';
import { scenarios } from '../stress/scenario';
import { protocols, exposures, totalTvl } from '../snapshot/access';
import { subgraph, subgraphByCategory, topKByTvl, commonNodes } from '../snapshot/subgraph';
import { exportSnapshot } from '../snapshot/export';

export const dataApi = { open, load: open, synth, sample, realism, protocols, exposures, totalTvl, subgraph, subgraphByCategory, topKByTvl, commonNodes, exportSnapshot };
export const riskApi = { measures, watchlist, spillover, stress, compare, sweep, warnings, scenarios, graphDiff };
export const forecastingApi = { forecast, evaluate, forecastRisk, eventStudy, paper };

export { open, synth, sample, realism, measures, watchlist, spillover, stress, compare, sweep, warnings, forecast, evaluate, forecastRisk, eventStudy, graphDiff, paper };
export type { GraphDiff, GraphSummary } from './graph-diff';
export type { DxForecastOptions, DxEvaluateOptions, DxForecastRiskOptions, EventStudy } from './forecasting';
export type { SynthRequest } from './data';
