/**
 * The three example notebooks run top to bottom in a real VS Code (code-server +
 * Chromium), as a user runs them: open, Run All, and every code cell finishes
 * successfully in the DeXposure kernel, with our renderer drawing the views a reader
 * looks for. paper-figures runs at reduced scale (DEXPOSURE_QUICK=1), as in CI
 * headless. Screenshots go to test-results/examples-*.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findInFrames, launchVsCode, openNotebook, ROOT, runAll, runCommand, screenshot, toolsMissing, withFailureScreenshot, type VsCode } from './harness';

const EXAMPLES = ['quickstart.dxnb', 'stress-lab.dxnb', 'paper-figures.dxnb'];

type SavedCell = {
  kind: string;
  source: string;
  outputs?: { items: { mime: string; data: unknown }[] }[];
  execution?: { success?: boolean };
};

const skip = toolsMissing();
let vs: VsCode | undefined;

before(async () => {
  if (skip) return;
  // The kernel inherits code-server's environment: the bundled sample, reduced scale.
  process.env.DEXPOSURE_QUICK = '1';
  process.env.DEXPOSURE_DATA_PATH = '';
  const files = Object.fromEntries(EXAMPLES.map((n) => [n, readFileSync(join(ROOT, 'examples', n), 'utf8')]));
  vs = await launchVsCode({ files, trust: false });
});

after(async () => {
  await vs?.close();
});

function errorText(cell: SavedCell): string {
  const items = (cell.outputs ?? []).flatMap((o) => o.items);
  const err = items.find((i) => i.mime === 'application/vnd.code.notebook.error');
  if (!err) return items.map((i) => (typeof i.data === 'string' ? i.data : '')).join('').slice(0, 500);
  const e = err.data as { name?: string; message?: string };
  return `${e.name}: ${e.message}`;
}

/**
 * Saves every few seconds and reads the file until every code cell has finished:
 * all succeeded (returns the cells) or one failed (throws with its error).
 */
async function waitForRunAll(vs: VsCode, name: string, timeoutMs: number): Promise<SavedCell[]> {
  const deadline = Date.now() + timeoutMs;
  let done = 0;
  let total = 0;
  while (Date.now() < deadline) {
    await vs.page.waitForTimeout(4000);
    await vs.page.keyboard.press('Control+S');
    await vs.page.waitForTimeout(800);
    const cells = (JSON.parse(readFileSync(join(vs.workspace, name), 'utf8')) as { cells: SavedCell[] }).cells.filter((c) => c.kind === 'code');
    const failed = cells.findIndex((c) => c.execution?.success === false);
    if (failed >= 0) throw new Error(`${name}: code cell ${failed + 1} failed in the editor (${cells[failed].source.split('\n')[0]}): ${errorText(cells[failed])}`);
    total = cells.length;
    done = cells.filter((c) => c.execution?.success === true).length;
    if (done === total) return cells;
  }
  throw new Error(`${name}: ${done} of ${total} code cells finished after ${timeoutMs / 1000} s`);
}

async function runExample(vs: VsCode, name: string, timeoutMs: number): Promise<SavedCell[]> {
  await runCommand(vs.page, 'View: Close All Editors');
  await vs.page.waitForTimeout(1000);
  await openNotebook(vs.page, name);
  await vs.page.waitForTimeout(1500);
  await runAll(vs.page);
  const cells = await waitForRunAll(vs, name, timeoutMs);
  const mimes = new Set(cells.flatMap((c) => (c.outputs ?? []).flatMap((o) => o.items.map((i) => i.mime))));
  assert.ok(!mimes.has('application/vnd.code.notebook.error'), `${name}: no cell shows an error`);
  return cells;
}

/**
 * Scrolls the notebook until a rendered view matches and sits in the upper part of the
 * editor: VS Code renders the outputs of cells near the viewport only, and the
 * screenshot should show the view.
 */
async function scrollToView(vs: VsCode, selector: string, text?: string | RegExp, opts: { fromEnd?: boolean } = {}): Promise<void> {
  const { page } = vs;
  const box = await page.locator('.notebook-editor').first().boundingBox();
  assert.ok(box, 'the notebook editor is on screen');
  // Over the cells' left gutter: a wheel over a graph view zooms the graph instead.
  await page.mouse.move(box.x + 12, box.y + box.height / 2);
  // From the top, scanning down; or, for views near the end, from the last cell (command
  // mode, Ctrl+End) scanning up: downward wheel steps can stall on a long cell.
  const dir = opts.fromEnd ? -1 : 1;
  if (opts.fromEnd) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+End');
    for (let i = 0; i < 40; i++) await page.mouse.wheel(0, 2000);
  } else for (let i = 0; i < 40; i++) await page.mouse.wheel(0, -2000);
  let last: unknown;
  let found = false;
  for (let step = 0; step < 80; step++) {
    try {
      const { frame } = await findInFrames(page, selector, { text, timeoutMs: 1500 });
      found = true;
      const at = await frame.locator(selector).filter(text === undefined ? {} : { hasText: text }).first().boundingBox();
      if (at && at.y >= box.y && at.y <= box.y + box.height / 2) return;
      await page.mouse.wheel(0, at ? Math.max(-4000, Math.min(4000, at.y - box.y - 60)) : 500 * dir);
    } catch (e) {
      last = e;
      await page.mouse.wheel(0, 500 * dir);
    }
    await page.waitForTimeout(400);
  }
  // Rendered but never settled in view (e.g. a view taller than the editor): still shown.
  if (!found) throw last;
}

const base = (n: string) => n.replace(/\.dxnb$/, '');
const stem = (name: string, what?: string) => `examples-${base(name)}${what ? `-${what}` : ''}`;

test('quickstart runs top to bottom in the editor: graph, tables, forecast comparison', { skip, timeout: 420_000 }, async () => {
  await withFailureScreenshot(vs!, stem('quickstart.dxnb'), async () => {
    const cells = await runExample(vs!, 'quickstart.dxnb', 300_000);
    const mimes = cells.flatMap((c) => (c.outputs ?? []).flatMap((o) => o.items.map((i) => i.mime)));
    assert.ok(mimes.includes('application/vnd.dexposure.graph+json'), 'a graph output was saved');
    assert.ok(mimes.includes('application/vnd.dexposure.table+json'), 'a table output was saved');
    await scrollToView(vs!, '.dx-view[data-dx-mime="application/vnd.dexposure.table+json"]', /Watchlist: top 10 by SIS/);
    await scrollToView(vs!, '[data-dx=graph][data-dx-state=mounted]');
    await screenshot(vs!.page, stem('quickstart.dxnb', 'run'));
  });
});

test('stress-lab runs top to bottom in the editor: scenarios, sweeps, what-if view', { skip, timeout: 420_000 }, async () => {
  await withFailureScreenshot(vs!, stem('stress-lab.dxnb'), async () => {
    const cells = await runExample(vs!, 'stress-lab.dxnb', 300_000);
    const mimes = cells.flatMap((c) => (c.outputs ?? []).flatMap((o) => o.items.map((i) => i.mime)));
    assert.ok(mimes.includes('application/vnd.dexposure.stress+json'), 'a stress view was saved');
    assert.ok(mimes.includes('application/vnd.dexposure.chart+json'), 'a chart was saved');
    await scrollToView(vs!, '[data-dx=system-loss]', '%');
    await screenshot(vs!.page, stem('stress-lab.dxnb', 'run'));
  });
});

test('paper-figures runs top to bottom in the editor at reduced scale, each table beside the paper', { skip, timeout: 600_000 }, async () => {
  await withFailureScreenshot(vs!, stem('paper-figures.dxnb'), async () => {
    const cells = await runExample(vs!, 'paper-figures.dxnb', 480_000);
    const tables = cells.flatMap((c) => (c.outputs ?? []).flatMap((o) => o.items.filter((i) => i.mime === 'application/vnd.dexposure.table+json').map((i) => i.data as { title?: string })));
    const titles = tables.map((t) => t.title ?? '').join(' | ');
    for (const want of [/^Table 1/, /^Table 3/, /^Table 4/, /^Table 5/]) {
      assert.ok(tables.some((t) => want.test(t.title ?? '')), `a table titled ${want} (titles: ${titles})`);
    }
    await scrollToView(vs!, '.dx-view[data-dx-mime="application/vnd.dexposure.table+json"]', /Table 3 on/);
    await screenshot(vs!.page, stem('paper-figures.dxnb', 'table3'));
    await scrollToView(vs!, '[data-dx=plot]', undefined, { fromEnd: true });
    await screenshot(vs!.page, stem('paper-figures.dxnb', 'run'));
  });
});
