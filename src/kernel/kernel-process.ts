/**
 * The kernel process: receives cells over IPC (./ipc.ts), runs them in this process's
 * global context (so values cross freely between cells and the library: one realm, no
 * cross-realm `instanceof` surprises), streams console output and displays while they
 * run, and answers invoke calls.
 *
 * Interrupts: SIGINT breaks a synchronous run of the cell script (vm `breakOnSigint`);
 * an `interrupt` message (or SIGINT between ticks) abandons a pending await. A loop
 * that never yields after an await cannot be stopped here: the host then kills us.
 */
import { Console } from 'node:console';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import * as vm from 'node:vm';
import type * as TS from 'typescript';
import * as library from '../index';
import { cellFileName, toCellError, type PositionMapper } from './cell-error';
import { toMimeBundles } from './display';
import { buildDx } from './dx';
import { dispatchInvoke, registerInvokeHandler } from './invoke';
import { isHostToKernel, type HostToKernel, type KernelToHost } from './ipc';
import { emitOutput, setOutputSink } from './output-sink';
import { startParentWatchdog } from './parent-watchdog';
import type { CellError, CellLanguage, ExecuteResult, KernelOutput } from './session';
import { CellSyntaxError, HELPER, transformCell } from './transform';
import { installViewHandlers } from './views';

const LIBRARY_NAME = 'dexposure-notebooks';

interface Running {
  id: number;
  interrupted: boolean;
  abort: AbortController;
  /** Rejects the race against the cell's promise when interrupted. */
  stop: (reason: Error) => void;
}

class InterruptedError extends Error {
  constructor() {
    super('The cell was interrupted.');
    this.name = 'Interrupted';
  }
}

export function startKernelProcess(): void {
  if (typeof process.send !== 'function') {
    process.stderr.write('dexposure kernel: must be started by a host with an IPC channel (child_process.fork)\n');
    process.exit(2);
  }
  const send = (m: KernelToHost): void => {
    if (process.connected) process.send!(m);
  };

  const cwd = process.cwd();
  const nodeRequire = createRequire(path.join(cwd, '__notebook__.js'));
  const req = requireResolvingLibrary(nodeRequire);
  const ownRequire = createRequire(__filename);
  let ts: typeof TS | undefined;
  const typescript = (): typeof TS => (ts ??= ownRequire('typescript') as typeof TS);

  const mappers = new Map<string, PositionMapper>();
  const internalFiles = [__filename, path.join('src', 'kernel') + path.sep, '/node_modules/tsx/'];
  let count = 0;
  let running: Running | undefined;
  let lastId = -1;

  // Outputs go to the running execution, or (late async output) to the last one.
  const sinkFor = (id: number) => (output: KernelOutput) => send({ type: 'output', id, output });
  const streamTo = (name: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
        send({ type: 'output', id: running?.id ?? lastId, output: { kind: 'stream', name, text } });
        cb();
      },
    });
  const cellConsole = new Console({ stdout: streamTo('stdout'), stderr: streamTo('stderr'), colorMode: false });

  const g = globalThis as Record<string, unknown>;
  g.console = cellConsole;
  g.require = req;
  g.dx = buildDx();
  installViewHandlers(registerInvokeHandler);
  Object.defineProperty(g, HELPER, {
    enumerable: false,
    value: {
      import: (spec: string) => importModule(spec, req, nodeRequire, cwd),
      importDefault: (m: unknown) => importDefault(m),
    },
  });

  const interrupt = (id?: number): void => {
    const r = running;
    if (!r || (id !== undefined && r.id !== id) || r.interrupted) return;
    r.interrupted = true;
    r.abort.abort(new InterruptedError());
    r.stop(new InterruptedError());
  };
  // Without a listener SIGINT would kill the process; with one, breakOnSigint still works.
  process.on('SIGINT', () => interrupt());

  // Errors raised outside a cell's own flow (timers, callbacks, unhandled rejections) go
  // to the running cell, or to the last one that ran, as in Jupyter. Must never throw:
  // a throw here would be another uncaught exception.
  const reportStray = (label: string, e: unknown): void => {
    try {
      const err = toCellError(e, mappers, internalFiles);
      send({ type: 'output', id: running?.id ?? lastId, output: { kind: 'stream', name: 'stderr', text: `${label}: ${err.stack}\n` } });
    } catch {
      // Nothing left to report with.
    }
  };
  process.on('uncaughtException', (e) => reportStray('Uncaught exception (outside the running cell)', e));
  process.on('unhandledRejection', (e) => reportStray('Unhandled promise rejection', e));

  const execute = async (id: number, code: string, language: CellLanguage): Promise<ExecuteResult> => {
    const startTime = Date.now();
    const file = cellFileName(++count, language);
    let stop!: (reason: Error) => void;
    const stopped = new Promise<never>((_, reject) => (stop = reject));
    stopped.catch(() => undefined);
    const r: Running = { id, interrupted: false, abort: new AbortController(), stop };
    running = r;
    lastId = id;
    setOutputSink(sinkFor(id));
    const finish = (status: ExecuteResult['status'], extra: Partial<ExecuteResult>): ExecuteResult => ({ status, ...extra, startTime, endTime: Date.now() });
    try {
      const t = transformCell(typescript(), code, language);
      mappers.set(file, t.mapPosition);
      // import() in a cell uses the kernel's own loader (resolving from the notebook's folder).
      const script = new vm.Script(t.code, { filename: file, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
      const promise = script.runInThisContext({ breakOnSigint: true, displayErrors: false }) as Promise<unknown>;
      promise.catch(() => undefined);
      const value = await Promise.race([promise, stopped]);
      if (r.interrupted) return finish('interrupted', { error: interruptedError() });
      // A result with several views: all but the last become display outputs before it.
      const bundles = toMimeBundles(value);
      for (const b of bundles?.slice(0, -1) ?? []) emitOutput({ kind: 'display', bundle: b });
      return finish('ok', { result: bundles?.at(-1) });
    } catch (e) {
      if (r.interrupted || isScriptInterrupted(e)) return finish('interrupted', { error: interruptedError() });
      if (isSyntaxError(e)) {
        return finish('error', { error: { name: 'SyntaxError', message: e.message, stack: `SyntaxError: ${e.message}\n    at ${file}:${e.line}:${e.column}` } });
      }
      return finish('error', { error: toCellError(e, mappers, internalFiles) });
    } finally {
      if (running === r) running = undefined;
    }
  };

  process.on('message', (raw: unknown) => {
    if (!isHostToKernel(raw)) return;
    const m = raw as HostToKernel;
    switch (m.type) {
      case 'execute':
        void execute(m.id, m.code, m.language)
          .catch((e: unknown): ExecuteResult => {
            // execute() turns every error of the cell into a result; this is the last
            // resort that still gives the host its 'done'.
            const now = Date.now();
            return { status: 'error', error: { name: 'KernelError', message: `kernel: the cell's outcome could not be reported: ${safeText(e)}`, stack: '' }, startTime: now, endTime: now };
          })
          // One macrotask before 'done': an unhandled rejection the cell left behind (e.g.
          // `void Promise.reject(e)` at its end) is reported while the cell still runs.
          .then((result) => new Promise<ExecuteResult>((res) => setImmediate(() => res(result))))
          .then((result) => send({ type: 'done', id: m.id, result: jsonSafeResult(result) }));
        break;
      case 'interrupt':
        interrupt(m.id);
        break;
      case 'invoke':
        dispatchInvoke(m.method, m.params).then(
          (value) => send({ type: 'invokeResult', id: m.id, ok: true, value: value === undefined ? null : value }),
          (e: unknown) => {
            const err = e instanceof Error ? e : new Error(String(e));
            send({ type: 'invokeResult', id: m.id, ok: false, error: { name: err.name, message: err.message } });
          },
        );
        break;
    }
  });
  // The host went away: exit. 'disconnect' needs a free event loop; the watchdog thread
  // also ends a kernel whose cell never yields.
  process.on('disconnect', () => process.exit(0));
  startParentWatchdog();

  send({ type: 'ready', pid: process.pid });
  // Load the compiler now, while the host is probably still idle.
  setImmediate(() => {
    if (count === 0) typescript();
  });
}

function interruptedError(): CellError {
  return { name: 'Interrupted', message: 'The cell was interrupted.', stack: 'Interrupted: the cell was interrupted.' };
}

function safeText(e: unknown): string {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return '(unreadable error)';
  }
}

// Both read what the cell threw, which may be a Proxy whose traps throw.
function isScriptInterrupted(e: unknown): boolean {
  try {
    return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED';
  } catch {
    return false;
  }
}

function isSyntaxError(e: unknown): e is CellSyntaxError {
  try {
    return e instanceof CellSyntaxError;
  } catch {
    return false;
  }
}

/** The result crosses IPC as JSON: a bundle that cannot is replaced by an explanation. */
function jsonSafeResult(r: ExecuteResult): ExecuteResult {
  if (!r.result) return r;
  try {
    JSON.stringify(r.result);
    return r;
  } catch (e) {
    return { ...r, status: 'error', result: undefined, error: { name: 'DisplayError', message: `kernel: the result cannot be displayed: ${(e as Error).message}`, stack: '' } };
  }
}

type NodeRequire = ReturnType<typeof createRequire>;

function requireResolvingLibrary(nodeRequire: NodeRequire): NodeRequire {
  const req = ((id: string) => (id === LIBRARY_NAME ? library : nodeRequire(id))) as NodeRequire;
  return Object.assign(req, { resolve: nodeRequire.resolve, cache: nodeRequire.cache, main: nodeRequire.main, extensions: nodeRequire.extensions });
}

async function importModule(spec: string, req: NodeRequire, nodeRequire: NodeRequire, cwd: string): Promise<unknown> {
  if (spec === LIBRARY_NAME) return library;
  try {
    return req(spec);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_REQUIRE_ESM') return await import(pathToFileURL(nodeRequire.resolve(spec)).href);
    if (code === 'MODULE_NOT_FOUND' && (e as Error).message.includes(`'${spec}'`)) {
      const err = new Error(`Cannot find module '${spec}' (looked in ${cwd} and its node_modules folders)`);
      (err as { code?: string }).code = 'MODULE_NOT_FOUND';
      throw err;
    }
    throw e;
  }
}

function importDefault(m: unknown): unknown {
  if (m !== null && typeof m === 'object') {
    const mod = m as { __esModule?: boolean; default?: unknown; [Symbol.toStringTag]?: unknown };
    if (mod.__esModule || mod[Symbol.toStringTag] === 'Module') return mod.default;
  }
  return m;
}
