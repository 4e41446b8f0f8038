// `dexposure run --in-place` when the notebook cannot be written (here: a 256 KiB
// file-size limit and a 1 MiB output): the command fails with a clear message and the
// notebook on disk is byte-identical to what it was.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { serializeNotebook } from '../../../src/core/notebook';
import { testKernelPath } from '../kernel/kernel-build';
import { runCli } from './cli-process';

const dir = mkdtempSync(path.join(tmpdir(), 'dx-run-wfail-'));
let kernelPath: string;
before(async () => {
  kernelPath = await testKernelPath();
});
after(() => rmSync(dir, { recursive: true, force: true }));


test('run --in-place: a failed write leaves the notebook byte-identical', async () => {
  const file = path.join(dir, 'big.dxnb');
  writeFileSync(
    file,
    serializeNotebook({
      metadata: {},
      cells: [
        { kind: 'markdown', language: 'markdown', source: '# keep me', metadata: {}, outputs: [] },
        { kind: 'code', language: 'typescript', source: "'x'.repeat(1 << 20)", metadata: {}, outputs: [{ items: [{ mime: 'text/plain', data: 'previous' }], metadata: {} }] },
      ],
    }),
  );
  const before = readFileSync(file);
  const r = await runCli(['run', file, '--in-place', '--quiet'], { fileSizeLimitKiB: 256, env: { DEXPOSURE_KERNEL_PATH: kernelPath } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /run: cannot write .*big\.dxnb: .*\(the previous file, if any, is unchanged\)/);
  assert.deepEqual(readFileSync(file), before);
  assert.deepEqual(readdirSync(dir), ['big.dxnb']);
});
