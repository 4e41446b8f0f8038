/**
 * The DeXposure library API, importable from scripts:
 *   import { ... } from 'dexposure-notebooks';
 * The notebook's `dx` object exposes the same functions.
 */
export * from './core/snapshot/types';
export * from './core/display/protocol';
export * from './core/display';
export { synthesize } from './core/synth';
export type { SynthOptions, SynthSummary } from './core/synth';
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
