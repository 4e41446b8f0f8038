/**
 * Benchmark: time to first render of the exposure graph view at full scale (~5,700
 * protocols, ~30,000 exposures) in headless Chromium (SwiftShader WebGL, see
 * test/browser/harness.ts), from `renderOutputItem` (JSON parse, validation, graph
 * build, sigma mount) to the first frame on screen. Goal: < 2 s on the dev machine.
 *
 * Baseline, measured in the same run: the same view on a 120-protocol graph (fixed
 * costs: DOM, controls, a WebGL context). Reported as ratio = full / baseline. Also
 * reports the kernel-side payload build (layout included) and payload size, and the
 * "show all" switch at full scale.
 *
 *   node --import tsx bench/render.ts [--runs N]   (needs `npm run build` first)
 */
import { MIME } from '../src/core/display/views';
import { graphView } from '../src/core/display/graph-view';
import { graphPayloadFixture } from '../test/fixtures/views/payloads';
import { syntheticSnapshot } from '../test/fixtures/views/synthetic-snapshot';
import { openHarness, render } from '../test/browser/harness';
import type { Page } from 'playwright-core';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function firstRender(page: Page, payload: unknown): Promise<number> {
  await page.evaluate(() => (globalThis as unknown as { dx: { clear(): void } }).dx.clear());
  const id = await render(page, MIME.graph, payload);
  await page.waitForSelector(`#${id} [data-dx-first-render]`, { timeout: 60_000 });
  return page.evaluate((i) => Number((globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } } }).document.querySelector(`#${i} [data-dx-first-render]`).getAttribute('data-dx-first-render')) - (globalThis as unknown as { dx: { renderStart: number } }).dx.renderStart, id);
}

async function main(): Promise<void> {
  const ri = process.argv.indexOf('--runs');
  const runs = ri >= 0 ? Number(process.argv[ri + 1]) : 3;
  const snap = syntheticSnapshot({ nodes: 5700, edges: 30000, seed: 5 });
  const t0 = performance.now();
  const full = graphView(snap, { topN: 300 }).payload;
  const buildMs = performance.now() - t0;
  const small = graphPayloadFixture();
  const h = await openHarness({ theme: 'light' });
  try {
    await firstRender(h.page, small); // warm-up: module and shader compilation
    const base: number[] = [];
    const fullMs: number[] = [];
    for (let r = 0; r < runs; r++) {
      base.push(await firstRender(h.page, small));
      fullMs.push(await firstRender(h.page, full));
    }
    // Everything shown at once (the "Show all" state) at full scale.
    const all = { ...full, topN: full.nodes.length };
    const allMs: number[] = [];
    for (let r = 0; r < runs; r++) allMs.push(await firstRender(h.page, all));
    const m = median(fullMs);
    const b = median(base);
    console.log(JSON.stringify({
      bench: 'render',
      what: 'graph view time to first render, full scale, headless Chromium + SwiftShader',
      nodes: full.nodes.length,
      edges: full.edges.length,
      payloadBytes: JSON.stringify(full).length,
      kernelBuildMs: Math.round(buildMs),
      firstRenderMs: Math.round(m),
      firstRenderRunsMs: fullMs.map(Math.round),
      baselineMs: Math.round(b),
      baseline: '120-protocol graph, same view',
      ratio: Number((m / b).toFixed(2)),
      firstRenderAllNodesMs: Math.round(median(allMs)),
      goalMs: 2000,
      pass: m < 2000,
      errors: h.errors,
    }));
  } finally {
    await h.close();
  }
}

void main();
