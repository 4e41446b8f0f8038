/**
 * scripts/setup-tools.mjs installs missing Debian packages as root. Another apt-get or
 * dpkg (unattended upgrades on a fresh machine) may hold the dpkg lock: apt-get must
 * wait for it rather than fail. A fake apt-get on PATH behaves like the real one with
 * a held lock: it fails at once unless asked to wait (DPkg::Lock::Timeout).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const SCRIPT = resolve(__dirname, '..', '..', '..', 'scripts', 'setup-tools.mjs');
const notRoot = typeof process.getuid !== 'function' || process.getuid() !== 0 ? 'installs with apt-get only as root' : undefined;

test('apt-get waits for a dpkg lock held by another process instead of failing', { skip: notRoot }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dx-apt-'));
  try {
    const calls = join(dir, 'calls.txt');
    writeFileSync(
      join(dir, 'apt-get'),
      [
        '#!/bin/sh',
        `echo "$*" >> ${JSON.stringify(calls)}`,
        'case "$*" in',
        '  *DPkg::Lock::Timeout=*) exit 0 ;;',
        'esac',
        'echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)" >&2',
        'exit 100',
        '',
      ].join('\n'),
    );
    chmodSync(join(dir, 'apt-get'), 0o755);
    const code = `import { aptInstall } from ${JSON.stringify(pathToFileURL(SCRIPT).href)};\naptInstall('dexposure-fake-pkg', 'a test package');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` }, encoding: 'utf8' });
    assert.equal(r.status, 0, `setup-tools failed: ${r.stdout}${r.stderr}`);
    const lines = readFileSync(calls, 'utf8').trim().split('\n');
    assert.deepEqual(lines, ['-o DPkg::Lock::Timeout=600 install -y --no-install-recommends dexposure-fake-pkg']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
