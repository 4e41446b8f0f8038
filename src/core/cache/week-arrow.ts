/**
 * Arrow IPC encoding of one week (the cache's unit): `nodes` (id: Utf8, tvl:
 * Float64, tokens: List<Utf8>, values: List<Float64>) and `edges` (source: Int32,
 * target: Int32, weight: Float64). The List offsets are exactly the Snapshot's
 * composition CSR offsets, so numbers come back zero-copy; strings are decoded by
 * hand (apache-arrow's per-value TextDecoder was the slow part of a warm open), ASCII
 * ones shared across weeks (snapshot/intern.ts), and encoded with one UTF-8 pass
 * per column.
 *
 * Reference: Arrow columnar format and IPC file format (arrow.apache.org/docs/format).
 */
import { Field, Float64, Int32, List, makeData, RecordBatch, Schema, Struct, Table, tableFromIPC, tableToIPC, Utf8, type Data } from 'apache-arrow';
import { internUtf8 } from '../snapshot/intern';
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

/** Column data of a week read back from IPC: strings of the composition decoded lazily. */
export interface DecodedWeek {
  ids: string[];
  tvl: Float64Array;
  offsets: Uint32Array;
  values: Float64Array;
  /** Decodes composition tokens on first call. */
  tokens: () => string[];
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  edgeWeight: Float64Array;
}

const ARROW_MAGIC = 'ARROW1';

function utf8Data(strings: string[]): Data<Utf8> {
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
  return makeData({ type: new Utf8(), length: strings.length, nullCount: 0, valueOffsets: offsets, data: bytes });
}

function utf8Of(u: { offsets: Int32Array; bytes: Uint8Array }, length: number): Data<Utf8> {
  if (u.offsets.length !== length + 1) throw new Error(`cache/week-arrow: ${u.offsets.length - 1} encoded strings for ${length} tokens`);
  return makeData({ type: new Utf8(), length, nullCount: 0, valueOffsets: u.offsets, data: u.bytes });
}

function tableOf(fields: Field[], children: Data[], length: number): Table {
  const schema = new Schema(fields);
  const data = makeData({ type: new Struct(fields), length, nullCount: 0, children });
  return new Table([new RecordBatch(schema, data)]);
}

export const NODE_FIELDS = ['id', 'tvl', 'tokens', 'values'] as const;
export const EDGE_FIELDS = ['source', 'target', 'weight'] as const;

export function encodeWeek(w: WeekColumns): { nodes: Uint8Array; edges: Uint8Array } {
  const n = w.ids.length;
  const c = w.composition;
  const offsets = Int32Array.from(c.offsets);
  const tokensType = new List(new Field('item', new Utf8(), false));
  const valuesType = new List(new Field('item', new Float64(), false));
  const nodes = tableOf(
    [new Field('id', new Utf8(), false), new Field('tvl', new Float64(), false), new Field('tokens', tokensType, false), new Field('values', valuesType, false)],
    [
      utf8Data(w.ids),
      makeData({ type: new Float64(), length: n, nullCount: 0, data: w.tvl }),
      makeData({ type: tokensType, length: n, nullCount: 0, valueOffsets: offsets, child: w.tokenUtf8 ? utf8Of(w.tokenUtf8, c.tokens.length) : utf8Data(c.tokens) }),
      makeData({ type: valuesType, length: n, nullCount: 0, valueOffsets: offsets, child: makeData({ type: new Float64(), length: c.values.length, nullCount: 0, data: c.values }) }),
    ],
    n,
  );
  const e = w.edgeSource.length;
  const edges = tableOf(
    [new Field('source', new Int32(), false), new Field('target', new Int32(), false), new Field('weight', new Float64(), false)],
    [
      makeData({ type: new Int32(), length: e, nullCount: 0, data: w.edgeSource }),
      makeData({ type: new Int32(), length: e, nullCount: 0, data: w.edgeTarget }),
      makeData({ type: new Float64(), length: e, nullCount: 0, data: w.edgeWeight }),
    ],
    e,
  );
  return { nodes: tableToIPC(nodes, 'file'), edges: tableToIPC(edges, 'file') };
}

/** Decode a Utf8 column's buffers into strings (ASCII ones shared across weeks: snapshot/intern.ts). */
function decodeUtf8(offsets: Int32Array, bytes: Uint8Array, from: number, to: number): string[] {
  const out: string[] = new Array(to - from);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = from; i < to; i++) out[i - from] = internUtf8(buf, offsets[i], offsets[i + 1]);
  return out;
}

/** Check the IPC file magic at both ends (a cheap guard against truncated files). */
export function hasArrowMagic(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 12) return false;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return b.toString('latin1', 0, 6) === ARROW_MAGIC && b.toString('latin1', b.length - 6, b.length) === ARROW_MAGIC;
}

function single(table: Table, what: string): Data[] {
  if (table.batches.length !== 1) throw new Error(`cache/week-arrow: ${what}: expected 1 record batch, found ${table.batches.length}`);
  return table.batches[0].data.children;
}

function checkNames(table: Table, want: readonly string[], what: string): void {
  const got = table.schema.fields.map((f) => f.name);
  if (got.join(',') !== want.join(',')) throw new Error(`cache/week-arrow: ${what}: expected columns ${want.join(',')}, found ${got.join(',')}`);
}

/** Decode the two IPC files of a week; throws on anything unexpected (damaged cache). */
export function decodeWeek(nodesIpc: Uint8Array, edgesIpc: Uint8Array, expect: { nodes: number; edges: number; entries: number }): DecodedWeek {
  if (!hasArrowMagic(nodesIpc)) throw new Error('cache/week-arrow: nodes file: bad Arrow magic (truncated or not an Arrow file)');
  if (!hasArrowMagic(edgesIpc)) throw new Error('cache/week-arrow: edges file: bad Arrow magic (truncated or not an Arrow file)');
  const nt = tableFromIPC(nodesIpc);
  const et = tableFromIPC(edgesIpc);
  checkNames(nt, NODE_FIELDS, 'nodes');
  checkNames(et, EDGE_FIELDS, 'edges');
  if (nt.numRows !== expect.nodes) throw new Error(`cache/week-arrow: nodes: ${nt.numRows} rows, manifest says ${expect.nodes}`);
  if (et.numRows !== expect.edges) throw new Error(`cache/week-arrow: edges: ${et.numRows} rows, manifest says ${expect.edges}`);
  const n = expect.nodes;
  const [idD, tvlD, tokD, valD] = n === 0 && nt.batches.length === 0 ? [] : single(nt, 'nodes');
  const [srcD, dstD, wD] = expect.edges === 0 && et.batches.length === 0 ? [] : single(et, 'edges');
  const ids = idD ? decodeUtf8(idD.valueOffsets as Int32Array, idD.values as Uint8Array, 0, n) : [];
  const offsets32 = tokD ? (tokD.valueOffsets as Int32Array) : new Int32Array(1);
  const offsets = new Uint32Array(offsets32.buffer, offsets32.byteOffset, n + 1);
  if (offsets[n] !== expect.entries) throw new Error(`cache/week-arrow: composition: ${offsets[n]} entries, manifest says ${expect.entries}`);
  const values = valD ? (valD.children[0].values as Float64Array).subarray(0, expect.entries) : new Float64Array(0);
  let tokens: string[] | undefined;
  const tokChild = tokD?.children[0];
  const week: DecodedWeek = {
    ids,
    tvl: tvlD ? (tvlD.values as Float64Array).subarray(0, n) : new Float64Array(0),
    offsets,
    values,
    tokens: () => (tokens ??= tokChild ? decodeUtf8(tokChild.valueOffsets as Int32Array, tokChild.values as Uint8Array, 0, expect.entries) : []),
    edgeSource: srcD ? (srcD.values as Int32Array).subarray(0, expect.edges) : new Int32Array(0),
    edgeTarget: dstD ? (dstD.values as Int32Array).subarray(0, expect.edges) : new Int32Array(0),
    edgeWeight: wD ? (wD.values as Float64Array).subarray(0, expect.edges) : new Float64Array(0),
  };
  checkDecoded(week);
  return week;
}

/**
 * What the loader guarantees of a week (week-parser.ts) holds for what the cache gave
 * back: edge endpoints index a node, sizes and weights are finite and >= 0, the
 * composition offsets never go back. One linear pass; a damaged file fails here
 * (and is rebuilt) instead of failing later inside a measure.
 */
function checkDecoded(w: DecodedWeek): void {
  const n = w.ids.length;
  const { tvl, offsets, values, edgeSource: s, edgeTarget: t, edgeWeight: x } = w;
  // Each column in a loop of its own over a local (one typed-array kind per loop);
  // the row is looked for again only to word the error.
  let i = firstNotSize(tvl);
  if (i >= 0) throw new Error(`cache/week-arrow: nodes: tvl of row ${i} is ${tvl[i]}, expected a finite size >= 0`);
  for (i = 0; i < n; i++) if (offsets[i + 1] < offsets[i]) throw new Error(`cache/week-arrow: nodes: composition offsets go back at row ${i}`);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v - v !== 0) throw new Error(`cache/week-arrow: nodes: composition value ${k} is ${v}, expected a finite number`);
  }
  // An index is in [0, n) when, read as unsigned, it is below n (a negative one reads >= 2^31).
  for (let e = 0; e < s.length; e++) {
    if (s[e] >>> 0 >= n || t[e] >>> 0 >= n) throw new Error(`cache/week-arrow: edges: row ${e} joins nodes ${s[e]} -> ${t[e]}, expected indices in [0, ${n})`);
  }
  const e = firstNotSize(x);
  if (e >= 0) throw new Error(`cache/week-arrow: edges: weight of row ${e} is ${x[e]}, expected a finite weight >= 0`);
}

/** The first index whose value is not a finite number >= 0 (NaN included), or -1. */
function firstNotSize(a: Float64Array): number {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!(v >= 0 && v < Infinity)) return i;
  }
  return -1;
}
