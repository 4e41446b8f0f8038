/**
 * Arrow IPC encoding of one week (the cache's unit), two files. `<week>.arrow` holds
 * the nodes and edges as one row of five lists: id (Int32, each node's index into the
 * week's id dictionary: manifest.ts), tvl (Float64), source and target (Int32 node
 * indices) and weight (Float64). The ids are stored once per release, not per week:
 * decoding ~6,000 id strings a week was a third of a full release's warm open, an
 * index lookup is not. `<week>.composition.arrow` (tokens: List<Utf8>, values:
 * List<Float64>, a row per node) is most of a week's bytes and few readers need it, so
 * it is read only when asked for. The List offsets are exactly the Snapshot's
 * composition CSR offsets, so numbers come back zero-copy; files are written and read
 * by arrow-file.ts; token strings are decoded by hand, ASCII ones shared across weeks
 * (snapshot/intern.ts), and encoded with one UTF-8 pass per column.
 *
 * Reference: Arrow columnar format and IPC file format (arrow.apache.org/docs/format).
 */
import { readArrowFile, writeArrowFile, type ArrowColumn, type ArrowFile, type ArrowWriteColumn } from './arrow-file';
import { internUtf8 } from '../snapshot/intern';
import { usable } from './week-check';
import type { CompositionTable } from '../snapshot/types';

export interface WeekColumns {
  ids: string[];
  tvl: Float64Array;
  composition: CompositionTable;
  /** composition.tokens already encoded (the parser keeps their bytes), else encoded here. */
  tokenUtf8?: { offsets: Int32Array; bytes: Uint8Array };
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  edgeWeight: Float64Array;
}

/** Column data of a week's nodes and edges read back from IPC. */
export interface DecodedWeek {
  ids: string[];
  tvl: Float64Array;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  edgeWeight: Float64Array;
}

function utf8Column(strings: string[]): ArrowWriteColumn {
  const offsets = new Int32Array(strings.length + 1);
  // One encode of all strings joined (a Buffer per string was most of the encoding
  // time); when the bytes are as many as the UTF-16 units, every string is ASCII and
  // the offsets are the string lengths.
  const joined = strings.join('');
  let bytes: Uint8Array = Buffer.from(joined, 'utf8');
  if (bytes.byteLength === joined.length) {
    let total = 0;
    for (let i = 0; i < strings.length; i++) {
      total += strings[i].length;
      offsets[i + 1] = total;
    }
  } else {
    // each string on its own: joined, a pair split across two strings would merge
    const bufs = strings.map((x) => Buffer.from(x, 'utf8'));
    for (let i = 0; i < bufs.length; i++) offsets[i + 1] = offsets[i] + bufs[i].length;
    bytes = Buffer.concat(bufs);
  }
  return { kind: 'utf8', offsets, bytes };
}

/**
 * The week's two files; `idIndex[k]` is node k's index into the week's id dictionary
 * (the writer's: every id it has met, in the order it met them).
 */
export function encodeWeek(w: WeekColumns, idIndex: Int32Array): { week: Uint8Array; composition: Uint8Array } {
  const c = w.composition;
  const n = w.ids.length;
  if (idIndex.length !== n) throw new Error(`cache/week-arrow: ${idIndex.length} id indices for ${n} nodes`);
  const offsets = new Int32Array(c.offsets.buffer, c.offsets.byteOffset, n + 1);
  const tokens = w.tokenUtf8 ? tokenColumn(w.tokenUtf8, c.tokens.length) : utf8Column(c.tokens);
  const m = w.edgeSource.length;
  const one = (count: number): Int32Array => new Int32Array([0, count]);
  return {
    week: writeArrowFile(WEEK_KINDS.map(([name]) => name), [
      { kind: 'list', offsets: one(n), child: { kind: 'int32', values: idIndex } },
      { kind: 'list', offsets: one(n), child: { kind: 'float64', values: w.tvl } },
      { kind: 'list', offsets: one(m), child: { kind: 'int32', values: w.edgeSource } },
      { kind: 'list', offsets: one(m), child: { kind: 'int32', values: w.edgeTarget } },
      { kind: 'list', offsets: one(m), child: { kind: 'float64', values: w.edgeWeight } },
    ]),
    composition: writeArrowFile(['tokens', 'values'], [{ kind: 'list', offsets, child: tokens }, { kind: 'list', offsets, child: { kind: 'float64', values: c.values.subarray(0, c.offsets[n]) } }]),
  };
}

function tokenColumn(u: { offsets: Int32Array; bytes: Uint8Array }, length: number): ArrowWriteColumn {
  if (u.offsets.length !== length + 1) throw new Error(`cache/week-arrow: ${u.offsets.length - 1} encoded strings for ${length} tokens`);
  return { kind: 'utf8', offsets: u.offsets, bytes: u.bytes };
}

/** Decode a Utf8 column's buffers into strings (ASCII ones shared across weeks: snapshot/intern.ts). */
function decodeUtf8(offsets: Int32Array, bytes: Uint8Array, from: number, to: number): string[] {
  const out: string[] = new Array(to - from);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = from; i < to; i++) out[i - from] = internUtf8(buf, offsets[i], offsets[i + 1]);
  return out;
}

function columnsOf(file: ArrowFile, want: readonly (readonly [string, string])[], what: string): ArrowColumn[] {
  const names = want.map(([name]) => name);
  if (file.names.join(',') !== names.join(',')) throw new Error(`cache/week-arrow: ${what}: expected columns ${names.join(',')}, found ${file.names.join(',')}`);
  if (file.columns.length === 0) return [];
  want.forEach(([name, kind], i) => {
    if (file.columns[i].kind !== kind) throw new Error(`cache/week-arrow: ${what}: column ${name} is ${file.columns[i].kind}, expected ${kind}`);
  });
  return file.columns;
}

const WEEK_KINDS = [['id', 'list<int32>'], ['tvl', 'list<float64>'], ['source', 'list<int32>'], ['target', 'list<int32>'], ['weight', 'list<float64>']] as const;
const COMPOSITION_KINDS = [['tokens', 'list<utf8>'], ['values', 'list<float64>']] as const;

function read(bytes: Uint8Array, what: string): ArrowFile {
  try {
    return readArrowFile(bytes);
  } catch (e) {
    throw new Error(`cache/week-arrow: ${what} file: ${(e as Error).message}`, { cause: e });
  }
}

/** The `count` items of a one-row list column (its row's offsets are [0, count]). */
function listItems(c: ArrowColumn, count: number, what: string): Int32Array | Float64Array {
  const o = c.offsets!;
  if (o[1] !== count) throw new Error(`cache/week-arrow: week: ${what} holds ${o[1]} values, manifest says ${count}`);
  return (c.child!.values as Int32Array | Float64Array).subarray(0, count);
}

/**
 * Decode a week's file, its ids looked up in `dict` (the week's id dictionary);
 * throws on anything unexpected (damaged cache).
 */
export function decodeWeek(ipc: Uint8Array, expect: { nodes: number; edges: number }, dict: readonly string[]): DecodedWeek {
  const f = read(ipc, 'week');
  if (f.length !== 1) throw new Error(`cache/week-arrow: week: ${f.length} rows, expected 1`);
  const [idC, tvlC, srcC, dstC, wC] = columnsOf(f, WEEK_KINDS, 'week');
  const { nodes: n, edges: m } = expect;
  const index = listItems(idC, n, 'id') as Int32Array;
  const week: DecodedWeek = {
    ids: idsOf(index, dict),
    tvl: listItems(tvlC, n, 'tvl') as Float64Array,
    edgeSource: listItems(srcC, m, 'source') as Int32Array,
    edgeTarget: listItems(dstC, m, 'target') as Int32Array,
    edgeWeight: listItems(wC, m, 'weight') as Float64Array,
  };
  checkDecoded(week, ipc);
  return week;
}

/** The strings of `index` in `dict`; throws at an index outside it. */
function idsOf(index: Int32Array, dict: readonly string[]): string[] {
  const n = index.length;
  const d = dict.length;
  const ids = new Array<string>(n); // sized once (grown by push, it was the open's largest allocation)
  for (let k = 0; k < n; k++) {
    const j = index[k];
    if (j >>> 0 >= d) throw new Error(`cache/week-arrow: week: node ${k} has id index ${j}, expected one in [0, ${d}) (the week's id dictionary)`);
    ids[k] = dict[j];
  }
  return ids;
}

/** Decode a week's composition file (a row per node); throws on anything unexpected (damaged cache). */
export function decodeComposition(ipc: Uint8Array, expect: { nodes: number; entries: number }): CompositionTable {
  const f = read(ipc, 'composition');
  const [tokC, valC] = columnsOf(f, COMPOSITION_KINDS, 'composition');
  const n = expect.nodes;
  if (f.length !== n) throw new Error(`cache/week-arrow: composition: ${f.length} rows, manifest says ${n}`);
  const offsets32 = tokC ? tokC.offsets! : new Int32Array(1);
  const offsets = new Uint32Array(offsets32.buffer, offsets32.byteOffset, n + 1);
  if (offsets[n] !== expect.entries) throw new Error(`cache/week-arrow: composition: ${offsets[n]} entries, manifest says ${expect.entries}`);
  if (valC) {
    const vo = valC.offsets!;
    for (let i = 0; i <= n; i++) if (vo[i] !== offsets32[i]) throw new Error(`cache/week-arrow: composition: the tokens and values lists part at row ${i}`);
  }
  const values = valC ? (valC.child!.values as Float64Array).subarray(0, expect.entries) : new Float64Array(0);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v - v !== 0) throw new Error(`cache/week-arrow: composition: value ${k} is ${v}, expected a finite number`);
  }
  const tokChild = tokC?.child;
  const tokens = tokChild ? decodeUtf8(tokChild.offsets!, tokChild.values as Uint8Array, 0, expect.entries) : [];
  return { offsets, tokens, values };
}

/**
 * What the loader guarantees of a week (week-parser.ts) holds for what the cache gave
 * back: edge endpoints index a node, sizes and weights are finite and >= 0 (offsets
 * never go back: arrow-file.ts; composition values finite: decodeComposition). A
 * damaged file fails here (and is rebuilt) instead of failing later inside a measure.
 * One pass (usable: week-check.ts) answers for the whole week; only a week it does
 * not clear is scanned again, column by column, for the row to name.
 */
function checkDecoded(w: DecodedWeek, file: Uint8Array): void {
  const n = w.ids.length;
  const { tvl, edgeSource: s, edgeTarget: t, edgeWeight: x } = w;
  if (usable(file, w, n)) return;
  const i = firstNotSize(tvl);
  if (i >= 0) throw new Error(`cache/week-arrow: nodes: tvl of row ${i} is ${tvl[i]}, expected a finite size >= 0`);
  for (let e = 0; e < s.length; e++) {
    if (s[e] >>> 0 >= n || t[e] >>> 0 >= n) throw new Error(`cache/week-arrow: edges: row ${e} joins nodes ${s[e]} -> ${t[e]}, expected indices in [0, ${n})`);
  }
  const e = firstNotSize(x);
  if (e >= 0) throw new Error(`cache/week-arrow: edges: weight of row ${e} is ${x[e]}, expected a finite weight >= 0`);
  // else: only a -0 size or weight failed the one pass, and -0 is a size
}

/** The first index whose value is not a finite number >= 0 (NaN included), or -1. */
function firstNotSize(a: Float64Array): number {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!(v >= 0 && v < Infinity)) return i;
  }
  return -1;
}
