/**
 * Restricted Mode in a real VS Code: a .dxnb with saved outputs opens and its table
 * renders through our renderer; running asks for trust first (VS Code's own trust
 * request for notebook execution, before any controller is called), declining runs
 * nothing and starts no kernel, and trusting runs the cells without a reload.
 * (The controller's own refusal output is the second line of defence, for executions
 * that bypass the workbench; unit-level it is the `isTrusted()` check.)
 *
 * The workspace's own settings name an executable (`dexposure.kernel.nodePath`: a
 * script that leaves a mark, then runs Node). In Restricted Mode neither "Run Notebook
 * Headless" nor anything else may run it or the notebook's code; once trusted, the
 * kernel runs through it (which shows the probe is live).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findInFrames, launchVsCode, openNotebook, runAll, runCommand, screenshot, toolsMissing, withFailureScreenshot, type VsCode } from './harness';

const SAVED = {
  format: 'dexposure-notebook',
  version: 1,
  metadata: {},
  cells: [
    {
      kind: 'code',
      language: 'typescript',
      source: "require('node:fs').writeFileSync('cell-ran.txt', 'x');\nconsole.log('ran after trust')",
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
  // Records each run, then runs Node as asked (the kernel works through it once trusted).
  const wrapper = `#!/bin/sh\necho "$@" >> "$(dirname "$0")/node-path-ran.txt"\nexec ${JSON.stringify(process.execPath)} "$@"\n`;
  vs = await launchVsCode({
    files: {
      'saved.dxnb': JSON.stringify(SAVED, null, 1),
      'tools/node-wrapper.sh': wrapper,
      '.vscode/settings.json': JSON.stringify({ 'dexposure.kernel.nodePath': 'tools/node-wrapper.sh' }),
    },
    trust: true,
  });
  chmodSync(join(vs.workspace, 'tools', 'node-wrapper.sh'), 0o755);
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

    // "Run Notebook Headless" would run the workspace's executable and every cell.
    await runCommand(page, 'DeXposure: Run Notebook Headless');
    const refusal = page.locator('.notifications-toasts', { hasText: 'Restricted Mode' });
    await refusal.first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await refusal.first().innerText(), /Running the notebook headless runs notebook code, which needs a trusted workspace/);
    await screenshot(page, 'restricted-headless-refused');
    await page.waitForTimeout(5000);
    assert.equal(existsSync(join(workspace, 'tools', 'node-path-ran.txt')), false, 'the workspace-configured executable ran in Restricted Mode');
    assert.equal(existsSync(join(workspace, 'cell-ran.txt')), false, 'notebook code ran in Restricted Mode');
    assert.equal(existsSync(join(workspace, 'saved.executed.dxnb')), false, 'a headless run wrote its output in Restricted Mode');
    await runCommand(page, 'DeXposure: Restart Kernel');
    await page.waitForTimeout(3000);
    assert.equal(existsSync(join(workspace, 'tools', 'node-path-ran.txt')), false, 'Restart Kernel started a kernel in Restricted Mode');

    // Granting trust: the same window runs the cell (no reload).
    await runAll(page);
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    await dialog.getByRole('button', { name: /Trust/ }).first().click();
    const out = await findInFrames(page, '.output-stream, .output-plaintext, .output', { text: 'ran after trust', timeoutMs: 90_000 });
    assert.match(out.text, /ran after trust/);
    await screenshot(page, 'restricted-trusted-run');
    // Trusted, the workspace's node path applies: the kernel ran through the wrapper.
    assert.match(readFileSync(join(workspace, 'tools', 'node-path-ran.txt'), 'utf8'), /kernel\.js/);
  });
});
