/**
 * How a catalog measure reads in a display (key figures, tables): shares as
 * percentages, counts as integers, money as money. One place, so a view of measures
 * cannot show a share as 0.42 where another shows 42%.
 */
import type { MeasureDescriptor, MeasureFormat } from '../measures/catalog';

/** The display kind of each measure format. */
export const MEASURE_KIND = { number: 'number', share: 'percent', usd: 'usd', count: 'integer' } as const satisfies Record<MeasureFormat, string>;

/** A measure's value as its display kind reads it (a share of 0.42 shows as 42). */
export const measureDisplayValue = (d: MeasureDescriptor, x: number): number => (d.format === 'share' ? 100 * x : x);
