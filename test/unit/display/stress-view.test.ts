import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resizedDescription, stressView } from '../../../src/core/display/stress-view';
import { answerWhatIf, MAX_WHAT_IF_VIEWS, registerWhatIf } from '../../../src/core/display/what-if';
import { compareStress, runStress } from '../../../src/core/stress';
import type { Snapshot } from '../../../src/core/snapshot/types';
import { syntheticSnapshot } from '../../fixtures/views/synthetic-snapshot';

function chain(): Snapshot {
  // a holds b's tokens, b holds c's: shocking c hurts b, then a.
  return {
    week: '2024-01-08', kind: 'observed', ids: ['a', 'b', 'c'], names: ['A', 'B', 'C'], categories: ['Lending', 'Lending', 'Dexs'],
    tvl: Float64Array.from([100, 100, 100]), edgeSource: Int32Array.from([0, 1]), edgeTarget: Int32Array.from([1, 2]), edgeWeight: Float64Array.from([50, 50]),
  };
}

test('stressView payload is JSON-safe and mirrors the simulator result', () => {
  const s = chain();
  const r = runStress(s, { name: 'c fails', shocks: [{ kind: 'protocols', ids: ['c'], loss: 1 }] });
  const v = stressView(r, { snapshot: s, scenario: { name: 'c fails', shocks: [{ kind: 'protocols', ids: ['c'], loss: 1 }] } });
  const p = JSON.parse(JSON.stringify(v.payload)) as typeof v.payload;
  assert.equal(p.result.systemLossPct, r.systemLossPct);
  assert.equal(p.result.depth, r.depth);
  assert.equal(p.result.losses.length, r.losses.length);
  assert.deepEqual(p.scenario.targets, ['c']);
  assert.equal(p.scenario.shockSize, 1);
  assert.deepEqual(p.graph!.nodes.map((n) => n.id).sort(), r.losses.map((l) => l.id).sort());
  assert.equal(p.graph!.edges.length, 2);
  assert.ok(p.whatIf && p.whatIf.handle.startsWith('whatif-'));
  assert.match(v.markdown, /Stress test: c fails/);
});

test('what-if rerun answers with a smaller shock and with another protocol shocked', () => {
  const s = chain();
  const sc = { name: 'c fails', shocks: [{ kind: 'protocols' as const, ids: ['c'], loss: 1 }] };
  const v = stressView(runStress(s, sc), { snapshot: s, scenario: sc });
  const handle = v.payload.whatIf!.handle;
  const half = answerWhatIf({ handle, shockSize: 0.5 });
  assert.equal(half.result.systemLossPct, runStress(s, { ...sc, shocks: [{ kind: 'protocols', ids: ['c'], loss: 0.5 }] }).systemLossPct);
  assert.ok(half.result.systemLossPct < v.payload.result.systemLossPct);
  assert.equal(half.whatIf!.handle, handle);
  const onA = answerWhatIf({ handle, shockProtocol: 'a', shockSize: 1 });
  // nobody holds a's tokens: only a loses
  assert.deepEqual(onA.result.losses.map((l) => l.id), ['a']);
  assert.throws(() => answerWhatIf({ handle: 'nope' }), /no stress view with handle nope/);
  assert.throws(() => answerWhatIf({ handle, shockSize: 2 }), /shockSize must be a number in \[0, 1\]/);
});

test('what-if registry: the most recent views stay live, older ones say to run their cell again', () => {
  const s = chain();
  const sc = { name: 'c fails', shocks: [{ kind: 'protocols' as const, ids: ['c'], loss: 1 }] };
  const first = stressView(runStress(s, sc), { snapshot: s, scenario: sc }).payload.whatIf!.handle;
  const second = stressView(runStress(s, sc), { snapshot: s, scenario: sc }).payload.whatIf!.handle;
  // Using the first view makes it recent again: the second is now the oldest.
  answerWhatIf({ handle: first, shockSize: 0.5 });
  const echo = runStress(s, sc);
  for (let i = 0; i < MAX_WHAT_IF_VIEWS - 1; i++) registerWhatIf(() => stressView(echo).payload);
  assert.equal(answerWhatIf({ handle: first, shockSize: 0.25 }).result.systemLossPct, runStress(s, { ...sc, shocks: [{ kind: 'protocols', ids: ['c'], loss: 0.25 }] }).systemLossPct);
  assert.throws(() => answerWhatIf({ handle: second }), new RegExp(`handle ${second} in this kernel .*older than the last ${MAX_WHAT_IF_VIEWS}\\): run its cell again`));
});

test('comparison results become the comparison list, labelled', () => {
  const a = syntheticSnapshot({ nodes: 60, edges: 200, seed: 1 });
  const b = syntheticSnapshot({ nodes: 60, edges: 200, seed: 2 });
  const cmp = compareStress([{ label: 'observed', snapshot: a }, { label: 'predicted', snapshot: b }], 'top5');
  const v = stressView(cmp);
  assert.equal(v.payload.result.label, 'observed');
  assert.deepEqual(v.payload.comparison!.map((r) => r.label), ['predicted']);
  assert.equal(v.payload.whatIf, undefined);
  assert.match(v.markdown, /\| predicted \|/);
});

test('a shock that does not spread still shows the shocked protocol among its neighbours', () => {
  // a holds b's tokens, b holds c's. Shocking a: nobody holds a, so only a loses; the
  // panel shows a with b, the protocol it holds, rather than a lone dot.
  const s = chain();
  const sc = { name: 'a hit', shocks: [{ kind: 'protocols' as const, ids: ['a'], loss: 0.5 }] };
  const r = runStress(s, sc);
  assert.deepEqual(r.losses.map((l) => l.id), ['a']);
  const p = stressView(r, { snapshot: s, scenario: sc }).payload;
  assert.deepEqual(p.graph!.nodes.map((n) => n.id), ['a', 'b']);
  assert.deepEqual(p.graph!.edges.map((e) => [e.source, e.target]), [['a', 'b']]);
  // Shocking c: its creditor b (and b's creditor a) lose; creditors come before holdings.
  const rc = runStress(s, { name: 'c', shocks: [{ kind: 'protocols', ids: ['c'], loss: 0.05 }] });
  const pc = stressView(rc, { snapshot: s }).payload;
  assert.deepEqual(pc.graph!.nodes.map((n) => n.id).slice(0, 2), ['c', 'b']);
});

test('resizedDescription restates the shock size the slider asked for', () => {
  assert.equal(resizedDescription('Largest protocol by TVL loses 50%', 0.5, 0.8), 'Largest protocol by TVL loses 80%');
  assert.equal(resizedDescription('Five largest protocols by TVL lose 30% each', 0.3, 0.05), 'Five largest protocols by TVL lose 5% each');
  assert.equal(resizedDescription('Top 150% ok, loses 50%', 0.5, 1), 'Top 150% ok, loses 100%', 'only the stated size changes');
  assert.equal(resizedDescription('A custom shock', 0.5, 0.25), 'A custom shock (shock size 25%)');
  assert.equal(resizedDescription(undefined, undefined, 0.4), 'Shock size 40%');
});

test('a what-if rerun of a preset answers with the subtitle of the new size', () => {
  const s = syntheticSnapshot({ nodes: 60, edges: 200, seed: 3 });
  const v = stressView(runStress(s, 'top1'), { snapshot: s, scenario: 'top1' });
  assert.equal(v.payload.scenario.description, 'Largest protocol by TVL loses 50%');
  const next = answerWhatIf({ handle: v.payload.whatIf!.handle, shockSize: 0.8 });
  assert.equal(next.scenario.description, 'Largest protocol by TVL loses 80%');
  assert.equal(next.whatIf!.shockSize, 0.8);
  assert.equal(next.scenario.shockSize, 0.8);
  // Each rerun starts from the preset, not from the previous answer.
  assert.equal(answerWhatIf({ handle: v.payload.whatIf!.handle, shockSize: 0.35 }).scenario.description, 'Largest protocol by TVL loses 35%');
});

test('what-if reruns with the same affected set reuse the layout: positions equal a fresh view of that result', () => {
  const s = syntheticSnapshot({ nodes: 400, edges: 1600, seed: 5 });
  const scenario = { name: 'top 3', shocks: [{ kind: 'top' as const, n: 3, loss: 0.5 }] };
  const v = stressView(runStress(s, scenario), { snapshot: s, scenario });
  const handle = v.payload.whatIf!.handle;
  for (const size of [0.3, 0.31, 0.3]) {
    const rerun = answerWhatIf({ handle, shockSize: size });
    const sized = { ...scenario, shocks: [{ ...scenario.shocks[0]!, loss: size }] };
    const fresh = stressView(runStress(s, sized), { snapshot: s, scenario: sized }).payload;
    assert.deepEqual(rerun.graph, fresh.graph, `shock ${size}`);
    assert.deepEqual(rerun.result, fresh.result);
  }
});
