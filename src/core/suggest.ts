/**
 * "Did you mean" helpers for error messages: the closest names to a misspelled one
 * (Damerau-Levenshtein distance, case-insensitive, with prefixes counted as close), and
 * the weeks nearest to an absent week.
 */
import { nearestWeeks } from './weeks';

/** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

/**
 * Candidates close enough to `name` to be what was meant, best first (at most `max`).
 * Close: within a third of the longer name's length in edits (at least 1, at most 3),
 * or one is a prefix of the other (`dx.forecas` -> `forecast`, `forecastRisk`).
 */
export function closestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const q = name.toLowerCase();
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const l = c.toLowerCase();
    if (l === q) {
      scored.push({ c, d: 0 });
      continue;
    }
    const d = editDistance(q, l);
    const limit = Math.min(3, Math.max(1, Math.floor(Math.max(q.length, l.length) / 3)));
    const prefix = q.length >= 3 && (l.startsWith(q) || q.startsWith(l));
    if (d <= limit) scored.push({ c, d });
    else if (prefix) scored.push({ c, d: limit + 0.5 });
  }
  scored.sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0));
  return scored.slice(0, max).map((s) => s.c);
}

/** " Did you mean X?" / " Did you mean X or Y?", or '' when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>, format: (c: string) => string = (c) => c): string {
  const best = closestNames(name, candidates);
  if (best.length === 0) return '';
  const f = best.map(format);
  return ` Did you mean ${f.length === 1 ? f[0] : `${f.slice(0, -1).join(', ')} or ${f.at(-1)}`}?`;
}

/**
 * "; nearest A or B" for an error about an absent week (the CLI's wording): the weeks on
 * either side of a date (src/core/weeks.ts), or the closest spellings of anything else
 * ("2022-1-10"). `weeks` is sorted ascending; '' when there is nothing to suggest.
 */
export function nearestWeeksNote(week: string, weeks: readonly string[]): string {
  const near = /^\d{4}-\d{2}-\d{2}$/.test(week) ? nearestWeeks(weeks, week) : closestNames(week, weeks, 2).sort();
  return near.length ? `; nearest ${near.join(' or ')}` : '';
}
