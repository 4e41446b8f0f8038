/**
 * Reader for the input of `dexposure build`: per-protocol token holdings by week.
 *
 * CSV (header required, any column order): `week,protocol,token,usd`
 *   week      ISO date YYYY-MM-DD (the observation date, e.g. each Monday)
 *   protocol  protocol id (string; DefiLlama id for real data)
 *   token     token symbol as the mapping files spell it
 *   usd       USD value held, finite and >= 0
 * Fields may be double-quoted (RFC 4180; "" inside quotes is a quote). Rows that
 * repeat (week, protocol, token) are summed: the same token held on several chains.
 *
 * JSON: either an array of {week, protocol, token, usd} records, or the nested
 * object {"<week>": {"<protocol>": {"<token>": usd}}}.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Holdings } from './construct';

export type HoldingsByWeek = Map<string, Holdings>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function fail(file: string, where: string, msg: string): never {
  throw new Error(`exposure/holdings: ${file}: ${where}: ${msg}`);
}

function add(out: HoldingsByWeek, file: string, where: string, week: unknown, protocol: unknown, token: unknown, usd: unknown): void {
  if (typeof week !== 'string' || !ISO_DATE.test(week) || Number.isNaN(Date.parse(week))) {
    fail(file, where, `week: expected an ISO date YYYY-MM-DD, got ${JSON.stringify(week)}`);
  }
  if ((typeof protocol !== 'string' && typeof protocol !== 'number') || String(protocol) === '') {
    fail(file, where, `protocol: expected a non-empty id, got ${JSON.stringify(protocol)}`);
  }
  if (typeof token !== 'string' || token === '') fail(file, where, `token: expected a non-empty symbol, got ${JSON.stringify(token)}`);
  const v = typeof usd === 'string' && usd.trim() !== '' ? Number(usd) : usd;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    fail(file, where, `usd: expected a finite number >= 0, got ${JSON.stringify(usd)}`);
  }
  let h = out.get(week);
  if (!h) out.set(week, (h = new Map()));
  const pid = String(protocol);
  let m = h.get(pid);
  if (!m) h.set(pid, (m = new Map()));
  m.set(token, (m.get(token) ?? 0) + v);
}

/** Split one CSV line into fields (RFC 4180 quoting, no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let s = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            s += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else s += line[i++];
      }
      out.push(s);
      if (line[i] === ',') i++;
      else if (i < line.length) throw new Error(`unexpected character after a closing quote at column ${i + 1}`);
      else break;
    } else {
      const j = line.indexOf(',', i);
      if (j < 0) {
        out.push(line.slice(i));
        break;
      }
      out.push(line.slice(i, j));
      i = j + 1;
      if (i === line.length) {
        out.push('');
        break;
      }
    }
  }
  return out;
}

function sortByWeek(h: HoldingsByWeek): HoldingsByWeek {
  return new Map([...h.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)));
}

export async function readHoldingsCsv(file: string): Promise<HoldingsByWeek> {
  const out: HoldingsByWeek = new Map();
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let cols: Record<string, number> | undefined;
  let lineNo = 0;
  for await (const raw of rl) {
    lineNo++;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    let fields: string[];
    try {
      fields = splitCsvLine(line);
    } catch (e) {
      fail(file, `line ${lineNo}`, (e as Error).message);
    }
    if (!cols) {
      cols = {};
      fields.forEach((f, i) => (cols![f.trim()] = i));
      for (const c of ['week', 'protocol', 'token', 'usd']) {
        if (cols[c] === undefined) fail(file, 'line 1', `missing column "${c}" (expected header week,protocol,token,usd)`);
      }
      continue;
    }
    add(out, file, `line ${lineNo}`, fields[cols.week], fields[cols.protocol], fields[cols.token], fields[cols.usd]);
  }
  if (!cols) fail(file, 'line 1', 'empty file (expected header week,protocol,token,usd)');
  return sortByWeek(out);
}

export function parseHoldingsJson(text: string, file = '<json>'): HoldingsByWeek {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(file, 'parse', (e as Error).message);
  }
  const out: HoldingsByWeek = new Map();
  if (Array.isArray(raw)) {
    raw.forEach((r, i) => {
      if (typeof r !== 'object' || r === null) fail(file, `[${i}]`, 'expected {week, protocol, token, usd}');
      const o = r as Record<string, unknown>;
      add(out, file, `[${i}]`, o.week, o.protocol, o.token, o.usd);
    });
  } else if (typeof raw === 'object' && raw !== null) {
    for (const [week, byP] of Object.entries(raw)) {
      if (!ISO_DATE.test(week) || Number.isNaN(Date.parse(week))) fail(file, week, `week: expected an ISO date YYYY-MM-DD, got ${JSON.stringify(week)}`);
      if (typeof byP !== 'object' || byP === null) fail(file, week, 'expected {protocol: {token: usd}}');
      for (const [p, byT] of Object.entries(byP as Record<string, unknown>)) {
        if (typeof byT !== 'object' || byT === null) fail(file, `${week}.${p}`, 'expected {token: usd}');
        for (const [t, usd] of Object.entries(byT as Record<string, unknown>)) add(out, file, `${week}.${p}.${t}`, week, p, t, usd);
      }
    }
  } else fail(file, 'top level', 'expected an array of records or {week: {protocol: {token: usd}}}');
  return sortByWeek(out);
}

export async function readHoldings(file: string): Promise<HoldingsByWeek> {
  if (file.toLowerCase().endsWith('.json')) return parseHoldingsJson(readFileSync(file, 'utf8'), file);
  return readHoldingsCsv(file);
}
