/**
 * The extension in a real VS Code (code-server + Chromium): open a .dxnb, Run All,
 * see stream output and a table drawn by our renderer, save, reopen, and find the
 * outputs again and the file round-tripped. Skips (with the reason) when the test
 * tools are not installed; `npm test` installs them first.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findInFrames, launchVsCode, openNotebook, runAll, runCommand, screenshot, toolsMissing, withFailureScreenshot, type VsCode } from './harness';

const TABLE_CELL = [
  "const table = {",
  "  [Symbol.for('dexposure.mimeBundle')]: () => ({",
  "    'application/vnd.dexposure.table+json': {",
  "      version: 1, title: 'Top protocols by TVL',",
  "      columns: [{ name: 'protocol', kind: 'string' }, { name: 'tvl', kind: 'usd' }],",
  "      rows: [['Aave', 12.5e9], ['Lido', 9.1e9]],",
  "    },",
  "    'text/markdown': '| protocol | tvl |\\n|---|---|\\n| Aave | 12.5e9 |\\n| Lido | 9.1e9 |',",
  "  }),",
  "};",
  "dx.display(table);",
].join('\n');

export const NOTEBOOK = {
  format: 'dexposure-notebook',
  version: 1,
  metadata: {},
  cells: [
    { kind: 'markdown', language: 'markdown', source: '# Integration test' },
    { kind: 'code', language: 'typescript', source: "const n: number = 6 * 7;\nconsole.log(`answer ${n}`);" },
    { kind: 'code', language: 'typescript', source: TABLE_CELL },
    { kind: 'code', language: 'javascript', source: 'n + 1' },
  ],
};

const code = (source: string) => ({ kind: 'code', language: 'typescript', source });
const ERRORS = { format: 'dexposure-notebook', version: 1, cells: [code("console.log('before')"), code("throw new RangeError('boom')"), code("console.log('never')")] };
// The first run kills its own kernel; the fresh kernel of the second run finds the flag.
const DEATH = {
  format: 'dexposure-notebook',
  version: 1,
  cells: [
    code("const fs = require('node:fs');\nif (!fs.existsSync('died.flag')) { fs.writeFileSync('died.flag', ''); process.kill(process.pid, 'SIGKILL'); }\nconsole.log('fresh kernel')"),
    code("console.log('after death')"),
  ],
};
// Output after the cell ended (a timer, an unhandled rejection) lands on that cell.
const LATE = {
  format: 'dexposure-notebook',
  version: 1,
  cells: [code("setTimeout(() => { console.log('late hello'); Promise.reject(new Error('rejected later')) }, 2500);\n'started'")],
};
// Saved outputs that a kernel which cannot start must leave alone.
const SAVED_OUTPUT = { items: [{ mime: 'text/plain', data: 'saved output kept' }], metadata: {} };
const NO_START = { format: 'dexposure-notebook', version: 1, cells: [{ ...code('1 + 1'), outputs: [SAVED_OUTPUT], execution: { count: 7, success: true } }] };
const NEWER = JSON.stringify({ format: 'dexposure-notebook', version: 99, cells: [] });
const IPYNB = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { language_info: { name: 'typescript' } },
  cells: [{ cell_type: 'code', id: 'c1', metadata: { vscode: { languageId: 'typescript' } }, execution_count: null, outputs: [], source: ["const t = {\n", "  [Symbol.for('dexposure.mimeBundle')]: () => ({ 'application/vnd.dexposure.table+json': { version: 1, columns: [{ name: 'protocol', kind: 'string' }], rows: [['Maker']] } }),\n", "};\n", "t"] }],
};

type SavedCell = { outputs?: { items: { mime: string; data: unknown }[] }[]; execution?: { count?: number; success?: boolean } };
const readSaved = (ws: string, name: string) => JSON.parse(readFileSync(join(ws, name), 'utf8')) as { cells: SavedCell[] };

async function closeAll(page: VsCode['page']): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  await page.waitForTimeout(1000);
}

const skip = toolsMissing();
let vs: VsCode | undefined;

before(async () => {
  if (skip) return;
  vs = await launchVsCode({
    files: {
      'test.dxnb': JSON.stringify(NOTEBOOK, null, 1),
      'errors.dxnb': JSON.stringify(ERRORS, null, 1),
      'death.dxnb': JSON.stringify(DEATH, null, 1),
      'newer.dxnb': NEWER,
      'late.dxnb': JSON.stringify(LATE, null, 1),
      'nostart.dxnb': JSON.stringify(NO_START, null, 1),
      'python-free.ipynb': JSON.stringify(IPYNB, null, 1),
    },
    trust: false,
  });
});

after(async () => {
  await vs?.close();
});

test('run all, outputs render, save and reopen keeps them', { skip, timeout: 240_000 }, async () => {
  await withFailureScreenshot(vs!, 'notebook', () => runAllSaveReopen(vs!));
});

async function runAllSaveReopen(vs: VsCode): Promise<void> {
  const { page, workspace } = vs;
  await openNotebook(page, 'test.dxnb');
  await page.waitForTimeout(1500);
  await runAll(page);

  const stdout = await findInFrames(page, '.output-stream, .output-plaintext, .output', { text: 'answer 42', timeoutMs: 90_000 });
  assert.match(stdout.text, /answer 42/);
  const table = await findInFrames(page, '.dx-table', { text: 'Aave', timeoutMs: 60_000 });
  assert.match(table.text, /Lido/);
  await findInFrames(page, '.output', { text: /^\s*43\s*$/m, timeoutMs: 30_000 });
  await screenshot(page, 'notebook-run');

  await page.keyboard.press('Control+S');
  await page.waitForTimeout(1500);
  const saved = JSON.parse(readFileSync(join(workspace, 'test.dxnb'), 'utf8'));
  assert.equal(saved.format, 'dexposure-notebook');
  assert.equal(saved.cells.length, 4);
  const outs = saved.cells.map((c: { outputs?: { items: { mime: string; data: unknown }[] }[] }) => c.outputs ?? []);
  assert.equal(outs[1][0].items[0].mime, 'application/vnd.code.notebook.stdout');
  assert.match(outs[1][0].items[0].data, /answer 42/);
  const tableItem = outs[2][0].items.find((i: { mime: string }) => i.mime === 'application/vnd.dexposure.table+json');
  assert.deepEqual(tableItem.data.rows, [['Aave', 12.5e9], ['Lido', 9.1e9]], 'JSON MIME saved as a JSON value');
  assert.equal(saved.cells[1].execution.success, true);
  assert.equal(saved.cells[1].execution.count, 1);

  // Close and reopen: outputs come back from the file.
  await runCommand(page, 'View: Close All Editors');
  await page.waitForTimeout(1500);
  await openNotebook(page, 'test.dxnb');
  const again = await findInFrames(page, '.dx-table', { text: 'Aave', timeoutMs: 60_000 });
  assert.match(again.text, /Lido/);
  await findInFrames(page, '.output-stream, .output-plaintext, .output', { text: 'answer 42', timeoutMs: 30_000 });
  await screenshot(page, 'notebook-reopened');
  await page.keyboard.press('Control+S');
  await page.waitForTimeout(1000);
  const resaved = JSON.parse(readFileSync(join(workspace, 'test.dxnb'), 'utf8'));
  assert.deepEqual(resaved, saved, 'reopen + save round-trips the file unchanged');
}

test('a failing cell cancels the cells queued after it', { skip, timeout: 120_000 }, async () => {
  await withFailureScreenshot(vs!, 'errors', async () => {
    const { page, workspace } = vs!;
    await closeAll(page);
    await openNotebook(page, 'errors.dxnb');
    await runAll(page);
    const err = await findInFrames(page, '.output, body', { text: 'boom', timeoutMs: 90_000 });
    assert.match(err.text, /RangeError/);
    await page.waitForTimeout(2000);
    await screenshot(page, 'errors');
    await page.keyboard.press('Control+S');
    await page.waitForTimeout(1500);
    const saved = readSaved(workspace, 'errors.dxnb');
    assert.equal(saved.cells[0]!.execution?.success, true);
    assert.equal(saved.cells[1]!.execution?.success, false);
    assert.deepEqual(saved.cells[2]!.outputs, [], 'the cancelled cell has no output');
    assert.equal(saved.cells[2]!.execution?.success, undefined, 'the cancelled cell has no success mark');
    assert.equal(saved.cells[2]!.execution?.count, undefined, 'the cancelled cell has no execution count');
  });
});

test('kernel death ends the cell with a clear error; the next run gets a fresh kernel', { skip, timeout: 150_000 }, async () => {
  await withFailureScreenshot(vs!, 'death', async () => {
    const { page, workspace } = vs!;
    await closeAll(page);
    await openNotebook(page, 'death.dxnb');
    await runAll(page);
    const died = await findInFrames(page, '.output, body', { text: 'kernel process exited', timeoutMs: 90_000 });
    assert.match(died.text, /next run starts a fresh kernel/);
    await page.waitForTimeout(1000);
    await runAll(page);
    await findInFrames(page, '.output-stream, .output-plaintext, .output', { text: 'after death', timeoutMs: 90_000 });
    await page.keyboard.press('Control+S');
    await page.waitForTimeout(1500);
    const saved = readSaved(workspace, 'death.dxnb');
    assert.match(String(saved.cells[0]!.outputs?.[0]?.items[0]?.data), /fresh kernel/);
    assert.equal(saved.cells[0]!.execution?.count, 1, 'counting restarts with the fresh kernel');
    assert.equal(saved.cells[1]!.execution?.success, true);
  });
});

test('a newer-version file is refused with the specific message, never opened empty', { skip, timeout: 90_000 }, async () => {
  await withFailureScreenshot(vs!, 'newer', async () => {
    const { page, workspace } = vs!;
    await closeAll(page);
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type('newer.dxnb');
    await page.waitForTimeout(800);
    await page.keyboard.press('Enter');
    const toast = page.locator('.notifications-toasts', { hasText: 'format 99' });
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await toast.innerText(), /cannot open the notebook: this \.dxnb file: written by a newer DeXposure Notebooks \(format 99\)/);
    await screenshot(page, 'newer-refused');
    assert.equal(await page.locator('.notebook-editor .cell-list-container .monaco-list-row').count(), 0);
    assert.equal(readFileSync(join(workspace, 'newer.dxnb'), 'utf8'), NEWER, 'file untouched');
  });
});

test('.ipynb: the DeXposure kernel runs TypeScript cells with rich outputs', { skip, timeout: 150_000 }, async () => {
  await withFailureScreenshot(vs!, 'ipynb', async () => {
    const { page, workspace } = vs!;
    await closeAll(page);
    await openNotebook(page, 'python-free.ipynb');
    await runCommand(page, 'Notebook: Select Notebook Kernel');
    await page.waitForSelector('.quick-input-widget .monaco-list-row', { timeout: 30_000 });
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'DeXposure' }).first().click();
    await page.waitForTimeout(1000);
    await runAll(page);
    await findInFrames(page, '.dx-table', { text: 'Maker', timeoutMs: 90_000 });
    await screenshot(page, 'ipynb');
    await page.keyboard.press('Control+S');
    await page.waitForTimeout(1500);
    const nb = JSON.parse(readFileSync(join(workspace, 'python-free.ipynb'), 'utf8'));
    const data = nb.cells[0].outputs[0].data as Record<string, unknown>;
    assert.ok(data['application/vnd.dexposure.table+json'], 'rich item saved');
    const plain = data['text/plain'];
    const text = Array.isArray(plain) ? plain.join('') : plain;
    assert.ok(typeof text === 'string' && text.length > 0, `a text fallback is saved for other front ends: ${JSON.stringify(nb.cells[0].outputs)}`);
  });
});

test('output after the cell ended appears on that cell, which keeps its count and success mark', { skip, timeout: 150_000 }, async () => {
  await withFailureScreenshot(vs!, 'late-output', async () => {
    const { page, workspace } = vs!;
    await closeAll(page);
    await openNotebook(page, 'late.dxnb');
    await runAll(page);
    await findInFrames(page, '.output', { text: 'started', timeoutMs: 90_000 });
    const late = await findInFrames(page, '.output-stream, .output-plaintext, .output', { text: 'late hello', timeoutMs: 30_000 });
    assert.match(late.text, /late hello/);
    await findInFrames(page, '.output-stream, .output-plaintext, .output', { text: 'rejected later', timeoutMs: 30_000 });
    await page.waitForTimeout(1500);
    await screenshot(page, 'late-output');
    await page.keyboard.press('Control+S');
    await page.waitForTimeout(1500);
    const cell = readSaved(workspace, 'late.dxnb').cells[0]!;
    const texts = (cell.outputs ?? []).flatMap((o) => o.items.map((i) => `${i.mime} ${String(i.data)}`)).join('\n');
    assert.match(texts, /text\/plain 'started'|text\/plain started/);
    assert.match(texts, /stdout late hello/);
    assert.match(texts, /stderr Unhandled promise rejection: Error: rejected later/);
    assert.equal(cell.execution?.success, true);
    assert.ok(cell.execution?.count !== undefined && cell.execution.count >= 1, `execution count kept: ${JSON.stringify(cell.execution)}`);
  });
});

// Last: it points this workspace's node path at a missing program, then removes it again.
test('a kernel that cannot start keeps the saved outputs and says why', { skip, timeout: 150_000 }, async () => {
  await withFailureScreenshot(vs!, 'kernel-no-start', async () => {
    const { page, workspace } = vs!;
    await closeAll(page);
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'dexposure.kernel.nodePath': 'no/such/node' }));
    try {
      await page.waitForTimeout(3000);
      await openNotebook(page, 'nostart.dxnb');
      await findInFrames(page, '.output', { text: 'saved output kept', timeoutMs: 60_000 });
      await runAll(page);
      const toast = page.locator('.notifications-toasts', { hasText: 'could not start the kernel' });
      await toast.first().waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await toast.first().innerText(), /no\/such\/node does not exist/);
      await screenshot(page, 'kernel-no-start');
      await findInFrames(page, '.output', { text: 'saved output kept', timeoutMs: 10_000 });
      await page.keyboard.press('Control+S');
      await page.waitForTimeout(1500);
      assert.deepEqual(readSaved(workspace, 'nostart.dxnb').cells[0]!.outputs, [SAVED_OUTPUT]);
    } finally {
      rmSync(join(workspace, '.vscode', 'settings.json'), { force: true });
    }
  });
});
