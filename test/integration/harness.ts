/**
 * A real VS Code for integration tests: code-server (installed by
 * scripts/setup-tools.mjs into .tools/) with our extension linked into a fresh
 * extensions dir, a fresh user-data dir and workspace, driven by playwright-core in
 * Debian's Chromium. See /work/shared/vscode-offline.md for why this setup.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

export const ROOT = resolve(__dirname, '..', '..');
export const RESULTS = join(ROOT, 'test-results');
const NODE24_BIN = join(ROOT, '.tools', 'node24', 'node_modules', '.bin');
const CODE_SERVER = join(ROOT, '.tools', 'code-server', 'node_modules', '.bin', 'code-server');
const CHROMIUM = process.env.DEXPOSURE_CHROMIUM || '/usr/bin/chromium';
const EXTENSION_FOLDER = 'dexposure.dexposure-notebooks-0.1.0';

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

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number, proc: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`integration: code-server exited (${proc.exitCode}):\n${logs()}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`integration: code-server did not answer ${url} within ${timeoutMs} ms:\n${logs()}`);
}

export async function launchVsCode(opts: VsCodeOptions): Promise<VsCode> {
  ensureBuilt();
  const tmp = mkdtempSync(join(tmpdir(), 'dxnb-it-'));
  const ext = join(tmp, 'ext');
  const userData = join(tmp, 'user-data');
  const workspace = join(tmp, 'workspace');
  mkdirSync(ext, { recursive: true });
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  // The repo folder is the extension folder: package.json + dist/ + node_modules
  // (onnxruntime-node and typescript are runtime externals of the bundles).
  symlinkSync(ROOT, join(ext, EXTENSION_FOLDER), 'dir');
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'telemetry.telemetryLevel': 'off',
        'security.workspace.trust.enabled': opts.trust,
        'security.workspace.trust.startupPrompt': 'never',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'update.mode': 'none',
        'notebook.confirmDeleteRunningCell': false,
        'chat.disableAIFeatures': true,
        'workbench.colorTheme': 'Default Light Modern',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'workbench.sideBar.location': 'left',
        ...opts.settings,
      },
      null,
      2,
    ),
  );
  for (const [rel, content] of Object.entries(opts.files)) {
    mkdirSync(join(workspace, rel, '..'), { recursive: true });
    writeFileSync(join(workspace, rel), content);
  }

  const port = await freePort();
  let log = '';
  const proc = spawn(
    CODE_SERVER,
    [
      '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
      '--user-data-dir', userData, '--extensions-dir', ext, workspace,
    ],
    {
      cwd: tmp,
      detached: true,
      env: { ...process.env, PATH: `${NODE24_BIN}:${process.env.PATH ?? ''}`, XDG_CONFIG_HOME: join(tmp, 'config') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  proc.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const logs = () => log;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    if (proc.exitCode === null && proc.pid) {
      try {
        process.kill(-proc.pid, 'SIGTERM'); // our own process group only
      } catch {
        // already gone
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, proc, logs);
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
