// Running the extension in code-server (a full VS Code in the browser, installed
// offline by scripts/setup-tools.mjs): shared by `npm start` (scripts/start.mjs) and
// the integration tests (test/integration/harness.ts), so both load the extension,
// write settings and start the server the same way.
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { CODE_SERVER_BIN, NODE24_BIN, ROOT } from './setup-tools.mjs';

export { CODE_SERVER_BIN, NODE24_BIN, ROOT };

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
/** `<publisher>.<name>`, the id VS Code knows the extension by. */
export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
/** The folder name VS Code expects in an extensions dir: `<publisher>.<name>-<version>`. */
export const EXTENSION_FOLDER = `${EXTENSION_ID}-${manifest.version}`;

/** Settings for a quiet, offline workbench; callers add trust and their own choices. */
export const BASE_SETTINGS = {
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.colorTheme': 'Default Light Modern',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.sideBar.location': 'left',
};

/**
 * Makes `source` (a built extension folder: package.json + dist/ + its runtime
 * node_modules) the installed copy of this extension in `extDir`, by symlink. Other
 * versions of the same extension linked there earlier are removed, so VS Code never
 * loads two. Returns the link's path.
 */
export function linkExtension(extDir, source = ROOT) {
  mkdirSync(extDir, { recursive: true });
  for (const name of readdirSync(extDir)) {
    if (name.startsWith(`${EXTENSION_ID}-`) && name !== EXTENSION_FOLDER) rmSync(join(extDir, name), { recursive: true, force: true });
  }
  const link = join(extDir, EXTENSION_FOLDER);
  const target = resolve(source);
  let current;
  try {
    current = lstatSync(link).isSymbolicLink() ? resolve(readlinkSync(link)) : 'not a link';
  } catch {
    current = undefined;
  }
  if (current !== target) {
    if (current !== undefined) rmSync(link, { recursive: true, force: true });
    symlinkSync(target, link, 'dir');
  }
  return link;
}

/** Writes `UD/User/settings.json`. */
export function writeUserSettings(userDataDir, settings) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

/** Whether `port` can be bound on 127.0.0.1 right now. */
export function portIsFree(port) {
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

/** `preferred` when it is free, else any free port the system hands out. */
export async function freePort(preferred) {
  if (preferred !== undefined && (await portIsFree(preferred))) return preferred;
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/**
 * Starts code-server on 127.0.0.1:port in its own process group (stop it with
 * `stopCodeServer`), with Node 24 first on PATH. Output is collected; `logs()` returns it.
 */
export function spawnCodeServer({ port, userDataDir, extensionsDir, workspace, cwd, env = process.env }) {
  const args = [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, workspace,
  ];
  const proc = spawn(CODE_SERVER_BIN, args, {
    cwd,
    detached: true,
    env: { ...env, PATH: `${NODE24_BIN}:${env.PATH ?? ''}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout.on('data', (d) => (log += d.toString()));
  proc.stderr.on('data', (d) => (log += d.toString()));
  return { proc, logs: () => log };
}

/** SIGTERM to the server's own process group; resolves once it exited (SIGKILL after `graceMs`). */
export async function stopCodeServer(proc, graceMs = 5000) {
  if (proc.exitCode !== null || proc.signalCode !== null || !proc.pid) return;
  const exited = new Promise((res) => proc.once('exit', res));
  const signal = (sig) => {
    try {
      process.kill(-proc.pid, sig); // our own process group only
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Polls `url` until it answers 2xx; fails early when the server exits. */
export async function waitForHttp(url, timeoutMs, proc, logs, label = 'code-server') {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${label}: code-server exited (${proc.exitCode}):\n${logs()}`);
    try {
      const r = await globalThis.fetch(url);
      if (r.ok) return r;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${label}: code-server did not answer ${url} within ${timeoutMs} ms:\n${logs()}`);
}

/** The workbench URL that opens `folder` (slashes left readable; they are valid in a query). */
export function workbenchUrl(port, folder) {
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`;
}

export function codeServerInstalled() {
  return existsSync(CODE_SERVER_BIN);
}
