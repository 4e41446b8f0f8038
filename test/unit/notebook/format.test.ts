import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MIME } from '../../../src/core/display/views';
import {
  ERROR_MIME,
  NotebookFormatError,
  STDERR_MIME,
  STDOUT_MIME,
  outputItemFromBytes,
  outputItemToBytes,
  parseNotebook,
  serializeNotebook,
  type NotebookDocument,
} from '../../../src/core/notebook';
import { locateJsonSyntaxError } from '../../../src/core/notebook/json-text';
import { rngFromSeed } from '../../../src/core/random';

// A 1x1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

function richDoc(): NotebookDocument {
  return {
    metadata: { title: 'Rich', zeta: [1, 2, { b: true, a: null }] },
    extra: { userTopLevel: { kept: 'yes' } },
    cells: [
      { kind: 'markdown', language: 'markdown', source: '# Title\n\nSome *text* with "quotes" and \\ backslash.', metadata: {}, outputs: [] },
      {
        kind: 'code',
        language: 'typescript',
        source: 'const x = 1;\nconsole.log(x)\nx',
        metadata: { tags: ['setup'], custom: { nested: 1.5 } },
        execution: { count: 3, success: true, startTime: 1700000000000, endTime: 1700000000123, extra: { host: 'cli' } },
        extra: { cellUnknown: 42 },
        outputs: [
          { items: [{ mime: STDOUT_MIME, data: '1\n' }], metadata: {} },
          { items: [{ mime: STDERR_MIME, data: 'warn\n' }], metadata: {} },
          {
            items: [
              { mime: MIME.graph, data: { version: 1, nodes: [{ id: 'a', name: 'A', category: 'Lending', tvl: 1e9, x: 0.5, y: -0.25 }], edges: [], categories: ['Lending'] } },
              { mime: 'text/markdown', data: '**graph** of 1 node' },
            ],
            metadata: { displayId: 'g1' },
          },
          { items: [{ mime: MIME.stress, data: { version: 1, scenario: { name: 's' }, result: { systemLossPct: 1.25, totalLoss: 5, totalTvl: 400, depth: 2, affected: 3, distressed: 1, losses: [], rounds: [] } } }, { mime: 'text/plain', data: 'stress' }], metadata: {} },
          { items: [{ mime: MIME.chart, data: { version: 1, data: [{ type: 'bar', x: [1, 2], y: [3, 4] }], layout: { title: 'c' } } }, { mime: 'text/plain', data: 'chart' }], metadata: {}, extra: { outputUnknown: 'x' } },
          { items: [{ mime: MIME.table, data: { version: 1, columns: [{ name: 'n', kind: 'integer' }], rows: [[1], [2]] } }, { mime: 'text/markdown', data: '| n |\n| --- |\n| 1 |\n| 2 |' }], metadata: {} },
          { items: [{ mime: 'image/png', data: new Uint8Array(PNG) }, { mime: 'text/plain', data: '<image>' }], metadata: {} },
          { items: [{ mime: 'application/json', data: { z: 1, a: [true, false, null], s: 'é ☃ \u0000 \u2028' } }, { mime: 'text/html', data: '<b>x</b>' }], metadata: {} },
          { items: [{ mime: ERROR_MIME, data: { name: 'Error', message: 'boom', stack: 'Error: boom\n    at cell-1.ts:3:1' }, extra: { itemUnknown: [1] } }], metadata: {} },
        ],
      },
      { kind: 'code', language: 'javascript', source: '', metadata: {}, outputs: [] },
    ],
  };
}

describe('.dxnb format: round trip', () => {
  test('serialize -> parse -> serialize is byte-identical and keeps everything', () => {
    const text = serializeNotebook(richDoc());
    const doc = parseNotebook(text, 'rich.dxnb');
    assert.equal(serializeNotebook(doc), text);
    assert.deepEqual(doc, richDoc());
    const png = doc.cells[1].outputs[6].items[0];
    assert.ok(png.data instanceof Uint8Array);
    assert.deepEqual(Buffer.from(png.data), PNG);
  });

  test('canonical text: sorted keys, 2-space indent, trailing newline, base64 marker', () => {
    const text = serializeNotebook(richDoc());
    assert.ok(text.endsWith('}\n') && !text.endsWith('\n\n'));
    assert.ok(text.startsWith('{\n  "cells": [\n    {\n      "kind": "markdown",\n      "language": "markdown",\n      "metadata": {},\n      "source": '));
    const top = Object.keys(JSON.parse(text) as object);
    assert.deepEqual(top, ['cells', 'format', 'metadata', 'userTopLevel', 'version']);
    assert.match(text, /"data": "iVBORw0KGgo[A-Za-z0-9+/=]+",\n {14}"encoding": "base64",\n {14}"mime": "image\/png"/);
    assert.match(text, /"format": "dexposure-notebook"/);
    assert.match(text, /"version": 1\n}\n$/);
  });

  test('a non-canonical file (unsorted keys, compact, missing optional fields) normalises once, then is stable', () => {
    const messy = '{"version":1,"format":"dexposure-notebook","cells":[{"source":"1+1","kind":"code","language":"typescript"},{"kind":"markdown","source":"hi"}]}';
    const once = serializeNotebook(parseNotebook(messy));
    assert.equal(serializeNotebook(parseNotebook(once)), once);
    const doc = parseNotebook(once);
    assert.deepEqual(doc.cells[0].outputs, []);
    assert.equal(doc.cells[1].language, 'markdown');
    assert.deepEqual(doc.metadata, {});
  });

  test('a BOM is tolerated', () => {
    const text = serializeNotebook(richDoc());
    assert.equal(serializeNotebook(parseNotebook(`\ufeff${text}`)), text);
  });

  test('output items <-> editor bytes', () => {
    const j = outputItemToBytes({ mime: MIME.table, data: { version: 1, rows: [] } });
    assert.equal(Buffer.from(j).toString(), '{"version":1,"rows":[]}');
    assert.deepEqual(outputItemFromBytes(MIME.table, j), { mime: MIME.table, data: { version: 1, rows: [] } });
    assert.deepEqual(outputItemFromBytes('text/plain', Buffer.from('héllo')), { mime: 'text/plain', data: 'héllo' });
    const png = outputItemFromBytes('image/png', PNG);
    assert.ok(png.data instanceof Uint8Array);
    assert.deepEqual(Buffer.from(outputItemToBytes(png)), PNG);
    // Invalid JSON under a JSON MIME type keeps the exact bytes.
    const bad = outputItemFromBytes('application/json', Buffer.from('{oops'));
    assert.ok(bad.data instanceof Uint8Array);
  });
});

describe('.dxnb format: rejection with clear errors', () => {
  const valid = serializeNotebook(richDoc());

  function rejects(text: string, pattern: RegExp): NotebookFormatError {
    let caught: unknown;
    try {
      parseNotebook(text, 'nb.dxnb');
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof NotebookFormatError, `expected a NotebookFormatError, got ${String(caught)}`);
    assert.match(caught.message, pattern);
    return caught;
  }

  test('corrupt JSON names line and column', () => {
    const broken = valid.replace('"kind": "code"', '"kind": "code",,');
    const lineOfBroken = broken.slice(0, broken.indexOf(',,')).split('\n').length;
    const e = rejects(broken, /^nb\.dxnb: At line \d+, column \d+: not valid JSON: unexpected ",", expected a property name/);
    assert.equal(e.line, lineOfBroken);
    assert.equal(e.column, broken.split('\n')[lineOfBroken - 1].indexOf(',,') + 2);
  });

  test('truncated file says so', () => {
    rejects(valid.slice(0, Math.floor(valid.length / 2)), /not valid JSON: .*truncated/);
    rejects('', /file is empty/);
  });

  test('newer format version has its own message', () => {
    rejects(valid.replace(/"version": 1\n}\n$/, '"version": 2\n}\n'), /written by a newer DeXposure Notebooks \(format 2\); this version reads format 1/);
  });

  test('wrong kinds of values name the exact path', () => {
    const doc = JSON.parse(valid) as { cells: { outputs?: { items: { mime: unknown }[] }[]; kind?: unknown; source?: unknown }[]; format?: unknown };
    const d1 = structuredClone(doc);
    d1.cells[1].outputs![3].items[1].mime = 42;
    rejects(JSON.stringify(d1), /^nb\.dxnb: At cells\.1\.outputs\.3\.items\.1\.mime: expected a string, got 42$/);
    const d2 = structuredClone(doc);
    d2.cells[0].kind = 'python';
    rejects(JSON.stringify(d2), /At cells\.0\.kind: expected "markdown" or "code", got "python"/);
    const d3 = structuredClone(doc);
    d3.cells[2].source = null;
    rejects(JSON.stringify(d3), /At cells\.2\.source: expected a string, got null/);
    const d4 = structuredClone(doc);
    (d4.cells[1].outputs![0].items[0] as { data?: unknown }).data = { not: 'text' };
    rejects(JSON.stringify(d4), /At cells\.1\.outputs\.0\.items\.0\.data: expected a string for application\/vnd\.code\.notebook\.stdout/);
    rejects('{"format":"dexposure-notebook","version":1}', /At cells: expected an array, got nothing/);
    rejects('{"nbformat":4,"cells":[]}', /Jupyter notebook/);
    rejects('[1]', /At \(top level\): expected an object, got an array/);
    rejects(valid.replace('"encoding": "base64"', '"encoding": "hex"'), /encoding: expected "base64"/);
  });

  test('the JSON locator agrees with JSON.parse on what is valid', () => {
    for (const s of ['{}', '[1, 2.5e-3, "a\\u00e9", true, false, null]', ' {"a": {"b": []}} ']) assert.equal(locateJsonSyntaxError(s), undefined);
    for (const s of ['{', '{"a" 1}', '[1,]', '"\\x"', '01', '{"a":1} x', 'nul']) {
      assert.throws(() => JSON.parse(s));
      assert.ok(locateJsonSyntaxError(s), s);
    }
  });
});

describe('.dxnb format: fuzz', () => {
  test('seeded random mutations: parse succeeds and re-serializes stably, or throws NotebookFormatError', () => {
    const valid = serializeNotebook(richDoc());
    const rng = rngFromSeed(20240611);
    const rand = (): number => rng.next();
    const alphabet = '{}[]",:0123456789abcdefnrtu-. \n\\e';
    let parsed = 0;
    let rejected = 0;
    for (let iter = 0; iter < 1500; iter++) {
      let s = valid;
      const edits = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < edits; k++) {
        const pos = Math.floor(rand() * s.length);
        const op = Math.floor(rand() * 5);
        const ch = alphabet[Math.floor(rand() * alphabet.length)];
        if (op === 0) s = s.slice(0, pos) + s.slice(pos + 1);
        else if (op === 1) s = s.slice(0, pos) + ch + s.slice(pos);
        else if (op === 2) s = s.slice(0, pos) + ch + s.slice(pos + 1);
        else if (op === 3) s = s.slice(0, pos);
        else {
          const len = 1 + Math.floor(rand() * 40);
          s = s.slice(0, pos) + s.slice(pos + len);
        }
      }
      let doc: NotebookDocument | undefined;
      try {
        doc = parseNotebook(s, 'fuzz.dxnb');
      } catch (e) {
        assert.ok(e instanceof NotebookFormatError, `iteration ${iter}: ${(e as Error)?.name}: ${(e as Error)?.message}`);
        rejected++;
        continue;
      }
      parsed++;
      const out = serializeNotebook(doc);
      assert.equal(serializeNotebook(parseNotebook(out)), out, `iteration ${iter}: unstable re-serialization`);
      // A mutation may alter a value, but never silently lose the cells.
      assert.equal(doc.cells.length, 3, `iteration ${iter}: cells lost`);
    }
    assert.ok(parsed > 50 && rejected > 500, `parsed ${parsed}, rejected ${rejected}`);
  });
});
