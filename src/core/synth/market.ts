/**
 * TVL levels: the total TVL path of the release (exact in the Terra and FTX event
 * weeks of event-weeks.csv, with the collapse in the crisis week itself) and each
 * real protocol's own level (its real monthly trajectory through 2023-10, then toward
 * its December-2025 level; protocols known only from December 2025 follow the market).
 */
import type { RealAggregates } from '../realism/real-aggregates';
import { dayNumber } from '../weeks';

/** Total TVL (USD) of the release outside the event weeks: the broad DeFi path
 *  (2021 peak, 2022 drawdown, 2024 recovery, the April-2025 sell-off). */
const CALM_ANCHORS: readonly [string, number][] = [
  ['2020-03-23', 1.0e9],
  ['2020-09-21', 1.1e10],
  ['2021-03-22', 5.5e10],
  ['2021-09-20', 1.9e11],
  ['2021-12-06', 2.75e11],
  ['2022-03-28', 2.6e11],
  ['2022-09-19', 1.27e11],
  ['2023-03-20', 1.6e11],
  ['2023-09-18', 1.45e11],
  ['2024-03-18', 2.25e11],
  ['2024-09-16', 2.1e11],
  ['2024-12-16', 2.7e11],
  ['2025-03-17', 2.45e11],
  ['2025-08-18', 2.85e11],
];

/** Inside the crisis windows, beside the event weeks: the collapse happens in the
 *  week of the event (Terra 2022-05-09, FTX 2022-11-07), not spread over the window. */
const CRISIS_SHAPE: readonly [string, number][] = [
  ['2022-05-09', 1.85e11],
  ['2022-05-16', 1.72e11],
  ['2022-11-07', 1.12e11],
  ['2022-11-14', 1.6e11],
  // April 2025: tariff sell-off inside the 2025 hold-out.
  ['2025-03-31', 2.3e11],
  ['2025-04-07', 1.95e11],
  ['2025-04-14', 2.0e11],
];

export const CRISIS_WEEKS = { terra: '2022-05-09', ftx: '2022-11-07', april2025: '2025-04-07' } as const;

function interpLog(anchors: readonly [string, number][], date: string): number {
  const d = dayNumber(date);
  if (d <= dayNumber(anchors[0][0])) return anchors[0][1];
  const last = anchors[anchors.length - 1];
  if (d >= dayNumber(last[0])) return last[1];
  for (let i = 1; i < anchors.length; i++) {
    const d1 = dayNumber(anchors[i][0]);
    if (d === d1) return anchors[i][1];
    if (d < d1) {
      const d0 = dayNumber(anchors[i - 1][0]);
      const f = (d - d0) / (d1 - d0);
      return Math.exp(Math.log(anchors[i - 1][1]) + f * (Math.log(anchors[i][1]) - Math.log(anchors[i - 1][1])));
    }
  }
  return last[1];
}

/**
 * `crisisScale` multiplies each crisis anchor's log distance from the calm path (1: the
 * real levels exactly; 2: twice the log drop; 0: no crisis).
 */
export function totalTvlPath(real: RealAggregates, crises: boolean, crisisScale = 1): (week: string) => number {
  const anchors = new Map<string, number>(CALM_ANCHORS);
  if (crises) {
    const crisis: [string, number][] = [...CRISIS_SHAPE, ...real.events.map((e): [string, number] => [e.week, e.totalTvl])];
    for (const [w, v] of crisis) anchors.set(w, crisisScale === 1 ? v : interpLog(CALM_ANCHORS, w) * Math.pow(v / interpLog(CALM_ANCHORS, w), crisisScale));
  }
  const sorted = [...anchors].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return (week) => interpLog(sorted, week);
}

/** A monthly reading below this (USD) is not a level to interpolate from (POPULATION.minLevel). */
const DUST_LEVEL = 1e4;

/** Reference for market-relative levels: the total at the end of the real calendar. */
export const MARKET_REFERENCE_WEEK = '2025-08-18';

const monthKey = (d: number) => new Date(d * 86400000).toISOString().slice(0, 7);

/** A protocol known only from December 2025 is not that large since its listing: it grows
 *  into its level, linearly in its age plus this many days (Lido, listed mid-2020 and
 *  $26B in 2025, is ~$11B in April 2022 instead of the market-scaled ~$24B; real ~$18B). */
const GROWTH_OFFSET_DAYS = 365;
const LEVEL_2025_DAY = dayNumber('2025-12-01');

/** Share of its December-2025 level (relative to the market) a protocol listed on day
 *  `listed` has grown into by day `d` (1 when `listed` is unknown). */
export function growthSince(listed: number | undefined, d: number): number {
  if (listed === undefined) return 1;
  const age = Math.max(0, d - listed);
  return Math.min(1, (age + GROWTH_OFFSET_DAYS) / (Math.max(0, LEVEL_2025_DAY - listed) + GROWTH_OFFSET_DAYS));
}

/**
 * Real level of a protocol at `week` (USD), or 0 before it exists / after it died.
 * `monthly`: its monthly trajectory (2020-02 .. 2023-10); `level2025`: its December-2025 TVL;
 * `listed`: its listing day (dayNumber), for the growth of a protocol known only in 2025.
 */
export function protocolLevel(week: string, monthly: ReadonlyMap<string, number> | undefined, level2025: number | undefined, market: (week: string) => number, listed?: number): number {
  const d = dayNumber(week);
  const followMarket = (level: number) => (level * market(week) * growthSince(listed, d)) / market(MARKET_REFERENCE_WEEK);
  if (monthly && monthly.size) {
    const months = [...monthly.keys()].sort();
    const lastMonth = months[months.length - 1];
    const m = monthKey(d);
    if (m <= lastMonth) {
      const v0 = monthly.get(m) ?? 0;
      const next = monthKey(d + 31 - new Date(d * 86400000).getUTCDate() + 1);
      const v1 = monthly.get(next) ?? v0;
      const f = (new Date(d * 86400000).getUTCDate() - 1) / 30;
      if (f === 0 || v0 <= 0 || v1 <= 0) return v0 > 0 ? v0 : 0;
      return Math.exp((1 - f) * Math.log(v0) + f * Math.log(v1));
    }
    const vLast = monthly.get(lastMonth) ?? 0;
    if (!(level2025 && level2025 > 0)) return vLast;
    // A last reading of dust (Allbridge's $14 in 2021-12) says the protocol was not
    // tracked then, not that it was small: follow its 2025 level with the market.
    if (vLast < DUST_LEVEL) return followMarket(level2025);
    const d0 = dayNumber(`${lastMonth}-01`);
    const d1 = LEVEL_2025_DAY;
    const f = Math.min(1, (d - d0) / (d1 - d0));
    return Math.exp((1 - f) * Math.log(vLast) + f * Math.log(level2025));
  }
  if (level2025 && level2025 > 0) return followMarket(level2025);
  return 0;
}
