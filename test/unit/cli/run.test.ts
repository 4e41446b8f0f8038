import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MIME } from '../../../src/core/display/views';
import { exportIpynb, importIpynb, parseNotebook, serializeNotebook, STDOUT_MIME, ERROR_MIME, type NotebookDocument } from '../../../src/core/notebook';
import { defaultOutPath } from '../../../src/cli/commands/run';
import { testKernelPath } from '../kernel/kernel-build';
import { runCli, spawnCli } from './cli-process';

const dir = mkdtempSync(path.join(tmpdir(), 'dx-run-test-'));
let kernelPath: string;

before(async () => {
  kernelPath = await testKernelPath();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const withKernel = (env: NodeJS.ProcessEnv) => ({ DEXPOSURE_KERNEL_PATH: kernelPath, ...env }) as Record<string, string>;
const startCli = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnCli(args, { env: withKernel(env) });
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { env: withKernel(env) });

const code = (source: string) => ({ kind: 'code' as const, language: 'typescript', source, metadata: {}, outputs: [] });

function write(name: string, doc: NotebookDocument): string {
  const file = path.join(dir, name);
  writeFileSync(file, serializeNotebook(doc));
  return file;
}

describe('dexposure run', () => {
  test('default output name', () => {
    assert.equal(defaultOutPath('/a/b/analysis.dxnb'), '/a/b/analysis.executed.dxnb');
    assert.equal(defaultOutPath('x.ipynb'), 'x.executed.ipynb');
  });

  test('success: every code cell runs in one kernel, outputs and execution info are written', async () => {
    const file = write('ok.dxnb', {
      metadata: { keep: 'me' },
      cells: [
        { kind: 'markdown', language: 'markdown', source: '# t', metadata: {}, outputs: [] },
        code('const a = 20\nconsole.log("a is", a)'),
        code('await new Promise((r) => setTimeout(r, 10))\ndx.display([{ k: "x", v: 1 }])\na + 22'),
      ],
    });
    const r = await cli(['run', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /2 \| a is 20/);
    assert.match(r.stdout, /3 \| 42/);
    const out = parseNotebook(readFileSync(path.join(dir, 'ok.executed.dxnb'), 'utf8'));
    assert.deepEqual(out.metadata, { keep: 'me' });
    assert.deepEqual(out.cells[1].outputs[0].items, [{ mime: STDOUT_MIME, data: 'a is 20\n' }]);
    assert.deepEqual(out.cells[1].execution && { count: out.cells[1].execution.count, success: out.cells[1].execution.success }, { count: 1, success: true });
    const c2 = out.cells[2].outputs;
    assert.equal(c2.length, 2);
    assert.deepEqual(c2[0].items.map((i) => i.mime), [MIME.table, 'text/markdown']);
    assert.deepEqual(c2[1].items, [{ mime: 'text/plain', data: '42' }]);
    assert.equal(out.cells[2].execution?.count, 2);
    assert.ok(out.cells[2].execution!.endTime! >= out.cells[2].execution!.startTime!);
    // The input file is untouched.
    assert.deepEqual(parseNotebook(readFileSync(file, 'utf8')).cells[1].outputs, []);
  });

  test('a failing cell: exit 1, the cell index, first line and error printed, later cells not run', async () => {
    const stale = { items: [{ mime: 'text/plain', data: 'stale' }], metadata: {} };
    const file = write('fail.dxnb', {
      metadata: {},
      cells: [code('const ok = 1'), code('// load step\nconst x = ok\n\nthrow new RangeError("no data for week 7")'), { ...code('console.log("never")'), outputs: [stale], execution: { count: 9, success: true } }],
    });
    const outFile = path.join(dir, 'fail.out.dxnb');
    const r = await cli(['run', file, '--out', outFile]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cell 2 failed \(error\): \/\/ load step/);
    assert.match(r.stderr, /RangeError: no data for week 7/);
    assert.match(r.stderr, /cell-2\.ts:4:7/);
    assert.match(r.stderr, /1 later cell not run/);
    assert.doesNotMatch(r.stdout, /never/);
    const out = parseNotebook(readFileSync(outFile, 'utf8'));
    assert.equal(out.cells[1].execution?.success, false);
    const err = out.cells[1].outputs.at(-1)!.items[0];
    assert.equal(err.mime, ERROR_MIME);
    assert.equal((err.data as { message: string }).message, 'no data for week 7');
    assert.deepEqual(out.cells[2].outputs, [], 'stale outputs of a cell that was not run are cleared');
    assert.equal(out.cells[2].execution, undefined);
  });

  test('--timeout-per-cell interrupts a runaway cell; --json summary', async () => {
    const file = write('slow.dxnb', { metadata: {}, cells: [code('await new Promise((r) => setTimeout(r, 60_000))'), code('1')] });
    const r = await cli(['run', file, '--timeout-per-cell', '0.5', '--json', '--out', path.join(dir, 'slow.out.dxnb')]);
    assert.equal(r.code, 1);
    const summary = JSON.parse(r.stdout) as { ok: boolean; failedCell: number; cells: { status: string }[] };
    assert.equal(summary.ok, false);
    assert.equal(summary.failedCell, 0);
    assert.deepEqual(summary.cells.map((c) => c.status), ['timeout', 'skipped']);
  });

  test('.ipynb in and out', async () => {
    const doc: NotebookDocument = { metadata: {}, cells: [code('console.log("hi"); dx.display({ data: [{ type: "bar", x: [1], y: [2] }] }); 7')] };
    const file = path.join(dir, 'nb.ipynb');
    writeFileSync(file, exportIpynb(doc));
    const r = await cli(['run', file, '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const outFile = path.join(dir, 'nb.executed.ipynb');
    assert.ok(existsSync(outFile));
    const raw = JSON.parse(readFileSync(outFile, 'utf8')) as { nbformat: number; nbformat_minor: number; cells: { outputs: { output_type: string; data?: Record<string, unknown> }[] }[] };
    assert.equal(raw.nbformat, 4);
    assert.equal(raw.nbformat_minor, 5);
    assert.deepEqual(raw.cells[0].outputs.map((o) => o.output_type), ['stream', 'display_data', 'execute_result']);
    assert.ok(raw.cells[0].outputs[1].data![MIME.chart]);
    const back = importIpynb(readFileSync(outFile, 'utf8'));
    assert.equal(back.cells[0].language, 'typescript');
    assert.equal(back.cells[0].outputs.length, 3);
  });

  test('usage errors exit 2 with a clear message', async () => {
    const r = await cli(['run', path.join(dir, 'missing.dxnb')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read .*missing\.dxnb: no such file/);
    const bad = path.join(dir, 'bad.dxnb');
    writeFileSync(bad, '{"format": "dexposure-notebook", "version": 1, "cells": [');
    const r2 = await cli(['run', bad]);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /bad\.dxnb: At line 1, column \d+: not valid JSON/);
  });

  test('a rejection left by a cell shows on that cell; timer output on the cell running then', async () => {
    const file = write('late.dxnb', {
      metadata: {},
      cells: [code('setTimeout(() => console.log("tick from cell 1"), 100)\nvoid Promise.reject(new RangeError("left behind"))\n"one"'), code('await new Promise((r) => setTimeout(r, 700))\n"two"')],
    });
    const r = await cli(['run', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, / {2}1 \| Unhandled promise rejection: RangeError: left behind/);
    assert.match(r.stdout, / {2}2 \| tick from cell 1/);
    const out = parseNotebook(readFileSync(path.join(dir, 'late.executed.dxnb'), 'utf8'));
    const texts = (i: number) => out.cells[i].outputs.flatMap((o) => o.items.map((it) => `${it.mime}: ${String(it.data)}`)).join('\n');
    assert.match(texts(0), /stderr: Unhandled promise rejection: RangeError: left behind/);
    assert.match(texts(1), /stdout: tick from cell 1/);
  });

  test('a kernel that cannot start writes nothing: the notebook keeps its saved outputs', async () => {
    const saved = { items: [{ mime: 'text/plain', data: 'saved result' }], metadata: {} };
    const file = write('nostart.dxnb', { metadata: {}, cells: [{ ...code('1 + 1'), outputs: [saved], execution: { count: 4, success: true } }] });
    const before = readFileSync(file);
    const broken = path.join(dir, 'broken-kernel.js');
    writeFileSync(broken, 'process.stderr.write("cannot boot\\n"); process.exit(3);\n');
    const r = await cli(['run', file, '--in-place'], { DEXPOSURE_KERNEL_PATH: broken });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /could not start the kernel: the kernel process exited with code 3 before it was ready/);
    assert.match(r.stderr, /cannot boot/);
    assert.match(r.stderr, /Nothing was written/);
    assert.deepEqual(readFileSync(file), before);
  });
});

/** True while `pid` runs (a zombie waiting for its parent to reap it counts as gone). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('dexposure run: killing the CLI ends its kernel', () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
    test(`${signal} to the CLI while a cell spins: no kernel process remains`, async () => {
      const file = write(`spin-${signal}.dxnb`, { metadata: {}, cells: [code('console.log("kernel pid", process.pid)'), code('while (true) {}')] });
      const child = startCli(['run', file]);
      let stdout = '';
      let stderr = '';
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, sig) => res({ code, signal: sig })));
      const busy = new Promise<number>((resolve, reject) => {
        const check = () => {
          const pid = /kernel pid (\d+)/.exec(stdout)?.[1];
          if (pid && /\[2\] cell 2/.test(stderr)) resolve(Number(pid));
        };
        child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), check()));
        child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), check()));
        void exited.then(() => reject(new Error(`the CLI exited before the busy cell: ${stderr}`)));
      });
      const kernelPid = await busy;
      // Let the busy cell start spinning (the kernel's event loop is then blocked).
      await new Promise((r) => setTimeout(r, 500));
      assert.ok(running(kernelPid), 'the kernel runs the busy cell');
      child.kill(signal);
      const how = await exited;
      const deadline = Date.now() + 15_000;
      while (running(kernelPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const alive = running(kernelPid);
      if (alive) process.kill(kernelPid, 'SIGKILL');
      assert.equal(alive, false, `kernel ${kernelPid} still runs after ${signal} to the CLI`);
      if (signal !== 'SIGKILL') {
        assert.equal(how.code, signal === 'SIGINT' ? 130 : 143, stderr);
        assert.match(stderr, new RegExp(`stopped by ${signal}; the kernel was ended and nothing was written`));
      }
      assert.equal(existsSync(path.join(dir, `spin-${signal}.executed.dxnb`)), false);
    });
  }
});
