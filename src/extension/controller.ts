/**
 * The "DeXposure" notebook controllers (TypeScript/JavaScript cells) for `.dxnb` and
 * Jupyter `.ipynb` notebooks, with Jupyter execution semantics (see cell-queue.ts):
 * a queued cell's execution is created (pending) at once, cells run strictly in order
 * in the notebook's own kernel process, a failing cell cancels the cells queued after
 * it, execution order counts per kernel and restarts with it.
 *
 * Cancellation, decided consciously: the controllers set NO `interruptHandler`. With
 * one, VS Code routes every stop click (running or queued cell) to that handler and
 * per-cell cancellation tokens never fire, so a queued cell could not be removed on
 * its own. Without it, each execution's token fires: a queued cell leaves the queue
 * (ended with no result), the running cell interrupts the kernel, and the notebook
 * toolbar's stop button cancels them all.
 *
 * The kernel is started before a cell's outputs are cleared: a kernel that cannot
 * start leaves the saved outputs as they were and says why in a notification.
 *
 * Late output (a cell's timers or unhandled rejections after it ended) arrives through
 * the ended cell's output callback (see KernelSession.execute): it is appended to that
 * cell through a short extra execution that restores the cell's count, success mark and
 * timing, as the Jupyter extension does.
 */
import * as vscode from 'vscode';
import type { CellError, CellLanguage, ExecuteResult, KernelOutput, KernelSession } from '../kernel/session';
import { CellQueue, type CellOutcome } from './cell-queue';
import { CellOutputWriter, errorOutput } from './cell-output';
import type { KernelManager } from './kernel-manager';
import { ProgressNotifications } from './progress';
import { JUPYTER_NOTEBOOK_TYPE, namesDexposureKernel } from './jupyter';
import { NOTEBOOK_TYPE } from './serializer';
import { isTrusted, notifyUntrusted, untrustedOutput } from './trust';

export const CONTROLLER_IDS = { dxnb: 'dexposure-kernel', ipynb: 'dexposure-kernel-jupyter' } as const;
export const SUPPORTED_LANGUAGES: CellLanguage[] = ['typescript', 'javascript'];

interface Job {
  cell: vscode.NotebookCell;
  execution: vscode.NotebookCellExecution;
  controller: vscode.NotebookController;
  subs: vscode.Disposable[];
}

/** What a finished run showed, restored by the execution that appends late output. */
interface RunSummary {
  order: number | undefined;
  success: boolean;
  startTime: number;
  endTime: number;
}

interface LateOutput {
  execution: vscode.NotebookCellExecution;
  writer: CellOutputWriter;
  summary: RunSummary;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** A late-output execution ends after this long without more output. */
const LATE_OUTPUT_QUIET_MS = 300;

interface NotebookRun {
  queue: CellQueue<Job>;
  /** Execution counter; restarts at 1 with a fresh kernel, like Jupyter's. */
  order: number;
}

export class DexposureController implements vscode.Disposable {
  private readonly controllers: vscode.NotebookController[] = [];
  private readonly runs = new Map<string, NotebookRun>();
  private readonly subs: vscode.Disposable[] = [];
  /** .ipynb notebooks that currently have this controller selected. */
  private readonly selectedJupyter = new Set<string>();
  private readonly selectionEmitter = new vscode.EventEmitter<void>();
  /** Open late-output executions, by cell document URI. */
  private readonly late = new Map<string, LateOutput>();
  readonly onDidChangeSelection = this.selectionEmitter.event;

  constructor(private readonly manager: KernelManager) {
    const make = (id: string, type: string) => {
      const c = vscode.notebooks.createNotebookController(id, type, 'DeXposure', (cells, nb, ctrl) =>
        this.execute(cells, nb, ctrl),
      );
      c.supportedLanguages = [...SUPPORTED_LANGUAGES];
      c.supportsExecutionOrder = true;
      c.description = 'TypeScript / JavaScript with the dx API';
      c.detail = 'Runs each notebook in its own local Node process; no network.';
      this.controllers.push(c);
      return c;
    };
    const dx = make(CONTROLLER_IDS.dxnb, NOTEBOOK_TYPE);
    const jupyter = make(CONTROLLER_IDS.ipynb, JUPYTER_NOTEBOOK_TYPE);
    const prefer = (nb: vscode.NotebookDocument) => {
      if (nb.notebookType === NOTEBOOK_TYPE) dx.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
      // An .ipynb that DeXposure wrote (kernelspec "dexposure") opens on DeXposure.
      else if (namesDexposureKernel(nb)) jupyter.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
    };
    vscode.workspace.notebookDocuments.forEach(prefer);
    this.subs.push(
      vscode.workspace.onDidOpenNotebookDocument(prefer),
      jupyter.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
        if (selected) this.selectedJupyter.add(notebook.uri.toString());
        else this.selectedJupyter.delete(notebook.uri.toString());
        this.selectionEmitter.fire();
      }),
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        const key = nb.uri.toString();
        this.runs.get(key)?.queue.cancelQueued();
        this.runs.delete(key);
        this.selectedJupyter.delete(key);
      }),
    );
  }

  /** True when cells of this notebook run on DeXposure. */
  handles(nb: vscode.NotebookDocument): boolean {
    return nb.notebookType === NOTEBOOK_TYPE || this.selectedJupyter.has(nb.uri.toString());
  }

  /** Interrupts the running cell (the queue behind it is then cancelled, as in Jupyter). */
  async interrupt(nb: vscode.NotebookDocument): Promise<void> {
    const session = this.manager.peek(nb);
    if (session) await session.interrupt();
  }

  /** Cancels queued cells, restarts the kernel, resets the execution counter. */
  async restart(nb: vscode.NotebookDocument): Promise<void> {
    const run = this.runs.get(nb.uri.toString());
    run?.queue.cancelQueued();
    if (run) run.order = 0;
    const session = this.manager.peek(nb);
    if (session && session.state !== 'dead' && session.state !== 'disposed') await session.restart();
    else this.manager.disposeFor(nb);
  }

  private runFor(nb: vscode.NotebookDocument): NotebookRun {
    const key = nb.uri.toString();
    let run = this.runs.get(key);
    if (!run) {
      const created: NotebookRun = {
        order: 0,
        queue: new CellQueue<Job>({
          run: (job) => this.runCell(nb, created, job),
          cancelled: (job) => {
            job.subs.forEach((s) => s.dispose());
            job.execution.end(undefined);
          },
        }),
      };
      run = created;
      this.runs.set(key, run);
    }
    return run;
  }

  private execute(cells: vscode.NotebookCell[], nb: vscode.NotebookDocument, ctrl: vscode.NotebookController): void {
    if (!isTrusted()) {
      for (const cell of cells) {
        const execution = this.createExecution(ctrl, cell);
        if (!execution) continue;
        execution.start(Date.now());
        void execution.replaceOutput(untrustedOutput()).then(() => execution.end(false, Date.now()));
      }
      notifyUntrusted();
      return;
    }
    const run = this.runFor(nb);
    const jobs: Job[] = [];
    for (const cell of cells) {
      // A cell still showing late output runs again: that execution ends now.
      this.endLateOutput(cell.document.uri.toString());
      const execution = this.createExecution(ctrl, cell);
      if (execution) jobs.push({ cell, execution, controller: ctrl, subs: [] });
    }
    const entries = run.queue.enqueue(jobs);
    jobs.forEach((job, i) => {
      const entry = entries[i]!;
      job.subs.push(
        job.execution.token.onCancellationRequested(() => {
          // Queued: leave the queue. Running: interrupt the kernel.
          if (!run.queue.cancel(entry) && entry.state === 'running') void this.manager.peek(nb)?.interrupt();
        }),
      );
    });
  }

  /** A pending execution, or undefined when the cell already has one (double run). */
  private createExecution(ctrl: vscode.NotebookController, cell: vscode.NotebookCell) {
    try {
      return ctrl.createNotebookCellExecution(cell);
    } catch {
      return undefined;
    }
  }

  private async runCell(nb: vscode.NotebookDocument, run: NotebookRun, job: Job): Promise<CellOutcome> {
    const { cell, execution } = job;
    try {
      return await this.runCellInner(nb, run, cell, execution, job.controller);
    } finally {
      job.subs.forEach((s) => s.dispose());
    }
  }

  private async runCellInner(
    nb: vscode.NotebookDocument,
    run: NotebookRun,
    cell: vscode.NotebookCell,
    execution: vscode.NotebookCellExecution,
    ctrl: vscode.NotebookController,
  ): Promise<CellOutcome> {
    const code = cell.document.getText();
    if (!code.trim()) {
      // Like Jupyter: an empty cell gets no count and no success mark.
      execution.start(Date.now());
      await execution.clearOutput();
      execution.end(undefined, Date.now());
      return 'ok';
    }
    const language = cell.document.languageId;
    if (language !== 'typescript' && language !== 'javascript') {
      return this.failBeforeRun(execution, {
        name: 'UnsupportedLanguage',
        message: `DeXposure runs TypeScript and JavaScript cells; this cell is "${language}". Change the cell language or pick another kernel.`,
        stack: '',
      });
    }
    let session: KernelSession;
    try {
      session = this.manager.get(nb);
      // Before the outputs are cleared: a kernel that cannot start must not cost them.
      await session.start();
    } catch (e) {
      return this.failToStart(execution, e);
    }
    run.order += 1;
    execution.executionOrder = run.order;
    const startTime = Date.now();
    execution.start(startTime);
    await execution.clearOutput();

    const writer = new CellOutputWriter(execution);
    const progress = new ProgressNotifications(`DeXposure: cell [${run.order}]`, () => void session.interrupt());
    let result: ExecuteResult;
    // Set once the execution has ended: later output is late output.
    const after: { ended?: RunSummary } = {};
    try {
      result = await session.execute(code, language, (o) => {
        if (after.ended) this.writeLateOutput(ctrl, cell, o, after.ended);
        else if (o.kind === 'progress') progress.update(o);
        else writer.write(o);
      });
    } catch (e) {
      // The client never rejects for user errors; a rejection means the process is gone.
      result = {
        status: 'died',
        error: { name: 'KernelDied', message: (e as Error).message, stack: '' },
        startTime,
        endTime: Date.now(),
      };
    }
    progress.finishAll();

    if (result.result) writer.result(result.result);
    switch (result.status) {
      case 'ok':
        break;
      case 'error':
        writer.error(result.error ?? { name: 'Error', message: 'The cell failed.', stack: '' });
        break;
      case 'interrupted':
        writer.error(
          result.error ?? { name: 'Interrupted', message: 'Execution was interrupted; cells queued after it were cancelled.', stack: '' },
        );
        break;
      case 'died': {
        const detail = result.error?.message ? ` (${result.error.message})` : '';
        writer.error({
          name: 'KernelDied',
          message: `The kernel process exited while this cell ran${detail}. Its state is lost; the next run starts a fresh kernel.`,
          stack: '',
        });
        // Counting restarts with the fresh kernel.
        run.order = 0;
        break;
      }
    }
    await writer.flush();
    const summary: RunSummary = { order: execution.executionOrder, success: result.status === 'ok', startTime, endTime: Math.max(startTime, result.endTime || Date.now()) };
    execution.end(summary.success, summary.endTime);
    after.ended = summary;
    return result.status === 'ok' ? 'ok' : 'failed';
  }

  /** The kernel did not start: the cell keeps its outputs, a notification says why. */
  private failToStart(execution: vscode.NotebookCellExecution, e: unknown): CellOutcome {
    const reason = (e as Error).message.replace(/^kernel: /, '');
    execution.start(Date.now());
    execution.end(false, Date.now());
    void vscode.window.showErrorMessage(`DeXposure: could not start the kernel: ${reason} The cell's outputs were kept.`);
    return 'failed';
  }

  /** Appends output that arrived after the cell's run ended (see the header). */
  private writeLateOutput(ctrl: vscode.NotebookController, cell: vscode.NotebookCell, o: KernelOutput, summary: RunSummary): void {
    if (o.kind === 'progress') return; // transient, and its notification is gone
    const key = cell.document.uri.toString();
    let late = this.late.get(key);
    if (!late) {
      const execution = this.createExecution(ctrl, cell);
      // None: the cell is queued to run again, and that run replaces its outputs.
      if (!execution) return;
      execution.executionOrder = summary.order;
      execution.start(summary.startTime);
      late = { execution, writer: new CellOutputWriter(execution), summary, timer: undefined };
      this.late.set(key, late);
    }
    late.writer.write(o);
    if (late.timer) clearTimeout(late.timer);
    late.timer = setTimeout(() => void this.closeLateOutput(key), LATE_OUTPUT_QUIET_MS);
  }

  private async closeLateOutput(key: string): Promise<void> {
    const late = this.late.get(key);
    if (!late) return;
    await late.writer.flush();
    if (this.late.get(key) !== late) return; // ended meanwhile by a new run of the cell
    this.late.delete(key);
    late.execution.end(late.summary.success, late.summary.endTime);
  }

  /** Ends a late-output execution at once (its cell is about to run again). */
  private endLateOutput(key: string): void {
    const late = this.late.get(key);
    if (!late) return;
    this.late.delete(key);
    if (late.timer) clearTimeout(late.timer);
    late.execution.end(late.summary.success, late.summary.endTime);
  }

  private async failBeforeRun(execution: vscode.NotebookCellExecution, err: CellError): Promise<CellOutcome> {
    execution.start(Date.now());
    await execution.replaceOutput(errorOutput(err));
    execution.end(false, Date.now());
    return 'failed';
  }

  dispose(): void {
    for (const key of [...this.late.keys()]) this.endLateOutput(key);
    for (const run of this.runs.values()) run.queue.cancelQueued();
    this.runs.clear();
    this.controllers.forEach((c) => c.dispose());
    this.subs.forEach((s) => s.dispose());
    this.selectionEmitter.dispose();
  }
}
