/**
 * The `nodePath` session option (the dexposure.kernel.nodePath setting): kernels are
 * forked with that executable; a missing one is a clear error in the cell's result.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { createKernelSession, resolveNodeExecutable } from '../../../src/kernel/client';
import type { KernelSession } from '../../../src/kernel/session';
import { testKernelPath } from './kernel-build';

const dir = mkdtempSync(path.join(tmpdir(), 'dx-node-path-'));
const sessions: KernelSession[] = [];
after(() => {
  for (const s of sessions) s.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function session(nodePath: string): Promise<KernelSession> {
  const s = createKernelSession({ cwd: dir, kernelPath: await testKernelPath(), nodePath });
  sessions.push(s);
  return s;
}

test('the kernel runs under the configured Node executable', { skip: process.platform === 'win32' && 'symlinks need privileges on Windows' }, async () => {
  // A link with its own name: the kernel's argv0 is the executable it was started as.
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  const link = path.join(bin, 'my-node');
  symlinkSync(process.execPath, link);
  const s = await session(link);
  const r = await s.execute('process.argv0', 'typescript', () => undefined);
  assert.equal(r.status, 'ok', JSON.stringify(r.error));
  assert.equal(r.result?.['text/plain'], link);
});

test('a configured path that does not exist fails the cell with a message naming it and the setting', async () => {
  const missing = path.join(dir, 'no', 'such', 'node');
  const s = await session(missing);
  const r = await s.execute('1 + 1', 'typescript', () => undefined);
  assert.equal(r.status, 'died');
  assert.equal(r.error?.name, 'KernelStartError');
  assert.match(r.error?.message ?? '', new RegExp(`Node\\.js executable ${missing.replace(/[\\/.]/g, '\\$&')} does not exist`));
  assert.match(r.error?.message ?? '', /dexposure\.kernel\.nodePath/);
});

test('resolveNodeExecutable: empty means the host runtime; paths resolve against the base; bare names come from PATH', () => {
  assert.equal(resolveNodeExecutable(undefined), process.execPath);
  assert.equal(resolveNodeExecutable('  '), process.execPath);
  const bin = path.join(dir, 'path-bin');
  mkdirSync(bin, { recursive: true });
  const exe = path.join(bin, 'nodeish');
  writeFileSync(exe, '#!/bin/sh\n');
  chmodSync(exe, 0o755);
  assert.equal(resolveNodeExecutable('path-bin/nodeish', dir), exe);
  assert.equal(resolveNodeExecutable('nodeish', dir, ['/nonexistent-dir', bin].join(path.delimiter)), exe);
  assert.throws(() => resolveNodeExecutable('nodeish', dir, '/nonexistent-dir'), /"nodeish" was not found on PATH/);
  // A folder is not an executable.
  assert.throws(() => resolveNodeExecutable(bin, dir), /path-bin is a folder, not a program/);
});
