/**
 * The weekly calendar of a synthetic history and what each week must reproduce,
 * taken from the real aggregates: node and link counts (times the scale), total link
 * size and the 7-sector link-size mix of the same real week, and the total TVL path.
 * Weeks outside the real calendar (2020-03-23 .. 2025-08-18) take the nearest real week.
 */
import type { RealAggregates } from '../realism/real-aggregates';
import { K } from '../realism/sectors';
import { totalTvlPath } from './market';
import { addWeeks, dayNumber } from '../weeks';

export { dayNumber, addWeeks };

export function isMonday(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(Date.parse(date)) && new Date(`${date}T00:00:00Z`).getUTCDay() === 1;
}

export interface WeekTarget {
  week: string;
  /** Raw node and link records (null ids, null targets and self-loops included). */
  nodes: number;
  links: number;
  /** Total link size (USD) and its share per sector cell (row = source sector). */
  linkSize: number;
  cellShares: Float64Array;
  /** Total TVL (USD). */
  tvl: number;
}

/**
 * `crisisScale` and `sectorFactors` come from a prior draw (./params.ts): the crisis
 * drops' size and a per-history factor on each sector cell's share of link size.
 */
export function weekTargets(weeks: readonly string[], real: RealAggregates, scale: number, crises: boolean, crisisScale = 1, sectorFactors?: readonly number[]): WeekTarget[] {
  const byWeek = new Map(real.weeks.map((w, i) => [w.week, i]));
  const first = dayNumber(real.weeks[0].week);
  const tvlAt = totalTvlPath(real, crises, crisisScale);
  return weeks.map((week) => {
    let i = byWeek.get(week);
    if (i === undefined) i = Math.max(0, Math.min(real.weeks.length - 1, Math.round((dayNumber(week) - first) / 7)));
    const r = real.weeks[i];
    let cells = real.sectorCells.get(r.week) ?? new Float64Array(K * K);
    if (sectorFactors) cells = cells.map((c, k) => c * sectorFactors[k]);
    let total = 0;
    for (const c of cells) total += c;
    const cellShares = new Float64Array(K * K);
    if (total > 0) for (let k = 0; k < cells.length; k++) cellShares[k] = cells[k] / total;
    else cellShares[TOKEN_TO_TOKEN] = 1;
    return {
      week,
      nodes: Math.max(5, Math.round(r.nodes * scale)),
      links: Math.max(4, Math.round(r.links * scale)),
      // The first real week has links of size 0; a flow network needs some.
      linkSize: Math.max(r.linkSize, 1e6),
      cellShares,
      tvl: tvlAt(week),
    };
  });
}

/** Fallback cell for weeks with no sector data. */
const TOKEN_TO_TOKEN = 4 * K + 4;
