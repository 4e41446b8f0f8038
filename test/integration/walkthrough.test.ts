/**
 * The first-run walkthrough in a real VS Code (code-server + Chromium): it is listed
 * under Welcome, shows its steps and media, and its first button opens the quickstart
 * notebook from an editable copy in the extension's storage folder, whose first cell
 * runs and finds the sample data in the installation. Skips (with the
 * reason) when the test tools are not installed; `npm test` installs them first.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findInFrames, launchVsCode, ROOT, runCommand, screenshot, toolsMissing, withFailureScreenshot, type VsCode } from './harness';

const skip = toolsMissing();
let vs: VsCode | undefined;

before(async () => {
  if (skip) return;
  // trust: false turns workspace trust off, as in a trusted folder: the copy's cells may run.
  vs = await launchVsCode({ files: { 'README.md': '# empty workspace\n' }, trust: false });
});
after(async () => {
  await vs?.close();
});

test('the walkthrough opens and its first step opens an editable quickstart copy', { skip }, async () => {
  const page = vs!.page;
  await withFailureScreenshot(vs!, 'walkthrough', async () => {
    await runCommand(page, 'Welcome: Open Walkthrough...');
    const input = await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10_000 });
    await input.fill('Get Started with DeXposure');
    const row = page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Get Started with DeXposure Notebooks' });
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Enter');

    // The steps, in order, in the walkthrough page.
    const titles = page.locator('.getting-started-step .step-title');
    await titles.first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.deepEqual((await titles.allInnerTexts()).map((t) => t.trim()), ['Open the quickstart notebook', 'Run all cells', 'Try the stress lab', 'Point dexposure.dataPath at the real release']);
    // The first step's media: our markdown, rendered in the walkthrough's webview.
    await findInFrames(page, 'h1', { text: 'Open the quickstart', timeoutMs: 30_000 });
    await screenshot(page, 'walkthrough');

    await page.locator('.getting-started-step.expanded .monaco-button', { hasText: 'Open the Quickstart' }).click();
    await page.waitForSelector('.notebook-editor', { timeout: 30_000 });
    await findInFrames(page, 'h1', { text: 'DeXposure quickstart', timeoutMs: 60_000 });
    await screenshot(page, 'walkthrough-quickstart');

    // Opened from the copy in the extension's storage, identical to the shipped example.
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const copy = join(vs!.workspace, '..', 'user-data', 'User', 'globalStorage', 'dexposure.dexposure-notebooks', `examples-${version}`, 'quickstart.dxnb');
    assert.ok(existsSync(copy), `the editable copy ${copy} exists`);
    assert.equal(readFileSync(copy, 'utf8'), readFileSync(join(ROOT, 'examples', 'quickstart.dxnb'), 'utf8'));
    const tab = page.locator('.tabs-container .tab.active');
    assert.match((await tab.getAttribute('aria-label')) ?? (await tab.innerText()), /quickstart\.dxnb/);

    // The copy runs: its first code cell opens the sample release shipped with the extension.
    const firstCode = page.locator('.notebook-editor .code-cell-row').first();
    await firstCode.hover();
    await firstCode.locator('.run-button-container .action-label[aria-label^="Execute Cell"]').first().click();
    await findInFrames(page, '.dx-title', { text: /80 weeks, 2022-01-03 \.\. 2023-07-10/, timeoutMs: 90_000 });
    await screenshot(page, 'walkthrough-quickstart-run');
  });
});
