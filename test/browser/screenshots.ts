/**
 * Writes docs/images/view-<name>-<light|dark>.png: each view rendered from the test
 * fixtures in headless Chromium, for the docs and for eyeballing after changes.
 *
 *   npm run build && node --import tsx test/browser/screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIME } from '../../src/core/display/protocol';
import { chartPayloadFixture, graphWithPredictedFixture, scatterPayloadFixture, stressComparisonFixture, stressPayloadFixture, tablePayloadFixture } from '../fixtures/views/payloads';
import { openHarness, render, ROOT, setTheme } from './harness';

const VIEWS: [string, string, () => unknown][] = [
  ['table', MIME.table, tablePayloadFixture],
  ['chart', MIME.chart, chartPayloadFixture],
  ['scatter', MIME.chart, scatterPayloadFixture],
  ['graph', MIME.graph, graphWithPredictedFixture],
  ['stress', MIME.stress, stressPayloadFixture],
  ['stress-comparison', MIME.stress, stressComparisonFixture],
];

async function main(): Promise<void> {
  const out = join(ROOT, 'docs/images');
  mkdirSync(out, { recursive: true });
  const h = await openHarness({ width: 1000, height: 1400 });
  try {
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(h.page, theme);
      for (const [name, mime, make] of VIEWS) {
        await h.page.evaluate(() => (window as unknown as { dx: { clear(): void } }).dx.clear());
        const id = await render(h.page, mime, make());
        if (mime === MIME.graph || name === 'stress') await h.page.waitForSelector(`#${id} [data-dx=graph][data-dx-state=mounted]`);
        if (name === 'graph') {
          // show a selection, as a user would
          const pos = await h.page.$eval(`#${id} [data-dx=graph]`, (host) => {
            const p = (host as unknown as { dxGraph: { viewportPosition(n: string): { x: number; y: number } } }).dxGraph.viewportPosition('p0');
            const r = host.getBoundingClientRect();
            return { x: r.left + p.x, y: r.top + p.y };
          });
          await h.page.mouse.move(pos.x, pos.y);
          await h.page.mouse.click(pos.x, pos.y);
        }
        await h.page.waitForTimeout(800);
        await (await h.page.$(`#${id}`))!.screenshot({ path: join(out, `view-${name}-${theme}.png`) });
        console.log(`wrote docs/images/view-${name}-${theme}.png`);
      }
    }
    if (h.errors.length) console.error(h.errors);
  } finally {
    await h.close();
  }
}

void main();
