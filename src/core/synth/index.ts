export { synthesize, defaultMappingDir, FULL_PROTOCOLS, FULL_WEEKS, DEFAULT_START, SYNTH_PARAMS_FILE } from './generate';
export type { SynthOptions, SynthSummary } from './generate';
