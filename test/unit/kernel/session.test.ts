import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MIME } from '../../../src/core/display/views';
import { createKernelSession, locateKernel } from '../../../src/kernel/client';
import type { CellLanguage, ExecuteResult, KernelOutput, KernelSession, KernelState } from '../../../src/kernel/session';
import { testKernelPath } from './kernel-build';

const cwd = mkdtempSync(path.join(tmpdir(), 'dx-kernel-test-'));
const sessions: KernelSession[] = [];

after(() => {
  for (const s of sessions) s.dispose();
  rmSync(cwd, { recursive: true, force: true });
});

async function session(interruptGraceMs?: number): Promise<KernelSession> {
  const s = createKernelSession({ cwd, kernelPath: await testKernelPath(), interruptGraceMs });
  sessions.push(s);
  return s;
}

async function run(s: KernelSession, code: string, language: CellLanguage = 'typescript'): Promise<{ r: ExecuteResult; outputs: KernelOutput[] }> {
  const outputs: KernelOutput[] = [];
  const r = await s.execute(code, language, (o) => outputs.push(o));
  return { r, outputs };
}

function text(r: ExecuteResult): unknown {
  return r.result?.['text/plain'];
}

describe('kernel: persistence and evaluation', () => {
  let s: KernelSession;
  before(async () => {
    s = await session();
  });

  test('top-level declarations persist across cells (const, let, var, function, class, destructuring)', async () => {
    const a = await run(s, 'const x: number = 40\nlet y = 2\nvar v = 1\nfunction add(a: number, b: number): number { return a + b }\nclass Box { constructor(public n: number) {} }\nconst { p, q: [r1, r2] } = { p: 5, q: [6, 7] }\nlet [m, , n] = [1, 2, 3]\nlet u');
    assert.equal(a.r.status, 'ok', JSON.stringify(a.r.error));
    assert.equal(a.r.result, undefined, 'a declaration as last statement displays nothing');
    const b = await run(s, 'add(x, y) + v + new Box(3).n + p + r1 + r2 + m + n + (u === undefined ? 100 : 0)');
    assert.equal(b.r.status, 'ok', JSON.stringify(b.r.error));
    assert.equal(text(b.r), String(42 + 1 + 3 + 5 + 6 + 7 + 1 + 3 + 100));
  });

  test('a function can be called before its declaration in the same cell, and re-running a cell re-declares', async () => {
    const code = 'const k = 1\nconst first = early()\nfunction early() { return "hoisted" }\nfirst';
    assert.equal(text((await run(s, code)).r), 'hoisted');
    assert.equal(text((await run(s, code)).r), 'hoisted', 're-running a cell with const must not fail');
  });

  test('import() works in a cell: a Node built-in and a module beside the notebook', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(cwd, 'helper.mjs'), 'export const triple = (n) => 3 * n;\n');
    const a = await run(s, "const { basename } = await import('node:path');\nbasename('/a/b/exposures.csv')");
    assert.equal(a.r.status, 'ok', JSON.stringify(a.r.error));
    assert.equal(text(a.r), 'exposures.csv');
    const b = await run(s, `const helper = await import(${JSON.stringify(path.join(cwd, 'helper.mjs'))});\nhelper.triple(14)`);
    assert.equal(b.r.status, 'ok', JSON.stringify(b.r.error));
    assert.equal(text(b.r), '42');
  });

  test('JavaScript cells share the same state', async () => {
    const r = (await run(s, 'const js = x * 2; js', 'javascript')).r;
    assert.equal(text(r), '80');
  });

  test('top-level await, with the awaited value as the result', async () => {
    const { r, outputs } = await run(s, "console.log('before')\nconst w = await new Promise<number>((res) => setTimeout(() => (console.log('timer'), res(7)), 20))\nconsole.log('after')\nw * 6");
    assert.equal(r.status, 'ok');
    assert.equal(text(r), '42');
    // The cell went on only when the timer had fired: its line sits between the two others.
    assert.equal(streamText(outputs, 'stdout'), 'before\ntimer\nafter\n', 'the execute waited for the await');
  });

  test('imports: node builtins, default/named/namespace, and dexposure-notebooks', async () => {
    const r = (await run(s, "import * as nodePath from 'node:path'\nimport { join as j } from 'node:path'\nimport pathDefault from 'node:path'\nimport { MIME as M } from 'dexposure-notebooks'\n[nodePath.join('a', 'b'), j('c', 'd'), pathDefault.sep, M.table].join(' ')")).r;
    assert.equal(r.status, 'ok', JSON.stringify(r.error));
    assert.equal(text(r), `a/b c/d / ${MIME.table}`);
    assert.equal(text((await run(s, 'j("x", "y")')).r), 'x/y', 'imported names persist');
  });

  test('an unknown module is a clear error', async () => {
    const r = (await run(s, "import nope from 'no-such-package-xyz'")).r;
    assert.equal(r.status, 'error');
    assert.match(r.error!.message, /Cannot find module 'no-such-package-xyz'/);
  });

  test('the last expression is displayed as a MIME bundle; a table for records', async () => {
    const r = (await run(s, '[{ name: "a", tvl: 1.5, n: 1 }, { name: "b", tvl: 2, n: 2 }]')).r;
    const table = r.result?.[MIME.table] as { columns: { name: string; kind: string }[]; rows: unknown[][] };
    assert.deepEqual(table.columns, [
      { name: 'name', kind: 'string' },
      { name: 'tvl', kind: 'usd', label: 'TVL', description: 'total value locked (USD)' },
      { name: 'n', kind: 'integer' },
    ]);
    assert.deepEqual(table.rows, [
      ['a', 1.5, 1],
      ['b', 2, 2],
    ]);
    assert.match(String(r.result?.['text/markdown']), /\| a \| \$1.50 \| 1 \|/, 'formatted as dx.table formats it (a tvl field is money)');
  });

  test('a misspelled dx member fails the cell with "did you mean" at the cell line', async () => {
    const { r } = await run(s, 'const x = 1\ndx.stres(x)');
    assert.equal(r.status, 'error');
    assert.match(String(r.error?.message), /dx has no member "stres"\. Did you mean dx\.stress/);
    assert.match(String(r.error?.stack), /cell-\d+\.ts:2:/);
  });

  test('dx.display streams rich outputs, with updatable display ids', async () => {
    const { r, outputs } = await run(s, 'const h = dx.display({ data: [{ x: [1, 2], y: [3, 4], type: "scatter" }], layout: { title: "T" } }, { id: "fig1" })\nh.update("now text")\ndx.display.update("fig1", 5)');
    assert.equal(r.status, 'ok', JSON.stringify(r.error));
    const displays = outputs.filter((o) => o.kind === 'display');
    assert.equal(displays.length, 3);
    assert.deepEqual(displays.map((d) => [d.displayId, d.update ?? false]), [
      ['fig1', false],
      ['fig1', true],
      ['fig1', true],
    ]);
    const chart = displays[0].bundle[MIME.chart] as { data: unknown[]; layout: { title: string } };
    assert.equal(chart.layout.title, 'T');
    assert.equal(displays[1].bundle['text/plain'], 'now text');
  });

  test('a result with several views shows each in its own output, in order (VS Code shows one MIME type per output)', async () => {
    const views = `const two = { [Symbol.for('dexposure.mimeBundles')]: () => [
      { 'application/vnd.dexposure.table+json': { version: 1, columns: [], rows: [] }, 'text/markdown': 'table' },
      { 'application/vnd.dexposure.chart+json': { version: 1, data: [] }, 'text/markdown': 'chart' },
    ] };`;
    const last = await run(s, `${views}\ntwo`);
    assert.equal(last.r.status, 'ok', JSON.stringify(last.r.error));
    const shown = last.outputs.filter((o) => o.kind === 'display');
    assert.equal(shown.length, 1, 'the first view streams as a display output');
    assert.ok(shown[0].kind === 'display' && MIME.table in shown[0].bundle);
    assert.ok(last.r.result && MIME.chart in last.r.result && !(MIME.table in last.r.result), 'the last view is the cell result');

    const viaDisplay = await run(s, `${views}\ndx.display(two); undefined`);
    const parts = viaDisplay.outputs.filter((o) => o.kind === 'display');
    assert.deepEqual(parts.map((o) => (o.kind === 'display' ? o.bundle['text/markdown'] : '')), ['table', 'chart']);
    const withId = await run(s, `${views}\ndx.display(two, { id: 'v' }); undefined`);
    const one = withId.outputs.filter((o) => o.kind === 'display');
    assert.equal(one.length, 1, 'an updatable display stays one output');
  });
});

describe('kernel: console streaming', () => {
  let s: KernelSession;
  before(async () => {
    s = await session();
  });

  test('console output streams while the cell runs, in order, split by stream', async () => {
    let sawBeforeEnd = false;
    let resolved = false;
    const outputs: KernelOutput[] = [];
    const p = s.execute('console.log("one", 1); console.error("two"); console.info({ a: 1 }); await new Promise((r) => setTimeout(r, 400)); console.warn("three"); "end"', 'typescript', (o) => {
      outputs.push(o);
      if (!resolved) sawBeforeEnd = true;
    });
    const r = await p;
    resolved = true;
    assert.equal(r.status, 'ok');
    assert.ok(sawBeforeEnd);
    const streams = outputs.filter((o): o is Extract<KernelOutput, { kind: 'stream' }> => o.kind === 'stream');
    assert.deepEqual(
      streams.map((o) => [o.name, o.text]),
      [
        ['stdout', 'one 1\n'],
        ['stderr', 'two\n'],
        ['stdout', '{ a: 1 }\n'],
        ['stderr', 'three\n'],
      ],
    );
  });

  test('output streams to the host while the cell still runs', async () => {
    // The cell waits until the host has seen its first output (the host answers with a
    // file): if outputs were held back until the cell ended, it would give up waiting.
    const flag = path.join(cwd, `seen-${process.pid}`);
    const cell = `console.log("early");
const fs = await import('node:fs');
let seen = false;
for (let i = 0; i < 3000 && !seen; i++) { seen = fs.existsSync(${JSON.stringify(flag)}); if (!seen) await new Promise((r) => setTimeout(r, 10)); }
seen ? 'seen' : 'never seen'`;
    const r = await s.execute(cell, 'typescript', (o) => {
      if (o.kind === 'stream' && o.text.includes('early')) writeFileSync(flag, '');
    });
    assert.equal(r.status, 'ok', JSON.stringify(r.error));
    assert.equal(r.result?.['text/plain'], 'seen');
  });
});

describe('kernel: errors point into the cell', () => {
  let s: KernelSession;
  before(async () => {
    s = await session();
  });

  test('a throw on line 3 of a TypeScript cell reports :3: (type-only lines removed before it)', async () => {
    const r = (await run(s, 'interface Foo { a: number }\ntype Bar = string\nthrow new Error("boom")')).r;
    assert.equal(r.status, 'error');
    assert.equal(r.error!.name, 'Error');
    assert.equal(r.error!.message, 'boom');
    assert.match(r.error!.stack, /cell-\d+\.ts:3:7/);
  });

  test('a throw inside a function reports the function line and the call line; no kernel frames', async () => {
    const r = (await run(s, 'const a: number = 1\nfunction bad(n: number): never {\n  throw new TypeError(`bad ${n}`)\n}\n\nbad(a)', 'typescript')).r;
    assert.equal(r.error!.name, 'TypeError');
    const frames = r.error!.stack.split('\n').filter((l) => l.trim().startsWith('at '));
    assert.match(frames[0], /at bad \(cell-\d+\.ts:3:9\)/);
    assert.match(frames[1], /cell-\d+\.ts:6:1/);
    assert.equal(frames.length, 2, r.error!.stack);
    assert.doesNotMatch(r.error!.stack, /kernel\.js|node:internal|node:events/);
  });

  test('JavaScript cells: line numbers unchanged', async () => {
    const r = (await run(s, '// comment\nlet q = 1\nnull.boom', 'javascript')).r;
    assert.equal(r.error!.name, 'TypeError');
    assert.match(r.error!.stack, /cell-\d+\.js:3:6/);
  });

  test('an error in a function defined in an earlier cell maps into that cell', async () => {
    await run(s, '\n\nfunction thrower() { throw new RangeError("far") }');
    const r = (await run(s, 'thrower()')).r;
    const defined = r.error!.stack.match(/at thrower \((cell-\d+\.ts):(\d+):(\d+)\)/);
    assert.ok(defined, r.error!.stack);
    assert.equal(defined[2], '3');
    assert.equal(defined[3], '28');
  });

  test('syntax errors give the position in the cell', async () => {
    const r = (await run(s, 'const ok = 1\nconst = 5')).r;
    assert.equal(r.status, 'error');
    assert.equal(r.error!.name, 'SyntaxError');
    assert.match(r.error!.stack, /cell-\d+\.ts:2:7/);
    const js = (await run(s, 'let a = 1\n\nlet b = [1, 2', 'javascript')).r;
    assert.equal(js.error!.name, 'SyntaxError');
    assert.match(js.error!.stack, /cell-\d+\.js:3:\d+/);
  });

  test('a thrown non-Error value is reported, not lost', async () => {
    const r = (await run(s, 'throw "plain string"')).r;
    assert.equal(r.status, 'error');
    assert.equal(r.error!.message, 'plain string');
  });

  test('after errors the kernel keeps its state', async () => {
    await run(s, 'const kept = "yes"');
    await run(s, 'throw new Error("x")');
    assert.equal(text((await run(s, 'kept')).r), 'yes');
  });
});

describe('kernel: interrupt, restart, crash', () => {
  test('interrupting while(true){} stops it without a restart; next cell works', async () => {
    // A generous grace period: on a loaded machine SIGINT may take a while to break the
    // loop, and the fallback restart must not kick in before it (that would be a failure).
    const s = await session(5000);
    await run(s, 'const before = 1');
    const p = run(s, 'let i = 0\nwhile (true) { i++ }');
    await new Promise((r) => setTimeout(r, 300));
    await s.interrupt();
    const { r } = await p;
    assert.equal(r.status, 'interrupted');
    const next = (await run(s, '"alive"')).r;
    assert.equal(next.status, 'ok');
    assert.equal(text(next), 'alive');
    // A synchronous loop in the cell's first tick breaks via SIGINT: state is kept.
    assert.doesNotMatch(r.error!.message, /restarted/);
    assert.equal(text((await run(s, 'before')).r), '1');
  });

  test('a loop after an await cannot be broken cooperatively: the kernel restarts and says state was lost', async () => {
    const s = await session(500);
    await run(s, 'const lost = 1');
    const p = run(s, 'await Promise.resolve()\nwhile (true) {}');
    await new Promise((r) => setTimeout(r, 300));
    await s.interrupt();
    const { r } = await p;
    assert.equal(r.status, 'interrupted');
    assert.match(r.error!.message, /restarted.*lost/);
    const next = (await run(s, 'typeof lost')).r;
    assert.equal(text(next), 'undefined');
  });

  test('interrupting a long await resolves promptly and keeps state', async () => {
    const s = await session();
    await run(s, 'const keep = 5');
    const p = run(s, 'await new Promise((r) => setTimeout(r, 1e6))');
    await new Promise((r) => setTimeout(r, 200));
    await s.interrupt();
    const { r } = await p;
    assert.equal(r.status, 'interrupted');
    // Abandoned cooperatively, not by the grace-period restart (which would lose `keep`).
    assert.doesNotMatch(r.error?.message ?? '', /restarted/);
    assert.equal(text((await run(s, 'keep')).r), '5');
  });

  test('restart clears state and reports states', async () => {
    const s = await session();
    const states: KernelState[] = [];
    s.onStateChange((st) => states.push(st));
    await run(s, 'const gone = 1');
    await s.restart();
    assert.equal(s.state, 'idle');
    assert.equal(text((await run(s, 'typeof gone')).r), 'undefined');
    assert.deepEqual(states.slice(0, 4), ['starting', 'idle', 'busy', 'idle']);
    assert.ok(states.includes('restarting'));
  });

  test('process.exit(3) -> died with a clear message; the next cell runs in a fresh kernel', async () => {
    const s = await session();
    await run(s, 'const before = 1');
    const r = (await run(s, 'console.log("bye"); process.exit(3)')).r;
    assert.equal(r.status, 'died');
    assert.match(r.error!.message, /exited with code 3/);
    assert.equal(s.state, 'dead');
    const next = (await run(s, 'typeof before')).r;
    assert.equal(next.status, 'ok');
    assert.equal(text(next), 'undefined');
  });

  test('a native-style crash (SIGKILL of itself) is reported as died', async () => {
    const s = await session();
    const r = (await run(s, 'process.kill(process.pid, "SIGKILL")')).r;
    assert.equal(r.status, 'died');
    assert.match(r.error!.message, /killed by SIGKILL/);
  });

  test('executes queue: strictly one at a time, in order', async () => {
    const s = await session();
    const order: string[] = [];
    const a = s.execute('await new Promise((r) => setTimeout(r, 150)); globalThis.__seq = (globalThis.__seq ?? "") + "a"', 'javascript', () => undefined).then(() => order.push('a'));
    const b = s.execute('globalThis.__seq = (globalThis.__seq ?? "") + "b"; globalThis.__seq', 'javascript', () => undefined).then((r) => order.push(`b:${String(text(r))}`));
    await Promise.all([a, b]);
    assert.deepEqual(order, ['a', 'b:ab']);
  });
});

describe('kernel: invoke handlers', () => {
  let s: KernelSession;
  before(async () => {
    s = await session();
  });

  test('a handler registered by a cell is reachable from the host', async () => {
    const r = (await run(s, 'let calls = 0\ndx.registerInvokeHandler("scale", async (p: any) => { calls++; return { doubled: p.x * 2 } })')).r;
    assert.equal(r.status, 'ok', JSON.stringify(r.error));
    assert.deepEqual(await s.invoke('scale', { x: 21 }), { doubled: 42 });
    assert.equal(text((await run(s, 'calls')).r), '1');
  });

  test('unknown methods and throwing handlers reject with their message', async () => {
    await assert.rejects(s.invoke('nope', {}), /no handler registered for "nope"/);
    await run(s, 'dx.registerInvokeHandler("fails", () => { throw new Error("handler broke") })');
    await assert.rejects(s.invoke('fails', {}), /handler broke/);
  });
});

describe('kernel: locating the kernel entry', () => {
  test('a relative kernelPath is resolved against the host cwd (the child runs in the notebook folder)', async () => {
    const abs = await testKernelPath();
    const rel = path.relative(process.cwd(), abs);
    assert.equal(locateKernel(rel), abs);
    assert.throws(() => locateKernel('no/such/kernel.js'), new RegExp(`no kernel entry at ${path.resolve('no/such/kernel.js').replace(/[/.]/g, '\\$&')}`));
  });
});

/** Fails (instead of hanging the suite) when the kernel never sends `done`. */
function withDeadline<T>(p: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms)));
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

function streamText(outputs: KernelOutput[], name: 'stdout' | 'stderr'): string {
  return outputs.map((o) => (o.kind === 'stream' && o.name === name ? o.text : '')).join('');
}

describe('kernel: hostile errors and late output', () => {
  let s: KernelSession;
  before(async () => {
    s = await session();
  });

  test('an Error whose message getter throws still ends the cell with an error', async () => {
    const { r } = await withDeadline(run(s, 'class Sly extends Error { get message(): string { throw new Error("gotcha") } }\nthrow new Sly()'), 'throwing message getter');
    assert.equal(r.status, 'error');
    assert.equal(r.error!.name, 'Error');
    assert.match(r.error!.message, /message that cannot be read/);
    assert.equal(text((await run(s, '"still alive"')).r), 'still alive');
  });

  test('a Proxy whose every trap throws, thrown by a cell, still ends the cell', async () => {
    const code = 'const trap = () => { throw new Error("trap") }\nthrow new Proxy({}, { get: trap, has: trap, ownKeys: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap })';
    const { r } = await withDeadline(run(s, code), 'throwing Proxy');
    assert.equal(r.status, 'error');
    assert.equal(r.error!.name, 'Uncaught');
    assert.equal(text((await run(s, '1 + 1')).r), '2');
  });

  test('a rejection the cell leaves unhandled at its end is shown on that cell', async () => {
    const { r, outputs } = await run(s, 'void Promise.reject(new RangeError("left behind"))\n"done"');
    assert.equal(r.status, 'ok');
    assert.match(streamText(outputs, 'stderr'), /Unhandled promise rejection: RangeError: left behind/);
  });

  test('output and rejections from timers after the cell finished reach that cell (nothing else runs)', async () => {
    const late: KernelOutput[] = [];
    let finished = false;
    let beforeFinish = 0;
    const r = await s.execute('setTimeout(() => { console.log("tick after end"); Promise.reject(new Error("timer rejection")) }, 150)\n"started"', 'typescript', (o) => {
      if (finished) late.push(o);
      else beforeFinish++;
    });
    finished = true;
    assert.equal(r.status, 'ok');
    assert.equal(beforeFinish, 0);
    const deadline = Date.now() + 10_000;
    while (!/timer rejection/.test(streamText(late, 'stderr')) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    assert.equal(streamText(late, 'stdout'), 'tick after end\n');
    assert.match(streamText(late, 'stderr'), /Unhandled promise rejection: Error: timer rejection/);
  });

  test('late output while another cell runs goes to the running cell (as in Jupyter)', async () => {
    const first: KernelOutput[] = [];
    await s.execute('setTimeout(() => console.log("from the first cell\'s timer"), 200)', 'typescript', (o) => first.push(o));
    const { r, outputs } = await run(s, 'await new Promise((res) => setTimeout(res, 800))\n"second"');
    assert.equal(r.status, 'ok');
    assert.equal(streamText(outputs, 'stdout'), "from the first cell's timer\n");
    assert.equal(streamText(first, 'stdout'), '');
  });
});

describe('kernel: environment', () => {
  test("the host's NODE_OPTIONS does not reach the kernel; the session's env may set it", async () => {
    const preload = path.join(cwd, 'preload.cjs');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(preload, 'globalThis.__preloaded = true;\n');
    const saved = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = `--require ${preload}`;
    try {
      const s = await session();
      await s.start();
      const r = (await run(s, '[typeof process.env.NODE_OPTIONS, String(globalThis.__preloaded)].join(" ")')).r;
      assert.equal(text(r), 'undefined undefined');
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved;
    }
    const explicit = createKernelSession({ cwd, kernelPath: await testKernelPath(), env: { NODE_OPTIONS: `--require ${preload}` } });
    sessions.push(explicit);
    assert.equal(text((await run(explicit, 'String(globalThis.__preloaded)')).r), 'true');
  });
});
