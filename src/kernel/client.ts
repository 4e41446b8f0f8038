/**
 * Host side of a kernel: `createKernelSession` implements the KernelSession contract of
 * ./session.ts over a forked kernel process (dist/kernel.js). Used by the VS Code
 * extension and the headless CLI runner alike.
 *
 * - The process starts lazily (or on `start()`); executes run strictly one at a time.
 * - `interrupt()` asks the kernel to stop (IPC message + SIGINT, which breaks a
 *   synchronous loop in the cell's first tick); if the cell has not stopped within
 *   `interruptGraceMs`, the process is killed and a fresh one started, and the cell's
 *   result says that state was lost.
 * - If the process dies, the running execute resolves with status 'died' and the next
 *   execute starts a fresh process.
 * - Output tagged with an execution that already finished (timers, late rejections) is
 *   delivered to that execution's `onOutput`, as in Jupyter.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { HostToKernel, KernelToHost } from './ipc';
import { isKernelToHost } from './ipc';
import type { CellError, CellLanguage, ExecuteResult, KernelOutput, KernelSession, KernelSessionOptions, KernelState } from './session';

export const DEFAULT_INTERRUPT_GRACE_MS = 800;
/** How long a fresh process may take to say it is ready. */
const READY_TIMEOUT_MS = 30_000;
/** Kept from the kernel's stderr to explain a crash. */
const STDERR_TAIL_CHARS = 4000;

/** Finds dist/kernel.js: explicit path, DEXPOSURE_KERNEL_PATH, or next to this bundle. */
export function locateKernel(explicit?: string): string {
  if (explicit) {
    // Resolved against the host's cwd: the child runs in the notebook's folder.
    const p = path.resolve(explicit);
    if (!existsSync(p)) throw new Error(`kernel: no kernel entry at ${p} (kernelPath option)`);
    return p;
  }
  const fromEnv = process.env.DEXPOSURE_KERNEL_PATH;
  if (fromEnv) {
    const p = path.resolve(fromEnv);
    if (!existsSync(p)) throw new Error(`kernel: no kernel entry at ${p} (DEXPOSURE_KERNEL_PATH)`);
    return p;
  }
  // In a bundle (dist/cli.js, dist/extension.js) the kernel sits beside it; from source
  // (src/kernel/client.ts under tsx) it is the built dist/kernel.js of the repository.
  const candidates = [path.join(__dirname, 'kernel.js'), path.join(__dirname, '..', 'kernel.js'), path.join(__dirname, '..', '..', 'dist', 'kernel.js')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`kernel: cannot find the kernel entry (dist/kernel.js); run \`npm run build\` or set DEXPOSURE_KERNEL_PATH. Looked at: ${candidates.join(', ')}`);
  return found;
}

/**
 * The Node.js executable a kernel runs with: `configured` as a path (relative paths
 * resolve against `base`) or, when it has no path separator, a command looked up on
 * PATH; the host's own runtime when empty. A missing executable is a clear error here
 * rather than an opaque spawn failure later.
 */
export function resolveNodeExecutable(configured: string | undefined, base = process.cwd(), envPath = process.env.PATH ?? ''): string {
  const value = configured?.trim();
  if (!value) return process.execPath;
  if (value.includes('/') || value.includes('\\')) {
    const p = path.resolve(base, value);
    if (!isFile(p)) {
      const what = existsSync(p) ? 'is a folder, not a program' : 'does not exist';
      throw new Error(`kernel: the Node.js executable ${p} ${what} (nodePath option, the dexposure.kernel.nodePath setting); set it to a Node.js binary or leave it empty to use the editor's runtime`);
    }
    return p;
  }
  const exts = process.platform === 'win32' ? ['', '.exe', '.cmd'] : [''];
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const p = path.join(dir, value + ext);
      if (isFile(p)) return p;
    }
  }
  throw new Error(`kernel: the Node.js executable "${value}" was not found on PATH (nodePath option, the dexposure.kernel.nodePath setting); give its full path or leave it empty to use the editor's runtime`);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

interface Pending {
  id: number;
  onOutput: (o: KernelOutput) => void;
  resolve: (r: ExecuteResult) => void;
  startTime: number;
  /** Set when the host killed the process on purpose (interrupt fallback, restart). */
  killReason?: { status: ExecuteResult['status']; error: CellError };
}

interface Proc {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<void>;
  alive: boolean;
  stderrTail: string;
}

export function createKernelSession(opts: KernelSessionOptions): KernelSession {
  return new ForkedKernelSession(opts);
}

class ForkedKernelSession implements KernelSession {
  private _state: KernelState = 'idle';
  private readonly listeners = new Set<(s: KernelState) => void>();
  private proc: Proc | undefined;
  private running: Pending | undefined;
  /** The last execution that finished on the current process: late output goes there. */
  private lastFinished: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Bumped by restart/dispose: executes queued under an older generation are cancelled. */
  private generation = 0;
  private nextId = 1;
  private readonly invokes = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly graceMs: number;
  /** An execute waiting for the kernel process to start; an interrupt then cancels it. */
  private waitingForStart: { interrupted: boolean } | undefined;

  constructor(private readonly opts: KernelSessionOptions) {
    this.graceMs = opts.interruptGraceMs ?? DEFAULT_INTERRUPT_GRACE_MS;
  }

  get state(): KernelState {
    return this._state;
  }

  onStateChange(listener: (state: KernelState) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private setState(s: KernelState): void {
    if (this._state === s || this._state === 'disposed') return;
    this._state = s;
    for (const l of [...this.listeners]) {
      try {
        l(s);
      } catch {
        // A listener's bug must not break the kernel's bookkeeping.
      }
    }
  }

  async start(): Promise<void> {
    if (this._state === 'disposed') throw new Error('kernel: the session was disposed');
    if (this.proc?.alive) return this.proc.ready;
    this.proc = this.spawn(this._state === 'restarting' ? 'restarting' : 'starting');
    return this.proc.ready;
  }

  private spawn(initial: 'starting' | 'restarting'): Proc {
    const kernelPath = locateKernel(this.opts.kernelPath);
    const execPath = resolveNodeExecutable(this.opts.nodePath, this.opts.cwd);
    this.lastFinished = undefined;
    this.setState(initial);
    const child = fork(kernelPath, [], {
      cwd: this.opts.cwd,
      execPath,
      env: kernelEnv(process.env, this.opts.env),
      // Never inherit the host's flags (test runner, inspector, loaders).
      execArgv: [],
      silent: true,
      serialization: 'json',
    });
    let markReady!: () => void;
    let failReady!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      markReady = res;
      failReady = rej;
    });
    ready.catch(() => undefined);
    let markExited!: () => void;
    const exited = new Promise<void>((res) => (markExited = res));
    const proc: Proc = { child, ready, exited, alive: true, stderrTail: '' };
    const timer = setTimeout(() => {
      failReady(new Error(`kernel: the kernel process did not start within ${READY_TIMEOUT_MS / 1000} s${tail(proc.stderrTail)}`));
      child.kill('SIGKILL');
    }, READY_TIMEOUT_MS);
    timer.unref();

    const forward = (name: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (name === 'stderr') proc.stderrTail = (proc.stderrTail + text).slice(-STDERR_TAIL_CHARS);
      const target = this.proc === proc ? (this.running ?? this.lastFinished) : undefined;
      if (target) this.emit(target, { kind: 'stream', name, text });
    };
    child.stdout?.on('data', forward('stdout'));
    child.stderr?.on('data', forward('stderr'));

    child.on('message', (raw: unknown) => {
      if (!isKernelToHost(raw)) return;
      const m = raw as KernelToHost;
      switch (m.type) {
        case 'ready':
          clearTimeout(timer);
          if (this.proc === proc && (this._state === 'starting' || this._state === 'restarting')) this.setState('idle');
          markReady();
          break;
        case 'output': {
          if (this.proc !== proc) break;
          // The kernel tags output with the running execution, or with the last one when
          // none runs (timers, late rejections): a tag the host already finished is late
          // output of that cell.
          const r = this.running;
          const target = r && r.id === m.id ? r : this.lastFinished?.id === m.id ? this.lastFinished : (r ?? this.lastFinished);
          if (target) this.emit(target, m.output);
          break;
        }
        case 'done':
          if (this.running && this.running.id === m.id && this.proc === proc) this.finish(this.running, m.result);
          break;
        case 'invokeResult': {
          const p = this.invokes.get(m.id);
          if (!p) break;
          this.invokes.delete(m.id);
          if (m.ok) p.resolve(m.value);
          else p.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
          break;
        }
      }
    });
    child.on('error', (e) => {
      proc.stderrTail += `\n${e.message}`;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      proc.alive = false;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      failReady(new Error(`kernel: the kernel process ${how} before it was ready${tail(proc.stderrTail)}`));
      if (this.proc === proc) {
        for (const [id, p] of this.invokes) {
          this.invokes.delete(id);
          p.reject(new Error(`kernel: the kernel process ${how} before answering the invoke call`));
        }
        const r = this.running;
        if (r) {
          const reason = r.killReason ?? {
            status: 'died' as const,
            error: {
              name: 'KernelDied',
              message: `The kernel process ${how} while running this cell; all kernel state was lost. The next run starts a fresh kernel.${tail(proc.stderrTail)}`,
              stack: '',
            },
          };
          this.finish(r, { status: reason.status, error: reason.error, startTime: r.startTime, endTime: Date.now() });
        }
        if (this._state !== 'restarting' && this._state !== 'disposed') this.setState('dead');
      }
      markExited();
    });
    return proc;
  }

  private emit(p: Pending, o: KernelOutput): void {
    try {
      p.onOutput(o);
    } catch {
      // The host's output handler failing must not lose the execution's result.
    }
  }

  private finish(p: Pending, result: ExecuteResult): void {
    if (this.running !== p) return;
    this.running = undefined;
    this.lastFinished = p;
    if (this._state === 'busy' || this._state === 'interrupting') this.setState('idle');
    p.resolve(result);
  }

  execute(code: string, language: CellLanguage, onOutput: (o: KernelOutput) => void): Promise<ExecuteResult> {
    if (this._state === 'disposed') return Promise.reject(new Error('kernel: the session was disposed'));
    const gen = this.generation;
    const run = async (): Promise<ExecuteResult> => {
      const now = Date.now();
      if (gen !== this.generation || this._state === 'disposed') {
        return { status: 'interrupted', error: { name: 'Cancelled', message: 'Not run: the kernel was restarted before this cell started.', stack: '' }, startTime: now, endTime: now };
      }
      const waiting = { interrupted: false };
      this.waitingForStart = waiting;
      try {
        await this.start();
      } catch (e) {
        return { status: 'died', error: { name: 'KernelStartError', message: (e as Error).message, stack: '' }, startTime: now, endTime: Date.now() };
      } finally {
        if (this.waitingForStart === waiting) this.waitingForStart = undefined;
      }
      if (waiting.interrupted) {
        return { status: 'interrupted', error: { name: 'Interrupted', message: 'Interrupted while the kernel was starting; the cell did not run.', stack: '' }, startTime: now, endTime: Date.now() };
      }
      const proc = this.proc!;
      return new Promise<ExecuteResult>((resolve) => {
        const p: Pending = { id: this.nextId++, onOutput, resolve, startTime: Date.now() };
        this.running = p;
        this.setState('busy');
        const msg: HostToKernel = { type: 'execute', id: p.id, code, language };
        try {
          proc.child.send(msg);
        } catch (e) {
          this.finish(p, { status: 'died', error: { name: 'KernelDied', message: `kernel: could not send the cell to the kernel: ${(e as Error).message}`, stack: '' }, startTime: p.startTime, endTime: Date.now() });
        }
      });
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async interrupt(): Promise<void> {
    const p = this.running;
    const proc = this.proc;
    if (!p && this.waitingForStart) {
      // The cell has not reached the kernel yet: it will not be sent.
      this.waitingForStart.interrupted = true;
      return;
    }
    if (!p || !proc?.alive) return;
    this.setState('interrupting');
    const done = new Promise<void>((res) => {
      const orig = p.resolve;
      p.resolve = (r) => {
        orig(r);
        res();
      };
    });
    try {
      proc.child.send({ type: 'interrupt', id: p.id } satisfies HostToKernel);
      // SIGINT breaks a synchronous loop (vm breakOnSigint); harmless otherwise.
      if (process.platform !== 'win32') proc.child.kill('SIGINT');
    } catch {
      // The process is already going away: the exit handler resolves the cell.
    }
    const stoppedInTime = await Promise.race([done.then(() => true), delay(this.graceMs).then(() => false)]);
    if (stoppedInTime || this.running !== p) return;
    p.killReason = {
      status: 'interrupted',
      error: {
        name: 'Interrupted',
        message: `The cell did not stop within ${this.graceMs} ms of the interrupt, so the kernel was restarted: all variables and imports were lost. Re-run the cells you need.`,
        stack: '',
      },
    };
    await this.killAndRespawn(proc);
    await done;
  }

  /** Kills `proc` and starts a fresh process (state 'restarting' -> 'idle'). */
  private async killAndRespawn(proc: Proc): Promise<void> {
    this.setState('restarting');
    proc.child.kill('SIGKILL');
    await proc.exited;
    if (this._state === 'disposed') return;
    if (this.proc === proc) this.proc = undefined;
    try {
      await this.start();
    } catch {
      this.setState('dead');
    }
  }

  async restart(): Promise<void> {
    if (this._state === 'disposed') throw new Error('kernel: the session was disposed');
    this.generation++;
    const proc = this.proc;
    if (this.running) {
      this.running.killReason = { status: 'interrupted', error: { name: 'Interrupted', message: 'The kernel was restarted while this cell ran; all state was lost.', stack: '' } };
    }
    if (proc?.alive) await this.killAndRespawn(proc);
    else {
      this.proc = undefined;
      this.setState('restarting');
      try {
        await this.start();
      } catch (e) {
        this.setState('dead');
        throw e;
      }
    }
  }

  async invoke(method: string, params: unknown): Promise<unknown> {
    await this.start();
    const proc = this.proc!;
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      this.invokes.set(id, { resolve, reject });
      try {
        proc.child.send({ type: 'invoke', id, method, params } satisfies HostToKernel);
      } catch (e) {
        this.invokes.delete(id);
        reject(new Error(`kernel: could not send the invoke call: ${(e as Error).message}`));
      }
    });
  }

  dispose(): void {
    if (this._state === 'disposed') return;
    this.generation++;
    const r = this.running;
    if (r) r.killReason = { status: 'interrupted', error: { name: 'Interrupted', message: 'The kernel was shut down while this cell ran.', stack: '' } };
    this.setState('disposed');
    if (this.proc?.alive) this.proc.child.kill('SIGKILL');
    this.listeners.clear();
  }
}

/**
 * The kernel's environment: the host's minus NODE_OPTIONS (the host's Node flags, e.g. a
 * test runner's loader or `--inspect`, must not reach the kernel, as with execArgv), plus
 * ELECTRON_RUN_AS_NODE (the editor's own executable then runs as plain Node) and the
 * session's variables, which may set NODE_OPTIONS on purpose.
 */
export function kernelEnv(hostEnv: NodeJS.ProcessEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...hostEnv };
  for (const key of Object.keys(env)) if (key.toUpperCase() === 'NODE_OPTIONS') delete env[key];
  return { ...env, ELECTRON_RUN_AS_NODE: '1', ...extra };
}

function delay(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms));
}

function tail(stderr: string): string {
  const t = stderr.trim();
  if (!t) return '';
  const lines = t.split('\n').slice(-15).join('\n');
  return `\nLast kernel stderr:\n${lines}`;
}
