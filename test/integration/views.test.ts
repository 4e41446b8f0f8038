/**
 * The renderer inside a real VS Code notebook: a cell shows the exposure graph of a
 * sample week, another a stress test; the graph mounts (WebGL) with its controls,
 * and moving the what-if slider reruns the simulator in the kernel (renderer ->
 * extension -> kernel -> renderer) and updates the headline figures in place.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { findInFrames, launchVsCode, openNotebook, runAll, screenshot, toolsMissing, withFailureScreenshot, type VsCode } from './harness';
import { openRelease } from '../../src/core/snapshot/release';
import { runStress, toScenario, withLoss } from '../../src/core/stress';

const DATA = resolve('examples/data');
const WEEK = '2022-05-09';
const code = (source: string) => ({ kind: 'code', language: 'typescript', source });
const VIEWS = {
  format: 'dexposure-notebook',
  version: 1,
  cells: [
    code(`const release = await dx.open(${JSON.stringify(DATA)});\nconst week = await release.snapshot('${WEEK}');\ndx.graph(week, { title: 'Exposures ${WEEK}' })`),
    code(`dx.stress(week, 'top1')`),
  ],
};

const skip = toolsMissing();
let vs: VsCode | undefined;

before(async () => {
  if (skip) return;
  vs = await launchVsCode({ files: { 'views.dxnb': JSON.stringify(VIEWS, null, 1) }, trust: false });
});

after(async () => {
  await vs?.close();
});

test('graph and stress views render in the notebook; the what-if slider reruns in the kernel', { skip, timeout: 240_000 }, async () => {
  await withFailureScreenshot(vs!, 'views', async () => {
    const { page } = vs!;
    // Independent expectations: the simulator run here on the same week.
    const release = await openRelease(DATA);
    const week = await release.snapshot(WEEK);
    const at50 = runStress(week, 'top1').systemLossPct;
    const at100 = runStress(week, withLoss(toScenario('top1'), 1)).systemLossPct;
    assert.ok(at100 > at50, 'a full default of the top protocol loses more than a half default');

    await openNotebook(page, 'views.dxnb');
    await page.waitForTimeout(1500);
    await runAll(page);

    const graph = await findInFrames(page, '[data-dx=graph][data-dx-state=mounted]', { timeoutMs: 120_000 });
    const counts = await graph.frame.$eval('[data-dx=counts]', (e) => e.textContent ?? '');
    assert.match(counts, new RegExp(`of ${week.ids.length} protocols shown`));
    const canvases = await graph.frame.$$eval('[data-dx=graph] canvas', (c) => c.length);
    assert.ok(canvases > 0, 'sigma drew into WebGL canvases');

    const loss = await findInFrames(page, '[data-dx=system-loss]', { text: `${at50.toFixed(2)}%`, timeoutMs: 60_000 });
    await screenshot(page, 'views-run');
    const slider = await loss.frame.$('.dx-view[data-dx-mime="application/vnd.dexposure.stress+json"] [data-dx=shock-size]');
    assert.ok(slider, 'the stress view has a shock-size slider');
    assert.equal(await slider.evaluate((e) => (e as HTMLInputElement).disabled), false, 'with a kernel the slider is live');
    await slider.evaluate((e) => {
      (e as HTMLInputElement).value = '1';
      e.dispatchEvent(new Event('input'));
      e.dispatchEvent(new Event('change'));
    });
    await findInFrames(page, '[data-dx=system-loss]', { text: `${at100.toFixed(2)}%`, timeoutMs: 30_000 });
    const status = await loss.frame.$eval('.dx-view[data-dx-mime="application/vnd.dexposure.stress+json"] [data-dx=status]', (e) => e.textContent ?? '');
    assert.match(status, /^Updated in \d+ ms/);
    await slider.scrollIntoViewIfNeeded();
    await screenshot(page, 'views-what-if');
  });
});
