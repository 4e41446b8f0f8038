export { exportTrainingSet, buildPair, TRAINING_SET_FORMAT, TRAINING_SET_VERSION } from './export';
export type { SnapshotSource, ExportOptions, TrainingSetIndex, WeekEntry, PairEntry, PairArrays } from './export';
export { releaseFingerprint } from './fingerprint';
export { readF32, readI32, readU8 } from './binary';
