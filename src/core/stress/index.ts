/** DebtRank-style stress testing of exposure snapshots (docs/MEASURES.md, "Stress testing"). */
export * from './types';
export { scenarios, validateScenario, resolveScenario, toScenario, withLoss, isPresetName } from './scenario';
export type { PresetName } from './scenario';
export { simulateContagion, stressResult } from './debtrank';
export { stressFigures, contagionRounds } from './figures';
export type { ContagionCore } from './debtrank';
export { runStress, compareStress, sweep, predictiveStressSummary } from './run';
export type { CompareOptions } from './run';
export { inducedSubgraph } from './subgraph';
