import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MIME } from '../../../src/core/display/views';
import { ERROR_MIME, NotebookFormatError, STDERR_MIME, STDOUT_MIME, exportIpynb, importIpynb, type NotebookDocument } from '../../../src/core/notebook';

const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 1, 2, 255]);

const doc: NotebookDocument = {
  metadata: { title: 't' },
  cells: [
    { kind: 'markdown', language: 'markdown', source: '# A\nline two', metadata: {}, outputs: [] },
    {
      kind: 'code',
      language: 'typescript',
      source: 'const a = 1\na',
      metadata: { tags: ['x'] },
      execution: { count: 4, success: true },
      outputs: [
        { items: [{ mime: STDOUT_MIME, data: 'one\ntwo\n' }], metadata: {} },
        { items: [{ mime: STDERR_MIME, data: 'warn\n' }], metadata: {} },
        { items: [{ mime: MIME.table, data: { version: 1, columns: [{ name: 'n', kind: 'integer' }], rows: [[1]] } }, { mime: 'text/markdown', data: '| n |\n| --- |\n| 1 |' }], metadata: {} },
        { items: [{ mime: 'image/png', data: PNG }, { mime: 'text/plain', data: '<png>' }], metadata: {} },
        { items: [{ mime: 'text/plain', data: '1' }], metadata: { executeResult: true } },
        { items: [{ mime: ERROR_MIME, data: { name: 'Error', message: 'boom', stack: 'Error: boom\n    at cell-1.ts:2:1' } }], metadata: {} },
      ],
    },
    { kind: 'code', language: 'javascript', source: '2', metadata: {}, outputs: [] },
  ],
};

describe('ipynb interchange', () => {
  test('export is nbformat 4.5 with Jupyter output types; import restores the document', () => {
    const text = exportIpynb(doc);
    const nb = JSON.parse(text) as { nbformat: number; nbformat_minor: number; cells: { cell_type: string; id: string; source: string[]; outputs?: { output_type: string; text?: string[]; data?: Record<string, unknown>; execution_count?: number }[]; execution_count?: number }[] };
    assert.equal(nb.nbformat, 4);
    assert.equal(nb.nbformat_minor, 5);
    assert.deepEqual(nb.cells.map((c) => c.cell_type), ['markdown', 'code', 'code']);
    assert.deepEqual(nb.cells[0].source, ['# A\n', 'line two']);
    assert.ok(nb.cells.every((c) => /^[a-zA-Z0-9_-]+$/.test(c.id)));
    const outs = nb.cells[1].outputs!;
    assert.deepEqual(outs.map((o) => o.output_type), ['stream', 'stream', 'display_data', 'display_data', 'execute_result', 'error']);
    assert.deepEqual(outs[0].text, ['one\n', 'two\n']);
    assert.deepEqual(outs[2].data![MIME.table], { version: 1, columns: [{ name: 'n', kind: 'integer' }], rows: [[1]] });
    assert.equal(outs[3].data!['image/png'], Buffer.from(PNG).toString('base64'));
    assert.equal(outs[4].execution_count, 4);

    const back = importIpynb(text);
    assert.deepEqual(back.metadata, { title: 't' });
    assert.equal(back.cells[2].language, 'javascript');
    assert.equal(back.cells[1].execution?.count, 4);
    assert.deepEqual(back.cells[1].metadata, { tags: ['x'], id: 'dx-1' });
    assert.deepEqual(
      back.cells[1].outputs.map((o) => o.items),
      doc.cells[1].outputs.map((o) => o.items),
    );
    assert.equal(back.cells[1].source, 'const a = 1\na');
  });

  test('a Python notebook imports with its language, ANSI codes stripped from tracebacks', () => {
    const nb = {
      nbformat: 4,
      nbformat_minor: 4,
      metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
      cells: [
        { cell_type: 'code', source: 'print(1)', metadata: {}, execution_count: 1, outputs: [{ output_type: 'error', ename: 'ValueError', evalue: 'x', traceback: ['\u001b[0;31mValueError\u001b[0m: x'] }] },
        { cell_type: 'raw', source: 'raw text', metadata: {} },
      ],
    };
    const d = importIpynb(JSON.stringify(nb));
    assert.equal(d.cells[0].language, 'python');
    assert.deepEqual(d.cells[0].outputs[0].items[0].data, { name: 'ValueError', message: 'x', stack: 'ValueError: x' });
    assert.equal(d.cells[1].kind, 'markdown');
    assert.equal(d.cells[1].language, 'raw');
  });

  test('bad input: NotebookFormatError with a path', () => {
    assert.throws(() => importIpynb('{"nbformat": 3, "cells": []}', 'old.ipynb'), (e: unknown) => e instanceof NotebookFormatError && /old\.ipynb: At nbformat: expected a Jupyter notebook in nbformat 4/.test(e.message));
    assert.throws(() => importIpynb('{"nbformat": 4, "cells": [{"cell_type": "code", "source": 5}]}'), /At cells\.0\.source: expected a string or an array of strings/);
    assert.throws(() => importIpynb('{"nbformat": 4, "cells": ['), /At line 1, column \d+: not valid JSON/);
  });
});
