/**
 * .ipynb export checked by Jupyter's own validator: a notebook with every kind of
 * output we write (graph, stress, chart and table views built from the sample
 * release, streams, an execute result, an image, an error) is exported and read back
 * by Python's nbformat, which must accept it as nbformat 4 and see our rich MIME types
 * with their text/markdown fallbacks. Needs Debian's python3-nbformat.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleDataPath } from '../../../src/core/api/data';
import { stress } from '../../../src/core/api/risk';
import { chartView } from '../../../src/core/display/chart-view';
import { graphView } from '../../../src/core/display/graph-view';
import { MIME_BUNDLE, type MimeBundle } from '../../../src/core/display/protocol';
import { MIME } from '../../../src/core/display/views';
import { stressView } from '../../../src/core/display/stress-view';
import { tableView } from '../../../src/core/display/table-view';
import { bundleToOutput, errorToOutput } from '../../../src/core/notebook/kernel-outputs';
import { EXECUTE_RESULT_KEY, exportIpynb, importIpynb } from '../../../src/core/notebook/ipynb';
import type { NotebookDocument } from '../../../src/core/notebook/format';
import { ERROR_MIME, STDERR_MIME, STDOUT_MIME } from '../../../src/core/notebook/output-items';
import { openRelease } from '../../../src/core/snapshot/release';

const PYTHON = '/usr/bin/python3';

// Validates with nbformat, then prints per cell: type, id and each output's type and MIME keys.
const VALIDATE = `
import json, sys
try:
    import nbformat
except ImportError:
    sys.exit("python3-nbformat is not installed: run \`apt-get install python3-nbformat\` (Debian) to check .ipynb exports")
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
print(json.dumps({
    "nbformat": [nb.nbformat, nb.nbformat_minor],
    "cells": [{"type": c.cell_type, "id": c.get("id"),
               "outputs": [{"type": o.output_type, "mimes": sorted(o.get("data", {}).keys()), "name": o.get("name")} for o in c.get("outputs", [])]}
              for c in nb.cells],
}))
`;

function validate(ipynbText: string): { nbformat: number[]; cells: { type: string; id: string; outputs: { type: string; mimes: string[]; name: string | null }[] }[] } {
  const dir = mkdtempSync(join(tmpdir(), 'dx-nbformat-'));
  try {
    const file = join(dir, 'export.ipynb');
    writeFileSync(file, ipynbText);
    const r = spawnSync(PYTHON, ['-c', VALIDATE, file], { encoding: 'utf8' });
    if (r.error) assert.fail(`cannot run ${PYTHON} (${r.error.message}): install Debian's python3 and python3-nbformat (apt-get install python3-nbformat)`);
    assert.equal(r.status, 0, `nbformat rejected the export:\n${r.stderr}`);
    return JSON.parse(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const bundle = (v: { [MIME_BUNDLE](): MimeBundle }) => v[MIME_BUNDLE]();

async function richNotebook(): Promise<NotebookDocument> {
  const release = await openRelease(sampleDataPath(), { cacheDir: false });
  const s = await release.snapshot(release.weeks[0]);
  const result = stress(s, 'top1');
  const code = (source: string, outputs: NotebookDocument['cells'][number]['outputs'], count: number, success = true) => ({
    kind: 'code' as const,
    language: 'typescript',
    source,
    metadata: {},
    outputs,
    execution: { count, success, startTime: 1_700_000_000_000, endTime: 1_700_000_000_250 },
  });
  const longId = 'a'.repeat(64);
  return {
    metadata: { title: 'Every output kind' },
    cells: [
      { kind: 'markdown', language: 'markdown', source: '# Outputs\n\nAll of them.', metadata: { id: longId }, outputs: [] },
      code('dx.display(dx.graph(s))', [{ ...bundleToOutput(bundle(graphView(s))), metadata: { displayId: 'dx-1' } }], 1),
      code("dx.stressView(dx.stress(s, 'top1'), { snapshot: s, scenario: 'top1' })", [bundleToOutput(bundle(stressView(result, { snapshot: s, scenario: 'top1' })), { [EXECUTE_RESULT_KEY]: true })], 2),
      code(
        'chart and table',
        [
          bundleToOutput(bundle(chartView({ data: [{ type: 'bar', x: ['a', 'b'], y: [1, 2] }], layout: { title: { text: 'Bars' } } }))),
          bundleToOutput(bundle(tableView([{ protocol: '<b>x</b>', tvl: 1 }]))),
        ],
        3,
      ),
      code(
        'console.log(1); console.error(2)',
        [
          { items: [{ mime: STDOUT_MIME, data: 'one\ntwo\n' }], metadata: {} },
          { items: [{ mime: STDERR_MIME, data: 'warn\n' }], metadata: {} },
          { items: [{ mime: 'image/png', data: new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]) }, { mime: 'text/plain', data: '<png>' }], metadata: {} },
        ],
        4,
      ),
      // Same (longest allowed) id twice: the export must still give unique, valid ids.
      { ...code('throw new Error("boom")', [errorToOutput({ name: 'Error', message: 'boom', stack: 'Error: boom\n    at cell-6.ts:1:7' })], 5, false), metadata: { id: longId } },
      { kind: 'markdown', language: 'raw', source: 'raw text', metadata: {}, outputs: [] },
      // An error item that is not an error object: kept, as a string nbformat accepts.
      code('odd', [{ items: [{ mime: ERROR_MIME, data: 42 }], metadata: {} }], 6),
    ],
  };
}

describe('.ipynb export and nbformat', () => {
  test('nbformat validates the export and sees every rich MIME type with its fallback', async () => {
    const summary = validate(exportIpynb(await richNotebook()));
    assert.deepEqual(summary.nbformat, [4, 5]);
    assert.deepEqual(
      summary.cells.map((c) => c.type),
      ['markdown', 'code', 'code', 'code', 'code', 'code', 'raw', 'code'],
    );
    const ids = summary.cells.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, 'cell ids unique');
    assert.ok(ids.every((id) => /^[a-zA-Z0-9_-]{1,64}$/.test(id)), `cell ids valid: ${ids.join(', ')}`);

    const outs = summary.cells.map((c) => c.outputs);
    assert.deepEqual(outs[1], [{ type: 'display_data', mimes: [MIME.graph, 'text/markdown'], name: null }]);
    assert.deepEqual(outs[2], [{ type: 'execute_result', mimes: [MIME.stress, 'text/markdown'], name: null }]);
    assert.deepEqual(outs[3], [
      { type: 'display_data', mimes: [MIME.chart, 'text/markdown'], name: null },
      { type: 'display_data', mimes: [MIME.table, 'text/markdown'], name: null },
    ]);
    assert.deepEqual(outs[4], [
      { type: 'stream', mimes: [], name: 'stdout' },
      { type: 'stream', mimes: [], name: 'stderr' },
      { type: 'display_data', mimes: ['image/png', 'text/plain'], name: null },
    ]);
    assert.deepEqual(outs[5], [{ type: 'error', mimes: [], name: null }]);
    assert.deepEqual(outs[7], [{ type: 'display_data', mimes: [ERROR_MIME], name: null }]);
  });

  test('importing the export gives back every output item unchanged', async () => {
    const doc = await richNotebook();
    const back = importIpynb(exportIpynb(doc));
    const items = (d: NotebookDocument) => d.cells.map((c) => c.outputs.map((o) => o.items));
    assert.deepEqual(items(back), items(doc));
  });
});
