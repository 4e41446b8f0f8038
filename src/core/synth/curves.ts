/**
 * Calibration targets for the synthetic history, from the real release
 * (data-spec Appendix A per-week sizes; PAPER-NOTES Table 5 event TVLs). Values
 * between anchors are interpolated linearly in date (log-linearly for TVL) and held
 * flat outside the table.
 */

/** [date, nodes, links] from Appendix A (raw counts, null ids/targets included). */
export const SIZE_ANCHORS: readonly [string, number, number][] = [
  ['2020-03-23', 9, 8],
  ['2020-09-21', 261, 316],
  ['2021-03-22', 491, 751],
  ['2021-09-20', 2275, 6494],
  ['2022-03-21', 4005, 15866],
  ['2022-05-09', 4412, 18201],
  ['2022-09-19', 5037, 22404],
  ['2022-11-07', 5633, 25810],
  ['2023-03-20', 6385, 30424],
  ['2023-09-18', 7297, 37668],
  ['2024-03-18', 8231, 46182],
  ['2024-09-16', 10882, 63084],
  ['2025-03-17', 11016, 73951],
  ['2025-08-18', 10128, 71586],
];

/** [date, total TVL USD] at full scale. Table 5 pins the two crisis windows
 *  (Terra 2022-04-25 -> 2022-05-23: 261.9B -> 166.3B; FTX 2022-10-24 -> 2022-11-21:
 *  119.9B -> 175.1B); the rest follows the broad DeFi TVL path (2021 peak, 2022
 *  drawdown, 2024 recovery) within the 1-3e11 range of Appendix A. */
export const TVL_ANCHORS: readonly [string, number][] = [
  ['2020-03-23', 1.0e9],
  ['2020-09-21', 1.1e10],
  ['2021-03-22', 5.5e10],
  ['2021-09-20', 1.9e11],
  ['2021-12-06', 2.75e11],
  ['2022-04-25', 2.619e11],
  ['2022-05-23', 1.663e11],
  ['2022-09-19', 1.27e11],
  ['2022-10-24', 1.199e11],
  ['2022-11-21', 1.751e11],
  ['2023-03-20', 1.6e11],
  ['2023-09-18', 1.45e11],
  ['2024-03-18', 2.25e11],
  ['2024-09-16', 2.1e11],
  ['2024-12-16', 2.7e11],
  ['2025-03-17', 2.45e11],
  ['2025-08-18', 2.85e11],
];

export interface CrisisWindow {
  name: string;
  /** Week just before the event (the anchor of Table 5). */
  anchor: string;
  /** First and last event week (inclusive). */
  start: string;
  end: string;
  /** Relative change in the number of exposures from anchor to end (Table 5). */
  edgeChange: number;
  /** Tokens whose price collapses during the window. */
  collapsing: readonly string[];
}

export const CRISES: readonly CrisisWindow[] = [
  {
    name: 'Terra/Luna',
    anchor: '2022-04-25',
    start: '2022-05-02',
    end: '2022-05-23',
    edgeChange: 0.093,
    collapsing: ['UST', 'USTC', 'LUNA', 'LUNC', 'WLUNA', 'ANC', 'MIR', 'AUST', 'BLUNA', 'WUST'],
  },
  {
    name: 'FTX',
    anchor: '2022-10-24',
    start: '2022-10-31',
    end: '2022-11-21',
    edgeChange: -0.018,
    collapsing: ['FTT', 'SRM', 'MAPS', 'OXY'],
  },
];

export function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86400000);
}

export function addWeeks(date: string, weeks: number): string {
  return new Date((dayNumber(date) + 7 * weeks) * 86400000).toISOString().slice(0, 10);
}

function interp(anchors: readonly (readonly [string, ...number[]])[], date: string, col: number, log: boolean): number {
  const d = dayNumber(date);
  const first = anchors[0];
  const last = anchors[anchors.length - 1];
  if (d <= dayNumber(first[0])) return first[col] as number;
  if (d >= dayNumber(last[0])) return last[col] as number;
  for (let i = 1; i < anchors.length; i++) {
    const d1 = dayNumber(anchors[i][0]);
    if (d <= d1) {
      const d0 = dayNumber(anchors[i - 1][0]);
      const a = anchors[i - 1][col] as number;
      const b = anchors[i][col] as number;
      const f = (d - d0) / (d1 - d0);
      return log ? Math.exp(Math.log(a) + f * (Math.log(b) - Math.log(a))) : a + f * (b - a);
    }
  }
  return last[col] as number;
}

export const realNodes = (date: string): number => interp(SIZE_ANCHORS, date, 1, false);
export const realLinks = (date: string): number => interp(SIZE_ANCHORS, date, 2, false);
const CRISIS_DATES = new Set(['2022-04-25', '2022-05-23', '2022-10-24', '2022-11-21']);
const CALM_TVL_ANCHORS = TVL_ANCHORS.filter(([d]) => !CRISIS_DATES.has(d));
/** Total TVL path; without crises the Table 5 anchors are left out (a smooth path). */
export const realTvl = (date: string, crises = true): number => interp(crises ? TVL_ANCHORS : CALM_TVL_ANCHORS, date, 1, true);
