/**
 * A lean reader of the cache's Arrow IPC files: the footer, schema and record-batch
 * header are read with the Arrow format's own flatbuffer accessors (apache-arrow/fb),
 * and the columns come back as typed-array views on the file's bytes, without
 * apache-arrow's Table and Vector machinery. tableFromIPC built those for every week
 * and was most of a warm open's time (a fresh process runs that much library code
 * unoptimised); the files are the cache writer's own, so only the types it writes
 * are read (Utf8, Int32, Float64, List of those, no nulls, no compression) and
 * anything else is refused as damage.
 *
 * Reference: Arrow columnar format and IPC file format (arrow.apache.org/docs/format).
 */
import { ByteBuffer } from 'flatbuffers';
import { Field } from 'apache-arrow/fb/field';
import { FloatingPoint } from 'apache-arrow/fb/floating-point';
import { Footer } from 'apache-arrow/fb/footer';
import { Int } from 'apache-arrow/fb/int';
import { Message } from 'apache-arrow/fb/message';
import { MessageHeader } from 'apache-arrow/fb/message-header';
import { Precision } from 'apache-arrow/fb/precision';
import { RecordBatch } from 'apache-arrow/fb/record-batch';
import { Type } from 'apache-arrow/fb/type';

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

function int64(x: bigint, what: string): number {
  const n = Number(x);
  if (!Number.isSafeInteger(n) || n < 0) fail(`${what} is ${x}`);
  return n;
}

/** The kind of a field as this reader knows it, or undefined for a type the cache never writes. */
function kindOf(f: Field): string | undefined {
  switch (f.typeType()) {
    case Type.Utf8:
      return 'utf8';
    case Type.Int: {
      const t = f.type(new Int()) as Int;
      return t.bitWidth() === 32 && t.isSigned() ? 'int32' : undefined;
    }
    case Type.FloatingPoint:
      return (f.type(new FloatingPoint()) as FloatingPoint).precision() === Precision.DOUBLE ? 'float64' : undefined;
    case Type.List: {
      const c = f.childrenLength() === 1 ? f.children(0) : null;
      const k = c ? kindOf(c) : undefined;
      return k ? `list<${k}>` : undefined;
    }
    default:
      return undefined;
  }
}

/** Reads one IPC file of a single record batch (or none) into column views; throws on anything unexpected. */
export function readArrowFile(bytes: Uint8Array): ArrowFile {
  const size = bytes.byteLength;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, size);
  if (size < 18 || b.toString('latin1', 0, 6) !== MAGIC || b.toString('latin1', size - 6, size) !== MAGIC) fail('bad Arrow magic (truncated or not an Arrow file)');
  const footerLength = b.readInt32LE(size - 10);
  const footerStart = size - 10 - footerLength;
  if (footerLength <= 0 || footerStart < 8) fail(`footer length ${footerLength} does not fit the file`);
  const footer = Footer.getRootAsFooter(new ByteBuffer(bytes.subarray(footerStart, size - 10)));
  const schema = footer.schema();
  if (!schema) fail('no schema in the footer');
  const fields: Field[] = [];
  for (let i = 0; i < schema.fieldsLength(); i++) fields.push(schema.fields(i)!);
  const names = fields.map((f) => f.name() ?? '');
  if (footer.dictionariesLength() !== 0) fail('dictionary batches are not expected');
  const batches = footer.recordBatchesLength();
  if (batches === 0) return { names, length: 0, columns: [] };
  if (batches !== 1) fail(`expected 1 record batch, found ${batches}`);
  const block = footer.recordBatches(0)!;
  const at = int64(block.offset(), 'the record batch offset');
  const metaLength = block.metaDataLength();
  const bodyLength = int64(block.bodyLength(), 'the record batch body length');
  const bodyStart = at + metaLength;
  if (metaLength < 8 || bodyStart + bodyLength > footerStart) fail('the record batch lies outside the file');
  // An encapsulated message: 0xFFFFFFFF, the flatbuffer's length, the flatbuffer.
  let m = at;
  if (b.readUInt32LE(m) === CONTINUATION) m += 4;
  const messageLength = b.readInt32LE(m);
  if (messageLength <= 0 || m + 4 + messageLength > bodyStart) fail('the record batch message does not fit its block');
  const message = Message.getRootAsMessage(new ByteBuffer(bytes.subarray(m + 4, m + 4 + messageLength)));
  if (message.headerType() !== MessageHeader.RecordBatch) fail(`message of type ${message.headerType()} where a record batch was expected`);
  const batch = message.header(new RecordBatch()) as RecordBatch | null;
  if (!batch) fail('the record batch message has no header');
  if (batch.compression()) fail('compressed record batches are not expected');
  const length = int64(batch.length(), 'the row count');

  let node = 0;
  let buffer = 0;
  const nextNode = (): number => {
    const fn = batch.nodes(node++);
    if (!fn) fail('fewer field nodes than columns');
    if (fn.nullCount() !== 0n) fail('null values are not expected');
    return int64(fn.length(), 'a field length');
  };
  /** The next buffer, as `count` elements of `width` bytes at least: a view when aligned, else a copy. */
  const nextBuffer = (width: number, count: number): Uint8Array => {
    const bf = batch.buffers(buffer++);
    if (!bf) fail('fewer buffers than columns need');
    const off = int64(bf.offset(), 'a buffer offset');
    const len = int64(bf.length(), 'a buffer length');
    if (off + len > bodyLength) fail('a buffer lies outside the record batch body');
    if (len < width * count) fail(`a buffer of ${len} bytes holds fewer than ${count} values of ${width} bytes`);
    const view = bytes.subarray(bodyStart + off, bodyStart + off + width * count);
    return view.byteOffset % width === 0 ? view : view.slice();
  };
  const i32 = (count: number): Int32Array => {
    const u = nextBuffer(4, count);
    return new Int32Array(u.buffer, u.byteOffset, count);
  };
  /** Offsets of `n` rows; an empty column may be written without its single 0. */
  const offsetsOf = (n: number): Int32Array => {
    if (n > 0) return i32(n + 1);
    buffer++;
    return new Int32Array(1);
  };
  const column = (f: Field, kind: string): ArrowColumn => {
    const n = nextNode();
    buffer++; // validity bitmap: no nulls (checked above)
    if (kind === 'utf8') {
      const offsets = offsetsOf(n);
      checkOffsets(offsets, n);
      const bf = batch.buffers(buffer++);
      if (!bf) fail('fewer buffers than columns need');
      const off = int64(bf.offset(), 'a buffer offset');
      const len = int64(bf.length(), 'a buffer length');
      if (off + len > bodyLength || offsets[n] > len) fail('string bytes lie outside the record batch body');
      return { kind, length: n, offsets, values: bytes.subarray(bodyStart + off, bodyStart + off + offsets[n]) };
    }
    if (kind === 'int32') return { kind, length: n, values: i32(n) };
    if (kind === 'float64') {
      const u = nextBuffer(8, n);
      return { kind, length: n, values: new Float64Array(u.buffer, u.byteOffset, n) };
    }
    // list<...>
    const offsets = offsetsOf(n);
    checkOffsets(offsets, n);
    const child = column(f.children(0)!, kind.slice(5, -1));
    if (child.length < offsets[n]) fail(`a list's offsets reach ${offsets[n]}, its items are ${child.length}`);
    return { kind, length: n, offsets, child };
  };
  const columns = fields.map((f, i) => {
    const kind = kindOf(f);
    if (!kind) fail(`column ${names[i]} has a type the cache does not write`);
    const c = column(f, kind);
    if (c.length !== length) fail(`column ${names[i]} has ${c.length} rows, the batch ${length}`);
    return c;
  });
  return { names, length, columns };
}

/** Offsets start at 0 and never go back (so every slice they give is inside the data). */
function checkOffsets(o: Int32Array, n: number): void {
  if (o[0] !== 0) fail(`offsets start at ${o[0]}, expected 0`);
  for (let i = 0; i < n; i++) if (o[i + 1] < o[i]) fail(`offsets go back at row ${i}`);
}
