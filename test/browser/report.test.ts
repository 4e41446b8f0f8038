/**
 * `dexposure run NOTEBOOK --html REPORT` end to end: the built CLI runs
 * examples/hello.dxnb (markdown, a table, a Plotly chart) and a fixture with a graph,
 * a stress test and hostile names from data; the reports open in headless Chromium
 * from file:// URLs, where the views must work (WebGL graph mounted, table sorted by
 * a click, chart drawn, stress view saying there is no kernel) with no network
 * request, no CSP violation, no script error and no untrusted text turned into markup.
 * Screenshots land in test-results/report/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { type GraphPayload, type StressPayload } from '../../src/core/display/protocol';
import { MIME } from '../../src/core/display/views';
import { parseNotebook } from '../../src/core/notebook/format';
import { CHROMIUM, CHROMIUM_ARGS, ROOT } from './harness';

const dir = mkdtempSync(join(tmpdir(), 'dx-report-test-'));
const shots = join(ROOT, 'test-results', 'report');
let browser: Browser;

function runWithHtml(notebook: string, name: string): { report: string; executed: string } {
  const src = join(dir, `${name}.dxnb`);
  copyFileSync(notebook, src);
  const executed = join(dir, `${name}.executed.dxnb`);
  const report = join(dir, `${name}.html`);
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/dexposure.js'), 'run', src, '--out', executed, '--html', report, '--quiet'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DEXPOSURE_DATA_PATH: join(ROOT, 'examples/data') } });
  assert.equal(r.status, 0, `dexposure run ${name} failed:\n${r.stderr}`);
  assert.ok(existsSync(report), `${report} written`);
  return { report, executed };
}

interface OpenedReport {
  page: Page;
  /** Requests other than the report file itself. */
  requests: string[];
  errors: string[];
  violations(): Promise<string[]>;
}

async function openReport(file: string, colorScheme: 'light' | 'dark' = 'light'): Promise<OpenedReport> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1, colorScheme });
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    if (r.url() !== url && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) requests.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.getAttribute('data-dx-report') !== null);
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-dx-report')), 'ready', 'every output drawn');
  return { page, requests, errors, violations: () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations.slice()) };
}

async function assertClean(r: OpenedReport): Promise<void> {
  assert.deepEqual(await r.violations(), [], 'no CSP violations');
  assert.deepEqual(r.requests, [], 'no network (or file) requests beyond the report itself');
  assert.deepEqual(r.errors, [], 'no script or console errors');
}

before(async () => {
  if (!existsSync(join(ROOT, 'dist/renderer.js')) || !existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('test/browser: dist/ is missing; run `npm run build` first');
  if (!existsSync(CHROMIUM)) throw new Error(`test/browser: no Chromium at ${CHROMIUM} (set DEXPOSURE_CHROMIUM)`);
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const dataBlock = (html: string) => /<script type="application\/json" id="dx-report-data">([\s\S]*?)<\/script>/.exec(html)?.[1];

describe('HTML report of examples/hello.dxnb', () => {
  let report: string;
  let executed: string;
  before(() => {
    ({ report, executed } = runWithHtml(join(ROOT, 'examples/hello.dxnb'), 'hello'));
  });

  test('dexposure report makes the same page from the executed notebook, .dxnb or .ipynb', () => {
    const expected = dataBlock(readFileSync(report, 'utf8'));
    assert.ok(expected);
    const ipynb = join(dir, 'hello.executed.ipynb');
    const conv = spawnSync(process.execPath, [join(ROOT, 'bin/dexposure.js'), 'run', join(dir, 'hello.dxnb'), '--out', ipynb, '--quiet'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(conv.status, 0, conv.stderr);
    for (const nb of [executed, ipynb]) {
      const out = join(dir, 'again.html');
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/dexposure.js'), 'report', nb, '--out', out], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, `wrote ${out}\n`);
      const again = readFileSync(out, 'utf8');
      assert.deepEqual(JSON.parse(dataBlock(again) ?? 'null'), JSON.parse(expected), `${nb}: the same outputs`);
      assert.match(again, /<title>Hello, DeXposure<\/title>/);
    }
  });

  test('is one file: no external script, stylesheet or image reference, CSP with script hashes', () => {
    const html = readFileSync(report, 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.deepEqual(
      scripts.map((m) => m[1].trim()),
      ['type="application/json" id="dx-report-data"', 'type="module"'],
      'the outputs as JSON, then the renderer: nothing else, nothing loaded from elsewhere',
    );
    // Outside the inline scripts (the renderer bundle mentions tags in its strings), the page references nothing.
    const page = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
    assert.doesNotMatch(page, /<script/i, 'no script element left after the two (nothing broke out of a script)');
    assert.doesNotMatch(page, /<link[^>]+rel="stylesheet"/i);
    assert.doesNotMatch(page, /\b(src|href)="(?!data:)/i);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/, 'scripts allowed only by hash');
    assert.match(csp, /connect-src 'none'/);
  });

  test('markdown rendered, code shown, table sorts on click, chart drawn, no network', async () => {
    const r = await openReport(report);
    const { page } = r;
    assert.equal(await page.$eval('main h1', (e) => e.textContent), 'Hello, DeXposure Notebooks');
    assert.ok((await page.$$eval('.dx-markdown code', (cs) => cs.map((c) => c.textContent))).includes('dx.display'), 'inline code in markdown');
    assert.match(await page.$eval('[data-dx-cell="2"] .dx-source', (e) => e.textContent ?? ''), /^const protocols = \[/);
    assert.match(await page.$eval('[data-dx-cell="2"] .dx-stream', (e) => e.textContent ?? ''), /^3 protocols, 44\.8B USD in all/);

    // The table: the notebook's three protocols; sorting by TVL orders them 2.3 < 12.1 < 30.4 (B USD).
    const table = `[data-dx-output-mime="${MIME.table}"]`;
    const names = () => page.$$eval(`${table} tbody tr td:first-child`, (tds) => tds.map((t) => t.textContent));
    assert.deepEqual(await names(), ['Aave', 'Lido', 'Curve']);
    const tvlHeader = `${table} thead th:nth-child(3)`;
    assert.equal(await page.$eval(tvlHeader, (e) => e.textContent?.trim()), 'TVL', 'the field tvlUsd gets a reader\'s header');
    await page.click(tvlHeader);
    assert.deepEqual(await names(), ['Curve', 'Aave', 'Lido']);
    await page.click(tvlHeader);
    assert.deepEqual(await names(), ['Lido', 'Aave', 'Curve']);

    // The Plotly chart: one bar trace with the three protocols.
    const chart = `[data-dx-output-mime="${MIME.chart}"]`;
    await page.locator(chart).scrollIntoViewIfNeeded();
    await page.waitForSelector(`${chart} .main-svg`);
    assert.equal(await page.$$eval(`${chart} .barlayer .point`, (p) => p.length), 3);
    assert.equal(await page.$eval(`${chart} [data-dx=chart-title]`, (e) => e.textContent), 'TVL by protocol (billion USD)');

    await page.screenshot({ path: join(shots, 'hello-light.png'), fullPage: true });
    await assertClean(r);
    await page.close();
  });
});

describe('HTML report with a graph, a stress test and hostile names', () => {
  let report: string;
  let executed: string;
  before(() => {
    ({ report, executed } = runWithHtml(join(ROOT, 'test/fixtures/report/risk-views.dxnb'), 'risk-views'));
  });

  function payload<T>(mime: string): T {
    const doc = parseNotebook(readFileSync(executed, 'utf8'));
    for (const c of doc.cells) for (const o of c.outputs) for (const it of o.items) if (it.mime === mime) return it.data as unknown as T;
    throw new Error(`no ${mime} output in ${executed}`);
  }

  test('graph mounts with WebGL, stress view draws and says there is no kernel, names stay text', async () => {
    const r = await openReport(report);
    const { page } = r;
    const graph = payload<GraphPayload>(MIME.graph);
    const stress = payload<StressPayload>(MIME.stress);

    // Markdown: headings rendered; raw HTML in the source shown as text.
    assert.equal(await page.$eval('main h1', (e) => e.textContent), 'Risk views on the sample release');
    assert.equal(await page.$eval('main h2', (e) => e.textContent), 'Stress test');
    assert.match(await page.$eval('main section.dx-markdown p:last-child', (e) => e.textContent ?? ''), /<b>not bold<\/b> <img src=x onerror=alert\(1\)>/);

    // The graph: sigma on a WebGL canvas, every node of the week in the payload.
    const g = `[data-dx-output-mime="${MIME.graph}"] [data-dx=graph]`;
    await page.locator(g).scrollIntoViewIfNeeded();
    await page.waitForSelector(`${g}[data-dx-state=mounted]`);
    const webgl = await page.$$eval(`${g} canvas`, (cs) =>
      cs.some((c) => {
        const canvas = c as HTMLCanvasElement;
        // sigma already holds a context on its WebGL layers: asking again returns it.
        return !!(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
      }),
    );
    assert.equal(webgl, true, 'a WebGL canvas');
    assert.match(await page.$eval(`[data-dx-output-mime="${MIME.graph}"] [data-dx=counts]`, (e) => e.textContent ?? ''), new RegExp(`of ${graph.nodes.length} protocols shown`));

    // The stress view: headline figures from the saved result; what-if needs a kernel.
    const sv = `[data-dx-output-mime="${MIME.stress}"]`;
    await page.locator(sv).scrollIntoViewIfNeeded();
    assert.equal(await page.$eval(`${sv} [data-dx=distressed]`, (e) => e.textContent), String(stress.result.distressed));
    assert.ok(stress.whatIf, 'the fixture enables what-if');
    const slider = await page.$(`${sv} input[type=range]`);
    assert.ok(slider, 'what-if slider shown');
    assert.equal(await slider.isDisabled(), true);
    assert.match(await page.$eval(sv, (e) => e.textContent ?? ''), /need VS Code with a running kernel/);

    // Hostile names: in a stream and a table, as text; no element made from them.
    const t = `[data-dx-output-mime="${MIME.table}"]`;
    assert.deepEqual(await page.$$eval(`${t} tbody td:first-child`, (tds) => tds.map((x) => x.textContent)), ['<img src=x onerror=alert(1)>', 'Aave']);
    assert.match(await page.$eval('[data-dx-cell="6"] .dx-stream', (e) => e.textContent ?? ''), /^<img src=x onerror=alert\(1\)> in a stream/);
    assert.equal(await page.$$eval('main img, main b', (es) => es.length), 0, 'no element from untrusted text');

    await page.locator(g).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'risk-views-light.png'), fullPage: true });
    await assertClean(r);
    await page.close();
  });

  test('follows prefers-color-scheme: dark editor colours for the page and the views', async () => {
    const r = await openReport(report, 'dark');
    const { page } = r;
    assert.equal(await page.evaluate(() => document.body.className), 'vscode-dark');
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(31, 31, 31)');
    const g = `[data-dx-output-mime="${MIME.graph}"] [data-dx=graph]`;
    await page.locator(g).scrollIntoViewIfNeeded();
    await page.waitForSelector(`${g}[data-dx-state=mounted]`);
    await page.screenshot({ path: join(shots, 'risk-views-dark.png'), fullPage: true });
    await assertClean(r);
    await page.close();
  });
});
