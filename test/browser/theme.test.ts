/**
 * Themes: in VS Code's Dark High Contrast every view's text, headline figures and chart
 * labels are readable (WCAG contrast of at least 7:1 against the background, the AAA
 * level high-contrast themes are made for), and switching the theme re-colours a view
 * that is already on screen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { MIME } from '../../src/core/display/views';
import { chartPayloadFixture, stressPayloadFixture, tablePayloadFixture } from '../fixtures/views/payloads';
import { render, setTheme, useHarness } from './harness';

let page: Page;

useHarness({ theme: 'high-contrast' }, (x) => {
  page = x.page;
});

/** Contrast ratio (WCAG 2) of each matched element's text colour on the page background. */
// Browser-side code as text: the test runner's transpiler would wrap named inner
// functions in a helper that does not exist in the page.
const CONTRASTS = `(selector) => {
  const lum = (c) => {
    const [r, g, b] = (c.match(/[\\d.]+/g) || ['0', '0', '0']).slice(0, 3).map((v) => {
      const x = Number(v) / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const bg = lum(getComputedStyle(document.body).backgroundColor);
  return [...document.querySelectorAll(selector)].map((e) => {
    const fg = lum(getComputedStyle(e).color);
    return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  });
}`;

function contrasts(selector: string): Promise<number[]> {
  return page.evaluate(`(${CONTRASTS})(${JSON.stringify(selector)})`) as Promise<number[]>;
}

test('table text and headers are readable in high contrast', async () => {
  const id = await render(page, MIME.table, tablePayloadFixture());
  const cs = await contrasts(`#${id} td, #${id} th, #${id} .dx-title`);
  assert.ok(cs.length > 5);
  assert.ok(Math.min(...cs) >= 7, `lowest contrast ${Math.min(...cs).toFixed(2)}`);
});

test('stress headline figures and labels are readable in high contrast', async () => {
  const id = await render(page, MIME.stress, stressPayloadFixture());
  const cs = await contrasts(`#${id} .dx-figure-value, #${id} .dx-figure-label, #${id} .dx-title`);
  assert.ok(cs.length >= 10);
  assert.ok(Math.min(...cs) >= 7, `lowest contrast ${Math.min(...cs).toFixed(2)}`);
});

test('chart tick labels and title follow the theme, also when it changes live', async () => {
  const id = await render(page, MIME.chart, chartPayloadFixture());
  await page.waitForSelector(`#${id} .main-svg .xtick text`);
  const fill = () => page.$eval(`#${id} .main-svg .xtick text`, (t) => getComputedStyle(t).fill);
  assert.equal(await fill(), 'rgb(255, 255, 255)', 'white labels on black');
  await setTheme(page, 'light');
  await page.waitForFunction((s) => getComputedStyle(document.querySelector(s)!).fill !== 'rgb(255, 255, 255)', `#${id} .main-svg .xtick text`);
  assert.notEqual(await fill(), 'rgb(255, 255, 255)');
  await setTheme(page, 'high-contrast');
  await page.waitForFunction((s) => getComputedStyle(document.querySelector(s)!).fill === 'rgb(255, 255, 255)', `#${id} .main-svg .xtick text`);
});
