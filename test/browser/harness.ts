/**
 * Browser test harness for the renderer: a local HTTP server over the repo (the test
 * page, dist/renderer.js) and headless Chromium (/usr/bin/chromium) driven by
 * playwright-core. No download ever: `playwright install` is never run.
 *
 * WebGL: with --disable-gpu, Chromium renders WebGL through SwiftShader (CPU), which
 * must be allowed explicitly (--enable-unsafe-swiftshader, ANGLE on SwiftShader).
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DARK_PALETTE, LIGHT_PALETTE } from '../../src/core/report/editor-palette';

export const ROOT = resolve(__dirname, '../..');
export const CHROMIUM = process.env.DEXPOSURE_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json' };

export function serve(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const rel = path === '/' || path.startsWith('/page/') ? join('test/browser/pages', path.replace(/^\/page\/?/, '') || 'renderer.html') : path.slice(1);
    const file = normalize(join(ROOT, rel));
    if (!file.startsWith(ROOT) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    if (path === '/page/theme.css') {
      // Light+ and Dark+ as the report page has them, then the page's own rules.
      res.end(`body.vscode-light {${LIGHT_PALETTE}\n  background: #ffffff;\n  color: #3b3b3b;\n}\nbody.vscode-dark {${DARK_PALETTE}\n  background: #1f1f1f;\n  color: #cccccc;\n}\n${readFileSync(file, 'utf8')}`);
      return;
    }
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

export interface Harness {
  browser: Browser;
  page: Page;
  url: string;
  errors: string[];
  close(): Promise<void>;
}

export async function openHarness(opts: { theme?: 'light' | 'dark' | 'high-contrast'; width?: number; height?: number } = {}): Promise<Harness> {
  if (!existsSync(join(ROOT, 'dist/renderer.js'))) throw new Error('test/browser: dist/renderer.js is missing; run `npm run build` first');
  if (!existsSync(CHROMIUM)) throw new Error(`test/browser: no Chromium at ${CHROMIUM} (set DEXPOSURE_CHROMIUM)`);
  const { server, url } = await serve();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage({ viewport: { width: opts.width ?? 1000, height: opts.height ?? 900 }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) errors.push(`network: ${r.url()}`);
  });
  await page.goto(`${url}/page/renderer.html`);
  await page.waitForFunction(() => (globalThis as unknown as { dxReady?: boolean }).dxReady === true);
  if (opts.theme) await setTheme(page, opts.theme);
  return {
    browser,
    page,
    url,
    errors,
    async close() {
      await browser.close();
      await new Promise((ok) => server.close(ok));
    },
  };
}

/**
 * One harness for a test file: opened before its tests (`ready` receives it), the views
 * cleared before each test, and closed after them, failing the file on any page error,
 * console error or network request (`check` adds the file's own final checks).
 */
export function useHarness(opts: Parameters<typeof openHarness>[0], ready: (h: Harness) => void | Promise<void>, check?: (h: Harness) => Promise<void>): void {
  let h: Harness | undefined;
  before(async () => {
    h = await openHarness(opts);
    await ready(h);
  });
  beforeEach(async () => {
    await h!.page.evaluate(() => (globalThis as unknown as { dx: { clear(): void } }).dx.clear());
  });
  after(async () => {
    if (!h) return;
    await check?.(h);
    assert.deepEqual(h.errors, [], 'no page errors, console errors or network requests');
    await h.close();
  });
}

export async function setTheme(page: Page, kind: 'light' | 'dark' | 'high-contrast'): Promise<void> {
  await page.evaluate((k) => (globalThis as unknown as { dx: { setTheme(k: string): void } }).dx.setTheme(k), kind);
}

/** Mounts one output; returns its element id. */
export async function render(page: Page, mime: string, payload: unknown, opts: { messaging?: boolean; id?: string } = {}): Promise<string> {
  return page.evaluate(([m, p, o]) => (globalThis as unknown as { dx: { render(m: string, p: unknown, o: unknown): string } }).dx.render(m, p, o), [mime, payload, opts] as const);
}

export async function messages(page: Page): Promise<unknown[]> {
  return page.evaluate(() => (globalThis as unknown as { dx: { messages: unknown[] } }).dx.messages.slice());
}

export async function reply(page: Page, msg: unknown): Promise<void> {
  await page.evaluate((m) => (globalThis as unknown as { dx: { reply(m: unknown): void } }).dx.reply(m), msg);
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as { dx: { violations: string[] } }).dx.violations.slice());
}
