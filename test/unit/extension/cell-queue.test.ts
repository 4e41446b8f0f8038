import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CellQueue, type CellOutcome } from '../../../src/extension/cell-queue';

/** A controllable runner: each run waits until the test settles it. */
function harness() {
  const log: string[] = [];
  const pending = new Map<string, (o: CellOutcome | Error) => void>();
  const queue = new CellQueue<string>({
    run: (cell) =>
      new Promise<CellOutcome>((resolve, reject) => {
        log.push(`start ${cell}`);
        pending.set(cell, (o) => {
          log.push(`end ${cell}`);
          if (o instanceof Error) reject(o);
          else resolve(o);
        });
      }),
    cancelled: (cell) => log.push(`cancel ${cell}`),
  });
  const settle = async (cell: string, o: CellOutcome | Error) => {
    // Let the queue reach the cell first.
    for (let i = 0; i < 10 && !pending.has(cell); i++) await new Promise((r) => setImmediate(r));
    const f = pending.get(cell);
    assert.ok(f, `cell ${cell} never started; log: ${log.join(', ')}`);
    pending.delete(cell);
    f(o);
  };
  return { queue, log, settle };
}

test('runs cells strictly in order, one at a time', async () => {
  const { queue, log, settle } = harness();
  queue.enqueue(['a', 'b']);
  queue.enqueue(['c']);
  assert.deepEqual(log, ['start a']);
  assert.equal(queue.running, 'a');
  assert.deepEqual(queue.queued, ['b', 'c']);
  await settle('a', 'ok');
  await settle('b', 'ok');
  await settle('c', 'ok');
  await queue.idle();
  assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  assert.equal(queue.running, undefined);
});

test('a failing cell cancels the cells queued after it, not later submissions', async () => {
  const { queue, log, settle } = harness();
  queue.enqueue(['a', 'b', 'c']);
  await settle('a', 'failed');
  await queue.idle();
  assert.deepEqual(log, ['start a', 'end a', 'cancel b', 'cancel c']);
  // The queue works again afterwards.
  queue.enqueue(['d']);
  await settle('d', 'ok');
  await queue.idle();
  assert.deepEqual(log.slice(4), ['start d', 'end d']);
});

test('a runner that throws counts as a failure', async () => {
  const { queue, log, settle } = harness();
  queue.enqueue(['a', 'b']);
  await settle('a', new Error('boom'));
  await queue.idle();
  assert.deepEqual(log, ['start a', 'end a', 'cancel b']);
});

test('cancelling a queued cell removes only that cell; a running cell cannot be removed', async () => {
  const { queue, log, settle } = harness();
  const [a, b, c] = queue.enqueue(['a', 'b', 'c']);
  assert.equal(queue.cancel(b!), true);
  assert.equal(b!.state, 'cancelled');
  assert.equal(queue.cancel(b!), false, 'second cancel is a no-op');
  assert.equal(queue.cancel(a!), false, 'running cell is interrupted elsewhere, not dequeued');
  await settle('a', 'ok');
  await settle('c', 'ok');
  await queue.idle();
  assert.deepEqual(log, ['start a', 'cancel b', 'end a', 'start c', 'end c']);
  assert.equal(c!.state, 'done');
});

test('cancelQueued drops everything waiting but lets the running cell finish', async () => {
  const { queue, log, settle } = harness();
  queue.enqueue(['a', 'b', 'c']);
  queue.cancelQueued();
  assert.deepEqual(queue.queued, []);
  await settle('a', 'ok');
  await queue.idle();
  assert.deepEqual(log, ['start a', 'cancel b', 'cancel c', 'end a']);
});
