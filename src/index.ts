/**
 * The DeXposure library API, importable from scripts:
 *   import { ... } from 'dexposure-notebooks';
 * The notebook's `dx` functions are these computations with displays attached; some
 * take other arguments (dx.open vs openRelease, dx.forecast vs forecast): docs/API.md,
 * "Scripts", maps one to the other.
 */
export * from './core/snapshot/types';
export * from './core/display/protocol';
export * from './core/display';
export { synthesize } from './core/synth';
export type { SynthOptions, SynthSummary } from './core/synth';
export { realism, readRealAggregates } from './core/realism';
export type { RealismReport, RealismRow, RealismSeries, RealismOptions, RealAggregates } from './core/realism';
export { nodeFeatures, FEATURE_SCHEMA, featureSchemaHash, FEATURE_CATEGORIES, featureCategory } from './core/features';
export type { FeatureSchema } from './core/features';
export { exportTrainingSet, buildPair, releaseFingerprint } from './core/trainingset';
export type { SnapshotSource, ExportOptions, TrainingSetIndex } from './core/trainingset';
export { constructExposures } from './core/exposure/construct';
export type { Holdings, IssuerOf } from './core/exposure/construct';
export { IssuerResolver } from './core/exposure/issuer';
export { readMappingFiles } from './core/exposure/mapping-files';
export type { ReleaseNode, ReleaseLink, WeekNetwork } from './core/exposure/network';
export * from './core/measures';
export * from './core/stress';
export * from './core/warnings';
export {
  parseNotebook,
  serializeNotebook,
  emptyNotebook,
  NotebookFormatError,
  NOTEBOOK_FORMAT,
  NOTEBOOK_FORMAT_VERSION,
  importIpynb,
  exportIpynb,
  outputItemFromBytes,
  outputItemToBytes,
  outputItemFromBundleValue,
} from './core/notebook';
export type { NotebookDocument, NotebookCell, NotebookOutput, CellExecution, OutputItem } from './core/notebook';
export { openRelease } from './core/snapshot/release';
export type { Release, OpenReleaseOptions, ReleaseProgress, ProtocolInfo as ReleaseProtocolInfo, WeekSummary } from './core/snapshot/release';
export { protocols, exposures, protocolAt, compositionOf, idIndex, indexOfId, totalTvl } from './core/snapshot/access';
export { subgraph, subgraphByCategory, topKByTvl, commonNodes } from './core/snapshot/subgraph';
export { snapshotFromRecords, validateSnapshot } from './core/snapshot/records';
export type { SnapshotRecords } from './core/snapshot/records';
export { ReleaseFormatError } from './core/snapshot/errors';
export { formatReport } from './core/snapshot/report';
export type { ReleaseReport, RepairCounts } from './core/snapshot/report';
export { releaseStats } from './core/snapshot/stats';
export type { ReleaseStats } from './core/snapshot/stats';
export { loadMapping, readMetaDf } from './core/snapshot/meta';
export type { Mapping } from './core/snapshot/meta';
export { exportSnapshot } from './core/snapshot/export';
export type { ExportFormat, ExportResult } from './core/snapshot/export';
export { forecast, forecastDetailed, scoreAnchorPairs, loadModelSet, defaultModelsDir, candidatePairs, includedEdges, readModelCard, ModelError } from './core/model';
export type { ForecastOptions, ForecastResult, ForecastTimings, EdgeInclusion, ModelSet, ModelCard, CandidateOptions, CandidateSet } from './core/model';
