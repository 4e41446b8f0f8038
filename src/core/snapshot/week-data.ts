/**
 * One week of the release, validated and made columnar: the part of a Snapshot that
 * comes from the weekly JSON (ids, TVL, token composition, edges). Names, categories
 * and sectors come from meta_df.csv / mapping and are joined at read time
 * (`withMeta`), so the Arrow cache holds only what the week file holds.
 *
 * The rules of data-spec §2 (null-id nodes skipped, links with a null or unknown
 * endpoint dropped, repairs counted, what cannot be repaired refused with file, week,
 * record and field) live in week-builder.ts, for both readers of a week.
 */
import { describeValue, ReleaseFormatError } from './errors';
import type { RepairCounts } from './report';
import { EXPECTED, WeekBuilder } from './week-builder';
import { UNKNOWN_CATEGORY, type CompositionTable, type Snapshot } from './types';

export interface WeekData {
  week: string;
  ids: string[];
  tvl: Float64Array;
  composition: CompositionTable;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  edgeWeight: Float64Array;
  /** The composition tokens' UTF-8 bytes (Arrow Utf8 layout) when the reader kept them, for the cache writer. */
  tokenUtf8?: Utf8Column;
  repairs: RepairCounts;
}

/** Strings as one UTF-8 byte array and the offsets of each (Arrow's Utf8 layout: offsets[0] = 0, length + 1 entries). */
export interface Utf8Column {
  offsets: Int32Array;
  bytes: Uint8Array;
}

export interface MetaEntry {
  name?: string;
  category?: string;
  sector?: string;
}

const DATE_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a week key is an ISO date that exists on the calendar. */
export function isValidDateKey(key: string): boolean {
  const m = DATE_KEY.exec(key);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export function checkDateKey(key: string, file: string, byteOffset?: number): void {
  if (!isValidDateKey(key)) {
    throw new ReleaseFormatError({ file, byteOffset, record: `key ${JSON.stringify(key)}`, expected: 'a week key YYYY-MM-DD that is a real date', got: describeValue(key) });
  }
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Validate and convert one parsed week `{nodes, links}` with the loader's rules
 * (WeekBuilder, week-builder.ts): the reference the byte parser is tested against.
 * `file` is for messages. A number used as an id becomes String(number) here (the
 * byte parser keeps the literal's Python str(), python-id.ts): they agree on integer
 * literals only.
 */
export function weekFromJson(week: string, raw: unknown, file: string): WeekData {
  const w: WeekBuilder = new WeekBuilder(file, week);
  if (!isPlainObject(raw)) w.fail(undefined, EXPECTED.week, describeValue(raw));
  const obj = raw as Record<string, unknown>;
  const nodes = obj.nodes;
  const links = obj.links;
  if (!Array.isArray(nodes)) w.fail('nodes', EXPECTED.nodes, describeValue(nodes));
  if (!Array.isArray(links)) w.fail('links', EXPECTED.links, describeValue(links));
  const idOf = (v: unknown, field: string): string | null => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'string') return w.id(v, field);
    if (typeof v === 'number' && Number.isFinite(v)) return w.numericId(String(v), field, describeValue(v));
    return w.fail(field, field === 'id' ? EXPECTED.id : EXPECTED.endpoint, describeValue(v));
  };
  const sizeOf = (v: unknown): number | undefined => {
    if (v === null || v === undefined) return undefined;
    if (typeof v !== 'number') return w.fail('size', EXPECTED.size, describeValue(v));
    return w.size('size', v);
  };
  (nodes as unknown[]).forEach((n, r) => {
    w.beginNode(r);
    if (!isPlainObject(n)) w.fail(undefined, EXPECTED.node, describeValue(n));
    const id = idOf(n.id, 'id');
    const size = sizeOf(n.size);
    const comp = n.composition;
    if (comp !== undefined && comp !== null && !isPlainObject(comp)) w.fail('composition', EXPECTED.composition, describeValue(comp));
    if (isPlainObject(comp)) {
      for (const tok in comp) {
        const v = comp[tok];
        if (typeof v !== 'number') w.fail(`composition[${JSON.stringify(tok)}]`, EXPECTED.usd, describeValue(v));
        w.token(tok, v as number);
      }
    }
    w.endNode(id, size, isPlainObject(comp));
  });
  (links as unknown[]).forEach((l, r) => {
    w.beginLink(r);
    if (!isPlainObject(l)) w.fail(undefined, EXPECTED.link, describeValue(l));
    const s = idOf(l.source, 'source');
    const t = idOf(l.target, 'target');
    w.endLink(s, t, sizeOf(l.size));
  });
  w.endRecords();
  return w.build();
}

/** Join names, categories and sectors onto week data: a full observed Snapshot. */
export function withMeta(d: WeekData, meta: ReadonlyMap<string, MetaEntry>): Snapshot {
  const { names, categories, sectors } = metaColumns(d.ids, meta);
  return {
    week: d.week,
    kind: 'observed',
    ids: d.ids,
    names,
    categories,
    sectors,
    tvl: d.tvl,
    composition: d.composition,
    edgeSource: d.edgeSource,
    edgeTarget: d.edgeTarget,
    edgeWeight: d.edgeWeight,
  };
}

/** Names, categories and sectors of the ids, from the release metadata (the id itself, or Unknown, where it has none). */
export function metaColumns(ids: readonly string[], meta: ReadonlyMap<string, MetaEntry>): Pick<Snapshot, 'names' | 'categories' | 'sectors'> {
  const n = ids.length;
  const names: string[] = new Array(n);
  const categories: string[] = new Array(n);
  const sectors: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    const m = meta.get(id);
    names[i] = m?.name ?? id;
    categories[i] = m?.category ?? UNKNOWN_CATEGORY;
    sectors[i] = m?.sector ?? UNKNOWN_CATEGORY;
  }
  return { names, categories, sectors };
}
