/**
 * A lean reader and writer of the cache's Arrow IPC files: the footer, schema and
 * record-batch header are read straight from their flatbuffers (Flat, below) and
 * written with the Arrow format's own flatbuffer builders (apache-arrow/fb), and the
 * columns come back as typed-array views on the file's bytes, without
 * apache-arrow's Table and Vector machinery. tableFromIPC built those for every week
 * and was most of a warm open's time (a fresh process runs that much library code
 * unoptimised); the files are the cache writer's own, so only the types it writes
 * are read (Utf8, Int32, Float64, List of those, no nulls, no compression) and
 * anything else is refused as damage.
 *
 * Reference: Arrow columnar format and IPC file format (arrow.apache.org/docs/format).
 */
import { Builder } from 'flatbuffers';
import { Block } from 'apache-arrow/fb/block';
import { Buffer as FbBuffer } from 'apache-arrow/fb/buffer';
import { Endianness } from 'apache-arrow/fb/endianness';
import { Field } from 'apache-arrow/fb/field';
import { FieldNode } from 'apache-arrow/fb/field-node';
import { FloatingPoint } from 'apache-arrow/fb/floating-point';
import { Footer } from 'apache-arrow/fb/footer';
import { Int } from 'apache-arrow/fb/int';
import { List as FbList } from 'apache-arrow/fb/list';
import { Message } from 'apache-arrow/fb/message';
import { MessageHeader } from 'apache-arrow/fb/message-header';
import { MetadataVersion } from 'apache-arrow/fb/metadata-version';
import { Precision } from 'apache-arrow/fb/precision';
import { RecordBatch } from 'apache-arrow/fb/record-batch';
import { Schema } from 'apache-arrow/fb/schema';
import { Type } from 'apache-arrow/fb/type';
import { Utf8 as FbUtf8 } from 'apache-arrow/fb/utf8';

/** One column: `kind` names its type ('utf8', 'int32', 'float64', 'list<...>'). */
export interface ArrowColumn {
  kind: string;
  length: number;
  /** Utf8 and List: length + 1 offsets. */
  offsets?: Int32Array;
  /** Utf8: the bytes; Int32/Float64: the values (exactly `length` of them). */
  values?: Uint8Array | Int32Array | Float64Array;
  /** List: the items. */
  child?: ArrowColumn;
}

export interface ArrowFile {
  names: string[];
  /** Rows of the record batch (0 when the file has none). */
  length: number;
  /** The columns, in schema order (empty when the file has no record batch). */
  columns: ArrowColumn[];
}

const MAGIC = 'ARROW1';
const CONTINUATION = 0xffffffff;

function fail(why: string): never {
  throw new Error(`cache/arrow-file: ${why}`);
}

/**
 * Little-endian reads of one flatbuffer (the footer, or a message) inside the file:
 * every read is bounds-checked, so a wrong offset is refused, never read past. By hand
 * rather than through apache-arrow's generated classes, which made an object and
 * BigInts per field node and buffer: 85 µs per file once warm, most of a small week's
 * read. Tables: a vtable of u16 field offsets before them (absent field: its default).
 */
class Flat {
  /** Bytes [watchFrom, watchTo) that a read touched sets `touched` (footerSchema: the footer's blocks). */
  watchFrom = 0;
  watchTo = 0;
  touched = false;

  constructor(
    private readonly b: Uint8Array,
    private readonly what: string,
  ) {}

  private at(p: number, width: number): number {
    if (!(p >= 0 && p + width <= this.b.length)) fail(`the ${this.what} points outside itself (offset ${p})`);
    if (p < this.watchTo && p + width > this.watchFrom) this.touched = true;
    return p;
  }
  u8(p: number): number {
    return this.b[this.at(p, 1)];
  }
  u16(p: number): number {
    const b = this.b;
    p = this.at(p, 2);
    return b[p] | (b[p + 1] << 8);
  }
  i32(p: number): number {
    const b = this.b;
    p = this.at(p, 4);
    return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
  }
  /** A non-negative int64 as a number (files here are far below 2^53 bytes). */
  i64(p: number, what: string): number {
    const lo = this.i32(p) >>> 0;
    const hi = this.i32(p + 4);
    if (hi < 0 || hi >= 1 << 21) fail(`${what} is out of range`);
    return hi * 4294967296 + lo;
  }
  /** Where field `f` of the table at `t` lies, or -1 when absent. */
  field(t: number, f: number): number {
    const vt = t - this.i32(t);
    const o = 4 + 2 * f;
    if (o >= this.u16(vt)) return -1;
    const at = this.u16(vt + o);
    return at === 0 ? -1 : t + at;
  }
  /** What the offset stored at `p` points at (a table, vector or string). */
  ref(p: number): number {
    return p + (this.i32(p) >>> 0);
  }
  /** The table, vector or string of field `f`, or -1 when absent. */
  refField(t: number, f: number): number {
    const p = this.field(t, f);
    return p < 0 ? -1 : this.ref(p);
  }
  /** The length of the vector at `v` (its items start at v + 4). */
  length(v: number): number {
    return this.i32(v) >>> 0;
  }
  string(s: number): string {
    const n = this.length(s);
    this.at(s + 4, n);
    return Buffer.from(this.b.buffer, this.b.byteOffset + s + 4, n).toString('utf8');
  }
}

/** The flatbuffer schema fields of the Arrow format (Schema.fbs, Message.fbs, File.fbs) read here, by field number. */
const FOOTER_SCHEMA = 1;
const FOOTER_DICTIONARIES = 2;
const FOOTER_BATCHES = 3;
const SCHEMA_FIELDS = 1;
const FIELD_NAME = 0;
const FIELD_TYPE_TYPE = 2;
const FIELD_TYPE = 3;
const FIELD_DICTIONARY = 4;
const FIELD_CHILDREN = 5;
const INT_BIT_WIDTH = 0;
const INT_SIGNED = 1;
const FLOAT_PRECISION = 0;
const MESSAGE_HEADER_TYPE = 1;
const MESSAGE_HEADER = 2;
const BATCH_LENGTH = 0;
const BATCH_NODES = 1;
const BATCH_BUFFERS = 2;
const BATCH_COMPRESSION = 3;
/** FieldNode (length, null count) and Buffer (offset, length): two int64. A Block: offset int64, metaDataLength int32 (+4 padding), bodyLength int64. */
const PAIR_BYTES = 16;
const BLOCK_BYTES = 24;

/** The kind of a field as this reader knows it, or undefined for a type the cache never writes. */
function kindOf(fb: Flat, f: number): string | undefined {
  if (fb.field(f, FIELD_DICTIONARY) >= 0) return undefined;
  const typeAt = fb.field(f, FIELD_TYPE_TYPE);
  const type = fb.refField(f, FIELD_TYPE);
  switch (typeAt < 0 ? Type.NONE : fb.u8(typeAt)) {
    case Type.Utf8:
      return 'utf8';
    case Type.Int: {
      if (type < 0) return undefined;
      const w = fb.field(type, INT_BIT_WIDTH);
      const signed = fb.field(type, INT_SIGNED);
      return w >= 0 && fb.i32(w) === 32 && signed >= 0 && fb.u8(signed) !== 0 ? 'int32' : undefined;
    }
    case Type.FloatingPoint: {
      const p = type < 0 ? -1 : fb.field(type, FLOAT_PRECISION);
      return p >= 0 && fb.u16(p) === Precision.DOUBLE ? 'float64' : undefined;
    }
    case Type.List: {
      const children = fb.refField(f, FIELD_CHILDREN);
      if (children < 0 || fb.length(children) !== 1) return undefined;
      const k = kindOf(fb, fb.ref(children + 4));
      return k ? `list<${k}>` : undefined;
    }
    default:
      return undefined;
  }
}

/** A footer's schema as read: its fields (table positions in the footer), names and kinds (undefined: a type the cache never writes). */
interface SchemaRead {
  fields: number[];
  names: string[];
  kinds: (string | undefined)[];
}

function readSchema(ft: Flat, footer: number): SchemaRead {
  const schema = ft.refField(footer, FOOTER_SCHEMA);
  if (schema < 0) fail('no schema in the footer');
  const fieldsAt = ft.refField(schema, SCHEMA_FIELDS);
  const fields: number[] = [];
  const nFields = fieldsAt < 0 ? 0 : ft.length(fieldsAt);
  for (let i = 0; i < nFields; i++) fields.push(ft.ref(fieldsAt + 4 + 4 * i));
  const names = fields.map((f) => {
    const at = ft.refField(f, FIELD_NAME);
    return at < 0 ? '' : ft.string(at);
  });
  return { fields, names, kinds: fields.map((f) => kindOf(ft, f)) };
}

/**
 * The schemas read lately, with a copy of their footer: every week file has the same
 * schema, and so the same footer bytes but for its record-batch block (the batch's
 * body length). Reading the schema again for each file, in code V8 had not optimised
 * yet, was a good part of a small release's warm open. A footer equal to a remembered
 * one outside the blocks, and whose schema was read without touching them, has that
 * schema (the read is a function of the bytes it reads); any other is read in full.
 */
const schemas: { footer: Buffer; from: number; to: number; read: SchemaRead }[] = [];
const SCHEMAS_KEPT = 2; // the week file's and the composition file's
let schemaHits = 0;

/** How many files took a remembered schema; `forget` empties the memory (tests compare reads with and without it). */
export function rememberedSchemas(forget = false): { hits: number } {
  if (forget) schemas.length = 0;
  return { hits: schemaHits };
}

function footerSchema(b: Buffer, footerStart: number, footerLength: number, ft: Flat, footer: number, from: number, to: number): SchemaRead {
  const footerEnd = footerStart + footerLength;
  for (const s of schemas) {
    if (s.footer.length === footerLength && s.from === from && s.to === to && b.compare(s.footer, 0, from, footerStart, footerStart + from) === 0 && b.compare(s.footer, to, footerLength, footerStart + to, footerEnd) === 0) {
      schemaHits++;
      return s.read;
    }
  }
  ft.watchFrom = from;
  ft.watchTo = to;
  ft.touched = false;
  const read = readSchema(ft, footer);
  ft.watchTo = 0;
  if (!ft.touched) {
    if (schemas.length >= SCHEMAS_KEPT) schemas.shift();
    schemas.push({ footer: Buffer.from(b.subarray(footerStart, footerEnd)), from, to, read });
  }
  return read;
}

/** Reads one IPC file of a single record batch (or none) into column views; throws on anything unexpected. */
export function readArrowFile(bytes: Uint8Array): ArrowFile {
  const size = bytes.byteLength;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, size);
  if (size < 18 || b.toString('latin1', 0, 6) !== MAGIC || b.toString('latin1', size - 6, size) !== MAGIC) fail('bad Arrow magic (truncated or not an Arrow file)');
  const footerLength = b.readInt32LE(size - 10);
  const footerStart = size - 10 - footerLength;
  if (footerLength <= 0 || footerStart < 8) fail(`footer length ${footerLength} does not fit the file`);
  const ft = new Flat(new Uint8Array(bytes.buffer, bytes.byteOffset + footerStart, footerLength), 'footer');
  const footer = ft.ref(0);
  const blocks = ft.refField(footer, FOOTER_BATCHES);
  const batches = blocks < 0 ? 0 : ft.length(blocks);
  const blocksFrom = blocks < 0 ? 0 : blocks + 4;
  const { fields, names, kinds } = footerSchema(b, footerStart, footerLength, ft, footer, blocksFrom, Math.min(footerLength, blocksFrom + BLOCK_BYTES * batches));
  const dictionaries = ft.refField(footer, FOOTER_DICTIONARIES);
  if (dictionaries >= 0 && ft.length(dictionaries) !== 0) fail('dictionary batches are not expected');
  if (batches === 0) return { names: names.slice(), length: 0, columns: [] };
  if (batches !== 1) fail(`expected 1 record batch, found ${batches}`);
  const at = ft.i64(blocks + 4, 'the record batch offset');
  const metaLength = ft.i32(blocks + 4 + 8);
  const bodyLength = ft.i64(blocks + 4 + 16, 'the record batch body length');
  const bodyStart = at + metaLength;
  if (metaLength < 8 || bodyStart + bodyLength > footerStart) fail('the record batch lies outside the file');
  // An encapsulated message: 0xFFFFFFFF, the flatbuffer's length, the flatbuffer.
  let m = at;
  if (b.readUInt32LE(m) === CONTINUATION) m += 4;
  const messageLength = b.readInt32LE(m);
  if (messageLength <= 0 || m + 4 + messageLength > bodyStart) fail('the record batch message does not fit its block');
  const mf = new Flat(new Uint8Array(bytes.buffer, bytes.byteOffset + m + 4, messageLength), 'record batch message');
  const message = mf.ref(0);
  const headerType = mf.field(message, MESSAGE_HEADER_TYPE);
  const ht = headerType < 0 ? MessageHeader.NONE : mf.u8(headerType);
  if (ht !== MessageHeader.RecordBatch) fail(`message of type ${ht} where a record batch was expected`);
  const batch = mf.refField(message, MESSAGE_HEADER);
  if (batch < 0) fail('the record batch message has no header');
  if (mf.field(batch, BATCH_COMPRESSION) >= 0) fail('compressed record batches are not expected');
  const lengthAt = mf.field(batch, BATCH_LENGTH);
  const length = lengthAt < 0 ? 0 : mf.i64(lengthAt, 'the row count');
  const nodesAt = mf.refField(batch, BATCH_NODES);
  const buffersAt = mf.refField(batch, BATCH_BUFFERS);
  const nodeCount = nodesAt < 0 ? 0 : mf.length(nodesAt);
  const bufferCount = buffersAt < 0 ? 0 : mf.length(buffersAt);

  let node = 0;
  let buffer = 0;
  const nextNode = (): number => {
    if (node >= nodeCount) fail('fewer field nodes than columns');
    const p = nodesAt + 4 + PAIR_BYTES * node++;
    if (mf.i32(p + 8) !== 0 || mf.i32(p + 12) !== 0) fail('null values are not expected');
    return mf.i64(p, 'a field length');
  };
  // Views are made straight on the file's ArrayBuffer: a Buffer's subarray builds a
  // Buffer object each time (20 per week file).
  const base = bytes.byteOffset + bodyStart;
  /** The next buffer's length; its offset inside the body is left in bufferOffset. */
  let bufferOffset = 0;
  const bufferAt = (): number => {
    if (buffer >= bufferCount) fail('fewer buffers than columns need');
    const p = buffersAt + 4 + PAIR_BYTES * buffer++;
    const off = mf.i64(p, 'a buffer offset');
    const len = mf.i64(p + 8, 'a buffer length');
    if (off + len > bodyLength) fail('a buffer lies outside the record batch body');
    bufferOffset = off;
    return len;
  };
  /** Where the next buffer's `count` elements of `width` bytes lie: in the file when aligned, else in a copy. */
  const nextBuffer = (width: number, count: number): { buffer: ArrayBufferLike; at: number } => {
    const len = bufferAt();
    if (len < width * count) fail(`a buffer of ${len} bytes holds fewer than ${count} values of ${width} bytes`);
    const at = base + bufferOffset;
    if (at % width === 0) return { buffer: bytes.buffer, at };
    return { buffer: new Uint8Array(bytes.buffer, at, width * count).slice().buffer, at: 0 };
  };
  const i32 = (count: number): Int32Array => {
    const u = nextBuffer(4, count);
    return new Int32Array(u.buffer, u.at, count);
  };
  /** Offsets of `n` rows; an empty column may be written without its single 0. */
  const offsetsOf = (n: number): Int32Array => {
    if (n > 0) return i32(n + 1);
    buffer++;
    return new Int32Array(1);
  };
  const column = (f: number, kind: string): ArrowColumn => {
    const n = nextNode();
    buffer++; // validity bitmap: no nulls (checked above)
    if (kind === 'utf8') {
      const offsets = offsetsOf(n);
      checkOffsets(offsets, n);
      const len = bufferAt();
      if (offsets[n] > len) fail('string bytes lie outside the record batch body');
      return { kind, length: n, offsets, values: new Uint8Array(bytes.buffer, base + bufferOffset, offsets[n]) };
    }
    if (kind === 'int32') return { kind, length: n, values: i32(n) };
    if (kind === 'float64') {
      const u = nextBuffer(8, n);
      return { kind, length: n, values: new Float64Array(u.buffer, u.at, n) };
    }
    // list<...>
    const offsets = offsetsOf(n);
    checkOffsets(offsets, n);
    const child = column(ft.ref(ft.refField(f, FIELD_CHILDREN) + 4), kind.slice(5, -1));
    if (child.length < offsets[n]) fail(`a list's offsets reach ${offsets[n]}, its items are ${child.length}`);
    return { kind, length: n, offsets, child };
  };
  const columns = fields.map((f, i) => {
    const kind = kinds[i];
    if (!kind) fail(`column ${names[i]} has a type the cache does not write`);
    const c = column(f, kind);
    if (c.length !== length) fail(`column ${names[i]} has ${c.length} rows, the batch ${length}`);
    return c;
  });
  return { names: names.slice(), length, columns };
}

/** Offsets start at 0 and never go back (so every slice they give is inside the data). */
function checkOffsets(o: Int32Array, n: number): void {
  if (o[0] !== 0) fail(`offsets start at ${o[0]}, expected 0`);
  for (let i = 0; i < n; i++) if (o[i + 1] < o[i]) fail(`offsets go back at row ${i}`);
}

/** A column to write: strings as offsets + UTF-8 bytes, numbers as typed arrays, lists as offsets + items. */
export type ArrowWriteColumn =
  | { kind: 'utf8'; offsets: Int32Array; bytes: Uint8Array }
  | { kind: 'int32'; values: Int32Array }
  | { kind: 'float64'; values: Float64Array }
  | { kind: 'list'; offsets: Int32Array; child: ArrowWriteColumn };

/** Rows of a column (its offsets give them for strings and lists). */
function rowsOf(c: ArrowWriteColumn): number {
  return c.kind === 'utf8' || c.kind === 'list' ? c.offsets.length - 1 : c.values.length;
}

const pad8 = (n: number): number => (n + 7) & ~7;

/** The field (with its type and children) of `c` in the schema being built. */
function fieldOf(b: Builder, name: string, c: ArrowWriteColumn): number {
  const nameAt = b.createString(name);
  let type: number;
  let typeType: Type;
  let children: number[] = [];
  if (c.kind === 'utf8') {
    type = FbUtf8.createUtf8(b);
    typeType = Type.Utf8;
  } else if (c.kind === 'int32') {
    type = Int.createInt(b, 32, true);
    typeType = Type.Int;
  } else if (c.kind === 'float64') {
    type = FloatingPoint.createFloatingPoint(b, Precision.DOUBLE);
    typeType = Type.FloatingPoint;
  } else {
    children = [fieldOf(b, 'item', c.child)];
    type = FbList.createList(b);
    typeType = Type.List;
  }
  const childrenAt = Field.createChildrenVector(b, children);
  Field.startField(b);
  Field.addName(b, nameAt);
  Field.addNullable(b, false);
  Field.addTypeType(b, typeType);
  Field.addType(b, type);
  Field.addChildren(b, childrenAt);
  return Field.endField(b);
}

function schemaOf(b: Builder, names: readonly string[], columns: readonly ArrowWriteColumn[]): number {
  const fields = Schema.createFieldsVector(
    b,
    columns.map((c, i) => fieldOf(b, names[i], c)),
  );
  Schema.startSchema(b);
  Schema.addEndianness(b, Endianness.Little);
  Schema.addFields(b, fields);
  return Schema.endSchema(b);
}

/** A finished message flatbuffer, as the IPC format frames it: 0xFFFFFFFF, its padded length, itself, zeros to 8 bytes. */
function framed(b: Builder, header: MessageHeader, headerAt: number, bodyLength: number): Uint8Array {
  Message.startMessage(b);
  Message.addVersion(b, MetadataVersion.V5);
  Message.addHeaderType(b, header);
  Message.addHeader(b, headerAt);
  Message.addBodyLength(b, BigInt(bodyLength));
  b.finish(Message.endMessage(b));
  const fb = b.asUint8Array();
  const out = Buffer.alloc(pad8(8 + fb.length));
  out.writeUInt32LE(CONTINUATION, 0);
  out.writeInt32LE(out.length - 8, 4);
  out.set(fb, 8);
  return out;
}

/**
 * Writes one IPC file of a single record batch with these columns (no nulls): the
 * layout the Arrow format specifies, built with its flatbuffer builders, readable by
 * any Arrow reader (tested against apache-arrow's) and by readArrowFile. Writing
 * through apache-arrow's Table and tableToIPC cost more than the layout itself.
 */
export function writeArrowFile(names: readonly string[], columns: readonly ArrowWriteColumn[]): Uint8Array {
  const length = columns.length ? rowsOf(columns[0]) : 0;
  // The body: each column's buffers in schema order (validity first, empty: no nulls), 8-byte aligned.
  const nodes: number[] = [];
  const buffers: Uint8Array[] = [];
  const add = (c: ArrowWriteColumn): void => {
    nodes.push(rowsOf(c));
    buffers.push(new Uint8Array(0));
    if (c.kind === 'utf8') buffers.push(new Uint8Array(c.offsets.buffer, c.offsets.byteOffset, c.offsets.byteLength), c.bytes);
    else if (c.kind === 'list') {
      buffers.push(new Uint8Array(c.offsets.buffer, c.offsets.byteOffset, c.offsets.byteLength));
      add(c.child);
    } else buffers.push(new Uint8Array(c.values.buffer, c.values.byteOffset, c.values.byteLength));
  };
  columns.forEach((c) => {
    if (rowsOf(c) !== length) throw new Error(`cache/arrow-file: columns of ${length} and ${rowsOf(c)} rows`);
    add(c);
  });
  const at: number[] = [];
  let bodyLength = 0;
  for (const buf of buffers) {
    at.push(bodyLength);
    bodyLength += pad8(buf.byteLength);
  }

  const b = new Builder(1024);
  const schemaMessage = framed(b, MessageHeader.Schema, schemaOf(b, names, columns), 0);
  b.clear();
  RecordBatch.startNodesVector(b, nodes.length);
  for (let i = nodes.length - 1; i >= 0; i--) FieldNode.createFieldNode(b, BigInt(nodes[i]), 0n);
  const nodesAt = b.endVector();
  RecordBatch.startBuffersVector(b, buffers.length);
  for (let i = buffers.length - 1; i >= 0; i--) FbBuffer.createBuffer(b, BigInt(at[i]), BigInt(buffers[i].byteLength));
  const buffersAt = b.endVector();
  RecordBatch.startRecordBatch(b);
  RecordBatch.addLength(b, BigInt(length));
  RecordBatch.addNodes(b, nodesAt);
  RecordBatch.addBuffers(b, buffersAt);
  const batchMessage = framed(b, MessageHeader.RecordBatch, RecordBatch.endRecordBatch(b), bodyLength);
  b.clear();
  const batchAt = 8 + schemaMessage.length;
  const schemaAt = schemaOf(b, names, columns);
  Footer.startRecordBatchesVector(b, 1);
  Block.createBlock(b, BigInt(batchAt), batchMessage.length, BigInt(bodyLength));
  const blocksAt = b.endVector();
  Footer.startFooter(b);
  Footer.addVersion(b, MetadataVersion.V5);
  Footer.addSchema(b, schemaAt);
  Footer.addRecordBatches(b, blocksAt);
  b.finish(Footer.endFooter(b));
  const footer = b.asUint8Array();

  const out = Buffer.alloc(batchAt + batchMessage.length + bodyLength + footer.length + 10);
  out.write(MAGIC, 0, 'latin1');
  out.set(schemaMessage, 8);
  out.set(batchMessage, batchAt);
  const bodyStart = batchAt + batchMessage.length;
  buffers.forEach((buf, i) => out.set(buf, bodyStart + at[i]));
  const footerAt = bodyStart + bodyLength;
  out.set(footer, footerAt);
  out.writeInt32LE(footer.length, footerAt + footer.length);
  out.write(MAGIC, footerAt + footer.length + 4, 'latin1');
  return out;
}
