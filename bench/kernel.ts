/**
 * Kernel overheads: start time (fork -> ready) and the round trip of a trivial cell
 * (`1+1`), against a baseline measured in the same run: a bare forked Node process that
 * says ready and echoes IPC messages. Uses the built dist/kernel.js (`npm run build`).
 * `--quick` runs fewer rounds.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createKernelSession } from '../src/kernel/client';

const root = path.resolve(__dirname, '..');
const quick = process.argv.includes('--quick');
const STARTS = quick ? 3 : 8;
const ROUNDS = quick ? 50 : 300;

const kernelPath = path.join(root, 'dist', 'kernel.js');
if (!existsSync(kernelPath)) {
  console.error('bench/kernel: dist/kernel.js is missing; run `npm run build` first');
  process.exit(2);
}
const echoDir = path.join(root, '.cache', 'bench');
mkdirSync(echoDir, { recursive: true });
const echoPath = path.join(echoDir, 'ipc-echo.js');
writeFileSync(echoPath, "process.on('message', (m) => process.send(m)); process.on('disconnect', () => process.exit(0)); process.send({ type: 'ready' });\n");

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function baselineStart(): Promise<{ startMs: number; roundTripMs: number }> {
  const t0 = performance.now();
  const child = fork(echoPath, [], { execArgv: [], silent: true });
  await new Promise<void>((res) => child.once('message', () => res()));
  const startMs = performance.now() - t0;
  const t1 = performance.now();
  for (let i = 0; i < ROUNDS; i++) {
    await new Promise<void>((res) => {
      child.once('message', () => res());
      child.send({ type: 'execute', id: i, code: '1+1', language: 'typescript' });
    });
  }
  const roundTripMs = (performance.now() - t1) / ROUNDS;
  child.disconnect();
  return { startMs, roundTripMs };
}

async function kernelRun(): Promise<{ startMs: number; firstCellMs: number; roundTripMs: number }> {
  const s = createKernelSession({ cwd: root, kernelPath });
  const t0 = performance.now();
  await s.start();
  const startMs = performance.now() - t0;
  // The first cell also pays for loading the TypeScript compiler.
  const t1 = performance.now();
  await s.execute('1+1', 'typescript', () => undefined);
  const firstCellMs = performance.now() - t1;
  const t2 = performance.now();
  for (let i = 0; i < ROUNDS; i++) {
    const r = await s.execute('1+1', 'typescript', () => undefined);
    if (r.status !== 'ok' || r.result?.['text/plain'] !== '2') throw new Error(`bench/kernel: unexpected result ${JSON.stringify(r)}`);
  }
  const roundTripMs = (performance.now() - t2) / ROUNDS;
  s.dispose();
  return { startMs, firstCellMs, roundTripMs };
}

async function main(): Promise<void> {
  const base: { startMs: number; roundTripMs: number }[] = [];
  const kern: { startMs: number; firstCellMs: number; roundTripMs: number }[] = [];
  // Interleave so load on the machine affects both alike.
  for (let i = 0; i < STARTS; i++) {
    base.push(await baselineStart());
    kern.push(await kernelRun());
  }
  const b = { startMs: median(base.map((x) => x.startMs)), roundTripMs: median(base.map((x) => x.roundTripMs)) };
  const k = { startMs: median(kern.map((x) => x.startMs)), firstCellMs: median(kern.map((x) => x.firstCellMs)), roundTripMs: median(kern.map((x) => x.roundTripMs)) };
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  console.log(
    JSON.stringify({
      starts: STARTS,
      rounds: ROUNDS,
      baselineStartMs: r3(b.startMs),
      kernelStartMs: r3(k.startMs),
      startRatio: r3(k.startMs / b.startMs),
      kernelFirstCellMs: r3(k.firstCellMs),
      baselineRoundTripMs: r3(b.roundTripMs),
      kernelRoundTripMs: r3(k.roundTripMs),
      roundTripRatio: r3(k.roundTripMs / b.roundTripMs),
    }),
  );
}

void main();
