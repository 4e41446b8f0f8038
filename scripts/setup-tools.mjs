// Installs the heavy test tools into .tools/ (gitignored, cached between runs):
//   - Node 24 from the npm registry (.tools/node24), which code-server 4.139 needs;
//   - code-server 4.139.1 (.tools/code-server), a full VS Code that installs offline;
//   - Debian's Chromium (/usr/bin/chromium), driven by playwright-core;
//   - Debian's python3-nbformat, which validates .ipynb exports in the unit tests.
// Idempotent: a finished install leaves a marker file and is skipped next time; a
// half-finished one is removed and redone (code-server breaks on a dirty folder).
// Flags: --browser (only Chromium), --code-server (Node 24 + code-server + Chromium),
// --nbformat (only python3-nbformat).
// With no flag, everything. See /work/shared/vscode-offline.md for why it is this way.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TOOLS = join(ROOT, '.tools');
export const NODE24_DIR = join(TOOLS, 'node24');
export const NODE24_BIN = join(NODE24_DIR, 'node_modules', '.bin');
export const CODE_SERVER_VERSION = '4.139.1';
export const CODE_SERVER_DIR = join(TOOLS, 'code-server');
export const CODE_SERVER_BIN = join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');
export const CHROMIUM = process.env.DEXPOSURE_CHROMIUM || '/usr/bin/chromium';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function log(msg) {
  console.log(`setup-tools: ${msg}`);
}

function fail(msg) {
  console.error(`setup-tools: ${msg}`);
  process.exit(1);
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  return r.status === 0;
}

function marker(dir) {
  return join(dir, '.installed');
}

function installed(dir, want) {
  const m = marker(dir);
  return existsSync(m) && readFileSync(m, 'utf8').trim() === want;
}

function freshFolder(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // A package.json of its own so npm installs here, not into the repo.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'dexposure-tools', private: true }, null, 2));
  // onnxruntime-node is not needed here, but keep npm quiet and offline-friendly.
  writeFileSync(join(dir, '.npmrc'), 'fund=false\naudit=false\nupdate-notifier=false\n');
}

function hasDebPackage(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Seconds apt-get waits for another apt/dpkg (e.g. unattended upgrades) to release its lock. */
export const APT_LOCK_TIMEOUT_S = 600;

/** apt-get's arguments for `args`: waits for the dpkg lock instead of failing at once. */
export function aptGetArgs(args) {
  return ['-o', `DPkg::Lock::Timeout=${APT_LOCK_TIMEOUT_S}`, ...args];
}

export function aptInstall(pkg, why) {
  if (!isRoot) {
    fail(`${why} is missing. Install it with: sudo apt-get install -y ${pkg}`);
  }
  log(`installing ${pkg} with apt-get (${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const aptGet = (args) => sh('apt-get', aptGetArgs(args), { env });
  const install = () => aptGet(['install', '-y', '--no-install-recommends', pkg]);
  // A fresh machine may have no package lists yet: update once and retry.
  if (!install() && !(aptGet(['update']) && install())) {
    fail(`apt-get install ${pkg} failed; install it by hand and rerun`);
  }
}

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  aptInstall('chromium', `Chromium (${CHROMIUM})`);
  if (!existsSync(CHROMIUM)) fail(`Chromium still not found at ${CHROMIUM} after apt-get`);
  return CHROMIUM;
}

/** Jupyter's validator, which the .ipynb export test runs (Debian's /usr/bin/python3). */
export function ensureNbformat() {
  const ok = () => spawnSync('/usr/bin/python3', ['-c', 'import nbformat'], { stdio: 'ignore' }).status === 0;
  if (ok()) return;
  aptInstall('python3-nbformat', 'python3-nbformat (validates .ipynb exports in the unit tests)');
  if (!ok()) fail('nbformat is still not importable by /usr/bin/python3 after apt-get');
}

export function ensureNode24() {
  const want = 'node@24';
  const node = join(NODE24_BIN, 'node');
  if (installed(NODE24_DIR, want) && existsSync(node)) return node;
  log('installing Node 24 from the npm registry into .tools/node24');
  freshFolder(NODE24_DIR);
  if (!sh('npm', ['install', '--no-save', 'node@24'], { cwd: NODE24_DIR })) {
    fail('npm install node@24 failed (is the npm registry reachable?)');
  }
  const v = spawnSync(node, ['--version'], { encoding: 'utf8' });
  if (v.status !== 0 || !v.stdout.startsWith('v24.')) fail(`Node 24 did not install correctly (${node})`);
  writeFileSync(marker(NODE24_DIR), want);
  return node;
}

export function ensureCodeServer() {
  const want = `code-server@${CODE_SERVER_VERSION}`;
  if (installed(CODE_SERVER_DIR, want) && existsSync(CODE_SERVER_BIN)) return CODE_SERVER_BIN;
  ensureNode24();
  // code-server's postinstall compiles the kerberos module against these headers.
  if (!hasDebPackage('libkrb5-dev')) aptInstall('libkrb5-dev', 'libkrb5-dev (headers code-server compiles against)');
  log(`installing ${want} into .tools/code-server (about 2 minutes, ~600 MB)`);
  freshFolder(CODE_SERVER_DIR);
  // Drop the outer npm's npm_* variables: npm reads npm_config_user_agent as config,
  // and code-server's postinstall reads the Node version from it (it would see v20).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  env.PATH = `${NODE24_BIN}:${process.env.PATH ?? ''}`;
  if (!sh('npm', ['install', '--no-save', want], { cwd: CODE_SERVER_DIR, env })) {
    rmSync(CODE_SERVER_DIR, { recursive: true, force: true });
    fail(`npm install ${want} failed; the half-finished folder was removed, rerun to retry`);
  }
  if (!existsSync(CODE_SERVER_BIN)) fail(`code-server binary missing after install (${CODE_SERVER_BIN})`);
  writeFileSync(marker(CODE_SERVER_DIR), want);
  return CODE_SERVER_BIN;
}

/** The environment to run code-server with: Node 24 first on PATH. */
export function codeServerEnv(base = process.env) {
  return { ...base, PATH: `${NODE24_BIN}:${base.PATH ?? ''}` };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const browser = args.includes('--browser');
  const codeServer = args.includes('--code-server');
  const nbformat = args.includes('--nbformat');
  const all = !browser && !codeServer && !nbformat;
  if (browser || codeServer || all) log(`chromium: ${ensureChromium()}`);
  if (nbformat || all) {
    ensureNbformat();
    log('nbformat: importable by /usr/bin/python3');
  }
  if (codeServer || all) {
    log(`node 24: ${ensureNode24()}`);
    log(`code-server: ${ensureCodeServer()}`);
  }
}
