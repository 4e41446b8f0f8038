/** Systemic-risk measures of one exposure snapshot (docs/MEASURES.md). */
export * from './types';
export { pagerank, PAGERANK_DEFAULTS } from './pagerank';
export { sis, tailExposure, watchlist, rankedProtocols, DEFAULT_SIS_WEIGHTS } from './sis';
export { spilloverMatrix } from './spillover';
export { hhi, giniPositive, topShare } from './concentration';
export { computeMeasures } from './compute';
export { MeasureContext, NETWORK_MEASURES, DEFAULT_WARNING_MEASURES, measureDescriptor, networkMeasures } from './catalog';
export type { MeasureDescriptor, MeasureFormat, NetworkMeasureKey, NetworkMeasures } from './catalog';
export { adjacency } from './adjacency';
export type { Adjacency, AdjacencyConvention } from './adjacency';
