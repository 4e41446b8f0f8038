// Seeded fuzzing of the week parser and the notebook parser: random truncations, byte
// flips and deep nesting. Every case ends in a clean error of the parser's own type
// (naming the file) or in a parsed value; a notebook that parses saves stably (save,
// reopen, save: same bytes, also through the editor model). Bounded case counts keep it
// a unit test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../xorshift';
import { parseWeekBytes } from '../../../src/core/snapshot/week-parser';
import { ReleaseFormatError } from '../../../src/core/snapshot/errors';
import { docToEditor, editorToDoc, NotebookFormatError, parseNotebook, serializeNotebook } from '../../../src/core/notebook';


const INTERESTING = [0x00, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x2d, 0x30, 0x65, 0x2e, 0x80, 0xc3, 0xed, 0xf0, 0xff, 0x0a, 0x20];

function mutate(base: Buffer, r: () => number): Buffer {
  const kind = Math.floor(r() * 4);
  if (kind === 0) return base.subarray(0, Math.floor(r() * base.length)); // truncation
  if (kind === 3) {
    // deep nesting spliced in at a random place
    const depth = 500 + Math.floor(r() * 20000);
    const open = r() < 0.5 ? '[' : '{"k":';
    const close = open === '[' ? ']' : '}';
    const at = Math.floor(r() * base.length);
    return Buffer.concat([base.subarray(0, at), Buffer.from(open.repeat(depth) + '1' + close.repeat(r() < 0.5 ? depth : depth - 1)), base.subarray(at)]);
  }
  const out = Buffer.from(base);
  const flips = 1 + Math.floor(r() * (kind === 1 ? 3 : 12));
  for (let k = 0; k < flips; k++) {
    const i = Math.floor(r() * out.length);
    out[i] = kind === 1 ? INTERESTING[Math.floor(r() * INTERESTING.length)] : out[i] ^ (1 << Math.floor(r() * 8));
  }
  return out;
}

const WEEK = Buffer.from(
  JSON.stringify({
    nodes: [
      { id: '2269', size: 15200000000.5, composition: { BTC: 9.1e9, USDT: 6.1e9, 'ST\u00c9TH': -1.5 } },
      { id: 182, size: 2.4e10, composition: { ETH: 2.4e10 } },
      { id: 'ETH', size: 0, composition: {} },
      { id: null, size: 12, composition: null },
      { id: 'x\u00e9\ud83d\ude00', size: 1e-7, extra: [1, { a: [true, false, null] }] },
    ],
    links: [
      { source: '2269', target: '182', size: 35000000, composition: { STETH: 3.5e7 } },
      { source: '182', target: 'ETH', size: 120.4 },
      { source: null, target: 'ETH', size: 1 },
      { source: '182', target: '182', size: 0 },
    ],
  }),
);

test('week parser: 1500 mutated weeks give a week or a ReleaseFormatError naming the file', () => {
  const r = rng(20251206);
  let parsed = 0;
  for (let c = 0; c < 1500; c++) {
    const bytes = mutate(WEEK, r);
    try {
      const d = parseWeekBytes(bytes, 'fuzz.json', '2025-01-06');
      // what it returns satisfies the loader's own guarantees
      for (let e = 0; e < d.edgeSource.length; e++) assert.ok(d.edgeSource[e] < d.ids.length && d.edgeTarget[e] < d.ids.length && d.edgeWeight[e] >= 0);
      for (const t of d.tvl) assert.ok(Number.isFinite(t) && t >= 0);
      parsed++;
    } catch (e) {
      if (!(e instanceof ReleaseFormatError)) assert.fail(`case ${c}: ${(e as Error)?.name}: ${(e as Error)?.message}`);
      assert.match(e.message, /^fuzz\.json, /);
    }
  }
  assert.ok(parsed > 0 && parsed < 1500, `some cases parse, most do not (${parsed})`);
});

const NOTEBOOK = (() => {
  return Buffer.from(
    serializeNotebook({
      metadata: { title: 'fuzz', tags: ['a', 'b'] },
      cells: [
        { kind: 'markdown', language: 'markdown', source: '# Title é 📈', metadata: {}, outputs: [] },
        {
          kind: 'code',
          language: 'typescript',
          source: 'const x = 1\nx',
          metadata: { collapsed: false },
          execution: { count: 3, success: true, startTime: 1700000000000, endTime: 1700000000123, extra: { k: 1 } },
          outputs: [
            { items: [{ mime: 'application/vnd.code.notebook.stdout', data: 'hello\n' }], metadata: {} },
            { items: [{ mime: 'application/json', data: { a: [1, 2.5, null] } }, { mime: 'image/png', data: new Uint8Array([137, 80, 78, 71, 0, 255]) }, { mime: 'image/png;x', data: 'iVBORw0KGgo=' }], metadata: { executeResult: true } },
          ],
        },
      ],
    }),
  );
})();

test('notebook parser: 1500 mutated files give a notebook that saves stably, or a NotebookFormatError naming the file', () => {
  const r = rng(4242);
  let parsed = 0;
  for (let c = 0; c < 1500; c++) {
    const bytes = mutate(NOTEBOOK, r);
    let doc;
    try {
      doc = parseNotebook(bytes, 'fuzz.dxnb');
    } catch (e) {
      if (!(e instanceof NotebookFormatError)) assert.fail(`case ${c}: ${(e as Error)?.name}: ${(e as Error)?.message}`);
      assert.match(e.message, /^fuzz\.dxnb: /);
      continue;
    }
    parsed++;
    const saved = serializeNotebook(doc);
    assert.equal(serializeNotebook(parseNotebook(Buffer.from(saved), 'fuzz.dxnb')), saved, `case ${c}: save -> reopen -> save changed bytes`);
    assert.equal(serializeNotebook(editorToDoc(docToEditor(parseNotebook(saved)))), saved, `case ${c}: the editor round trip changed bytes`);
  }
  assert.ok(parsed > 0 && parsed < 1500, `some cases parse, most do not (${parsed})`);
});
