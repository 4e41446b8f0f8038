import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dispatchInvoke } from '../../../src/kernel/invoke';
import { WHAT_IF_METHOD } from '../../../src/kernel/views';
import { stressView } from '../../../src/core/display/stress-view';
import { runStress } from '../../../src/core/stress';
import type { StressPayload } from '../../../src/core/display/protocol';
import { syntheticSnapshot } from '../../fixtures/views/synthetic-snapshot';

test('the kernel answers stress.whatIf with the renderer message as the extension forwards it', async () => {
  const s = syntheticSnapshot({ nodes: 80, edges: 300, seed: 4 });
  const v = stressView(runStress(s, 'top1'), { snapshot: s, scenario: 'top1' });
  const msg = { type: 'whatIf', requestId: 'r1', handle: v.payload.whatIf!.handle, shockSize: 1 };
  const next = (await dispatchInvoke(WHAT_IF_METHOD, msg)) as StressPayload;
  assert.equal(next.result.systemLossPct, runStress(s, { name: 'top1', shocks: [{ kind: 'top', n: 1, loss: 1 }] }).systemLossPct);
  assert.equal(next.scenario.shockSize, 1);
  await assert.rejects(dispatchInvoke(WHAT_IF_METHOD, { handle: 'gone' }), /no stress view with handle gone/);
});
