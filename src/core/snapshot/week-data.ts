/**
 * One week of the release, validated and made columnar: the part of a Snapshot that
 * comes from the weekly JSON (ids, TVL, token composition, edges). Names, categories
 * and sectors come from meta_df.csv / mapping and are joined at read time
 * (`withMeta`), so the Arrow cache holds only what the week file holds.
 *
 * Follows data-spec §2 (RFE:build_snapshot): node order is JSON order, null-id nodes
 * are skipped, links with a null or unknown endpoint are dropped, self-loops,
 * zero-weight and parallel links are kept, weights stay linear USD. Everything
 * repaired is counted in RepairCounts; what cannot be repaired throws a
 * ReleaseFormatError naming file, week, record and field.
 */
import { describeValue, ReleaseFormatError } from './errors';
import { emptyRepairCounts, type RepairCounts } from './report';
import { UNKNOWN_CATEGORY, type CompositionTable, type Snapshot } from './types';

export interface WeekData {
  week: string;
  ids: string[];
  tvl: Float64Array;
  composition: CompositionTable;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  edgeWeight: Float64Array;
  repairs: RepairCounts;
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

/** Validate and convert one parsed week `{nodes, links}`. `file` is for messages. */
export function weekFromJson(week: string, raw: unknown, file: string): WeekData {
  const fail = (record: string | undefined, field: string | undefined, expected: string, got: unknown): never => {
    throw new ReleaseFormatError({ file, week, record, field, expected, got: describeValue(got) });
  };
  if (!isPlainObject(raw)) fail(undefined, undefined, 'an object {"nodes": [...], "links": [...]}', raw);
  const obj = raw as Record<string, unknown>;
  const nodes = obj.nodes;
  const links = obj.links;
  if (!Array.isArray(nodes)) fail(undefined, 'nodes', 'an array of nodes', nodes);
  if (!Array.isArray(links)) fail(undefined, 'links', 'an array of links', links);
  const nodeArr = nodes as unknown[];
  const linkArr = links as unknown[];
  const repairs = emptyRepairCounts();

  const ids: string[] = [];
  const index = new Map<string, number>();
  const tvl: number[] = [];
  const offsets: number[] = [0];
  const tokens: string[] = [];
  const values: number[] = [];
  for (let r = 0; r < nodeArr.length; r++) {
    const n = nodeArr[r];
    if (!isPlainObject(n)) fail(`nodes[${r}]`, undefined, 'an object {id, size, composition}', n);
    const node = n as Record<string, unknown>;
    let id = node.id;
    if (id === null || id === undefined) {
      repairs.nullIdNodes++;
      continue;
    }
    // The byte parser applies Python's str() to the number's literal (python-id.ts); this
    // reference only sees the parsed value, so they agree on integer literals only.
    if (typeof id === 'number' && Number.isFinite(id)) {
      repairs.numericIds++;
      id = String(id);
    }
    if (typeof id !== 'string' || id === '') fail(`nodes[${r}]`, 'id', 'a non-empty string (or null)', id);
    const sid = id as string;
    if (index.has(sid)) fail(`nodes[${r}]`, 'id', `an id unique within the week (also nodes[${nodeRecordOf(nodeArr, index.get(sid)!, sid)}])`, sid);
    let size = node.size;
    if (size === undefined || size === null) {
      repairs.missingNodeSize++;
      size = 0;
    }
    if (typeof size !== 'number' || !Number.isFinite(size) || size < 0) fail(`nodes[${r}]`, 'size', 'a finite number >= 0', size);
    const comp = node.composition;
    if (comp === undefined || comp === null) repairs.nullComposition++;
    else if (!isPlainObject(comp)) fail(`nodes[${r}]`, 'composition', 'an object {token: USD}', comp);
    else {
      for (const tok in comp) {
        const v = comp[tok];
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(`nodes[${r}]`, `composition[${JSON.stringify(tok)}]`, 'a finite number (USD)', v);
        if ((v as number) < 0) repairs.negativeCompositionValues++;
        tokens.push(tok);
        values.push(v as number);
      }
    }
    index.set(sid, ids.length);
    ids.push(sid);
    tvl.push(size as number);
    offsets.push(tokens.length);
  }

  const src: number[] = [];
  const dst: number[] = [];
  const w: number[] = [];
  const seen = new Set<number>();
  const n = ids.length;
  for (let r = 0; r < linkArr.length; r++) {
    const l = linkArr[r];
    if (!isPlainObject(l)) fail(`links[${r}]`, undefined, 'an object {source, target, size}', l);
    const link = l as Record<string, unknown>;
    const s = link.source;
    const t = link.target;
    if (s === null || s === undefined || t === null || t === undefined) {
      repairs.nullEndpointLinks++;
      continue;
    }
    if (typeof s !== 'string' && typeof s !== 'number') fail(`links[${r}]`, 'source', 'a protocol id string (or null)', s);
    if (typeof t !== 'string' && typeof t !== 'number') fail(`links[${r}]`, 'target', 'a protocol id string (or null)', t);
    let size = link.size;
    if (size === undefined || size === null) {
      repairs.missingLinkSize++;
      size = 0;
    }
    if (typeof size !== 'number' || !Number.isFinite(size) || size < 0) fail(`links[${r}]`, 'size', 'a finite number >= 0', size);
    const a = index.get(String(s));
    const b = index.get(String(t));
    if (a === undefined || b === undefined) {
      repairs.unknownEndpointLinks++;
      continue;
    }
    if (a === b) repairs.selfLoops++;
    if (size === 0) repairs.zeroWeightLinks++;
    const key = a * n + b;
    if (seen.has(key)) repairs.duplicateLinks++;
    else seen.add(key);
    src.push(a);
    dst.push(b);
    w.push(size as number);
  }
  return {
    week,
    ids,
    tvl: Float64Array.from(tvl),
    composition: { offsets: Uint32Array.from(offsets), tokens, values: Float64Array.from(values) },
    edgeSource: Int32Array.from(src),
    edgeTarget: Int32Array.from(dst),
    edgeWeight: Float64Array.from(w),
    repairs,
  };
}

/** Record position of the node that first used `id` (for the duplicate-id message). */
function nodeRecordOf(nodes: unknown[], _kept: number, id: string): number {
  for (let r = 0; r < nodes.length; r++) {
    const x = nodes[r] as { id?: unknown } | null;
    if (x && (x.id === id || (typeof x.id === 'number' && String(x.id) === id))) return r;
  }
  return -1;
}

/** Join names, categories and sectors onto week data: a full observed Snapshot. */
export function withMeta(d: WeekData, meta: ReadonlyMap<string, MetaEntry>): Snapshot {
  const n = d.ids.length;
  const names: string[] = new Array(n);
  const categories: string[] = new Array(n);
  const sectors: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const id = d.ids[i];
    const m = meta.get(id);
    names[i] = m?.name ?? id;
    categories[i] = m?.category ?? UNKNOWN_CATEGORY;
    sectors[i] = m?.sector ?? UNKNOWN_CATEGORY;
  }
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
