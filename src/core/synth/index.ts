export { synthesize, defaultMappingDir, FULL_PROTOCOLS, FULL_WEEKS, DEFAULT_START } from './generate';
export type { SynthOptions, SynthSummary } from './generate';
