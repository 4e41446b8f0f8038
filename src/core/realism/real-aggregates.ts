/**
 * The real DeXposure aggregates shipped with the product (resources/real-aggregates,
 * provenance in its README): per-week counts and total link size, per-week link size
 * between the 7 sectors, total TVL of the Terra and FTX event weeks, a December-2025
 * TVL cross-section and monthly TVL trajectories of large protocols. The synthetic
 * generator is calibrated to them and `dexposure realism` compares a history to them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseCsv } from '../snapshot/csv';
import { K, sectorIndex } from './sectors';

export interface RealWeek {
  week: string;
  nodes: number;
  links: number;
  linkSize: number;
}

export interface RealEventWeek {
  week: string;
  totalTvl: number;
  links: number;
  linksClean: number;
}

export interface RealAggregates {
  weeks: RealWeek[];
  /** week -> K*K link size between sectors (row = source sector), SECTORS order. */
  sectorCells: Map<string, Float64Array>;
  events: RealEventWeek[];
  /** December-2025 cross-section: name, DefiLlama category, TVL (USD). */
  tvl2025: { name: string; category: string; tvl: number }[];
  /** Protocol id -> month (YYYY-MM) -> TVL (USD), 2020-02 .. 2023-10. */
  monthly: Map<string, Map<string, number>>;
}

/** Walk up from this module (or the working directory) to a shipped resources folder. */
export function resourceDir(name: string, probe: string): string {
  const starts = [typeof __dirname === 'string' ? __dirname : process.cwd(), process.cwd()];
  for (const start of starts) {
    let d = resolve(start);
    for (;;) {
      const cand = join(d, 'resources', name);
      if (existsSync(join(cand, probe))) return cand;
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  throw new Error(`realism: cannot find resources/${name}/${probe} (it ships with the product)`);
}

export function realAggregatesDir(): string {
  return process.env.DEXPOSURE_REAL_AGGREGATES ?? resourceDir('real-aggregates', 'weekly-network-counts.csv');
}

function readTable(dir: string, file: string, columns: string[]): { get: (r: string[], c: string) => string; rows: string[][]; line: (i: number) => number } {
  const path = join(dir, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`realism: cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  const rows = parseCsv(text);
  const head = rows[0]?.fields.map((h) => h.trim()) ?? [];
  const idx = new Map<string, number>();
  for (const c of columns) {
    const i = head.indexOf(c);
    if (i < 0) throw new Error(`realism: ${file}: header has no column "${c}" (expected ${columns.join(',')}, got ${head.join(',')})`);
    idx.set(c, i);
  }
  const body = rows.slice(1).filter((r) => r.fields.length > 1 || r.fields[0] !== '');
  return { get: (r, c) => r[idx.get(c)!], rows: body.map((r) => r.fields), line: (i) => body[i].line };
}

function num(file: string, line: number, field: string, v: string): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new Error(`realism: ${file} line ${line}: ${field} is "${v}", expected a number`);
  return x;
}

let cache: { dir: string; data: RealAggregates } | undefined;

export function readRealAggregates(dir = realAggregatesDir()): RealAggregates {
  if (cache?.dir === dir) return cache.data;
  const c = readTable(dir, 'weekly-network-counts.csv', ['week', 'nodes', 'links', 'total_link_size_usd']);
  const weeks: RealWeek[] = c.rows.map((r, i) => ({
    week: c.get(r, 'week'),
    nodes: num('weekly-network-counts.csv', c.line(i), 'nodes', c.get(r, 'nodes')),
    links: num('weekly-network-counts.csv', c.line(i), 'links', c.get(r, 'links')),
    linkSize: num('weekly-network-counts.csv', c.line(i), 'total_link_size_usd', c.get(r, 'total_link_size_usd')),
  }));
  const s = readTable(dir, 'weekly-sector-link-size.csv', ['week', 'source_sector', 'target_sector', 'link_size_usd']);
  const sectorCells = new Map<string, Float64Array>();
  s.rows.forEach((r, i) => {
    const w = s.get(r, 'week');
    const a = sectorIndex(s.get(r, 'source_sector'));
    const b = sectorIndex(s.get(r, 'target_sector'));
    if (a === undefined || b === undefined) throw new Error(`realism: weekly-sector-link-size.csv line ${s.line(i)}: unknown sector "${a === undefined ? s.get(r, 'source_sector') : s.get(r, 'target_sector')}"`);
    let cells = sectorCells.get(w);
    if (!cells) sectorCells.set(w, (cells = new Float64Array(K * K)));
    cells[a * K + b] += num('weekly-sector-link-size.csv', s.line(i), 'link_size_usd', s.get(r, 'link_size_usd'));
  });
  const e = readTable(dir, 'event-weeks.csv', ['week', 'total_tvl_usd', 'links', 'links_clean']);
  const events = e.rows.map((r, i) => ({
    week: e.get(r, 'week'),
    totalTvl: num('event-weeks.csv', e.line(i), 'total_tvl_usd', e.get(r, 'total_tvl_usd')),
    links: num('event-weeks.csv', e.line(i), 'links', e.get(r, 'links')),
    linksClean: num('event-weeks.csv', e.line(i), 'links_clean', e.get(r, 'links_clean')),
  }));
  const t = readTable(dir, 'protocols-tvl-2025-12.csv', ['name', 'category', 'tvl_usd']);
  // An empty tvl_usd is a protocol DefiLlama lists without a TVL: no level is known.
  const tvl2025 = t.rows.flatMap((r, i) => (t.get(r, 'tvl_usd').trim() === '' ? [] : [{ name: t.get(r, 'name'), category: t.get(r, 'category'), tvl: num('protocols-tvl-2025-12.csv', t.line(i), 'tvl_usd', t.get(r, 'tvl_usd')) }]));
  const m = readTable(dir, 'protocol-monthly-tvl-2020-2023.csv', ['month', 'id', 'tvl_usd']);
  const monthly = new Map<string, Map<string, number>>();
  m.rows.forEach((r, i) => {
    const id = m.get(r, 'id');
    const month = m.get(r, 'month').slice(0, 7);
    const v = num('protocol-monthly-tvl-2020-2023.csv', m.line(i), 'tvl_usd', m.get(r, 'tvl_usd'));
    let byMonth = monthly.get(id);
    if (!byMonth) monthly.set(id, (byMonth = new Map()));
    // The file repeats a protocol's total on each of its chain rows: take it once.
    byMonth.set(month, Math.max(byMonth.get(month) ?? 0, v));
  });
  const data = { weeks, sectorCells, events, tvl2025, monthly };
  cache = { dir, data };
  return data;
}
