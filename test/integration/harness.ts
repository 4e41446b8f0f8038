/**
 * A real VS Code for integration tests: code-server (installed by
 * scripts/setup-tools.mjs into .tools/) with our extension linked into a fresh
 * extensions dir, a fresh user-data dir and workspace, driven by playwright-core in
 * Debian's Chromium. See /work/shared/vscode-offline.md for why this setup.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { BASE_SETTINGS, CODE_SERVER_BIN as CODE_SERVER, freePort, linkExtension, spawnCodeServer, stopCodeServer, waitForHttp, writeUserSettings } from '../../scripts/code-server.mjs';

export const ROOT = resolve(__dirname, '..', '..');
export const RESULTS = join(ROOT, 'test-results');
const CHROMIUM = process.env.DEXPOSURE_CHROMIUM || '/usr/bin/chromium';

export interface VsCodeOptions {
  /** Files to write into the workspace (relative path -> content). */
  files: Record<string, string>;
  /** `security.workspace.trust.enabled`: true tests Restricted Mode. */
  trust: boolean;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
}

export interface VsCode {
  page: Page;
  workspace: string;
  logs: () => string;
  close(): Promise<void>;
}

export function toolsMissing(): string | undefined {
  if (!existsSync(CODE_SERVER)) return `code-server not installed (${CODE_SERVER}); run node scripts/setup-tools.mjs --code-server`;
  if (!existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM}; run node scripts/setup-tools.mjs --browser`;
  return undefined;
}

/** Builds the bundles when the extension bundle is missing (npm test builds first). */
export function ensureBuilt(): void {
  if (existsSync(join(ROOT, 'dist', 'extension.js')) && existsSync(join(ROOT, 'dist', 'kernel.js'))) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('integration: build failed');
}

export async function launchVsCode(opts: VsCodeOptions): Promise<VsCode> {
  ensureBuilt();
  const tmp = mkdtempSync(join(tmpdir(), 'dxnb-it-'));
  const ext = join(tmp, 'ext');
  const userData = join(tmp, 'user-data');
  const workspace = join(tmp, 'workspace');
  mkdirSync(workspace, { recursive: true });
  // The repo folder is the extension folder: package.json + dist/ + node_modules
  // (onnxruntime-node and typescript are runtime externals of the bundles).
  linkExtension(ext, ROOT);
  writeUserSettings(userData, {
    ...BASE_SETTINGS,
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': opts.trust,
    'security.workspace.trust.startupPrompt': 'never',
    'notebook.confirmDeleteRunningCell': false,
    ...opts.settings,
  });
  for (const [rel, content] of Object.entries(opts.files)) {
    mkdirSync(join(workspace, rel, '..'), { recursive: true });
    writeFileSync(join(workspace, rel), content);
  }

  const port = await freePort();
  const { proc, logs } = spawnCodeServer({
    port,
    userDataDir: userData,
    extensionsDir: ext,
    workspace,
    cwd: tmp,
    env: { ...process.env, XDG_CONFIG_HOME: join(tmp, 'config') },
  });
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    await stopCodeServer(proc);
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, proc, logs, 'integration');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // Let the workbench settle (extensions scan, layout) before typing.
    await page.waitForTimeout(2000);
    return { page, workspace, logs, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Ctrl+P quick open of a workspace file; waits for the notebook editor. */
export async function openNotebook(page: Page, name: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10_000 });
    await page.keyboard.type(name);
    await page.waitForTimeout(800);
    await page.keyboard.press('Enter');
    try {
      await page.waitForSelector('.notebook-editor', { timeout: 30_000 });
      return;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error(`integration: notebook ${name} did not open`);
}

/** Runs a command by its palette label, only once the focused row is that command. */
export async function runCommand(page: Page, label: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press('Control+Shift+P');
    const input = await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10_000 });
    await input.fill(`>${label}`);
    try {
      const focused = page.locator('.quick-input-widget .monaco-list-row.focused').first();
      await focused.waitFor({ state: 'visible', timeout: 10_000 });
      const deadline = Date.now() + 10_000;
      const matches = async () => ((await focused.getAttribute('aria-label')) ?? '').toLowerCase().startsWith(label.toLowerCase());
      while (!(await matches())) {
        if (Date.now() > deadline) throw new Error('not focused');
        await page.waitForTimeout(200);
      }
      await page.keyboard.press('Enter');
      return;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error(`integration: command "${label}" not found in the palette`);
}

/** Clicks the notebook toolbar's Run All. */
export async function runAll(page: Page): Promise<void> {
  const button = page.locator('.notebook-toolbar-container .action-item a[aria-label^="Run All"]').first();
  if (await button.isVisible().catch(() => false)) await button.click();
  else await runCommand(page, 'Notebook: Run All');
}

/** Polls every frame (outputs live in nested webview iframes) for an element. */
export async function findInFrames(
  page: Page,
  selector: string,
  opts: { text?: string | RegExp; timeoutMs?: number } = {},
): Promise<{ frame: Frame; text: string }> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let lastSeen = '';
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        const texts = await frame.$$eval(selector, (els) => els.map((e) => (e as unknown as { innerText?: string }).innerText ?? e.textContent ?? ''));
        for (const text of texts) {
          lastSeen = text;
          const t = opts.text;
          if (t === undefined || (typeof t === 'string' ? text.includes(t) : t.test(text))) return { frame, text };
        }
      } catch {
        // frame detached or navigating
      }
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`integration: no "${selector}"${opts.text ? ` with ${String(opts.text)}` : ''} in any frame (last seen: ${lastSeen.slice(0, 300)})`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Runs `body`; on failure saves a screenshot and the code-server log tail, then rethrows. */
export async function withFailureScreenshot(vs: VsCode, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    const file = await screenshot(vs.page, `${name}-failure`).catch(() => 'none');
    const frames = vs.page.frames().map((f) => f.url().slice(0, 120));
    throw new Error(`${(e as Error).message}\n  screenshot: ${file}\n  frames: ${frames.join('\n    ')}\n  code-server log tail:\n${vs.logs().slice(-3000)}`, { cause: e });
  }
}
