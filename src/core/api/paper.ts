/**
 * The DeXposure-FM paper's published numbers (real release, 2025 hold-out), gathered
 * in one place so notebooks can show them beside the values computed on whatever data
 * is open (`dx.paper.table4`, ...). Source: the paper's tables and figures as recorded
 * in PAPER-NOTES / data-spec §7; Table 3 and Table 5 are the constants the evaluation
 * displays already use.
 */
import { PAPER_TABLE3 } from './forecasting';
import { PAPER_FIGURE5_CONTAGION_MAE, PAPER_TABLE5 } from '../eval/events';

/** Table 1: dataset statistics of the real release (283 weekly snapshots). */
export const PAPER_TABLE1 = {
  weeks: 283,
  from: '2020-03-23',
  to: '2025-08-18',
  meanNodes: 5676,
  meanEdges: 30424,
  /** The paper's "edge overlap": in the authors' code, week-to-week protocol-id overlap. */
  meanNodeOverlap: 0.985,
  categories: 15,
  protocols: 4300,
} as const;

/** Table 4: predictive stress testing, dMAE = MAE(persistence) - MAE(model) in system-loss % points. */
export const PAPER_TABLE4: readonly { horizon: number; deltaMAE: number; deltaMAEWorst: number; winRateWorst: number }[] = [
  { horizon: 1, deltaMAE: -0.95, deltaMAEWorst: 3.04, winRateWorst: 1.0 },
  { horizon: 4, deltaMAE: -1.71, deltaMAEWorst: 1.42, winRateWorst: 0.83 },
  { horizon: 8, deltaMAE: -0.17, deltaMAEWorst: 2.6, winRateWorst: 1.0 },
  { horizon: 12, deltaMAE: -0.55, deltaMAEWorst: 2.21, winRateWorst: 0.83 },
];

/** Figure 2: overall system-loss MAE (% points) of the model and of persistence per horizon. */
export const PAPER_FIGURE2: readonly { horizon: number; maeModel: number; maePersistence: number }[] = [
  { horizon: 1, maeModel: 2.07, maePersistence: 1.11 },
  { horizon: 4, maeModel: 2.67, maePersistence: 0.96 },
  { horizon: 8, maeModel: 1.83, maePersistence: 1.65 },
  { horizon: 12, maeModel: 2.37, maePersistence: 1.82 },
];

/** Figure 4: R^2 of measures on the forecast graph against the realised graph. */
export const PAPER_FIGURE4_R2: Readonly<Record<'tvlHHI' | 'density' | 'meanSIS' | 'spilloverIndex', number>> = { tvlHHI: 0.001, density: 0.841, meanSIS: 0.7, spilloverIndex: 0.0 };

/** Everything above as `dx.paper`. */
export const paper = {
  table1: PAPER_TABLE1,
  table3: PAPER_TABLE3,
  table4: PAPER_TABLE4,
  figure2: PAPER_FIGURE2,
  figure4: PAPER_FIGURE4_R2,
  table5: PAPER_TABLE5,
  figure5ContagionMAE: PAPER_FIGURE5_CONTAGION_MAE,
} as const;
