// Open -> save through the editor model (what the VS Code serializer does) keeps every
// saved byte: Jupyter's base64-string images, unknown MIME types, execution fields and
// unknown properties. Invalid UTF-8 is refused with its byte offset.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { docToEditor, editorToDoc, exportIpynb, importIpynb, NotebookFormatError, parseNotebook, serializeNotebook, type NotebookDocument } from '../../../src/core/notebook';

// A 1x1 PNG (from the PNG spec's minimal example, as Jupyter stores it: base64, no encoding field).
const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The file text with one code cell holding `cell` merged in (written by hand, canonical layout). */
function fileWith(cell: Record<string, unknown>): string {
  const doc = { format: 'dexposure-notebook', version: 1, metadata: {}, cells: [{ kind: 'code', language: 'typescript', source: 'x', metadata: {}, outputs: [], ...cell }] };
  // canonical: sorted keys, 2-space indent (serializeNotebook's layout), built independently
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sortKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])])) : v;
  return `${JSON.stringify(sortKeys(doc), null, 2)}\n`;
}

/** open in the editor model and save again */
function openAndSave(text: string): string {
  return serializeNotebook(editorToDoc(docToEditor(parseNotebook(Buffer.from(text, 'utf8'), 't.dxnb'))));
}

describe('notebook open -> save through the editor model', () => {
  test('a Jupyter-style image/png string: the editor gets the PNG bytes, saving writes the same string', () => {
    const text = fileWith({ outputs: [{ items: [{ mime: 'image/png', data: PNG_B64 }], metadata: {} }] });
    const ed = docToEditor(parseNotebook(text));
    const bytes = ed.cells[0].outputs![0].items[0].data;
    assert.deepEqual([...bytes.subarray(0, 8)], PNG_MAGIC);
    assert.equal(bytes.length, 70);
    assert.equal(openAndSave(text), text);
    assert.equal(openAndSave(openAndSave(text)), text);
  });

  test('an image string that is not exact base64 (line-wrapped) is kept as written', () => {
    const wrapped = `${PNG_B64.slice(0, 40)}\n${PNG_B64.slice(40)}`;
    const text = fileWith({ outputs: [{ items: [{ mime: 'image/png', data: wrapped }], metadata: {} }] });
    assert.equal(openAndSave(text), text);
  });

  test('.ipynb image -> .dxnb -> editor -> .dxnb -> .ipynb keeps the image', () => {
    const ipynb = JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [{ cell_type: 'code', id: 'a', metadata: {}, execution_count: 1, source: ['x'], outputs: [{ output_type: 'display_data', data: { 'image/png': PNG_B64, 'text/plain': ['<Figure>'] }, metadata: {} }] }],
    });
    const dxnb = serializeNotebook(importIpynb(ipynb));
    const saved = openAndSave(dxnb);
    assert.equal(saved, dxnb);
    const back = JSON.parse(exportIpynb(parseNotebook(saved))) as { cells: { outputs: { data: Record<string, unknown> }[] }[] };
    assert.equal(back.cells[0].outputs[0].data['image/png'], PNG_B64);
  });

  test('unknown MIME types: a string stays a string, bytes stay base64, text bytes stay bytes', () => {
    const text = fileWith({
      outputs: [
        {
          items: [
            { mime: 'application/x-custom', data: 'hello "world" é' },
            { mime: 'application/x-blob', encoding: 'base64', data: Buffer.from([0, 1, 2, 255]).toString('base64') },
            // text/plain stored as bytes that are valid UTF-8: must not turn into a string
            { mime: 'text/plain', encoding: 'base64', data: Buffer.from('plain').toString('base64') },
            // and bytes that are not UTF-8 under a text type
            { mime: 'text/csv', encoding: 'base64', data: Buffer.from([0x61, 0xff, 0x62]).toString('base64') },
          ],
          metadata: { note: 1 },
        },
      ],
    });
    assert.equal(openAndSave(text), text);
  });

  test('execution: a start time without an end time, an empty execution, unknown properties', () => {
    for (const execution of [
      { count: 3, startTime: 1700000000000 },
      { endTime: 1700000000000 },
      {},
      { count: 1, success: true, startTime: 1, endTime: 2, kernel: 'k1', extra: { deep: [1, 2] } },
      { queuedBy: 'someone' },
    ]) {
      const text = fileWith({ execution });
      assert.equal(openAndSave(text), text, JSON.stringify(execution));
    }
  });

  test('unknown properties at every level survive', () => {
    const text = `${JSON.stringify(
      {
        cells: [
          {
            cellNote: 'c',
            execution: { count: 2, endTime: 20, startTime: 10, success: false, x: 1 },
            kind: 'code',
            language: 'typescript',
            metadata: { tags: ['a'] },
            outputs: [{ items: [{ data: 'hi', itemNote: { z: null }, mime: 'text/plain' }], metadata: {}, outNote: true }],
            source: 'y',
          },
        ],
        docNote: [1],
        format: 'dexposure-notebook',
        metadata: { m: 1 },
        version: 1,
      },
      null,
      2,
    )}\n`;
    assert.equal(openAndSave(text), text);
  });

  test('a re-run in the editor replaces the timing (the saved start time is not reused)', () => {
    const text = fileWith({ execution: { count: 1, startTime: 5 } });
    const ed = docToEditor(parseNotebook(text));
    ed.cells[0].executionSummary = { executionOrder: 2, success: true, timing: { startTime: 100, endTime: 150 } };
    const doc: NotebookDocument = editorToDoc(ed);
    assert.deepEqual(doc.cells[0].execution, { count: 2, success: true, startTime: 100, endTime: 150 });
  });

  test('invalid UTF-8 is refused with the byte offset; valid multi-byte text opens', () => {
    const good = Buffer.from(fileWith({ source: 'naïve 📈' }), 'utf8');
    assert.equal(parseNotebook(good).cells[0].source, 'naïve 📈');
    const cases: [Buffer, number][] = [];
    const at = good.indexOf('na') + 2; // the first byte of "ï"
    const flip = Buffer.from(good);
    flip[at] = 0xff;
    cases.push([flip, at]);
    const lone = Buffer.from(good);
    lone[at + 1] = 0x41; // lead byte without its continuation
    cases.push([lone, at]);
    const surrogate = Buffer.concat([good.subarray(0, 10), Buffer.from([0xed, 0xa0, 0x80]), good.subarray(10)]); // CESU surrogate
    cases.push([surrogate, 10]);
    const overlong = Buffer.concat([good.subarray(0, 7), Buffer.from([0xc0, 0xaf]), good.subarray(7)]);
    cases.push([overlong, 7]);
    const truncated = Buffer.concat([good, Buffer.from([0xf0, 0x9f])]);
    cases.push([truncated, good.length]);
    for (const [bytes, offset] of cases) {
      assert.throws(
        () => parseNotebook(bytes, 'bad.dxnb'),
        (e: unknown) => e instanceof NotebookFormatError && e.message.startsWith(`bad.dxnb: not valid UTF-8 at byte ${offset} `),
      );
      assert.throws(() => importIpynb(bytes, 'bad.ipynb'), new RegExp(`^NotebookFormatError: bad\\.ipynb: not valid UTF-8 at byte ${offset} `));
    }
  });
});
