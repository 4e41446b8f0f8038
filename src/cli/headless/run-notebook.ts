/**
 * Headless notebook execution: runs every code cell of a notebook in order in one
 * kernel session (the same client the editor uses), records outputs and execution
 * info on the document, and stops at the first failure (later cells are marked not
 * run: their stale outputs and execution info are cleared).
 *
 * The kernel starts before any cell is touched: a kernel that cannot start changes
 * nothing (KernelStartFailed). A SIGINT, SIGTERM or SIGHUP during the run kills the
 * kernel before this process exits; if this process is killed outright, the kernel's
 * own watchdog ends it (src/kernel/parent-watchdog.ts).
 */
import { constants as osConstants } from 'node:os';
import { CellOutputCollector } from '../../core/notebook/kernel-outputs';
import type { NotebookDocument } from '../../core/notebook/format';
import { createKernelSession } from '../../kernel/client';
import type { CellError, CellLanguage, ExecuteResult, ExecuteStatus, KernelOutput } from '../../kernel/session';

export type CellRunStatus = ExecuteStatus | 'timeout' | 'skipped' | 'not-code';

export interface CellRunReport {
  /** Index of the cell in the notebook (0-based). */
  index: number;
  status: CellRunStatus;
  executionCount?: number;
  durationMs?: number;
  firstLine: string;
  error?: CellError;
}

export interface RunNotebookOptions {
  /** Kernel working directory: the notebook's folder. */
  cwd: string;
  kernelPath?: string;
  /** Per-cell limit in milliseconds; the cell is interrupted after it. */
  timeoutPerCellMs?: number;
  /** Called with each output as it arrives (cell index, output). */
  onOutput?: (index: number, output: KernelOutput) => void;
  /** Called when a cell starts. */
  onCellStart?: (index: number, executionCount: number) => void;
  /** Called when a cell has finished, with its result. */
  onCellEnd?: (index: number, result: ExecuteResult) => void;
  /** Called when a stop signal ends the run (then the process exits). */
  onSignal?: (signal: NodeJS.Signals) => void;
}

export interface RunNotebookSummary {
  ok: boolean;
  /** Index of the failing cell, when one failed. */
  failedCell?: number;
  cells: CellRunReport[];
  durationMs: number;
}

const RUNNABLE: readonly string[] = ['typescript', 'javascript'];

/** The kernel did not start: no cell was run and the document is unchanged. */
export class KernelStartFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelStartFailed';
  }
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** While installed, a stop signal kills the kernel, then exits with 128 + the signal's number. */
function killKernelOnSignals(session: { dispose(): void }, onSignal?: (signal: NodeJS.Signals) => void): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    session.dispose();
    onSignal?.(signal);
    process.exit(128 + (osConstants.signals[signal] ?? 0));
  };
  for (const sig of STOP_SIGNALS) process.on(sig, handler);
  return () => {
    for (const sig of STOP_SIGNALS) process.off(sig, handler);
  };
}

export function firstLine(source: string): string {
  const line = source.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line.trim();
}

/** Executes `doc` in place (its cells get fresh outputs) and reports each cell. */
export async function runNotebook(doc: NotebookDocument, opts: RunNotebookOptions): Promise<RunNotebookSummary> {
  const t0 = Date.now();
  const session = createKernelSession({ cwd: opts.cwd, kernelPath: opts.kernelPath });
  const removeSignalHandlers = killKernelOnSignals(session, opts.onSignal);
  const reports: CellRunReport[] = [];
  let failedCell: number | undefined;
  let count = 0;
  try {
    if (doc.cells.some((c) => c.kind === 'code' && RUNNABLE.includes(c.language))) {
      try {
        await session.start();
      } catch (e) {
        throw new KernelStartFailed((e as Error).message.replace(/^kernel: /, ''));
      }
    }
    for (let i = 0; i < doc.cells.length; i++) {
      const cell = doc.cells[i];
      const fl = firstLine(cell.source);
      if (cell.kind !== 'code') {
        reports.push({ index: i, status: 'not-code', firstLine: fl });
        continue;
      }
      if (failedCell !== undefined) {
        cell.outputs = [];
        delete cell.execution;
        reports.push({ index: i, status: 'skipped', firstLine: fl });
        continue;
      }
      if (!RUNNABLE.includes(cell.language)) {
        failedCell = i;
        const error: CellError = { name: 'UnsupportedLanguage', message: `cell ${i + 1} is ${cell.language}; this kernel runs TypeScript and JavaScript cells`, stack: '' };
        reports.push({ index: i, status: 'error', firstLine: fl, error });
        continue;
      }
      const executionCount = ++count;
      opts.onCellStart?.(i, executionCount);
      const collector = new CellOutputCollector();
      let timedOut = false;
      const timer =
        opts.timeoutPerCellMs !== undefined
          ? setTimeout(() => {
              timedOut = true;
              void session.interrupt();
            }, opts.timeoutPerCellMs)
          : undefined;
      const r = await session.execute(cell.source, cell.language as CellLanguage, (o) => {
        collector.add(o);
        opts.onOutput?.(i, o);
      });
      if (timer) clearTimeout(timer);
      opts.onCellEnd?.(i, r);
      let status: CellRunStatus = r.status;
      let error = r.error;
      if (timedOut && r.status === 'interrupted') {
        status = 'timeout';
        error = { name: 'Timeout', message: `cell ${i + 1} did not finish within ${(opts.timeoutPerCellMs ?? 0) / 1000} s and was interrupted${r.error?.message ? ` (${r.error.message})` : ''}`, stack: '' };
        collector.finish({ ...r, error });
      } else collector.finish(r);
      cell.outputs = collector.outputs;
      cell.execution = { count: executionCount, success: r.status === 'ok', startTime: r.startTime, endTime: r.endTime };
      reports.push({ index: i, status, executionCount, durationMs: r.endTime - r.startTime, firstLine: fl, error: status === 'ok' ? undefined : error });
      if (status !== 'ok') failedCell = i;
    }
  } finally {
    session.dispose();
    removeSignalHandlers();
  }
  return { ok: failedCell === undefined, failedCell, cells: reports, durationMs: Date.now() - t0 };
}
