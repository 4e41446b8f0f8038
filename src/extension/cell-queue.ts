/**
 * Per-notebook execution queue with Jupyter semantics: cells run strictly in the
 * order they were queued, one at a time; a cell that fails (error, interrupt, kernel
 * death) cancels every cell queued after it; a queued cell can be removed before it
 * starts. Pure (no `vscode`), so the semantics are unit-tested with fakes; the
 * controller plugs VS Code executions in through the hooks.
 */

export type CellOutcome = 'ok' | 'failed';

export type QueueEntryState = 'queued' | 'running' | 'done' | 'cancelled';

export interface QueueEntry<T> {
  readonly payload: T;
  readonly state: QueueEntryState;
}

export interface CellQueueHooks<T> {
  /** Runs one cell to completion. A rejection counts as a failure. */
  run(payload: T): Promise<CellOutcome>;
  /** A queued cell was dropped without running (end its execution with no result). */
  cancelled(payload: T): void;
}

interface Entry<T> {
  payload: T;
  state: QueueEntryState;
}

export class CellQueue<T> {
  private readonly waiting: Entry<T>[] = [];
  private current: Entry<T> | undefined;
  private draining: Promise<void> | undefined;

  constructor(private readonly hooks: CellQueueHooks<T>) {}

  /** Queues cells (in this order) and starts the loop if idle. */
  enqueue(payloads: readonly T[]): QueueEntry<T>[] {
    const entries = payloads.map((payload) => ({ payload, state: 'queued' as QueueEntryState }));
    this.waiting.push(...entries);
    if (!this.draining) this.draining = this.drain();
    return entries;
  }

  /** Removes a queued cell; false when it already runs or ended. */
  cancel(entry: QueueEntry<T>): boolean {
    const i = this.waiting.indexOf(entry as Entry<T>);
    if (i < 0) return false;
    this.waiting.splice(i, 1);
    (entry as Entry<T>).state = 'cancelled';
    this.hooks.cancelled(entry.payload);
    return true;
  }

  /** Drops every queued (not running) cell. */
  cancelQueued(): void {
    for (const e of this.waiting.splice(0)) {
      e.state = 'cancelled';
      this.hooks.cancelled(e.payload);
    }
  }

  get running(): T | undefined {
    return this.current?.payload;
  }

  get queued(): T[] {
    return this.waiting.map((e) => e.payload);
  }

  /** Resolves when nothing runs and nothing is queued. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      for (let e = this.waiting.shift(); e; e = this.waiting.shift()) {
        this.current = e;
        e.state = 'running';
        let outcome: CellOutcome;
        try {
          outcome = await this.hooks.run(e.payload);
        } catch {
          outcome = 'failed';
        }
        e.state = 'done';
        this.current = undefined;
        if (outcome === 'failed') this.cancelQueued();
      }
    } finally {
      this.current = undefined;
      this.draining = undefined;
    }
  }
}
