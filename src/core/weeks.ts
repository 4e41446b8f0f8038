/**
 * The weekly calendar every layer shares: a week is named by its date (YYYY-MM-DD, UTC),
 * horizons count whole weeks, and the default horizons are the paper's (Table 3:
 * h = 1, 4, 8, 12 weeks), which the shipped models cover.
 */

/** Forecast horizons in weeks reported by the paper and covered by the shipped models. */
export const DEFAULT_HORIZONS: readonly number[] = Object.freeze([1, 4, 8, 12]);

export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date; throws on anything that is not one. */
export function dayNumber(date: string): number {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(t)) throw new RangeError(`weeks: "${date}" is not a date YYYY-MM-DD`);
  return Math.round(t / DAY_MS);
}

export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

export function addWeeks(week: string, weeks: number): string {
  return addDays(week, 7 * weeks);
}

/** The weeks of a sorted list just before and just after `week` (those that exist). */
export function nearestWeeks(weeks: readonly string[], week: string): string[] {
  const after = weeks.find((w) => w > week);
  let before: string | undefined;
  for (const w of weeks) if (w < week) before = w;
  return [before, after].filter((w): w is string => w !== undefined);
}
