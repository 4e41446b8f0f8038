/**
 * A small pool of conversion worker threads (convert-worker.ts), one per core, so a
 * cold open parses and writes weeks on every core while the opening thread scans
 * for week boundaries. With `alsoHere` the calling thread converts weeks too whenever
 * every worker has a queue (a smaller release: one worker started beside it instead
 * of one per core, each worker being a fresh isolate to start and warm up). Where a
 * worker cannot be started (no worker script beside this module, or a worker dies),
 * jobs run in the calling thread instead: slower, same results.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { runWeekJob, type WeekJob, type WeekJobResult } from './week-job';

/** Thrown for a job when its worker thread failed (not the week: the week is fine or unknown). */
export class WorkerFailure extends Error {}

interface Slot {
  worker: Worker;
  busy: number;
}

/**
 * How to start a worker: the bundle ships dist/convert-worker.js beside the bundle
 * that opens releases; from sources (tests, benchmarks run with tsx) the .ts entry
 * is loaded through tsx's require hook.
 */
function workerEntry(): { code: string; eval: boolean; execArgv?: string[] } | undefined {
  const js = join(__dirname, 'convert-worker.js');
  if (existsSync(js)) return { code: js, eval: false, execArgv: withoutModuleHooks(process.execArgv) };
  const ts = join(__dirname, 'convert-worker.ts');
  if (!existsSync(ts)) return undefined;
  let hook: string;
  try {
    hook = require.resolve('tsx/cjs');
  } catch {
    return undefined;
  }
  return { code: `require(${JSON.stringify(hook)}); require(${JSON.stringify(ts)});`, eval: true };
}

/** Flags that load module hooks or preloads (`--import tsx`, `-r x`, `--loader x`, ...). */
const HOOK_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * The parent's flags without its module hooks and preloads: the bundle is plain
 * CommonJS. Inherited, a hook such as tsx's sent the 0.5 MB bundle through the ESM
 * loader's CommonJS lexer in every worker (~0.2 s of CPU each).
 */
export function withoutModuleHooks(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (HOOK_FLAGS.has(a)) i++;
    else if (![...HOOK_FLAGS].some((f) => a.startsWith(`${f}=`))) out.push(a);
  }
  return out;
}

export class WeekPool {
  private readonly slots: Slot[] = [];
  private readonly waiting = new Map<number, { resolve: (r: WeekJobResult) => void; reject: (e: Error) => void; slot: Slot }>();
  private nextId = 0;
  private failed: Error | undefined;

  /** Jobs queued on each worker before the calling thread (alsoHere) takes one itself. */
  static readonly QUEUE = 2;

  /** `threads` 0 runs every job in the calling thread; `alsoHere`: the calling thread takes jobs too (see tryHere). */
  constructor(
    threads = defaultThreads(),
    readonly alsoHere = false,
  ) {
    const entry = threads > 0 ? workerEntry() : undefined;
    if (!entry) return;
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(entry.code, { eval: entry.eval, ...(entry.execArgv ? { execArgv: entry.execArgv } : {}) });
      const slot: Slot = { worker, busy: 0 };
      worker.on('message', (m: { id: number; result: WeekJobResult }) => {
        const w = this.waiting.get(m.id);
        if (!w) return;
        this.waiting.delete(m.id);
        slot.busy--;
        w.resolve(m.result);
      });
      const fail = (e: Error): void => {
        this.failed ??= e;
        for (const [id, w] of this.waiting) {
          if (w.slot !== slot) continue;
          this.waiting.delete(id);
          w.reject(new WorkerFailure(`snapshot/week-pool: a conversion worker failed: ${e.message}`, { cause: e }));
        }
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
      this.slots.push(slot);
    }
  }

  /** Worker threads in use (0: jobs run in the calling thread). */
  get threads(): number {
    return this.slots.length;
  }

  /**
   * With alsoHere, when every worker has QUEUE jobs waiting (after letting their
   * answers in): converts the job in this thread and returns its result; otherwise
   * undefined (run() it).
   */
  async tryHere(job: WeekJob): Promise<WeekJobResult | undefined> {
    if (!this.alsoHere || this.slots.length === 0 || this.hasRoom()) return undefined;
    // the workers' answers are messages: seen only once this thread yields
    await new Promise((resolve) => setImmediate(resolve));
    return this.hasRoom() || this.failed ? undefined : runWeekJob(job);
  }

  /** Whether a worker has fewer than QUEUE jobs (without workers: true). */
  hasRoom(): boolean {
    if (this.slots.length === 0) return true;
    return this.slots.some((s) => s.busy < WeekPool.QUEUE);
  }

  /**
   * Convert one week. The job's bytes, when it has them, are moved to the worker
   * (unusable afterwards); a job with a `path` is read by the worker itself.
   */
  run(job: WeekJob): Promise<WeekJobResult> {
    if (this.slots.length === 0) return Promise.resolve(runWeekJob(job));
    if (this.failed) return Promise.reject(new WorkerFailure(`snapshot/week-pool: a conversion worker failed: ${this.failed.message}`, { cause: this.failed }));
    let slot = this.slots[0];
    for (const s of this.slots) if (s.busy < slot.busy) slot = s;
    const id = this.nextId++;
    slot.busy++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, slot });
      if (job.path !== undefined) {
        slot.worker.postMessage({ id, job: { ...job, bytes: undefined } });
        return;
      }
      const ab = job.bytes!.buffer;
      const own = ab instanceof ArrayBuffer && job.bytes!.byteOffset === 0 && job.bytes!.byteLength === ab.byteLength;
      slot.worker.postMessage({ id, job }, own ? [ab] : []);
    });
  }

  /** Stop the workers (pending jobs are abandoned). */
  async close(): Promise<void> {
    this.failed ??= new Error('pool closed');
    const slots = this.slots.splice(0);
    for (const s of slots) s.worker.removeAllListeners('exit');
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}
