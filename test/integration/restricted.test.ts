/**
 * Restricted Mode in a real VS Code: a .dxnb with saved outputs opens and its table
 * renders through our renderer; running asks for trust first (VS Code's own trust
 * request for notebook execution, before any controller is called), declining runs
 * nothing and starts no kernel, and trusting runs the cells without a reload.
 * (The controller's own refusal output is the second line of defence, for executions
 * that bypass the workbench; unit-level it is the `isTrusted()` check.)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findInFrames, launchVsCode, openNotebook, runAll, screenshot, toolsMissing, withFailureScreenshot, type VsCode } from './harness';

const SAVED = {
  format: 'dexposure-notebook',
  version: 1,
  metadata: {},
  cells: [
    {
      kind: 'code',
      language: 'typescript',
      source: "console.log('ran after trust')",
      outputs: [
        {
          items: [
            {
              mime: 'application/vnd.dexposure.table+json',
              data: { version: 1, title: 'Saved table', columns: [{ name: 'protocol', kind: 'string' }], rows: [['Curve']] },
            },
            { mime: 'text/markdown', data: '| protocol |\n|---|\n| Curve |' },
          ],
        },
      ],
      execution: { count: 3, success: true },
    },
  ],
};

const skip = toolsMissing();
let vs: VsCode | undefined;

before(async () => {
  if (skip) return;
  vs = await launchVsCode({ files: { 'saved.dxnb': JSON.stringify(SAVED, null, 1) }, trust: true });
});

after(async () => {
  await vs?.close();
});

test('restricted mode: saved outputs render, running waits for trust, trusting runs without reload', { skip, timeout: 180_000 }, async () => {
  await withFailureScreenshot(vs!, 'restricted', async () => {
    const { page, workspace } = vs!;
    await openNotebook(page, 'saved.dxnb');
    const table = await findInFrames(page, '.dx-table', { text: 'Curve', timeoutMs: 60_000 });
    assert.match(table.text, /Curve/);
    await screenshot(page, 'restricted-open');

    // Declining trust: nothing runs, no kernel starts, the file is untouched.
    await runAll(page);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), /trust/i);
    await screenshot(page, 'restricted-trust-request');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForTimeout(3000);
    const status = await page.locator('.statusbar-item', { hasText: 'DeXposure' }).first().innerText();
    assert.match(status, /not started/);
    assert.equal(await page.locator('.notebook-editor').getByText('ran after trust', { exact: true }).count(), 0);
    assert.deepEqual(JSON.parse(readFileSync(join(workspace, 'saved.dxnb'), 'utf8')), SAVED);
    await findInFrames(page, '.dx-table', { text: 'Curve', timeoutMs: 10_000 });

    // Granting trust: the same window runs the cell (no reload).
    await runAll(page);
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    await dialog.getByRole('button', { name: /Trust/ }).first().click();
    const out = await findInFrames(page, '.output-stream, .output-plaintext, .output', { text: 'ran after trust', timeoutMs: 90_000 });
    assert.match(out.text, /ran after trust/);
    await screenshot(page, 'restricted-trusted-run');
  });
});
