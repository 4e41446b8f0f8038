/**
 * An interrupt that arrives while the kernel process is still starting (a slow machine,
 * a first run) cancels the cell that is waiting for it, instead of being dropped and
 * letting the cell run to its end (`dexposure run --timeout-per-cell` relied on it).
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { createKernelSession } from '../../../src/kernel/client';
import type { KernelSession } from '../../../src/kernel/session';
import { testKernelPath } from './kernel-build';

const dir = mkdtempSync(path.join(tmpdir(), 'dx-interrupt-start-'));
const sessions: KernelSession[] = [];
after(() => {
  for (const s of sessions) s.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('interrupt while the kernel starts cancels the waiting cell; the next cell runs', { skip: process.platform === 'win32' && 'uses a shell script as the Node executable' }, async () => {
  // A Node executable that takes a second to start, so the interrupt surely comes first.
  const slowNode = path.join(dir, 'slow-node');
  writeFileSync(slowNode, `#!/bin/sh\nsleep 1\nexec "${process.execPath}" "$@"\n`);
  chmodSync(slowNode, 0o755);
  const s = createKernelSession({ cwd: dir, kernelPath: await testKernelPath(), nodePath: slowNode });
  sessions.push(s);
  const cell = s.execute('await new Promise((r) => setTimeout(r, 30_000)); "finished"', 'typescript', () => undefined);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(s.state, 'starting');
  await s.interrupt();
  const r = await cell;
  assert.equal(r.status, 'interrupted', JSON.stringify(r));
  assert.equal(r.result, undefined, 'the cell body never ran to its end');
  const next = await s.execute('40 + 2', 'typescript', () => undefined);
  assert.equal(next.status, 'ok', JSON.stringify(next.error));
  assert.equal(next.result?.['text/plain'], '42');
});
