/**
 * The exposure graph at the size of a real week (thousands of protocols): it opens on
 * the sector overview, whose sectors and summed exposures are checked against a sum
 * done here; a click expands a sector into exactly its protocols, zoomed to fit; the
 * protocols fill the canvas; edges stay thin on screen at any zoom and fade with
 * their rank among the edges shown (inside an expanded sector, among its own); the largest protocols by TVL carry labels; search, category and
 * minimum-exposure filters zoom to fit what they keep, and clearing the search zooms
 * back out; "Hide filtered out" hides instead of dimming.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { graphView } from '../../src/core/display/graph-view';
import { type GraphEdge, type GraphPayload } from '../../src/core/display/protocol';
import { MIME } from '../../src/core/display/views';
import { parseRgb } from '../../webview/colors';
import { syntheticSnapshot } from '../fixtures/views/synthetic-snapshot';
import { openHarness, render, type Harness } from './harness';

// Mirrors webview/graph.ts (the renderer bundle is tested as shipped, not imported).
const SECTOR_VIEW_ABOVE = 3000;
const LABELLED_TOP = 12;
const MAX_EDGE_PX = 2.5;

let h: Harness;
let page: Page;
let big: GraphPayload;
let mid: GraphPayload;

before(async () => {
  // A full-scale-like week (heavy-tailed TVL, preferential attachment), and a ~240-node one.
  big = graphView(syntheticSnapshot({ nodes: 4000, edges: 16000, seed: 5, week: '2025-03-10' })).payload;
  mid = graphView(syntheticSnapshot({ nodes: 240, edges: 900, seed: 3, week: '2025-03-10' })).payload;
  h = await openHarness({ theme: 'light' });
  page = h.page;
});
beforeEach(async () => {
  await page.evaluate(() => (window as unknown as { dx: { clear(): void } }).dx.clear());
});
after(async () => {
  assert.deepEqual(h.errors, [], 'no page errors, console errors or network requests');
  await h.close();
});

const sel = (id: string, s: string) => `#${id} ${s}`;
const text = (s: string) => page.$eval(s, (e) => e.textContent ?? '');

interface Shown { id: string; x: number; y: number; size: number; hidden: boolean; forceLabel: boolean; label: string | null; color: string }
interface Probe { nodes: Shown[]; edges: { size: number; screen: number; color: string; weight: number; hidden: boolean }[]; camera: { x: number; y: number; ratio: number }; width: number; height: number; mode: string }

/** Everything the canvas shows, read from sigma (display data after the view's reducers). */
function probe(id: string): Promise<Probe> {
  return page.$eval(sel(id, '[data-dx=graph]'), (host) => {
    type D = { x: number; y: number; size: number; hidden: boolean; forceLabel?: boolean; label: string | null; color: string };
    const g = (host as unknown as { dxGraph: { graph: { nodes(): string[]; edges(): string[]; getEdgeAttribute(e: string, k: string): unknown }; cameraState(): { x: number; y: number; ratio: number }; renderer: { getNodeDisplayData(n: string): D; getEdgeDisplayData(e: string): { size: number; color: string; hidden: boolean }; framedGraphToViewport(p: { x: number; y: number }): { x: number; y: number }; scaleSize(s: number): number; getDimensions(): { width: number; height: number } } } }).dxGraph;
    const r = g.renderer;
    return {
      nodes: g.graph.nodes().map((n) => {
        const d = r.getNodeDisplayData(n);
        const p = r.framedGraphToViewport(d);
        return { id: n, x: p.x, y: p.y, size: r.scaleSize(d.size), hidden: Boolean(d.hidden), forceLabel: Boolean(d.forceLabel), label: d.label, color: d.color };
      }),
      edges: g.graph.edges().map((e) => {
        const d = r.getEdgeDisplayData(e);
        return { size: d.size, screen: r.scaleSize(d.size), color: d.color, weight: g.graph.getEdgeAttribute(e, 'weight') as number, hidden: Boolean(d.hidden) };
      }),
      camera: g.cameraState(),
      ...r.getDimensions(),
      mode: host.getAttribute('data-dx-mode') ?? '',
    };
  });
}

async function mounted(payload: GraphPayload): Promise<string> {
  const id = await render(page, MIME.graph, payload);
  await page.waitForSelector(sel(id, '[data-dx=graph][data-dx-state=mounted]'));
  await page.locator(sel(id, '[data-dx=graph]')).scrollIntoViewIfNeeded();
  return id;
}

/** Waits for the camera animation to end (two equal readings 150 ms apart). */
async function settled(id: string): Promise<Probe> {
  let last = '';
  for (let i = 0; i < 40; i++) {
    const c = JSON.stringify(await page.$eval(sel(id, '[data-dx=graph]'), (host) => (host as unknown as { dxGraph: { cameraState(): unknown } }).dxGraph.cameraState()));
    if (c === last) break;
    last = c;
    await page.waitForTimeout(150);
  }
  return probe(id);
}

/** Clicks a sector of the overview where it is drawn, as a user does, and waits for the protocols view. */
async function expandSector(id: string, cat: string): Promise<void> {
  const pos = await page.$eval(sel(id, '[data-dx=graph]'), (host, c) => {
    const p = (host as unknown as { dxGraph: { viewportPosition(id: string): { x: number; y: number } | undefined } }).dxGraph.viewportPosition(`sector:${c}`);
    const r = host.getBoundingClientRect();
    return p && { x: r.left + p.x, y: r.top + p.y };
  }, cat);
  assert.ok(pos, `sector ${cat} is drawn`);
  await page.mouse.click(pos.x, pos.y);
  await page.waitForFunction((s) => document.querySelector(s)!.getAttribute('data-dx-mode') === 'protocols', sel(id, '[data-dx=graph]'));
}

async function setValue(id: string, control: string, value: string, event: 'change' | 'input'): Promise<void> {
  await page.$eval(sel(id, `[data-dx=${control}]`), (e, [v, ev]) => {
    (e as HTMLElement & { value: string }).value = v!;
    e.dispatchEvent(new Event(ev!));
  }, [value, event]);
}

async function setChecked(id: string, control: string, checked: boolean): Promise<void> {
  await page.$eval(sel(id, `[data-dx=${control}]`), (e, v) => {
    (e as HTMLElement & { checked: boolean }).checked = v;
    e.dispatchEvent(new Event('change'));
  }, checked);
}

/** Every node in `ids` lies inside the canvas; and they span most of it in one direction (a fit, not just containment). */
function assertFitted(pr: Probe, ids: Set<string>, what: string): void {
  const shown = pr.nodes.filter((n) => ids.has(n.id) && !n.hidden);
  assert.ok(shown.length > 0, `${what}: nodes shown`);
  for (const n of shown) assert.ok(n.x >= -1 && n.x <= pr.width + 1 && n.y >= -1 && n.y <= pr.height + 1, `${what}: ${n.id} at (${n.x.toFixed(0)}, ${n.y.toFixed(0)}) inside ${pr.width}x${pr.height}`);
  if (shown.length > 1) {
    const xs = shown.map((n) => n.x);
    const ys = shown.map((n) => n.y);
    const fill = Math.max((Math.max(...xs) - Math.min(...xs)) / pr.width, (Math.max(...ys) - Math.min(...ys)) / pr.height);
    assert.ok(fill > 0.6, `${what}: the kept nodes span ${(fill * 100).toFixed(0)}% of the canvas`);
  }
}

const luminance = (c: string) => {
  const [r, g, b] = parseRgb(c)!;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

describe('graph at full scale', () => {
  test('a week above a few thousand protocols opens on the sector overview with exposures summed by sector', async () => {
    assert.ok(big.nodes.length > SECTOR_VIEW_ABOVE);
    const id = await mounted(big);
    const pr = await probe(id);
    assert.equal(pr.mode, 'sectors');
    const cats = new Set(big.nodes.map((n) => n.category));
    assert.equal(pr.nodes.length, cats.size, 'one node per category');
    assert.ok(pr.nodes.every((n) => n.forceLabel && cats.has(n.label ?? '')), 'every sector is labelled with its category');
    // Summed exposure between categories, computed here from the protocol-level edges.
    const catOf = new Map(big.nodes.map((n) => [n.id, n.category]));
    const sums = new Map<string, number>();
    for (const e of big.edges) {
      const a = catOf.get(e.source)!;
      const b = catOf.get(e.target)!;
      if (a !== b) sums.set(`${a}->${b}`, (sums.get(`${a}->${b}`) ?? 0) + e.weight);
    }
    const got = await page.$eval(sel(id, '[data-dx=graph]'), (host) => {
      const gr = (host as unknown as { dxGraph: { graph: { mapEdges<T>(f: (e: string, a: Record<string, unknown>, s: string, t: string) => T): T[] } } }).dxGraph.graph;
      return gr.mapEdges((_e, a, s, t) => [`${s.slice(7)}->${t.slice(7)}`, a.weight as number] as const);
    });
    assert.equal(got.length, sums.size, 'one link per ordered pair of sectors with exposure between them');
    for (const [k, w] of got) assert.ok(Math.abs(w - sums.get(k)!) <= 1e-6 * sums.get(k)!, `${k}: ${w} vs ${sums.get(k)}`);
    assert.match(await text(sel(id, '[data-dx=counts]')), new RegExp(`^${cats.size} sectors \\(categories\\) of ${big.nodes.length.toLocaleString('en-US')} protocols`));
  });

  test('clicking a sector expands it into all of its protocols, the rest hidden, zoomed to fit', async () => {
    const id = await mounted(big);
    const cat = big.categories[2]!;
    await expandSector(id, cat);
    const pr = await settled(id);
    const members = new Set(big.nodes.filter((n) => n.category === cat).map((n) => n.id));
    const visible = pr.nodes.filter((n) => !n.hidden).map((n) => n.id);
    assert.deepEqual(new Set(visible), members, `exactly the ${members.size} protocols of ${cat} are shown`);
    assert.equal(await page.$eval(sel(id, '[data-dx=category]'), (e) => (e as HTMLElement & { value: string }).value), cat);
    assertFitted(pr, members, 'expanded sector');
    assert.ok(pr.edges.filter((e) => !e.hidden).length > 0, 'exposures inside the sector show');
  });

  test('inside an expanded sector, edges are shaded by rank among those shown: its heaviest reads as strong as the week\'s, capped and fading by weight', async () => {
    // A sector of small protocols, as Bridge is in a real week: every exposure inside it
    // is light among the week's, so ranked among the week's they would all be faint.
    const cat = 'Bridge';
    const catOf = new Map(big.nodes.map((n) => [n.id, n.category]));
    const inside = (e: GraphEdge) => catOf.get(e.source) === cat && catOf.get(e.target) === cat;
    const payload: GraphPayload = { ...big, edges: big.edges.map((e) => (inside(e) ? { ...e, weight: e.weight / 1000 } : e)) };
    const internal = payload.edges.filter(inside);
    const heaviestInside = Math.max(...internal.map((e) => e.weight));
    const heavierInWeek = payload.edges.filter((e) => e.weight > heaviestInside).length;
    assert.ok(internal.length >= 100 && heavierInWeek >= 1000, `${internal.length} exposures inside ${cat}, ${heavierInWeek} heavier in the week`);
    const id = await mounted(payload);
    // The week's heaviest exposure, as the whole week draws it.
    await setValue(id, 'mode', 'protocols', 'change');
    await setChecked(id, 'show-all', true);
    let pr = await settled(id);
    const weekTop = pr.edges.reduce((a, b) => (b.weight > a.weight ? b : a));
    await setValue(id, 'mode', 'sectors', 'change');
    await settled(id);
    await expandSector(id, cat);
    pr = await settled(id);
    const shown = pr.edges.filter((e) => !e.hidden).sort((a, b) => a.weight - b.weight);
    assert.equal(shown.length, internal.length, `exactly the ${internal.length} exposures inside ${cat} show`);
    const top = shown.at(-1)!;
    assert.equal(top.color, weekTop.color, `the sector's heaviest exposure is drawn as strong as the week's heaviest (${top.color} vs ${weekTop.color})`);
    assert.equal(top.size, weekTop.size);
    assert.ok(Math.max(...shown.map((e) => e.screen)) <= MAX_EDGE_PX + 1e-9, 'the width cap holds');
    // Faded by weight among themselves: heavier is never lighter, and the lightest are faint.
    for (let i = 1; i < shown.length; i++) assert.ok(luminance(shown[i]!.color) <= luminance(shown[i - 1]!.color) + 1e-9, `${shown[i]!.weight} drawn lighter than ${shown[i - 1]!.weight}`);
    assert.ok(luminance(shown[0]!.color) - luminance(top.color) > 60, `lightest ${shown[0]!.color}, heaviest ${top.color}`);
  });

  test('edges are capped on screen at any zoom and fade with their weight; the largest protocols are labelled', async () => {
    const id = await mounted(big);
    await setValue(id, 'mode', 'protocols', 'change');
    await setChecked(id, 'show-all', true);
    let pr = await settled(id);
    assert.equal(pr.nodes.filter((n) => !n.hidden).length, big.nodes.length);
    const top = [...big.nodes].sort((a, b) => b.tvl - a.tvl).slice(0, LABELLED_TOP).map((n) => n.id);
    const forced = pr.nodes.filter((n) => n.forceLabel).map((n) => n.id);
    assert.deepEqual(new Set(forced), new Set(top), `the ${LABELLED_TOP} largest protocols by TVL carry labels`);
    // Faded by weight: the heaviest edge is drawn darker (on the light theme) than the lightest.
    const sorted = [...pr.edges].sort((a, b) => a.weight - b.weight);
    assert.ok(luminance(sorted[0]!.color) - luminance(sorted.at(-1)!.color) > 60, `lightest edge ${sorted[0]!.color}, heaviest ${sorted.at(-1)!.color}`);
    const widest = () => Math.max(...pr.edges.map((e) => e.screen));
    assert.ok(widest() <= MAX_EDGE_PX + 1e-9, `widest edge ${widest()} px`);
    // Zoom far in: sigma's default would widen edges by 1/sqrt(ratio) (4.5x here).
    await page.$eval(sel(id, '[data-dx=graph]'), (host) => (host as unknown as { dxGraph: { renderer: { getCamera(): { setState(s: unknown): void } } } }).dxGraph.renderer.getCamera().setState({ ratio: 0.05 }));
    pr = await probe(id);
    assert.equal(pr.camera.ratio, 0.05);
    assert.ok(widest() <= MAX_EDGE_PX + 1e-9, `zoomed in, the widest edge is ${widest()} px`);
  });

  test('search, category and minimum exposure zoom to fit what they keep; clearing the search zooms back out', async () => {
    const id = await mounted(big);
    await setValue(id, 'mode', 'protocols', 'change');
    await setChecked(id, 'show-all', true);
    await settled(id);
    // "rotocol 12" matches Protocol 12, 120..129 and 1200..1299 (none by its whole name,
    // which would select that one): spread out, but fewer than all.
    await setValue(id, 'search', 'rotocol 12', 'input');
    let pr = await settled(id);
    const matching = new Set(big.nodes.filter((n) => n.name.toLowerCase().includes('rotocol 12')).map((n) => n.id));
    assert.match(await text(sel(id, '[data-dx=status]')), new RegExp(`^${matching.size} matches`));
    assertFitted(pr, matching, 'search');
    const searchRatio = pr.camera.ratio;
    assert.ok(searchRatio <= 1);
    await setValue(id, 'search', '', 'input');
    pr = await settled(id);
    assert.deepEqual([pr.camera.x, pr.camera.y, pr.camera.ratio], [0.5, 0.5, 1], 'clearing the search resets the zoom');

    const cat = big.categories[4]!;
    await setValue(id, 'category', cat, 'change');
    pr = await settled(id);
    const members = new Set(big.nodes.filter((n) => n.category === cat).map((n) => n.id));
    assertFitted(pr, members, 'category');
    // Dimmed by default, hidden on request.
    const others = pr.nodes.filter((n) => !members.has(n.id));
    assert.ok(others.every((n) => !n.hidden && n.label === ''), 'filtered-out protocols are dimmed, unlabelled');
    await setChecked(id, 'hide-filtered', true);
    pr = await probe(id);
    assert.ok(pr.nodes.filter((n) => !members.has(n.id)).every((n) => n.hidden), 'and hidden with "Hide filtered out"');
    assert.ok(pr.nodes.filter((n) => members.has(n.id)).every((n) => !n.hidden));
    assert.match(await text(sel(id, '[data-dx=counts]')), new RegExp(`^${members.size.toLocaleString('en-US')} of ${big.nodes.length.toLocaleString('en-US')} protocols shown match the filters,`));

    await setValue(id, 'category', '__all__', 'change');
    pr = await settled(id);
    assert.equal(pr.camera.ratio, 1, 'no filter left: the whole graph');
    // The heaviest exposures only: their endpoints fill the view.
    await page.$eval(sel(id, '[data-dx=min-exposure]'), (e) => {
      (e as HTMLInputElement).value = '90';
      e.dispatchEvent(new Event('change'));
    });
    pr = await settled(id);
    const maxW = Math.max(...big.edges.map((e) => e.weight));
    const min = Math.pow(10, 0.9 * Math.log10(maxW));
    const kept = new Set(big.edges.filter((e) => e.weight >= min).flatMap((e) => [e.source, e.target]));
    assert.ok(kept.size > 1 && kept.size < big.nodes.length / 2);
    assert.deepEqual(new Set(pr.nodes.filter((n) => !n.hidden).map((n) => n.id)), kept);
    assertFitted(pr, kept, 'minimum exposure');
  });

  test('rare categories form one "Other" sector, listed once in the legend; a click on it shows exactly their protocols', async () => {
    // Three rare categories (none among the 15 with their own colour) in place of Restaking.
    const RARE = ['Restaking', 'Oracle', 'Insurance'];
    const base = syntheticSnapshot({ nodes: 4000, edges: 16000, seed: 5, week: '2025-03-10' });
    let k = 0;
    const s = { ...base, categories: base.categories.map((c) => (c === 'Restaking' ? RARE[k++ % 3]! : c)) };
    const p = graphView(s).payload;
    const id = await mounted(p);
    const pr = await probe(id);
    const own = new Set(p.categories.filter((c) => !RARE.includes(c)));
    assert.deepEqual(new Set(pr.nodes.map((n) => n.label)), new Set([...own, 'Other (3 categories)']), 'the frequent categories and Unknown as themselves, the rare ones as one sector');
    const legend = await page.$$eval(sel(id, '[data-dx=legend] [data-dx-category]'), (items) => items.map((i) => [i.getAttribute('data-dx-category'), i.textContent, i.getAttribute('title')]));
    const other = legend.filter(([c]) => c === 'Other');
    assert.equal(other.length, 1, 'one legend entry for the rare categories');
    assert.equal(other[0]![1], 'Other (3)');
    for (const r of RARE) assert.ok(other[0]![2]!.includes(r), `the Other entry names ${r} on hover`);
    assert.ok(legend.every(([c]) => !RARE.includes(c!)), 'no rare category listed on its own');
    const pos = await page.$eval(sel(id, '[data-dx=graph]'), (host) => {
      const q = (host as unknown as { dxGraph: { viewportPosition(id: string): { x: number; y: number } | undefined } }).dxGraph.viewportPosition('sector:Other');
      const r = host.getBoundingClientRect();
      return q && { x: r.left + q.x, y: r.top + q.y };
    });
    assert.ok(pos);
    await page.mouse.click(pos.x, pos.y);
    await page.waitForFunction((q) => document.querySelector(q)!.getAttribute('data-dx-mode') === 'protocols', sel(id, '[data-dx=graph]'));
    const after = await settled(id);
    const members = new Set(p.nodes.filter((n) => RARE.includes(n.category)).map((n) => n.id));
    assert.deepEqual(new Set(after.nodes.filter((n) => !n.hidden).map((n) => n.id)), members);
    assert.equal(await page.$eval(sel(id, '[data-dx=tooltip]'), (t) => (t as HTMLElement).style.display), 'none', 'the clicked sector\'s tooltip is gone with it');
  });

  test('labels never overlap: a hub\'s selection names it and its largest neighbours, each clear of the others', async () => {
    const id = await mounted(big);
    await setValue(id, 'mode', 'protocols', 'change');
    await setChecked(id, 'show-all', true);
    const degree = new Map<string, number>();
    for (const e of big.edges) for (const n of [e.source, e.target]) degree.set(n, (degree.get(n) ?? 0) + 1);
    const hub = [...degree.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const name = big.nodes.find((n) => n.id === hub)!.name;
    await setValue(id, 'search', name, 'input');
    await settled(id);
    await page.waitForTimeout(300);
    const placed = await page.$eval(sel(id, '[data-dx=graph]'), (host) => (host as unknown as { dxGraph: { placedLabels: { key: string; box: { x0: number; y0: number; x1: number; y1: number } }[] } }).dxGraph.placedLabels);
    assert.ok(placed.some((l) => l.key === hub), 'the selection is labelled');
    assert.ok(placed.length >= 8, `${placed.length} labels drawn`);
    for (const a of placed) for (const b of placed) {
      if (a === b) continue;
      assert.ok(!(a.box.x0 < b.box.x1 && b.box.x0 < a.box.x1 && a.box.y0 < b.box.y1 && b.box.y0 < a.box.y1), `${a.key} and ${b.key} overlap`);
    }
  });

  test('a ~240-protocol week fills the canvas', async () => {
    const id = await mounted(mid);
    assert.equal(mid.nodes.length, 240);
    const pr = await settled(id);
    assert.equal(pr.mode, 'protocols');
    const shown = pr.nodes.filter((n) => !n.hidden);
    const w = (Math.max(...shown.map((n) => n.x + n.size)) - Math.min(...shown.map((n) => n.x - n.size))) / pr.width;
    const hgt = (Math.max(...shown.map((n) => n.y + n.size)) - Math.min(...shown.map((n) => n.y - n.size))) / pr.height;
    assert.ok(w > 0.85 && hgt > 0.8, `the layout spans ${(w * 100).toFixed(0)}% of the width and ${(hgt * 100).toFixed(0)}% of the height`);
  });
});
