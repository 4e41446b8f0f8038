/**
 * Writes docs/images/graph-fullscale-*.png: the exposure graph of a full-scale week
 * (the largest week of a release, 5,000-11,000 protocols) as a notebook shows it:
 * the sector overview it opens on, one sector expanded, all protocols, and a zoom
 * after a search. For the README and for checking that a real-size week reads.
 *
 *   npm run build && node --import tsx test/browser/screenshots-fullscale.ts [release-dir]
 *
 * The release defaults to $DEXPOSURE_FULLSCALE_DATA or /work/data/synth-full-42 (a
 * synthetic release at full scale: `dexposure synth`); the view names it by what it
 * is, not by its folder. Its Arrow cache goes to
 * $DEXPOSURE_CACHE_PATH when set (for a release folder that must not be written to).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
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
  // What the release is, not where it lies on this machine.
  const synth = join(dir, 'synth.json');
  const seed = existsSync(synth) ? (JSON.parse(readFileSync(synth, 'utf8')) as { seed?: number }).seed : undefined;
  const payload = graphPayload(week, { source: `synthetic release at full scale (dexposure synth${seed !== undefined ? `, seed ${seed}` : ''}), its largest week` });
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
    // A click on the largest named sector (not Unknown or Other) expands it, as a user would.
    const sector = await h.page.$eval(`#${id} [data-dx=graph]`, (host) => {
      const g = (host as unknown as { dxGraph: { graph: { nodes(): string[]; getNodeAttribute(n: string, a: string): unknown }; viewportPosition(n: string): { x: number; y: number } | undefined } }).dxGraph;
      const named = g.graph.nodes().filter((n) => !/^sector:(Unknown|Other)\b/.test(n)).sort((a, b) => Number(g.graph.getNodeAttribute(b, 'size')) - Number(g.graph.getNodeAttribute(a, 'size')));
      const r = host.getBoundingClientRect();
      const p = g.viewportPosition(named[0]!)!;
      return { name: named[0]!, x: r.left + p.x, y: r.top + p.y };
    });
    console.log(`expanding ${sector.name}`);
    await h.page.mouse.click(sector.x, sector.y);
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
    // Zoomed: search for a large protocol whose name no other name contains (one match,
    // selected) and with a few dozen neighbours; the camera fits it and them.
    const lower = payload.nodes.map((n) => n.name.toLowerCase());
    const degree = new Map<string, Set<string>>();
    for (const e of payload.edges) for (const [a, b] of [[e.source, e.target], [e.target, e.source]] as const) (degree.get(a) ?? degree.set(a, new Set()).get(a)!).add(b);
    const target = [...payload.nodes].sort((a, b) => b.tvl - a.tvl).find((n) => {
      const d = degree.get(n.id)?.size ?? 0;
      return d >= 8 && d <= 40 && /[a-z]/i.test(n.name) && lower.filter((l) => l.includes(n.name.toLowerCase())).length === 1;
    })!;
    console.log(`searching ${target.name} (${degree.get(target.id)!.size} neighbours)`);
    await h.page.click(`#${id} [data-dx=search]`);
    await h.page.keyboard.type(target.name);
    await shot(id, 'zoomed');
    if (h.errors.length) console.error(h.errors);
  } finally {
    await h.close();
  }
}

void main();
