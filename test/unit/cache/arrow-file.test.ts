// The cache's Arrow reader against apache-arrow's own writer, and its writer against apache-arrow's reader: the columns it reads back
// are the ones written (values, offsets, string bytes), and what it does not expect
// (another type, a truncated file, a buffer outside the body) is refused, not guessed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Field, Float32, Float64, Int32, List, makeData, RecordBatch, Schema, Struct, Table, tableFromIPC, tableToIPC, Utf8, type Data } from 'apache-arrow';
import { ByteBuffer } from 'flatbuffers';
import { Footer } from 'apache-arrow/fb/footer';
import { readArrowFile, rememberedSchemas, writeArrowFile, type ArrowColumn } from '../../../src/core/cache/arrow-file';

function table(fields: Field[], children: Data[], length: number): Uint8Array {
  const data = makeData({ type: new Struct(fields), length, nullCount: 0, children });
  return tableToIPC(new Table([new RecordBatch(new Schema(fields), data)]), 'file');
}

function utf8(strings: string[]): Data<Utf8> {
  const bytes = Buffer.from(strings.join(''), 'utf8');
  const offsets = new Int32Array(strings.length + 1);
  strings.forEach((s, i) => (offsets[i + 1] = offsets[i] + Buffer.byteLength(s)));
  return makeData({ type: new Utf8(), length: strings.length, nullCount: 0, valueOffsets: offsets, data: bytes });
}

const listOf = (t: Utf8 | Float64) => new List(new Field('item', t, false));

function sample(): Uint8Array {
  // three rows: id, an int, a double, a list of strings and a list of doubles (row 1 empty)
  const lo = new Int32Array([0, 2, 2, 3]);
  return table(
    [new Field('id', new Utf8(), false), new Field('k', new Int32(), false), new Field('x', new Float64(), false), new Field('tok', listOf(new Utf8()), false), new Field('val', listOf(new Float64()), false)],
    [
      utf8(['a', 'ÉTH', 'zz']),
      makeData({ type: new Int32(), length: 3, nullCount: 0, data: new Int32Array([7, -1, 2147483647]) }),
      makeData({ type: new Float64(), length: 3, nullCount: 0, data: new Float64Array([0.5, 1e300, -0]) }),
      makeData({ type: listOf(new Utf8()), length: 3, nullCount: 0, valueOffsets: lo, child: utf8(['BTC', 'USDT', 'ARB']) }),
      makeData({ type: listOf(new Float64()), length: 3, nullCount: 0, valueOffsets: lo, child: makeData({ type: new Float64(), length: 3, nullCount: 0, data: new Float64Array([9e9, 6e9, 10]) }) }),
    ],
    3,
  );
}

test('reads back what apache-arrow wrote: names, row count, numbers, offsets and string bytes', () => {
  const f = readArrowFile(sample());
  assert.deepEqual(f.names, ['id', 'k', 'x', 'tok', 'val']);
  assert.equal(f.length, 3);
  assert.deepEqual(f.columns.map((c) => c.kind), ['utf8', 'int32', 'float64', 'list<utf8>', 'list<float64>']);
  const [id, k, x, tok, val] = f.columns;
  assert.deepEqual(Array.from(id.offsets!), [0, 1, 5, 7]);
  assert.equal(Buffer.from(id.values as Uint8Array).toString('utf8'), 'aÉTHzz');
  assert.deepEqual(Array.from(k.values as Int32Array), [7, -1, 2147483647]);
  assert.deepEqual(Array.from(x.values as Float64Array), [0.5, 1e300, -0]);
  assert.ok(Object.is((x.values as Float64Array)[2], -0));
  assert.deepEqual(Array.from(tok.offsets!), [0, 2, 2, 3]);
  assert.equal(Buffer.from(tok.child!.values as Uint8Array).toString('utf8'), 'BTCUSDTARB');
  assert.deepEqual(Array.from(tok.child!.offsets!), [0, 3, 7, 10]);
  assert.deepEqual(Array.from(val.offsets!), [0, 2, 2, 3]);
  assert.deepEqual(Array.from(val.child!.values as Float64Array), [9e9, 6e9, 10]);
});

test('an empty table and empty lists read back as empty columns', () => {
  const f = readArrowFile(table([new Field('s', new Int32(), false)], [makeData({ type: new Int32(), length: 0, nullCount: 0, data: new Int32Array(0) })], 0));
  assert.equal(f.length, 0);
  assert.ok(f.columns.every((c) => c.length === 0));
  const lists = readArrowFile(
    table([new Field('tok', listOf(new Utf8()), false)], [makeData({ type: listOf(new Utf8()), length: 2, nullCount: 0, valueOffsets: new Int32Array(3), child: utf8([]) })], 2),
  );
  assert.deepEqual(Array.from(lists.columns[0].offsets!), [0, 0, 0]);
  assert.equal(lists.columns[0].child!.length, 0);
});

test('refused: a type the cache never writes, a truncated file, a file that is not Arrow', () => {
  const f32 = table([new Field('f', new Float32(), false)], [makeData({ type: new Float32(), length: 1, nullCount: 0, data: new Float32Array([1]) })], 1);
  assert.throws(() => readArrowFile(f32), /column f has a type the cache does not write/);
  const bytes = sample();
  assert.throws(() => readArrowFile(bytes.subarray(0, bytes.length - 1)), /bad Arrow magic/);
  assert.throws(() => readArrowFile(Buffer.from('ARROW1\0\0{"not": "arrow"}ARROW1')), /cache\/arrow-file: /);
});

test('refused: a record batch whose buffers lie outside its body', () => {
  // Shrink the body length the footer records for the batch (Block: offset int64,
  // metaDataLength int32 + 4 bytes of padding, bodyLength int64): its buffers now overrun it.
  const bytes = Buffer.from(sample());
  const footerLength = bytes.readInt32LE(bytes.length - 10);
  const footer = bytes.subarray(bytes.length - 10 - footerLength, bytes.length - 10);
  const block = Footer.getRootAsFooter(new ByteBuffer(footer)).recordBatches(0)!;
  assert.ok(block.bodyLength() > 16n);
  footer.writeBigInt64LE(16n, block.bb_pos + 16);
  assert.throws(() => readArrowFile(bytes), /lies? outside the record batch body/);
});

test('writeArrowFile: apache-arrow reads back the same columns, and so does readArrowFile', () => {
  const ids = Buffer.from('aÉTHzz', 'utf8');
  const lo = new Int32Array([0, 2, 2, 3]);
  const bytes = writeArrowFile(
    ['id', 'k', 'x', 'tok', 'val'],
    [
      { kind: 'utf8', offsets: new Int32Array([0, 1, 5, 7]), bytes: ids },
      { kind: 'int32', values: new Int32Array([7, -1, 2147483647]) },
      { kind: 'float64', values: new Float64Array([0.5, 1e300, -0]) },
      { kind: 'list', offsets: lo, child: { kind: 'utf8', offsets: new Int32Array([0, 3, 7, 10]), bytes: Buffer.from('BTCUSDTARB') } },
      { kind: 'list', offsets: lo, child: { kind: 'float64', values: new Float64Array([9e9, 6e9, 10]) } },
    ],
  );
  const t = tableFromIPC(bytes);
  assert.deepEqual(t.schema.fields.map((f) => `${f.name}:${String(f.type)}`), ['id:Utf8', 'k:Int32', 'x:Float64', 'tok:List<Utf8>', 'val:List<Float64>']);
  assert.deepEqual(t.toArray().map((r) => r.toJSON()).map((r) => ({ ...r, tok: [...r.tok], val: [...r.val] })), [
    { id: 'a', k: 7, x: 0.5, tok: ['BTC', 'USDT'], val: [9e9, 6e9] },
    { id: 'ÉTH', k: -1, x: 1e300, tok: [], val: [] },
    { id: 'zz', k: 2147483647, x: -0, tok: ['ARB'], val: [10] },
  ]);
  // the same bytes as apache-arrow's own writer produces for these columns read the same way here
  assert.deepEqual(stripViews(readArrowFile(bytes)), stripViews(readArrowFile(sample())));
});

test('writeArrowFile: an empty table and columns of different lengths', () => {
  const empty = writeArrowFile(['s'], [{ kind: 'int32', values: new Int32Array(0) }]);
  assert.equal(tableFromIPC(empty).numRows, 0);
  assert.equal(readArrowFile(empty).length, 0);
  assert.throws(() => writeArrowFile(['a', 'b'], [{ kind: 'int32', values: new Int32Array(2) }, { kind: 'float64', values: new Float64Array(3) }]), /columns of 2 and 3 rows/);
});

/** A read file as plain arrays (views compared by value). */
function stripViews(f: ReturnType<typeof readArrowFile>): unknown {
  const col = (c: ArrowColumn): unknown => ({ kind: c.kind, length: c.length, offsets: c.offsets && Array.from(c.offsets), values: c.values && Array.from(c.values), child: c.child && col(c.child) });
  return { names: f.names, length: f.length, columns: f.columns.map(col) };
}

test('refused: flatbuffer offsets that point outside the footer or message; any damaged byte there is refused or read, never a crash', () => {
  const bytes = Buffer.from(sample());
  const footerLength = bytes.readInt32LE(bytes.length - 10);
  const footerAt = bytes.length - 10 - footerLength;
  const bad = Buffer.from(bytes);
  bad.writeUInt32LE(footerLength + 100, footerAt); // the root table past the footer's end
  assert.throws(() => readArrowFile(bad), /cache\/arrow-file: the footer points outside itself/);
  // every single-byte change in the metadata (the schema and batch messages, the footer):
  // either an error of this reader's or columns of the lengths the batch declares
  let refused = 0;
  const body = readArrowFile(bytes);
  for (let at = 8; at < bytes.length - 10; at++) {
    for (const x of [0x00, 0xff, 0x80, 0x01]) {
      if (bytes[at] === x) continue;
      const d = Buffer.from(bytes);
      d[at] = x;
      try {
        const f = readArrowFile(d);
        for (const c of f.columns) assert.equal(c.length, f.length);
      } catch (e) {
        assert.match((e as Error).message, /^cache\/arrow-file: /, `byte ${at} = ${x}: ${(e as Error).stack}`);
        refused++;
      }
    }
  }
  assert.ok(refused > 100, `${refused} changes refused`);
  assert.equal(body.length, 3);
});

/** What a read gives: the columns' kinds, lengths, offsets and values, or the error's message. */
function outcome(bytes: Uint8Array): unknown {
  try {
    const f = readArrowFile(bytes);
    const col = (c: ArrowColumn): unknown => ({ kind: c.kind, length: c.length, offsets: c.offsets && Array.from(c.offsets), values: c.values && Array.from(c.values), child: c.child && col(c.child) });
    return { names: f.names, length: f.length, columns: f.columns.map(col) };
  } catch (e) {
    return (e as Error).message;
  }
}

test('schema memory: files of one schema read it once; every single-byte change of the footer reads as it does with nothing remembered', () => {
  const week = (n: number): Uint8Array =>
    writeArrowFile(['id', 'x'], [
      { kind: 'list', offsets: new Int32Array([0, n]), child: { kind: 'int32', values: Int32Array.from({ length: n }, (_, i) => i) } },
      { kind: 'list', offsets: new Int32Array([0, n]), child: { kind: 'float64', values: Float64Array.from({ length: n }, (_, i) => i / 2) } },
    ]);
  rememberedSchemas(true);
  const a = week(3);
  const b = week(7); // the same schema, another body length in the footer's block
  readArrowFile(a);
  const hits = rememberedSchemas().hits;
  const f = readArrowFile(b);
  assert.equal(rememberedSchemas().hits, hits + 1);
  assert.deepEqual(f.names, ['id', 'x']);
  assert.deepEqual(Array.from(f.columns[1].child!.values as Float64Array), [0, 0.5, 1, 1.5, 2, 2.5, 3]);
  // another type under the same names is read as such, not taken from memory
  const ints = writeArrowFile(['id', 'x'], [
    { kind: 'list', offsets: new Int32Array([0, 1]), child: { kind: 'int32', values: new Int32Array([5]) } },
    { kind: 'list', offsets: new Int32Array([0, 1]), child: { kind: 'int32', values: new Int32Array([6]) } },
  ]);
  assert.equal(readArrowFile(ints).columns[1].kind, 'list<int32>');

  const footerLength = Buffer.from(b.buffer, b.byteOffset, b.byteLength).readInt32LE(b.length - 10);
  const footerAt = b.length - 10 - footerLength;
  let changed = 0;
  for (let at = footerAt; at < footerAt + footerLength; at++) {
    for (const x of [0x00, 0xff, 0x01, b[at] ^ 0x10]) {
      if (b[at] === x) continue;
      const d = Buffer.from(b);
      d[at] = x;
      readArrowFile(a); // a's schema remembered
      const remembered = outcome(d);
      rememberedSchemas(true);
      assert.deepEqual(remembered, outcome(d), `footer byte ${at - footerAt} = ${x}`);
      changed++;
    }
  }
  assert.ok(changed > 500, `${changed} changes`);
});
