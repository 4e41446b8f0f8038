export { Xoshiro128, rngFromSeed, rngFromKey } from './xoshiro';
export type { Rng } from './xoshiro';
export * from './distributions';
