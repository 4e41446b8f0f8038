/**
 * The renderer (dist/renderer.js) in headless Chromium on a fake notebook context:
 * every MIME type from builder-made fixtures, the interactions (sort, copy, search,
 * filter, click, show-all, slider -> whatIf message -> reply updates in place,
 * no-kernel messages), untrusted names never becoming HTML, a strict CSP with no
 * violations, no network, WebGL views mounted only while visible, and the wheel
 * captured only after a click.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { type StressPayload } from '../../src/core/display/protocol';
import { MIME } from '../../src/core/display/views';
import { plotlyText } from '../../src/core/display/plotly-text';
import { answerWhatIf } from '../../src/core/display/what-if';
import { chartPayloadFixture, graphPayloadFixture, graphWithPredictedFixture, HOSTILE_NAME, sparklinesPayloadFixture, stressComparisonFixture, stressPayloadFixture, summaryPayloadFixture, tablePayloadFixture } from '../fixtures/views/payloads';
import { cspViolations, messages, render, reply, setTheme, useHarness, type Harness } from './harness';

let h: Harness;
let page: Page;

useHarness(
  { theme: 'light' },
  async (x) => {
    h = x;
    page = x.page;
    await h.browser.contexts()[0]!.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.url });
  },
  async () => assert.deepEqual(await cspViolations(page), [], 'no CSP violations'),
);

const sel = (id: string, s: string) => `#${id} ${s}`;
const text = (s: string) => page.$eval(s, (e) => e.textContent ?? '');

/** Clicks a view's save button and returns the saveImage message it posts. */
async function savedImage(selector: string): Promise<{ type: string; format: string; dataUrl: string; suggestedName: string }> {
  const n = (await messages(page)).length;
  await page.click(selector);
  await page.waitForFunction((k) => (window as unknown as { dx: { messages: unknown[] } }).dx.messages.length > k, n);
  return (await messages(page)).at(-1) as { type: string; format: string; dataUrl: string; suggestedName: string };
}

async function noInjectedHtml(id: string): Promise<void> {
  assert.equal(await page.$$eval(`#${id} img, #${id} b`, (es) => es.length), 0, 'untrusted strings never become elements');
}

describe('key figures', () => {
  test('one figure per item, formatted by kind, n/a when undefined, the definition on hover, names as text', async () => {
    const id = await render(page, MIME.summary, summaryPayloadFixture());
    assert.equal(await text(sel(id, '.dx-title')), 'Week 2024-03-04 (observed): network measures');
    const values = await page.$$eval(sel(id, '[data-dx=figure-value]'), (es) => es.map((e) => e.textContent));
    assert.deepEqual(values, ['5,712', '$84.20B', '61.3%', '0.0123', 'n/a']);
    const labels = await page.$$eval(sel(id, '.dx-figure-label'), (es) => es.map((e) => e.textContent));
    assert.deepEqual(labels, ['protocols', 'total TVL', 'TVL top-10 share', HOSTILE_NAME, 'mean SIS']);
    assert.equal(await page.$eval(sel(id, '.dx-figure:nth-child(3)'), (e) => e.getAttribute('title')), 'share of TVL held by the 10 largest protocols');
    assert.equal(await page.$eval(sel(id, '.dx-figure:nth-child(2)'), (e) => e.getAttribute('aria-label')), 'total TVL: $84.20B');
    await noInjectedHtml(id);
    if (process.env.DX_SHOTS) await (await page.$(`#${id}`))!.screenshot({ path: process.env.DX_SHOTS });
  });
});

describe('sparklines', () => {
  test('a row per series with its line, last value, change, low and high; gaps split the line; hover names a week; headers sort', async () => {
    const id = await render(page, MIME.sparklines, sparklinesPayloadFixture());
    assert.equal(await text(sel(id, '.dx-title')), 'TVL, five weeks');
    const rows = () => page.$$eval(sel(id, 'tbody tr'), (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    // Hand-computed: Aave 10 -> 15 ($B) is +50%; Lido 30 -> 24 is -20%; flat 0%; the hostile name 1 -> 16 ($M) is +1,500%.
    assert.deepEqual(await rows(), [
      ['Aave V3', '', '$10.00B', '$15.00B', '+50.0%', '$9.00B', '$15.00B'],
      ['Lido', '', '$30.00B', '$24.00B', '-20.0%', '$24.00B', '$30.00B'],
      ['flat', '', '$5.00M', '$5.00M', '0.0%', '$5.00M', '$5.00M'],
      [HOSTILE_NAME, '', '$1.00M', '$16.00M', '+1,500.0%', '$1.00M', '$16.00M'],
    ]);
    // Lido's missing second week splits its line: a lone first point (a dot) and a run of three.
    const shapes = await page.$$eval(sel(id, 'svg[data-dx=sparkline]'), (ss) => ss.map((s) => [s.querySelectorAll('polyline').length, s.querySelectorAll('circle').length]));
    assert.deepEqual(shapes, [[1, 1], [1, 2], [1, 1], [1, 1]], 'one line each (Lido: a line and a lone dot), plus the last-point dot');
    // The rising series ends at the top of its box, the falling one at the bottom.
    const lastY = await page.$$eval(sel(id, '[data-dx=sparkline-last]'), (cs) => cs.map((c) => Number(c.getAttribute('cy'))));
    assert.ok(lastY[0] < 5 && lastY[1] > 25 && lastY[2] === 15, `last points at top, bottom, middle: ${lastY}`);
    // Hover the right end of Aave's line: the last week and its value.
    const box = (await (await page.$(sel(id, 'tbody tr:first-child svg')))!.boundingBox())!;
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
    assert.equal(await text(sel(id, '[data-dx=sparkline-hover]')), 'Aave V3, 2024-03-04: $15.00B');
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    assert.equal(await text(sel(id, '[data-dx=sparkline-hover]')), 'Aave V3, 2024-02-05: $10.00B');
    // Sort by change: largest first, then smallest first, then the given order.
    const change = sel(id, 'thead th:nth-child(5)');
    const order = async () => (await rows()).map((r) => r[0]);
    await page.click(change);
    assert.deepEqual(await order(), [HOSTILE_NAME, 'Aave V3', 'flat', 'Lido']);
    await page.click(change);
    assert.deepEqual(await order(), ['Lido', 'flat', 'Aave V3', HOSTILE_NAME]);
    await page.click(change);
    assert.deepEqual(await order(), ['Aave V3', 'Lido', 'flat', HOSTILE_NAME]);
    await noInjectedHtml(id);
    if (process.env.DX_SHOTS) await (await page.$(`#${id}`))!.screenshot({ path: process.env.DX_SHOTS });
  });
});

describe('table', () => {
  test('renders typed, formatted cells and escapes untrusted text', async () => {
    const id = await render(page, MIME.table, tablePayloadFixture());
    const cells = await page.$$eval(sel(id, 'tbody tr:first-child td'), (tds) => tds.map((t) => t.textContent));
    assert.deepEqual(cells, ['Aave V3', 'Lending', '$12.30B', '1', '12.5%', 'yes', '2024-03-04']);
    const names = await page.$$eval(sel(id, 'tbody tr td:first-child'), (tds) => tds.map((t) => t.textContent));
    assert.ok(names.includes(HOSTILE_NAME));
    await noInjectedHtml(id);
    assert.equal(await page.$$eval(sel(id, 'td.dx-num'), (t) => t.length), 12, 'three numeric columns right-aligned');
  });

  test('sorts by a column: ascending, descending, original', async () => {
    const id = await render(page, MIME.table, tablePayloadFixture());
    const first = () => page.$$eval(sel(id, 'tbody tr td:first-child'), (tds) => tds.map((t) => t.textContent));
    const tvlHeader = sel(id, 'thead th:nth-child(3)');
    await page.click(tvlHeader);
    assert.deepEqual(await first(), ['Tiny, "quoted"', HOSTILE_NAME, 'Aave V3', 'Lido']);
    assert.equal(await page.$eval(tvlHeader, (e) => e.getAttribute('aria-sort')), 'ascending');
    await page.click(tvlHeader);
    assert.deepEqual(await first(), ['Lido', 'Aave V3', HOSTILE_NAME, 'Tiny, "quoted"']);
    // missing values sort last in both directions' neighbour column
    await page.click(tvlHeader);
    assert.deepEqual(await first(), ['Aave V3', HOSTILE_NAME, 'Lido', 'Tiny, "quoted"']);
  });

  test('copies CSV with RFC 4180 quoting and Markdown with escaped cells', async () => {
    const id = await render(page, MIME.table, tablePayloadFixture());
    await page.click(sel(id, '[data-dx=copy-csv]'));
    await page.waitForFunction((s) => document.querySelector(s)?.textContent?.startsWith('Copied'), sel(id, '[data-dx=status]'));
    const csv = await page.evaluate(() => navigator.clipboard.readText());
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'protocol,category,tvl,sisRank,lossPct,listed,week');
    assert.equal(lines[1], 'Aave V3,Lending,12300000000,1,12.5,true,2024-03-04');
    assert.equal(lines[4], '"Tiny, ""quoted""",Dexs,999,,,false,2024-03-04');
    await page.click(sel(id, '[data-dx=copy-md]'));
    await page.waitForFunction((s) => document.querySelector(s)?.textContent?.includes('Markdown'), sel(id, '[data-dx=status]'));
    const md = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(md, /^\| protocol \| category \| TVL \| SIS rank \| loss \|/, 'headers are labels, not field names');
    assert.ok(md.includes('&lt;img src=x onerror=alert(1)&gt;'));
  });

  test('save PNG posts a saveImage message with a PNG data URL', async () => {
    const id = await render(page, MIME.table, tablePayloadFixture());
    const m = await savedImage(sel(id, '[data-dx=save-png]'));
    assert.equal(m.type, 'saveImage');
    assert.equal(m.format, 'png');
    assert.ok(m.dataUrl.startsWith('data:image/png;base64,'));
    assert.equal(m.suggestedName, 'Protocols.png');
  });

  test('without messaging, save buttons are disabled and say why', async () => {
    const id = await render(page, MIME.table, tablePayloadFixture(), { messaging: false });
    assert.equal(await page.$eval(sel(id, '[data-dx=save-svg]'), (e) => e.hasAttribute('disabled')), true);
    assert.match(await page.$eval(sel(id, '[data-dx=save-svg]'), (e) => (e as HTMLElement).title), /needs VS Code/);
  });
});

describe('payload checks', () => {
  test('a newer protocol version says so', async () => {
    const id = await render(page, MIME.table, { ...tablePayloadFixture(), version: 99 });
    assert.match(await text(sel(id, '.dx-notice-error')), /newer DeXposure \(display protocol 99/);
  });
  test('a malformed payload names the path of the problem', async () => {
    const g = graphPayloadFixture();
    const bad = { ...g, nodes: g.nodes.map((n, i) => (i === 3 ? { ...n, tvl: 'lots' } : n)) };
    const id = await render(page, MIME.graph, bad);
    assert.match(await text(sel(id, '.dx-notice-error')), /nodes\[3\]\.tvl: expected a finite number, got "lots"/);
  });
});

describe('chart', () => {
  test('a title with escaped characters reads as typed above the plot (no entities, no markup)', async () => {
    const p = chartPayloadFixture();
    p.layout = { ...p.layout, title: { text: plotlyText('Alerts when |z| > 2 & <b>Lido</b>') } };
    const id = await render(page, MIME.chart, p);
    await page.waitForSelector(sel(id, '.main-svg'));
    assert.equal(await text(sel(id, '[data-dx=chart-title]')), 'Alerts when |z| > 2 & <b>Lido</b>');
    assert.equal(await page.$$eval(sel(id, '[data-dx=chart-title] b'), (b) => b.length), 0);
  });

  test('draws the traces themed with the editor colours and re-themes live', async () => {
    const id = await render(page, MIME.chart, chartPayloadFixture());
    await page.waitForSelector(sel(id, '.main-svg'));
    assert.equal(await page.$$eval(sel(id, '.scatterlayer .trace'), (t) => t.length), 2);
    assert.equal(await text(sel(id, '[data-dx=chart-title]')), 'TVL and exposure ($B)', 'the title is text above the plot');
    const tickFill = () => page.$eval(sel(id, '.xtick text'), (e) => getComputedStyle(e).fill);
    assert.equal(await tickFill(), 'rgb(59, 59, 59)');
    await setTheme(page, 'dark');
    await page.waitForFunction((s) => getComputedStyle(document.querySelector(s)!).fill === 'rgb(204, 204, 204)', sel(id, '.xtick text'));
    await setTheme(page, 'light');
    await page.waitForFunction((s) => getComputedStyle(document.querySelector(s)!).fill === 'rgb(59, 59, 59)', sel(id, '.xtick text'));
  });
});

interface GraphHook { dxGraph: { viewportPosition(id: string): { x: number; y: number } | undefined; isMounted: boolean; renderer?: { getCamera(): { ratio: number } } } }

async function clickNode(id: string, node: string): Promise<void> {
  const pos = await page.$eval(sel(id, '[data-dx=graph]'), (host, n) => {
    const p = (host as unknown as GraphHook).dxGraph.viewportPosition(n);
    const r = host.getBoundingClientRect();
    return p && { x: r.left + p.x, y: r.top + p.y };
  }, node);
  assert.ok(pos, `node ${node} is on screen`);
  await page.mouse.click(pos.x, pos.y);
}

describe('graph', () => {
  test('mounts WebGL, shows top-N by default, shows all on request', async () => {
    const p = graphPayloadFixture();
    const id = await render(page, MIME.graph, p);
    await page.waitForSelector(sel(id, '[data-dx=graph][data-dx-state=mounted]'));
    assert.match(await text(sel(id, '[data-dx=counts]')), /^60 of 120 protocols shown \(top 60 by TVL\)/);
    await page.click(sel(id, '[data-dx=show-all]'));
    await page.waitForFunction((s) => document.querySelector(s)!.textContent!.startsWith('120 of 120'), sel(id, '[data-dx=counts]'));
    await noInjectedHtml(id);
    // the hostile category is a rare one: named as text in the filter and in the legend's Other entry
    assert.ok((await page.$$eval(sel(id, '[data-dx=category] vscode-option'), (s) => s.map((x) => x.textContent))).includes('<b>bold</b>'));
    assert.match((await page.$eval(sel(id, '[data-dx=legend] [data-dx-category=Other]'), (e) => e.getAttribute('title'))) ?? '', /<b>bold<\/b>/);
  });

  test('search selects a unique match and lists its exposures', async () => {
    const id = await render(page, MIME.graph, graphPayloadFixture());
    await page.waitForSelector(sel(id, '[data-dx=graph][data-dx-state=mounted]'));
    await page.click(sel(id, '[data-dx=search]'));
    await page.keyboard.type('Protocol 0');
    await page.waitForFunction((s) => document.querySelector(s)!.getAttribute('data-dx-selected') === 'p0', sel(id, '[data-dx=graph]'));
    assert.match(await text(sel(id, '[data-dx=status]')), /^1 match for "Protocol 0"/);
    assert.match(await text(sel(id, '[data-dx=details]')), /Protocol 0.*TVL \$[\d.]+B/);
  });

  test('several matches: the one named exactly is selected, the rest listed to pick from; Enter picks the best', async () => {
    // Four names containing "WBTC" (p0 is the largest by TVL of the fixture).
    const p = graphPayloadFixture();
    const names: Record<string, string> = { p0: 'Wrapped WBTC Vault', p1: 'WBTC', p2: 'WBTC Bridge', p3: 'pWBTC' };
    p.nodes = p.nodes.map((n) => (names[n.id] ? { ...n, name: names[n.id]! } : n));
    const id = await render(page, MIME.graph, p);
    await page.waitForSelector(sel(id, '[data-dx=graph][data-dx-state=mounted]'));
    const selected = () => page.$eval(sel(id, '[data-dx=graph]'), (g) => g.getAttribute('data-dx-selected'));
    await page.click(sel(id, '[data-dx=search]'));
    await page.keyboard.type('wbtc', { delay: 20 });
    await page.waitForFunction((s) => document.querySelector(s)!.getAttribute('data-dx-selected') === 'p1', sel(id, '[data-dx=graph]'));
    assert.match(await text(sel(id, '[data-dx=status]')), /^4 matches for "wbtc"; selected the one named exactly "WBTC"/);
    assert.match(await text(sel(id, '[data-dx=details]')), /^WBTC/);
    // Listed best first: the exact name, names starting with the query, then by TVL.
    const tvl = (nid: string) => p.nodes.find((n) => n.id === nid)!.tvl;
    const byTvl = (a: string, b: string) => tvl(b) - tvl(a);
    const rest = ['p0', 'p3'].sort(byTvl).map((n) => names[n]);
    assert.deepEqual(await page.$$eval(sel(id, '[data-dx=matches] .dx-match'), (b) => b.map((x) => x.textContent)), ['WBTC', 'WBTC Bridge', ...rest]);
    await page.click(sel(id, '[data-dx=matches] [data-dx-node=p3]'));
    assert.equal(await selected(), 'p3', 'a listed match is selected by a click');
    assert.match(await text(sel(id, '[data-dx=details]')), /^pWBTC/);
    // No exact name: nothing is chosen for the user until Enter, which takes the best.
    await page.click(sel(id, '[data-dx=search]'));
    await page.keyboard.press('Control+A');
    await page.keyboard.type('wbt');
    await page.waitForFunction((s) => /^4 matches for "wbt" \(highlighted; Enter selects the first\)/.test(document.querySelector(s)!.textContent ?? ''), sel(id, '[data-dx=status]'));
    assert.equal(await selected(), '');
    await page.keyboard.press('Enter');
    assert.equal(await selected(), ['p1', 'p2'].sort(byTvl)[0], 'the larger of the two names starting with "wbt"');
  });

  test('category filter and minimum exposure hide what they should', async () => {
    const p = graphPayloadFixture();
    const id = await render(page, MIME.graph, p);
    await page.waitForSelector(sel(id, '[data-dx=graph][data-dx-state=mounted]'));
    const cat = p.categories[0]!;
    const expected = p.nodes.slice(0, 60).filter((n) => n.category === cat).length;
    await page.$eval(sel(id, '[data-dx=category]'), (e, c) => {
      (e as HTMLElement & { value: string }).value = c;
      e.dispatchEvent(new Event('change'));
    }, cat);
    assert.match(await text(sel(id, '[data-dx=counts]')), new RegExp(`^${expected} of 120 protocols shown`));
    await page.$eval(sel(id, '[data-dx=min-exposure]'), (e) => {
      (e as HTMLInputElement).value = '100';
      e.dispatchEvent(new Event('input'));
      e.dispatchEvent(new Event('change'));
    });
    const maxW = Math.max(...p.edges.map((e) => e.weight));
    assert.match(await text(sel(id, '[data-dx=min-label]')), /^≥ \$/);
    const hiddenEdges = await page.$eval(sel(id, '[data-dx=graph]'), (host) => {
      const g = (host as unknown as { dxGraph: { graph: { edges(): string[] }; renderer: { getEdgeDisplayData(e: string): { hidden: boolean } } } }).dxGraph;
      return g.graph.edges().filter((e) => g.renderer.getEdgeDisplayData(e).hidden).length;
    });
    const shownEdges = (await page.$eval(sel(id, '[data-dx=graph]'), (host) => (host as unknown as { dxGraph: { graph: { size: number } } }).dxGraph.graph.size)) - hiddenEdges;
    assert.ok(shownEdges <= 1, `at the maximum threshold (${maxW}) at most the heaviest edge shows, got ${shownEdges}`);
  });

  test('click selects a node and its neighbours; clicking the stage clears', async () => {
    const p = graphPayloadFixture();
    const id = await render(page, MIME.graph, p);
    await page.waitForSelector(sel(id, '[data-dx=graph][data-dx-state=mounted]'));
    await page.locator(sel(id, '[data-dx=graph]')).scrollIntoViewIfNeeded();
    await clickNode(id, 'p0');
    await page.waitForFunction((s) => document.querySelector(s)!.getAttribute('data-dx-selected') === 'p0', sel(id, '[data-dx=graph]'));
    const neighbours = new Set(p.edges.filter((e) => e.source === 'p0' || e.target === 'p0').map((e) => (e.source === 'p0' ? e.target : e.source)));
    assert.match(await text(sel(id, '[data-dx=details]')), new RegExp(`${neighbours.size} neighbours`));
    const box = (await page.$(sel(id, '[data-dx=graph]')))!;
    const b = (await box.boundingBox())!;
    await page.waitForTimeout(600); // past sigma's double-click window
    await page.mouse.click(b.x + 4, b.y + 4);
    await page.waitForFunction((s) => document.querySelector(s)!.getAttribute('data-dx-selected') === '', sel(id, '[data-dx=graph]'));
  });

  test('hover shows name, category, TVL and top exposures as text', async () => {
    const id = await render(page, MIME.graph, graphPayloadFixture());
    await page.waitForSelector(sel(id, '[data-dx=graph][data-dx-state=mounted]'));
    await page.locator(sel(id, '[data-dx=graph]')).scrollIntoViewIfNeeded();
    const pos = await page.$eval(sel(id, '[data-dx=graph]'), (host) => {
      const p = (host as unknown as GraphHook).dxGraph.viewportPosition('p1')!;
      const r = host.getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    });
    await page.mouse.move(pos.x, pos.y);
    await page.waitForFunction((s) => (document.querySelector(s) as HTMLElement).style.display !== 'none', sel(id, '[data-dx=tooltip]'));
    assert.ok((await text(sel(id, '[data-dx=tooltip]'))).startsWith(HOSTILE_NAME));
    await noInjectedHtml(id);
  });

  test('save SVG posts the visible graph as SVG, names escaped', async () => {
    const id = await render(page, MIME.graph, graphPayloadFixture());
    await page.waitForSelector(sel(id, '[data-dx=graph][data-dx-state=mounted]'));
    const m = await savedImage(sel(id, '[data-dx=save-svg]'));
    assert.equal(m.format, 'svg');
    assert.equal(m.suggestedName, 'exposure-graph-2024-03-04.svg');
    const svg = decodeURIComponent(m.dataUrl.slice(m.dataUrl.indexOf(',') + 1));
    assert.equal((svg.match(/<circle /g) ?? []).length, 60, 'one circle per shown protocol');
    assert.ok(!svg.includes('<img'), 'names are XML-escaped');
  });

  test('predicted edges can be toggled off', async () => {
    const p = graphWithPredictedFixture();
    const id = await render(page, MIME.graph, p);
    await page.waitForSelector(sel(id, '[data-dx=graph][data-dx-state=mounted]'));
    const visiblePredicted = () => page.$eval(sel(id, '[data-dx=graph]'), (host) => {
      const g = (host as unknown as { dxGraph: { graph: { edges(): string[]; getEdgeAttribute(e: string, k: string): unknown }; renderer: { getEdgeDisplayData(e: string): { hidden: boolean } } } }).dxGraph;
      return g.graph.edges().filter((e) => g.graph.getEdgeAttribute(e, 'kind') === 'predicted' && !g.renderer.getEdgeDisplayData(e).hidden).length;
    });
    assert.ok((await visiblePredicted()) > 0);
    await page.click(sel(id, '[data-dx=predicted]'));
    await page.waitForFunction(() => true);
    assert.equal(await visiblePredicted(), 0);
  });

  test('predicted edges are drawn dashed on the canvas and in SVG; observed stay solid', async () => {
    const p = graphWithPredictedFixture();
    const id = await render(page, MIME.graph, p);
    await page.waitForSelector(sel(id, '[data-dx=graph][data-dx-state=mounted]'));
    const types = await page.$eval(sel(id, '[data-dx=graph]'), (host) => {
      const g = (host as unknown as { dxGraph: { graph: { edges(): string[]; getEdgeAttributes(e: string): { kind: string; type?: string } } } }).dxGraph;
      const out: Record<string, string[]> = {};
      for (const e of g.graph.edges()) {
        const a = g.graph.getEdgeAttributes(e);
        (out[a.kind] ??= []).push(a.type ?? 'default');
      }
      return { predicted: [...new Set(out.predicted)], observed: [...new Set(out.observed)] };
    });
    assert.deepEqual(types, { predicted: ['dashed'], observed: ['default'] });

    // Pixels along the middle of the longest visible edge of one kind, on sigma's edge
    // layer (read in the same task as a synchronous render): the fraction of samples
    // that are background, and how often the line switches between edge and background.
    const profile = async (kind: 'predicted' | 'observed') => page.$eval(sel(id, '[data-dx=graph]'), (host, k) => {
      type S = { refresh(): void; getCanvases(): Record<string, HTMLCanvasElement>; getNodeDisplayData(n: string): { x: number; y: number; hidden?: boolean } | undefined; getEdgeDisplayData(e: string): { hidden: boolean } | undefined; framedGraphToViewport(p: { x: number; y: number }): { x: number; y: number } };
      const g = (host as unknown as { dxGraph: { renderer: S; graph: { forEachEdge(fn: (e: string, a: { kind: string }, s: string, t: string) => void): void } } }).dxGraph;
      const s = g.renderer;
      let best: { a: { x: number; y: number }; b: { x: number; y: number } } | undefined;
      let bestLen = 0;
      g.graph.forEachEdge((e, a, src, dst) => {
        if (a.kind !== k || s.getEdgeDisplayData(e)?.hidden) return;
        const A = s.getNodeDisplayData(src);
        const B = s.getNodeDisplayData(dst);
        if (!A || !B || A.hidden || B.hidden) return;
        const pa = s.framedGraphToViewport(A);
        const pb = s.framedGraphToViewport(B);
        const len = Math.hypot(pb.x - pa.x, pb.y - pa.y);
        if (len > bestLen) {
          bestLen = len;
          best = { a: pa, b: pb };
        }
      });
      if (!best) return undefined;
      s.refresh();
      const layer = s.getCanvases().edges!;
      const c = document.createElement('canvas');
      c.width = layer.width;
      c.height = layer.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(layer, 0, 0);
      const ratio = layer.width / layer.clientWidth;
      const on: boolean[] = [];
      const nx = -(best.b.y - best.a.y) / bestLen;
      const ny = (best.b.x - best.a.x) / bestLen;
      for (let i = 0; i <= 200; i++) {
        const t = 0.15 + (0.55 * i) / 200; // clear of the source node and the arrow head
        const x = best.a.x + (best.b.x - best.a.x) * t;
        const y = best.a.y + (best.b.y - best.a.y) * t;
        // Across the line too (±1 px): a thin anti-aliased line is drawn if any of the three is.
        let a = 0;
        for (const d of [-1, 0, 1]) a = Math.max(a, ctx.getImageData(Math.round((x + d * nx) * ratio), Math.round((y + d * ny) * ratio), 1, 1).data[3]!);
        on.push(a > 96);
      }
      let switches = 0;
      for (let i = 1; i < on.length; i++) if (on[i] !== on[i - 1]) switches++;
      return { lengthPx: bestLen, gapShare: on.filter((v) => !v).length / on.length, switches };
    }, kind);

    // Only one kind drawn at a time, so no other edge fills the gaps.
    await page.click(sel(id, '[data-dx=observed]'));
    const dashed = await profile('predicted');
    assert.ok(dashed && dashed.lengthPx > 100, 'a long predicted edge on screen');
    // 6 px dashes, 4 px gaps: about 40% background, a switch every few pixels.
    assert.ok(dashed.gapShare > 0.2 && dashed.gapShare < 0.6, `predicted: gaps ${dashed.gapShare}`);
    assert.ok(dashed.switches >= 10, `predicted: ${dashed.switches} switches`);
    await page.click(sel(id, '[data-dx=observed]'));
    await page.click(sel(id, '[data-dx=predicted]'));
    const solid = await profile('observed');
    assert.ok(solid && solid.lengthPx > 100);
    assert.ok(solid.gapShare < 0.05 && solid.switches <= 2, `observed: solid (gaps ${solid.gapShare}, ${solid.switches} switches)`);
    await page.click(sel(id, '[data-dx=predicted]'));

    // SVG export: predicted lines carry the dash pattern, observed ones none.
    const m = await savedImage(sel(id, '[data-dx=save-svg]'));
    const svg = decodeURIComponent(m.dataUrl.slice(m.dataUrl.indexOf(',') + 1));
    const lines = svg.match(/<line [^>]*\/>/g) ?? [];
    const dashedLines = lines.filter((l) => l.includes('stroke-dasharray="6 4"')).length;
    const shown = await page.$eval(sel(id, '[data-dx=graph]'), (host) => {
      const g = (host as unknown as { dxGraph: { graph: { edges(): string[]; getEdgeAttribute(e: string, k: string): unknown }; renderer: { getEdgeDisplayData(e: string): { hidden: boolean } } } }).dxGraph;
      const vis = g.graph.edges().filter((e) => !g.renderer.getEdgeDisplayData(e).hidden);
      return { predicted: vis.filter((e) => g.graph.getEdgeAttribute(e, 'kind') === 'predicted').length, all: vis.length };
    });
    assert.ok(shown.predicted > 0);
    assert.equal(dashedLines, shown.predicted, 'one dashed line per predicted edge');
    assert.equal(lines.length, shown.all, 'one line per visible edge');
  });

  test('the wheel zooms only after a click; before that the page scrolls', async () => {
    const id = await render(page, MIME.graph, graphPayloadFixture());
    await page.evaluate(() => document.getElementById('outputs')!.appendChild(Object.assign(document.createElement('div'), { className: 'output', style: 'height: 2000px' })));
    await page.waitForSelector(sel(id, '[data-dx=graph][data-dx-state=mounted]'));
    await page.locator(sel(id, '[data-dx=graph]')).scrollIntoViewIfNeeded();
    const b = (await (await page.$(sel(id, '[data-dx=graph]')))!.boundingBox())!;
    const ratio = () => page.$eval(sel(id, '[data-dx=graph]'), (host) => (host as unknown as GraphHook).dxGraph.renderer!.getCamera().ratio);
    const r0 = await ratio();
    const y0 = await page.evaluate(() => window.scrollY);
    await page.mouse.move(b.x + 10, b.y + 10);
    await page.mouse.wheel(0, 200);
    await page.waitForTimeout(300);
    assert.equal(await ratio(), r0, 'no zoom before a click');
    assert.notEqual(await page.evaluate(() => window.scrollY), y0, 'the notebook scrolled');
    await page.locator(sel(id, '[data-dx=graph]')).scrollIntoViewIfNeeded();
    const b2 = (await (await page.$(sel(id, '[data-dx=graph]')))!.boundingBox())!;
    await page.mouse.click(b2.x + 10, b2.y + 10);
    await page.mouse.wheel(0, 200);
    await page.waitForTimeout(500);
    assert.notEqual(await ratio(), r0, 'zooms after a click');
  });

  test('WebGL views mount only while visible and release their context when scrolled away', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await render(page, MIME.graph, graphPayloadFixture()));
    const mounted = () => page.$$eval('[data-dx=graph][data-dx-state=mounted]', (e) => e.length);
    await page.locator(`#${ids[0]}`).scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    assert.ok((await mounted()) <= 4, `few mounted at once, got ${await mounted()}`);
    await page.locator(`#${ids[19]}`).scrollIntoViewIfNeeded();
    await page.waitForSelector(`#${ids[19]} [data-dx=graph][data-dx-state=mounted]`);
    assert.equal(await page.$eval(`#${ids[0]} [data-dx=graph]`, (e) => e.getAttribute('data-dx-state')), 'unmounted');
    assert.ok((await mounted()) <= 4);
    for (const id of ids) await page.evaluate((x) => (window as unknown as { dx: { dispose(id: string): void } }).dx.dispose(x), id);
  });
});

describe('stress', () => {
  test('headline figures match the payload; comparison lists every graph', async () => {
    const p = stressPayloadFixture();
    const id = await render(page, MIME.stress, p);
    assert.equal(await text(sel(id, '[data-dx=system-loss]')), `${p.result.systemLossPct.toFixed(2)}%`);
    assert.equal(await text(sel(id, '[data-dx=depth]')), String(p.result.depth));
    assert.equal(await text(sel(id, '[data-dx=distressed]')), String(p.result.distressed));
    await page.waitForSelector(sel(id, '[data-dx=loss-bars] .main-svg'));
    const c = stressComparisonFixture();
    const cid = await render(page, MIME.stress, c);
    const labels = await page.$$eval(sel(cid, '[data-dx=comparison] tbody td:first-child'), (t) => t.map((x) => x.textContent));
    assert.deepEqual(labels, ['observed', 'predicted', 'realised']);
    assert.equal(await page.$eval(sel(cid, '[data-dx=shock-size]'), (e) => (e as HTMLInputElement).disabled), true, 'no what-if handle: slider off');
  });

  test('the contagion stepper walks the rounds', async () => {
    const p = stressPayloadFixture();
    const id = await render(page, MIME.stress, p);
    await page.click(sel(id, '[data-dx=prev]'));
    // The stepper walks the rounds that count towards the depth the headline shows.
    const max = p.result.depth;
    assert.ok(max >= 2, 'the fixture spreads over several rounds');
    assert.match(await text(sel(id, '[data-dx=round-caption]')), new RegExp(`^Round ${max - 1} of ${max}:`));
    await page.$eval(sel(id, '[data-dx=round]'), (e) => {
      (e as HTMLInputElement).value = '0';
      e.dispatchEvent(new Event('input'));
    });
    const r0 = p.result.rounds.find((r) => r.round === 0)!;
    assert.match(await text(sel(id, '[data-dx=round-caption]')), new RegExp(`^Round 0 of ${max}: ${r0.newlyDistressed.length} newly distressed`));
  });

  test('slider sends whatIf; the reply updates the view in place', async () => {
    const p = stressPayloadFixture();
    const id = await render(page, MIME.stress, p);
    const n = (await messages(page)).length;
    await page.$eval(sel(id, '[data-dx=shock-size]'), (e) => {
      (e as HTMLInputElement).value = '0.9';
      e.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction((k) => (window as unknown as { dx: { messages: unknown[] } }).dx.messages.length > k, n);
    const m = (await messages(page)).at(-1) as { type: string; handle: string; shockSize: number; requestId: string };
    assert.equal(m.type, 'whatIf');
    assert.equal(m.handle, p.whatIf!.handle);
    assert.equal(m.shockSize, 0.9);
    // the kernel side, for real: the handle was registered when the fixture was built in this process
    const next = answerWhatIf({ handle: m.handle, shockSize: m.shockSize });
    assert.ok(next.result.systemLossPct > p.result.systemLossPct);
    await reply(page, { type: 'whatIfResult', requestId: m.requestId, payload: next });
    await page.waitForFunction(([s, v]) => document.querySelector(s!)?.textContent === v, [sel(id, '[data-dx=system-loss]'), `${next.result.systemLossPct.toFixed(2)}%`] as const);
    assert.match(await text(sel(id, '[data-dx=status]')), /^Updated in \d+ ms/);
    assert.equal(await page.$eval(sel(id, '[data-dx=shock-size]'), (e) => (e as HTMLInputElement).value), '0.9');
  });

  test('what-if replies update graph, bars and stepper on the same sigma canvas and plot', async () => {
    const p = stressPayloadFixture();
    const id = await render(page, MIME.stress, p);
    await page.locator(sel(id, '[data-dx=graph]')).scrollIntoViewIfNeeded();
    await page.waitForSelector(sel(id, '[data-dx=graph][data-dx-state=mounted]'));
    await page.waitForSelector(sel(id, '[data-dx=loss-bars] .main-svg'));
    // Keep references to the live renderer objects to compare after each reply.
    await page.$eval(sel(id, '[data-dx=graph]'), (host) => {
      const g = (host as unknown as { dxGraph: { renderer: unknown; mounts: number } }).dxGraph;
      (window as unknown as { before: unknown }).before = { g, renderer: g.renderer, mounts: g.mounts, canvases: [...host.querySelectorAll('canvas')], bars: host.closest('.dx-view')!.querySelector('[data-dx=loss-bars]') };
    });
    const answer = async (revision: number, send: () => Promise<void>): Promise<StressPayload> => {
      const n = (await messages(page)).length;
      await send();
      await page.waitForFunction((k) => (window as unknown as { dx: { messages: unknown[] } }).dx.messages.length > k, n);
      const m = (await messages(page)).at(-1) as { handle: string; shockSize: number; shockProtocol?: string; requestId: string };
      const next = answerWhatIf({ handle: m.handle, shockSize: m.shockSize, shockProtocol: m.shockProtocol });
      await reply(page, { type: 'whatIfResult', requestId: m.requestId, payload: next });
      await page.waitForSelector(`#${id} > .dx-view[data-dx-revision="${revision}"]`);
      return next;
    };
    const check = async (next: StressPayload) => {
      const live = await page.$eval(sel(id, '[data-dx=graph]'), (host) => {
        type G = { renderer: { getNodeDisplayData(n: string): { label: string } }; mounts: number; graph: { nodes(): string[]; size: number } };
        const b = (window as unknown as { before: { g: G; renderer: unknown; mounts: number; canvases: Element[]; bars: Element } }).before;
        const g = (host as unknown as { dxGraph: G }).dxGraph;
        const bars = host.closest('.dx-view')!.querySelector('[data-dx=loss-bars]')!;
        return {
          sameGraph: g === b.g,
          sameRenderer: g.renderer === b.renderer,
          mountsAdded: g.mounts - b.mounts,
          sameCanvases: b.canvases.every((c) => host.contains(c)) && host.querySelectorAll('canvas').length === b.canvases.length,
          sameBarsDiv: bars === b.bars,
          barX: (bars as unknown as { data: { x: number[] }[] }).data[0]!.x,
          nodes: g.graph.nodes().sort(),
          edges: g.graph.size,
          labelled: g.graph.nodes().filter((v) => g.renderer.getNodeDisplayData(v).label !== '').sort(),
        };
      });
      assert.ok(live.sameGraph && live.sameRenderer, 'the same sigma instance');
      assert.equal(live.mountsAdded, 0, 'no new WebGL mount');
      assert.ok(live.sameCanvases, 'the same canvas elements');
      assert.ok(live.sameBarsDiv, 'the same plot div');
      assert.deepEqual(live.barX, next.result.losses.slice(0, 15).reverse().map((l) => l.loss), 'bars show the new losses');
      const ids = new Set(next.graph!.nodes.map((x) => x.id));
      assert.deepEqual(live.nodes, [...ids].sort(), 'the node set of the reply');
      assert.equal(live.edges, next.graph!.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).length);
      // Distressed nodes (any round: the stepper is at the last one) and those that lost
      // something below the threshold keep their label; untouched ones are dimmed without one.
      const hit = new Set([...next.result.rounds.flatMap((r) => r.newlyDistressed), ...next.result.losses.filter((l) => l.loss > 0).map((l) => l.id)]);
      assert.deepEqual(live.labelled, [...ids].filter((x) => hit.has(x)).sort());
      const max = next.result.depth;
      assert.match(await text(sel(id, '[data-dx=round-caption]')), max === 0 ? /^Depth 0: / : new RegExp(`^Round ${max} of ${max}:`));
      assert.equal(await page.$eval(sel(id, '[data-dx=round]'), (e) => (e as HTMLInputElement).max), String(max));
      assert.equal(await text(sel(id, '[data-dx=depth]')), String(next.result.depth));
      assert.match(await text(sel(id, '.dx-title')), new RegExp(`^Stress test: ${next.scenario.name}`));
    };
    // A larger shock: same protocols in the subgraph, new losses and rounds.
    const bigger = await answer(1, () => page.$eval(sel(id, '[data-dx=shock-size]'), (e) => {
      (e as HTMLInputElement).value = '0.9';
      e.dispatchEvent(new Event('change'));
    }));
    await check(bigger);
    // One protocol shocked alone: protocols enter and leave the subgraph.
    const target = p.graph!.nodes[0]!.id;
    await clickNode(id, target);
    await page.waitForFunction((s) => !document.querySelector(s)!.hasAttribute('disabled'), sel(id, '[data-dx=shock-selected]'));
    const alone = await answer(2, () => page.click(sel(id, '[data-dx=shock-selected]')));
    assert.notDeepEqual(alone.graph!.nodes.map((x) => x.id).sort(), bigger.graph!.nodes.map((x) => x.id).sort(), 'the fixture changes the node set');
    await check(alone);
  });

  test('shock this protocol: select a node, send, and show a kernel error as text', async () => {
    const p = stressPayloadFixture();
    const id = await render(page, MIME.stress, p);
    await page.locator(sel(id, '[data-dx=graph]')).scrollIntoViewIfNeeded();
    await page.waitForSelector(sel(id, '[data-dx=graph][data-dx-state=mounted]'));
    const target = p.graph!.nodes[0]!.id;
    await clickNode(id, target);
    await page.waitForFunction((s) => !document.querySelector(s)!.hasAttribute('disabled'), sel(id, '[data-dx=shock-selected]'));
    const n = (await messages(page)).length;
    await page.click(sel(id, '[data-dx=shock-selected]'));
    await page.waitForFunction((k) => (window as unknown as { dx: { messages: unknown[] } }).dx.messages.length > k, n);
    const m = (await messages(page)).at(-1) as { shockProtocol: string; requestId: string };
    assert.equal(m.shockProtocol, target);
    await reply(page, { type: 'whatIfError', requestId: m.requestId, message: 'display/what-if: no stress view with handle x in this kernel' });
    await page.waitForFunction((s) => document.querySelector(s)!.classList.contains('dx-error'), sel(id, '[data-dx=status]'));
    assert.match(await text(sel(id, '[data-dx=status]')), /no stress view with handle/);
    assert.equal(await text(sel(id, '[data-dx=system-loss]')), `${p.result.systemLossPct.toFixed(2)}%`, 'the saved result stays');
  });

  test('no messaging: controls disabled with the reason; no reply: a timeout message', async () => {
    const p = stressPayloadFixture();
    const id = await render(page, MIME.stress, p, { messaging: false });
    assert.equal(await page.$eval(sel(id, '[data-dx=shock-size]'), (e) => (e as HTMLInputElement).disabled), true);
    assert.match(await text(sel(id, '[data-dx=status]')), /need VS Code with a running kernel/);
    const id2 = await render(page, MIME.stress, p);
    await page.$eval(sel(id2, '[data-dx=shock-size]'), (e) => {
      (e as HTMLInputElement).value = '0.4';
      e.dispatchEvent(new Event('change'));
    });
    await page.waitForFunction((s) => /No reply from the kernel/.test(document.querySelector(s)!.textContent ?? ''), sel(id2, '[data-dx=status]'), { timeout: 8000 });
    assert.equal(await text(sel(id2, '[data-dx=system-loss]')), `${p.result.systemLossPct.toFixed(2)}%`);
  });
});
