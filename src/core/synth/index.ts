export { synthesize, defaultMappingDir, FULL_PROTOCOLS, FULL_WEEKS, DEFAULT_START, SYNTH_PARAMS_FILE } from './generate';
export type { SynthOptions, SynthSummary } from './generate';
export { drawPrior, PRIOR_RANGES, RESERVED_EVAL_SEEDS_FROM } from './prior';
export type { PriorDraw, PriorRegime } from './prior';
export { defaultSynthParams } from './params';
export type { SynthParams } from './params';
export { GENERATOR_VERSION, generatorKey } from './generator-key';
