/**
 * `npm start` (scripts/start.mjs) against the real code-server: --check starts the
 * workbench, links the extension into the private extensions dir and stops; the
 * foreground mode serves the printed URL until SIGINT and then stops code-server;
 * the user's edits in the workspace copy survive a restart. Each run uses its own
 * state folder (--state), never the developer's .cache/.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXTENSION_FOLDER, freePort } from '../../scripts/code-server.mjs';
import { ROOT, toolsMissing } from './harness';

const skip = toolsMissing() ?? false;
const state = mkdtempSync(join(tmpdir(), 'dxnb-start-'));
after(() => rmSync(state, { recursive: true, force: true }));

const START = join(ROOT, 'scripts', 'start.mjs');
const URL_LINE = /Open:\s+(http:\/\/127\.0\.0\.1:(\d+)\/\?folder=(\S+))/;

test('start --check: the workbench answers, the extension is installed, then it stops', { skip, timeout: 90_000 }, async () => {
  const port = await freePort();
  const r = spawnSync(process.execPath, [START, '--check', '--port', String(port), '--state', state], { cwd: ROOT, encoding: 'utf8', timeout: 80_000 });
  assert.equal(r.status, 0, `start --check failed:\n${r.stdout}\n${r.stderr}`);
  const m = URL_LINE.exec(r.stdout);
  assert.ok(m, `no URL printed:\n${r.stdout}`);
  assert.equal(Number(m[2]), port);
  assert.equal(decodeURIComponent(m[3]), join(state, 'start-workspace'));
  assert.match(r.stdout, /workbench answered HTTP 200; extension dexposure\.dexposure-notebooks@0\.1\.0 installed/);
  // The private extensions dir holds this repository as the extension.
  const installed = join(state, 'start', 'extensions', EXTENSION_FOLDER);
  assert.equal(realpathSync(installed), realpathSync(ROOT));
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { publisher: string; name: string };
  assert.equal(`${manifest.publisher}.${manifest.name}`, 'dexposure.dexposure-notebooks');
  assert.ok(existsSync(join(installed, 'dist', 'extension.js')), 'the built extension bundle is there');
  // The writable examples copy and settings with trust on (the normal flow).
  assert.equal(readFileSync(join(state, 'start-workspace', 'hello.dxnb'), 'utf8'), readFileSync(join(ROOT, 'examples', 'hello.dxnb'), 'utf8'));
  const settings = JSON.parse(readFileSync(join(state, 'start', 'user-data', 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(settings['security.workspace.trust.enabled'], true);
  assert.equal(settings['telemetry.telemetryLevel'], 'off');
  // --check stopped the server it started.
  await assert.rejects(fetch(m[1]), 'nothing listens on the port after --check');
});

test('start in the foreground: serves the printed URL until SIGINT; edited notebooks survive', { skip, timeout: 90_000 }, async () => {
  const edited = join(state, 'start-workspace', 'hello.dxnb');
  if (!existsSync(edited)) spawnSync(process.execPath, [START, '--check', '--state', state], { cwd: ROOT, timeout: 80_000 });
  writeFileSync(edited, '{"format":"dexposure-notebook","version":1,"cells":[]}');
  const port = await freePort();
  const child = spawn(process.execPath, [START, '--port', String(port), '--state', state], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  try {
    const url = await new Promise<string>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no URL within 75 s:\n${out}`)), 75_000);
      child.stdout.on('data', () => {
        const m = URL_LINE.exec(out);
        if (m && out.includes('Ctrl+C')) {
          clearTimeout(timer);
          res(m[1]);
        }
      });
      child.on('exit', (code) => rej(new Error(`start exited (${code}) before printing the URL:\n${out}`)));
    });
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /workbench/);
    assert.match(out, /kept your edited copies .*hello\.dxnb/);
    assert.equal(readFileSync(edited, 'utf8'), '{"format":"dexposure-notebook","version":1,"cells":[]}');
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0, `start did not stop cleanly:\n${out}`);
  // code-server is gone too: the port can be bound again.
  await new Promise<void>((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(port, '127.0.0.1', () => srv.close(() => res()));
  });
});

test('start --port refuses a port that is taken, saying which', { skip }, async () => {
  const srv = createServer();
  const port = await new Promise<number>((res) => srv.listen(0, '127.0.0.1', () => res((srv.address() as { port: number }).port)));
  try {
    const r = spawnSync(process.execPath, [START, '--check', '--port', String(port), '--state', state], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
  } finally {
    srv.close();
  }
});
