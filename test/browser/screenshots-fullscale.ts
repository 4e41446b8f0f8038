/**
 * Writes docs/images/graph-fullscale-*.png: the exposure graph of a full-scale week
 * (the largest week of a release, 5,000-11,000 protocols) as a notebook shows it:
 * the sector overview it opens on, one sector expanded, all protocols, and a zoom
 * after a search. For the README and for checking that a real-size week reads.
 *
 *   npm run build && node --import tsx test/browser/screenshots-fullscale.ts [release-dir]
 *
 * The release defaults to $DEXPOSURE_FULLSCALE_DATA or /work/data/synth-full-42 (a
 * synthetic release at full scale: `dexposure synth`). Its Arrow cache goes to
 * $DEXPOSURE_CACHE_PATH when set (for a release folder that must not be written to).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { graphPayload } from '../../src/core/display/graph-view';
import { MIME } from '../../src/core/display/views';
import { openRelease } from '../../src/core/snapshot/release';
import { openHarness, render, ROOT } from './harness';

async function main(): Promise<void> {
  const dir = process.argv[2] ?? process.env.DEXPOSURE_FULLSCALE_DATA ?? '/work/data/synth-full-42';
  const release = await openRelease(dir, { cacheDir: process.env.DEXPOSURE_CACHE_PATH || undefined });
  const largest = release.summaries.reduce((a, b) => (b.nodes > a.nodes ? b : a));
  const week = await release.snapshot(largest.week);
  const t0 = Date.now();
  const payload = graphPayload(week, { source: `${dir} (synthetic, full scale)` });
  console.log(`week ${largest.week}: ${payload.nodes.length} protocols, ${payload.edges.length} exposures, payload in ${Date.now() - t0} ms`);
  const out = join(ROOT, 'docs/images');
  mkdirSync(out, { recursive: true });
  const h = await openHarness({ width: 1000, height: 900 });
  const shot = async (id: string, name: string) => {
    await h.page.waitForTimeout(2500);
    await (await h.page.$(`#${id}`))!.screenshot({ path: join(out, `graph-fullscale-${name}.png`) });
    console.log(`wrote docs/images/graph-fullscale-${name}.png`);
  };
  try {
    const id = await render(h.page, MIME.graph, payload);
    await h.page.waitForSelector(`#${id} [data-dx=graph][data-dx-state=mounted]`);
    await shot(id, 'sectors');
    // A click on the largest sector (the first one clockwise from the top) expands it.
    const top = payload.categories[0]!;
    await h.page.$eval(`#${id} [data-dx=category]`, (s, c) => {
      (s as HTMLElement & { value: string }).value = c;
      s.dispatchEvent(new Event('change'));
    }, top);
    await shot(id, 'sector-expanded');
    await h.page.$eval(`#${id} [data-dx=category]`, (s) => {
      (s as HTMLElement & { value: string }).value = '__all__';
      s.dispatchEvent(new Event('change'));
    });
    await h.page.$eval(`#${id} [data-dx=hide-filtered]`, (c) => {
      (c as HTMLElement & { checked: boolean }).checked = false;
      c.dispatchEvent(new Event('change'));
    });
    await shot(id, 'protocols');
    // Zoomed: search for a mid-sized protocol; the camera fits its matches.
    const target = [...payload.nodes].sort((a, b) => b.tvl - a.tvl)[3]!;
    await h.page.$eval(`#${id} [data-dx=search]`, (t, q) => {
      (t as HTMLElement & { value: string }).value = q;
      t.dispatchEvent(new Event('input'));
    }, target.name);
    await shot(id, 'zoomed');
    if (h.errors.length) console.error(h.errors);
  } finally {
    await h.close();
  }
}

void main();
