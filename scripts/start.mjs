// `npm start`: try the extension in a real VS Code without installing anything
// system-wide. Installs dependencies when missing, builds, installs code-server (with
// the Node 24 it needs) into .tools/, links the built extension into a private
// extensions dir, opens a writable copy of examples/ and serves the workbench on
// 127.0.0.1. Stays in the foreground until Ctrl+C. Nothing here reaches the internet
// except npm installing missing packages from the registry.
//
//   npm start                  port 8080 when free, else any free port
//   npm start -- --port 9000   this port (fails when it is taken)
//   npm start -- --check       start, wait for the workbench to answer, print the URL, stop
//   npm start -- --state DIR   keep extensions, settings and the workspace copy in DIR (default .cache/)
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BASE_SETTINGS, CODE_SERVER_BIN, EXTENSION_ID, freePort, linkExtension, portIsFree, ROOT, spawnCodeServer, stopCodeServer, waitForHttp, workbenchUrl } from './code-server.mjs';
import { codeServerEnv, ensureCodeServer } from './setup-tools.mjs';
import { applySettings } from './start-settings.mjs';
import { refreshWorkspace } from './start-workspace.mjs';

const DEFAULT_PORT = 8080;
const READY_TIMEOUT_MS = 90_000;

function usage(code) {
  console.log('usage: npm start [-- --port N] [--check] [--state DIR]');
  process.exit(code);
}

function fail(msg) {
  console.error(`start: ${msg}`);
  process.exit(1);
}

function parseArgs(argv) {
  const opts = { port: undefined, check: false, state: join(ROOT, '.cache') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') opts.check = true;
    else if (a === '--help' || a === '-h') usage(0);
    else if (a === '--port' || a === '--state') {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      if (a === '--state') opts.state = resolve(v);
      else {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 65535) fail(`--port expects a whole number from 1 to 65535, got "${v}"`);
        opts.port = n;
      }
    } else {
      console.error(`start: unknown argument "${a}"`);
      usage(2);
    }
  }
  return opts;
}

function step(cmd, args) {
  console.log(`start: $ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) fail(`step failed: ${cmd} ${args.join(' ')} (exit ${r.status ?? r.signal})`);
}

/** Our defaults, except where the user changed a setting in the workbench. */
function writeSettings(userDataDir, recordFile) {
  const defaults = {
    ...BASE_SETTINGS,
    // The Welcome page lists the extension's walkthrough (Get Started with DeXposure Notebooks).
    'workbench.startupEditor': 'welcomePage',
    // The normal flow: VS Code asks whether to trust the folder before cells run.
    'security.workspace.trust.enabled': true,
    // The workspace copy lives inside this repository: do not offer to open its git repo.
    'git.openRepositoryInParentFolders': 'never',
  };
  const file = join(userDataDir, 'User', 'settings.json');
  if (!applySettings(file, recordFile, defaults)) console.log(`start: keeping ${file} as it is (it is not plain JSON, so the defaults were not merged in)`);
}

/** The extension as code-server itself lists it, or undefined when it is not seen. */
function listedExtension(extensionsDir, userDataDir) {
  const r = spawnSync(CODE_SERVER_BIN, ['--list-extensions', '--show-versions', '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir], {
    encoding: 'utf8',
    env: codeServerEnv(),
  });
  return (r.stdout ?? '').split('\n').find((l) => l.startsWith(`${EXTENSION_ID}@`));
}

const opts = parseArgs(process.argv.slice(2));
if (opts.port !== undefined && !(await portIsFree(opts.port))) fail(`port ${opts.port} on 127.0.0.1 is already in use; pick another with --port N`);

if (!existsSync(join(ROOT, 'node_modules', '.package-lock.json'))) step('npm', ['ci']);
step('npm', ['run', 'build', '--silent']);
ensureCodeServer();

const base = join(opts.state, 'start');
const extensionsDir = join(base, 'extensions');
const userDataDir = join(base, 'user-data');
const workspace = join(opts.state, 'start-workspace');
linkExtension(extensionsDir, ROOT);
writeSettings(userDataDir, join(base, 'settings-record.json'));
const refreshed = refreshWorkspace(join(ROOT, 'examples'), workspace, join(base, 'examples-record.json'));
if (refreshed.copied.length) console.log(`start: copied ${refreshed.copied.length} example files into ${workspace}`);
if (refreshed.updated.length) console.log(`start: updated examples you had not changed: ${refreshed.updated.join(', ')}`);
if (refreshed.kept.length) console.log(`start: kept your edited copies (the newer originals are in examples/): ${refreshed.kept.join(', ')}`);

const port = opts.port ?? (await freePort(DEFAULT_PORT));
const url = workbenchUrl(port, workspace);
mkdirSync(base, { recursive: true });
const logFile = join(base, 'code-server.log');
const { proc, logs } = spawnCodeServer({
  port,
  userDataDir,
  extensionsDir,
  workspace,
  cwd: base,
  // code-server keeps its own config.yaml under XDG_CONFIG_HOME: keep ours private.
  env: { ...process.env, XDG_CONFIG_HOME: join(base, 'config') },
});
const logStream = createWriteStream(logFile);
proc.stdout.pipe(logStream);
proc.stderr.pipe(logStream);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await stopCodeServer(proc);
  logStream.end();
  process.exit(code);
}

try {
  const r = await waitForHttp(url, READY_TIMEOUT_MS, proc, logs, 'start');
  const html = await r.text();
  if (!html.includes('workbench')) throw new Error(`start: ${url} answered, but not with the VS Code workbench:\n${html.slice(0, 500)}`);
} catch (e) {
  console.error((e instanceof Error ? e.message : String(e)).slice(-4000));
  await stop(1);
}

console.log(`
  DeXposure Notebooks is running in VS Code (code-server).

    Open:  ${url}

  Workspace: ${workspace}
             (your copy of examples/; what you change there is kept)
  Log:       ${logFile}
`);

if (opts.check) {
  const listed = listedExtension(extensionsDir, userDataDir);
  if (!listed) {
    console.error(`start: code-server does not list ${EXTENSION_ID} in ${extensionsDir}`);
    await stop(1);
  }
  console.log(`start: workbench answered HTTP 200; extension ${listed} installed in ${extensionsDir}`);
  await stop(0);
} else {
  console.log('  Press Ctrl+C to stop.\n');
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      console.log('\nstart: stopping code-server');
      void stop(0);
    });
  }
  proc.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`start: code-server stopped by itself (${signal ?? `exit ${code}`}); last log lines:\n${logs().slice(-3000)}`);
    logStream.end();
    process.exit(1);
  });
}
