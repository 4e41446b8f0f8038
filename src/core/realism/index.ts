export { realism, autocorrelation, offDiagonalHhi, mixDistance, PAPER_PERSISTENCE, REALISM_TOLERANCE } from './report';
export type { RealismReport, RealismRow, RealismSeries, RealismOptions } from './report';
export { readRealAggregates, realAggregatesDir } from './real-aggregates';
export type { RealAggregates } from './real-aggregates';
export { SECTORS, sectorClassifier } from './sectors';
