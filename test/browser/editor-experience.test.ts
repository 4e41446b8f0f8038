/**
 * The views as a researcher meets them (issue: "the editor experience a researcher
 * expects"), in headless Chromium on payloads from the real kernel-side builders:
 * rapid what-if changes end on the latest value with a subtitle that follows it;
 * protocol names that look like numbers still draw bars; the 15 most frequent
 * categories never share a colour; long chart titles fit and a right-hand axis does
 * not run into the legend; the contagion panel shows the shocked protocols'
 * creditors; comparison views hide the controls that cannot work; tables show
 * labelled headers and fit without a horizontal scroll.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { type StressPayload } from '../../src/core/display/protocol';
import { MIME } from '../../src/core/display/views';
import { answerWhatIf } from '../../src/core/display/what-if';
import { chartView, groupedBarFigure } from '../../src/core/display/chart-view';
import { graphView } from '../../src/core/display/graph-view';
import { stressView } from '../../src/core/display/stress-view';
import { tableView } from '../../src/core/display/table-view';
import { runStress } from '../../src/core/stress';
import type { Snapshot } from '../../src/core/snapshot/types';
import { stressComparisonFixture, stressPayloadFixture } from '../fixtures/views/payloads';
import { syntheticSnapshot } from '../fixtures/views/synthetic-snapshot';
import { messages, render, reply, useHarness } from './harness';

let page: Page;

useHarness({ theme: 'light' }, (x) => {
  page = x.page;
});

const sel = (id: string, s: string) => `#${id} ${s}`;
const text = (s: string) => page.$eval(s, (e) => e.textContent ?? '');
type WhatIfMsg = { type: string; handle: string; shockSize?: number; shockProtocol?: string; requestId: string };
const whatIfs = async () => (await messages(page)).filter((m) => (m as WhatIfMsg).type === 'whatIf') as WhatIfMsg[];

/** Largest protocol `a` with three creditors holding a little of it: a 50% shock leaves them below the threshold. */
function creditorsSnapshot(): Snapshot {
  return {
    week: '2024-02-05', kind: 'observed',
    ids: ['a', 'b', 'c', 'd', 'e'], names: ['4360', 'Beta', 'Gamma', '7', 'Epsilon'], categories: ['Dexes', 'Lending', 'Yield', 'CDP', 'Dexes'],
    tvl: Float64Array.from([1000, 500, 400, 300, 200]),
    // b, c, d hold a's tokens (a's creditors); e holds d's.
    edgeSource: Int32Array.from([1, 2, 3, 4]), edgeTarget: Int32Array.from([0, 0, 0, 3]), edgeWeight: Float64Array.from([10, 8, 6, 5]),
  };
}

describe('what-if', () => {
  test('rapid slider changes end on the latest value; stale replies are not shown; the subtitle follows', async () => {
    const p = stressPayloadFixture();
    const id = await render(page, MIME.stress, p);
    assert.equal(await text(sel(id, '.dx-sub')), 'Five largest protocols by TVL lose 30% each');
    const before = (await whatIfs()).length;
    // Four changes in one task: the first goes out, the others wait; only the last survives.
    await page.$eval(sel(id, '[data-dx=shock-size]'), (e) => {
      for (const v of ['0.3', '0.5', '0.7', '1']) {
        (e as HTMLInputElement).value = v;
        e.dispatchEvent(new Event('input'));
        e.dispatchEvent(new Event('change'));
      }
    });
    await page.waitForFunction((k) => (window as unknown as { dx: { messages: { type: string }[] } }).dx.messages.filter((m) => m.type === 'whatIf').length > k, before);
    let sent = (await whatIfs()).slice(before);
    assert.deepEqual(sent.map((m) => m.shockSize), [0.3], 'one request in flight at a time');
    assert.equal(await text(sel(id, '[data-dx=shock-label]')), '100%', 'the label shows what the user chose');
    // The kernel answers the first (now stale) request.
    await reply(page, { type: 'whatIfResult', requestId: sent[0]!.requestId, payload: answerWhatIf({ handle: sent[0]!.handle, shockSize: 0.3 }) });
    await page.waitForFunction((k) => (window as unknown as { dx: { messages: { type: string }[] } }).dx.messages.filter((m) => m.type === 'whatIf').length > k, before + 1);
    sent = (await whatIfs()).slice(before);
    assert.deepEqual(sent.map((m) => m.shockSize), [0.3, 1], 'then straight to the latest value, skipping 0.5 and 0.7');
    assert.equal(await text(sel(id, '[data-dx=system-loss]')), `${p.result.systemLossPct.toFixed(2)}%`, 'the stale 30% answer is never shown');
    assert.match(await text(sel(id, '[data-dx=status]')), /Rerunning with a 100% shock/);
    const last = answerWhatIf({ handle: sent[1]!.handle, shockSize: 1 });
    assert.notEqual(last.result.systemLossPct, p.result.systemLossPct, 'the fixture changes with the shock');
    await reply(page, { type: 'whatIfResult', requestId: sent[1]!.requestId, payload: last });
    await page.waitForFunction(([s, v]) => document.querySelector(s!)?.textContent === v, [sel(id, '[data-dx=system-loss]'), `${last.result.systemLossPct.toFixed(2)}%`] as const);
    assert.equal(await text(sel(id, '.dx-sub')), 'Five largest protocols by TVL lose 100% each', 'the subtitle follows the slider');
    assert.equal(await page.$eval(sel(id, '[data-dx=shock-size]'), (e) => (e as HTMLInputElement).value), '1');
    assert.equal(await page.$eval(`#${id} > .dx-view`, (e) => e.getAttribute('data-dx-shock')), '1');
    assert.equal(await page.$eval(`#${id} > .dx-view`, (e) => e.hasAttribute('aria-busy')), false);
    assert.equal((await whatIfs()).length, before + 2, 'no further requests');
  });

  test('input events within one frame ask once, for the last value; the release of that value asks nothing more', async () => {
    const p = stressPayloadFixture();
    const id = await render(page, MIME.stress, p);
    const before = (await whatIfs()).length;
    await page.$eval(sel(id, '[data-dx=shock-size]'), (e) => {
      for (const v of ['0.35', '0.4', '0.45', '0.55']) {
        (e as HTMLInputElement).value = v;
        e.dispatchEvent(new Event('input'));
      }
    });
    await page.waitForFunction((k) => (window as unknown as { dx: { messages: { type: string }[] } }).dx.messages.filter((m) => m.type === 'whatIf').length > k, before);
    // Two more frames: nothing else is asked for.
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    let sent = (await whatIfs()).slice(before);
    assert.deepEqual(sent.map((m) => m.shockSize), [0.55]);
    assert.equal(await text(sel(id, '[data-dx=shock-label]')), '55%');
    // The pointer is released on the value already asked for: no second request.
    await page.$eval(sel(id, '[data-dx=shock-size]'), (e) => e.dispatchEvent(new Event('change')));
    const next = answerWhatIf({ handle: sent[0]!.handle, shockSize: 0.55 });
    await reply(page, { type: 'whatIfResult', requestId: sent[0]!.requestId, payload: next });
    await page.waitForFunction(([s, v]) => document.querySelector(s!)?.textContent === v, [sel(id, '[data-dx=system-loss]'), `${next.result.systemLossPct.toFixed(2)}%`] as const);
    sent = (await whatIfs()).slice(before);
    assert.equal(sent.length, 1, 'one request in all');
  });

  test('a fast drag of the slider: one request in flight, at most one asked per frame, and the view ends on the released value', async () => {
    const p = stressPayloadFixture();
    const id = await render(page, MIME.stress, p);
    const slider = sel(id, '[data-dx=shock-size]');
    await page.$eval(slider, (e) => {
      const w = window as unknown as { dragInputs: number; dragFrames: number };
      w.dragInputs = 0;
      e.addEventListener('input', () => w.dragInputs++);
    });
    // The kernel's side: every request answered by the real rerun after 120 ms (about a
    // full-scale week's round trip), as long as the test runs; never more than one
    // request may be waiting for its answer.
    const before = (await whatIfs()).length;
    const answered = new Set<string>();
    let most = 0;
    let relaying = true;
    const relay = (async () => {
      while (relaying) {
        const open = (await whatIfs()).slice(before).filter((m) => !answered.has(m.requestId));
        most = Math.max(most, open.length);
        for (const m of open) {
          answered.add(m.requestId);
          setTimeout(() => void reply(page, { type: 'whatIfResult', requestId: m.requestId, payload: answerWhatIf({ handle: m.handle, shockSize: m.shockSize }) }).catch(() => undefined), 120);
        }
        await new Promise((ok) => setTimeout(ok, 5));
      }
    })();
    // A real drag: press on the track at 30%, sweep to 90% and back to 60% in small
    // steps as fast as the pointer events go, release.
    const box = (await page.locator(slider).boundingBox())!;
    const at = (v: number) => box.x + 8 + v * (box.width - 16);
    const y = box.y + box.height / 2;
    await page.mouse.move(at(0.3), y);
    await page.mouse.down();
    await page.mouse.move(at(0.9), y, { steps: 30 });
    // Asked while the button is still down: the user sees results during the drag.
    await page.waitForFunction((k) => (window as unknown as { dx: { messages: { type: string }[] } }).dx.messages.filter((m) => m.type === 'whatIf').length > k, before);
    await page.mouse.move(at(0.6), y, { steps: 20 });
    await page.mouse.up();
    await page.waitForFunction((s) => !document.querySelector(s)!.hasAttribute('aria-busy'), `#${id} > .dx-view`);
    relaying = false;
    await relay;
    const v = Number(await page.$eval(slider, (e) => (e as HTMLInputElement).value));
    assert.ok(Math.abs(v - 0.6) < 0.051, `released near 60% (${v})`);
    const sent = (await whatIfs()).slice(before);
    const inputs = await page.evaluate(() => (window as unknown as { dragInputs: number }).dragInputs);
    assert.ok(inputs >= 10, `the drag moved the slider many times (${inputs} input events)`);
    assert.ok(sent.length >= 1 && sent.length < inputs, `fewer requests (${sent.length}) than input events (${inputs})`);
    assert.equal(most, 1, 'never a second request while one is unanswered');
    assert.equal(sent.at(-1)!.shockSize, v, 'the last request asks for the released value');
    const want = answerWhatIf({ handle: p.whatIf!.handle, shockSize: v });
    assert.equal(await text(sel(id, '[data-dx=system-loss]')), `${want.result.systemLossPct.toFixed(2)}%`, "the headline shows the released value's result");
    assert.equal(await text(sel(id, '[data-dx=shock-label]')), `${Math.round(v * 100)}%`);
    assert.equal(await page.$eval(`#${id} > .dx-view`, (e) => e.getAttribute('data-dx-shock')), String(v));
    assert.match(await text(sel(id, '.dx-sub')), new RegExp(`lose ${Math.round(v * 100)}% each`), 'the subtitle too');
    // The bars and the graph follow once the headline is painted.
    await page.waitForFunction(([s, name]) => [...document.querySelectorAll(s!)].some((t) => t.textContent === name), [sel(id, '[data-dx=loss-bars] .ytick text'), want.result.losses[0]!.name] as const);
    assert.match(await text(sel(id, '[data-dx=round-caption]')), want.result.depth === 0 ? /^Depth 0: / : new RegExp(`^Round ${want.result.depth} of ${want.result.depth}:`));
  });

  test('comparison views hide the what-if controls instead of greying them', async () => {
    const id = await render(page, MIME.stress, stressComparisonFixture());
    assert.equal(await page.$eval(sel(id, '[data-dx=shock-size]'), (e) => (e as HTMLElement).offsetParent === null), true, 'slider not shown');
    assert.equal(await page.$eval(sel(id, '[data-dx=what-if]'), (e) => /What if/.test((e as HTMLElement).innerText)), false);
    assert.equal(await text(sel(id, '[data-dx=status]')), '', 'no excuse text either');
    assert.ok(await page.$(sel(id, '[data-dx=what-if] [data-dx=save-png], [data-dx=what-if] vscode-button')), 'saving still offered');
  });
});

describe('names and colours', () => {
  test('protocol names that look like numbers draw bars on a category axis', async () => {
    const s = creditorsSnapshot();
    const sc = { name: 'a fails', shocks: [{ kind: 'protocols' as const, ids: ['a', 'd'], loss: 1 }] };
    const p = stressView(runStress(s, sc), { snapshot: s, scenario: sc }).payload;
    assert.ok(p.result.losses.some((l) => l.name === '4360') && p.result.losses.some((l) => l.name === '7'));
    const id = await render(page, MIME.stress, p);
    await page.waitForSelector(sel(id, '[data-dx=loss-bars] .main-svg'));
    assert.equal(await page.$$eval(sel(id, '[data-dx=loss-bars] .barlayer .point path'), (ps) => ps.filter((x) => (x.getAttribute('d') ?? '').length > 4).length), p.result.losses.length, 'one drawn bar per loss');
    const ticks = await page.$$eval(sel(id, '[data-dx=loss-bars] .ytick text'), (ts) => ts.map((t) => t.textContent));
    assert.deepEqual([...ticks].sort(), p.result.losses.map((l) => l.name).sort());
    // A chart from dx.chart with numeric-looking names gets the same treatment.
    const cid = await render(page, MIME.chart, chartView({ data: [{ type: 'bar', x: ['4360', 'Aave', '12'], y: [3, 2, 1] }] }).payload);
    await page.waitForSelector(sel(cid, '.main-svg'));
    assert.deepEqual(await page.$$eval(sel(cid, '.xtick text'), (ts) => ts.map((t) => t.textContent)), ['4360', 'Aave', '12']);
  });

  test('no two of the 15 most frequent categories share a colour, in the graph and its legend', async () => {
    const TOP15 = ['Dexes', 'Yield', 'Lending', 'Derivatives', 'Liquid Staking', 'Farm', 'Services', 'CDP', 'Yield Aggregator', 'Reserve Currency', 'Algo-Stables', 'Bridge', 'Chain', 'Launchpad', 'RWA'];
    const base = syntheticSnapshot({ nodes: 40, edges: 80, seed: 4 });
    const cats = [...TOP15, 'CEX', 'Oracle', 'Unknown'];
    const s: Snapshot = { ...base, categories: base.ids.map((_, i) => cats[i % cats.length]!) };
    const id = await render(page, MIME.graph, graphView(s, { topN: 40 }).payload);
    await page.locator(sel(id, '[data-dx=graph]')).scrollIntoViewIfNeeded();
    await page.waitForSelector(sel(id, '[data-dx=graph][data-dx-state=mounted]'));
    const byCat = await page.$eval(sel(id, '[data-dx=graph]'), (host, names) => {
      const g = (host as unknown as { dxGraph: { graph: { getNodeAttribute(n: string, a: string): string } } }).dxGraph.graph;
      return names.map(([node, cat]) => [cat, g.getNodeAttribute(node, 'color')]);
    }, s.ids.map((node, i) => [node, s.categories[i]!] as [string, string]));
    const colourOf = new Map<string, Set<string>>();
    for (const [cat, col] of byCat) colourOf.set(cat!, (colourOf.get(cat!) ?? new Set()).add(col!));
    for (const c of cats) assert.equal(colourOf.get(c)!.size, 1, `${c}: one colour for every node`);
    const top = TOP15.map((c) => [...colourOf.get(c)!][0]);
    assert.equal(new Set(top).size, 15, 'fifteen distinct colours');
    const rare = [...colourOf.get('CEX')!][0];
    assert.equal([...colourOf.get('Oracle')!][0], rare, 'rare categories share the Other colour');
    assert.ok(!top.includes(rare) && !top.includes([...colourOf.get('Unknown')!][0]));
    // The legend swatches are the graph's colours.
    const legend = await page.$$eval(sel(id, '[data-dx=legend] .dx-legend-item'), (items) => items.filter((it) => it.querySelector('.dx-swatch')).map((it) => [it.textContent?.trim(), getComputedStyle(it.querySelector('.dx-swatch')!).backgroundColor]));
    assert.ok(legend.length >= 15, 'the legend lists the frequent categories');
    const hex = (rgb: string) => `#${rgb.match(/\d+/g)!.slice(0, 3).map((v) => Number(v).toString(16).padStart(2, '0')).join('')}`;
    for (const [label, rgb] of legend) if (colourOf.has(label!)) assert.equal(hex(rgb!), [...colourOf.get(label!)!][0], `legend of ${label}`);
  });
});

describe('charts and tables fit', () => {
  test('a long title wraps above the plot, clear of the toolbar; a right axis leaves the legend alone', async () => {
    await page.setViewportSize({ width: 700, height: 900 });
    try {
      const title = 'Figure 5 on /home/researcher/data/dexposure-release-2025: Terra/Luna (2022-05-09), one-step forecasts (shipped h1 model, not trained before the event) through the window';
      const weeks = ['2022-04-25', '2022-05-02', '2022-05-09', '2022-05-16'];
      const p = chartView({
        data: [
          { type: 'scatter', mode: 'lines+markers', name: 'realised TVL HHI', x: weeks, y: [0.1, 0.12, 0.2, 0.18] },
          { type: 'scatter', mode: 'lines+markers', name: 'predicted loss %', yaxis: 'y2', x: weeks, y: [3, 4, 9, 7] },
        ],
        layout: { title: { text: title }, yaxis: { title: { text: 'TVL HHI' } }, yaxis2: { title: { text: 'system loss, top-5 50% (%)' }, overlaying: 'y', side: 'right' } },
      }).payload;
      const id = await render(page, MIME.chart, p);
      await page.waitForSelector(sel(id, '.main-svg'));
      const box = await page.$eval(`#${id}`, (root) => {
        const t = root.querySelector('[data-dx=chart-title]') as HTMLElement;
        const [title, modebar, legend, y2] = [t, root.querySelector('.modebar'), root.querySelector('.legend'), root.querySelector('.y2tick')?.closest('g') ?? null].map((e) => (e ? (e.getBoundingClientRect().toJSON() as DOMRect) : null));
        return { text: t.textContent, fits: t.scrollWidth <= t.clientWidth, title: title!, modebar, legend, y2, inPlotTitle: root.querySelectorAll('.gtitle').length };
      });
      const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      assert.equal(box.text, title, 'the whole title, not clipped');
      assert.ok(box.fits, 'the title wraps within the view');
      assert.equal(box.inPlotTitle, 0, 'no second title inside the plot');
      if (box.modebar) assert.ok(!overlap(box.title, box.modebar), 'the title is not under the toolbar');
      assert.ok(box.legend && box.y2, 'legend and right axis drawn');
      assert.ok(!overlap(box.legend, box.y2), 'the legend does not sit on the right axis');
    } finally {
      await page.setViewportSize({ width: 1000, height: 900 });
    }
  });

  test('Figure 4 leaves out a horizon without R² and says why', async () => {
    const f = groupedBarFigure(['tvlHHI', 'density'], [{ name: 'ours, h = 1', values: [0.2, 0.9] }, { name: 'ours, h = 12', values: [NaN, NaN] }, { name: 'paper', values: [0.001, 0.841] }], { missing: { 'ours, h = 12': 'only 1 anchor week has a realised graph 12 weeks ahead; R² needs 2' } });
    const id = await render(page, MIME.chart, chartView(f).payload);
    await page.waitForSelector(sel(id, '.main-svg'));
    const legend = await page.$$eval(sel(id, '.legend .traces text'), (ts) => ts.map((t) => t.textContent));
    assert.deepEqual(legend, ['ours, h = 1', 'paper']);
    assert.match(await text(sel(id, '.annotation')), /Not drawn: ours, h = 12 \(only 1 anchor week/);
  });

  test('a wide table of labelled columns fits the view without a horizontal scroll', async () => {
    const rows = [{ event: 'Terra/Luna', data: 'bundled sample', anchor: '2022-05-02', last: '2022-05-30', 'pre TVL $B': 27.2, 'post TVL $B': 12.7, 'ΔTVL %': -53.3, 'Δedges %': -8.1, 'contagion MAE %': 1.25, 'persistence contagion MAE %': 1.31 }];
    const id = await render(page, MIME.table, tableView(rows, { title: 'Table 5' }).payload);
    const wrap = await page.$eval(sel(id, '.dx-table-wrap'), (w) => ({ scroll: w.scrollWidth, client: w.clientWidth }));
    assert.ok(wrap.scroll <= wrap.client, `no horizontal scroll (${wrap.scroll} > ${wrap.client})`);
    const heads = await page.$$eval(sel(id, 'thead th'), (ths) => ths.map((t) => t.textContent));
    assert.equal(heads.at(-1), 'persistence contagion MAE %');
    assert.equal(await text(sel(id, 'tbody td:last-child')), '1.31%');
  });
});

describe('contagion', () => {
  test('the panel shows the shocked protocol with its creditors and their sub-threshold losses; depth 0 has no stepper', async () => {
    const s = creditorsSnapshot();
    const r = runStress(s, 'top1');
    assert.equal(r.depth, 0);
    assert.deepEqual(r.losses.map((l) => l.id).sort(), ['a', 'b', 'c', 'd'], 'the creditors lost something');
    const p: StressPayload = stressView(r, { snapshot: s, scenario: 'top1' }).payload;
    const id = await render(page, MIME.stress, p);
    await page.locator(sel(id, '[data-dx=graph]')).scrollIntoViewIfNeeded();
    await page.waitForSelector(sel(id, '[data-dx=graph][data-dx-state=mounted]'));
    const nodes = await page.$eval(sel(id, '[data-dx=graph]'), (host) => (host as unknown as { dxGraph: { graph: { nodes(): string[] } } }).dxGraph.graph.nodes().sort());
    assert.ok(nodes.length > r.shocked.length, 'more than the shocked node');
    assert.deepEqual(nodes, ['a', 'b', 'c', 'd'], 'the shocked protocol and its three creditors');
    assert.equal(await text(sel(id, '[data-dx=contagion-note]')), '3 protocols lost value through 4360: 0 distressed, 3 below the distress threshold (yellow).');
    assert.match(await text(sel(id, '[data-dx=round-caption]')), /^Depth 0: no protocol beyond the shocked ones became distressed/);
    assert.equal(await page.$eval(sel(id, '[data-dx=play]'), (e) => (e as HTMLElement).offsetParent === null), true, 'no stepper to walk');
    assert.equal(await text(sel(id, '[data-dx=depth]')), '0');
  });

  test('a shock nobody holds says so and shows what the protocol holds', async () => {
    const s = creditorsSnapshot();
    const sc = { name: 'e fails', shocks: [{ kind: 'protocols' as const, ids: ['e'], loss: 0.5 }] };
    const id = await render(page, MIME.stress, stressView(runStress(s, sc), { snapshot: s, scenario: sc }).payload);
    assert.equal(await text(sel(id, '[data-dx=contagion-note]')), 'No protocol holds tokens of Epsilon in this week, so the shock stays where it hit. Shown around it: 1 protocol it holds tokens of (grey), which a loss of Epsilon does not reach.');
  });
});
