/**
 * Benchmark: the what-if round trip of the stress view on a full-scale week (~5,700
 * protocols, ~30,000 exposures): the slider moves in the renderer (headless Chromium),
 * its message goes to a real kernel process (`stress.whatIf` over IPC, as the
 * extension relays it), the kernel reruns the simulator and rebuilds the payload, and
 * the reply updates the view in place. Goal: < 300 ms per round trip, timed to the new
 * headline figures on screen (what the user waits for); the time until the bars and
 * the contagion graph have caught up too (the view's data-dx-revision) is reported
 * beside it.
 *
 * Baseline, measured in the same run: the same loop with a kernel handler that only
 * echoes a prebuilt payload of the same size (messaging, IPC, JSON and re-render,
 * without the simulation). Reported as ratio = what-if / echo.
 *
 *   npm run build && node --import tsx bench/what-if.ts [--rounds N]
 */
import * as path from 'node:path';
import { createKernelSession } from '../src/kernel/client';
import { MIME } from '../src/core/display/views';
import { openHarness, render, messages, reply } from '../test/browser/harness';

const root = path.resolve(__dirname, '..');
const ri = process.argv.indexOf('--rounds');
const ROUNDS = ri >= 0 ? Number(process.argv[ri + 1]) : 12;

// A full-scale week built inside the kernel: heavy-tailed TVL, preferential attachment
// to large protocols (as test/fixtures/views/synthetic-snapshot.ts), seeded (mulberry32).
const SETUP = `
const N = 5700, E = 30000;
let seed = 7; const rnd = () => { seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const cats = ['Lending', 'Dexs', 'Liquid Staking', 'CDP', 'Bridge', 'Yield', 'Derivatives', 'RWA'];
const ids = [], names = [], categories = [], tvl = new Float64Array(N);
for (let i = 0; i < N; i++) { ids.push('p' + i); names.push('Protocol ' + i); categories.push(cats[Math.floor(rnd() * cats.length)]); tvl[i] = Math.round(5e9 / Math.pow(i + 1, 1.3) * (0.5 + rnd())); }
const seen = new Set(), src = [], dst = [], w = [];
while (src.length < E) {
  const a = Math.floor(rnd() * N), b = Math.floor(Math.pow(rnd(), 3) * N);
  if (a === b || seen.has(a * N + b)) continue;
  seen.add(a * N + b); src.push(a); dst.push(b); w.push(tvl[a] * 0.2 * rnd());
}
const week = { week: '2024-03-04', kind: 'observed', ids, names, categories, tvl, edgeSource: Int32Array.from(src), edgeTarget: Int32Array.from(dst), edgeWeight: Float64Array.from(w) };
const view = dx.stress(week, 'top5');
let echoPayload;
dx.registerInvokeHandler('bench.echo', () => echoPayload);
dx.registerInvokeHandler('bench.setEcho', (p) => { echoPayload = p; return true; });
view`;

interface Msg {
  type: string;
  requestId: string;
  handle: string;
  shockSize: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const session = createKernelSession({ cwd: root, kernelPath: path.join(root, 'dist', 'kernel.js') });
  const h = await openHarness({ width: 1200, height: 1400 });
  try {
    const setup = await session.execute(SETUP, 'javascript', () => undefined);
    if (setup.status !== 'ok') throw new Error(`bench/what-if: setup cell failed: ${JSON.stringify(setup.error)}`);
    const payload = setup.result![MIME.stress] as { whatIf: { handle: string }; result: { systemLossPct: number } };
    const payloadBytes = JSON.stringify(payload).length;
    const id = await render(h.page, MIME.stress, payload, { messaging: true });
    await h.page.waitForSelector(`#${id} [data-dx=system-loss]`);

    const view = `#${id} > .dx-view`;
    const revision = () => h.page.$eval(view, (e) => Number(e.getAttribute('data-dx-revision')));
    const roundTrip = async (size: number, relay: (m: Msg) => Promise<{ result: { systemLossPct: number } }>): Promise<{ ms: number; kernelMs: number; fullMs: number }> => {
      const n = (await messages(h.page)).length;
      const rev = await revision();
      const t0 = performance.now();
      await h.page.$eval(`#${id} [data-dx=shock-size]`, (e, v) => {
        (e as unknown as { value: string }).value = String(v);
        e.dispatchEvent(new Event('change'));
      }, size);
      await h.page.waitForFunction((k) => (globalThis as unknown as { dx: { messages: unknown[] } }).dx.messages.length > k, n, { polling: 'raf' });
      const m = (await messages(h.page)).at(-1) as Msg;
      const k0 = performance.now();
      const next = await relay(m);
      const kernelMs = performance.now() - k0;
      await reply(h.page, { type: 'whatIfResult', requestId: m.requestId, payload: next });
      const want = `${next.result.systemLossPct.toFixed(2)}%`;
      await h.page.waitForFunction(([s, v]) => (globalThis as unknown as { document: { querySelector(q: string): { textContent: string } | null } }).document.querySelector(s!)?.textContent === v, [`#${id} [data-dx=system-loss]`, want] as const, { polling: 'raf' });
      const ms = performance.now() - t0;
      await h.page.waitForFunction(([s, r]) => Number((globalThis as unknown as { document: { querySelector(q: string): { getAttribute(a: string): string | null } | null } }).document.querySelector(s!)?.getAttribute('data-dx-revision')) > Number(r), [view, rev] as const, { polling: 'raf' });
      return { ms, kernelMs, fullMs: performance.now() - t0 };
    };

    const whatIf = (m: Msg) => session.invoke('stress.whatIf', { handle: m.handle, shockSize: m.shockSize }) as Promise<{ result: { systemLossPct: number } }>;
    const sizes = Array.from({ length: ROUNDS }, (_, i) => 0.1 + (0.85 * i) / Math.max(1, ROUNDS - 1));
    // warm-up (JIT, first WebGL frame)
    await roundTrip(0.42, whatIf);
    const wi: { ms: number; kernelMs: number; fullMs: number }[] = [];
    for (const s of sizes) wi.push(await roundTrip(s, whatIf));

    // Baseline: echo a prebuilt payload of the same size (the last what-if answer, but
    // with a distinct loss figure so the view visibly changes every time).
    const last = (await session.invoke('stress.whatIf', { handle: payload.whatIf.handle, shockSize: 0.5 })) as { result: { systemLossPct: number } };
    await session.invoke('bench.setEcho', last);
    const echo = (m: Msg) => session.invoke('bench.echo', m) as Promise<{ result: { systemLossPct: number } }>;
    const ec: { ms: number; kernelMs: number; fullMs: number }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await roundTrip(i % 2 ? 0.3 : 0.6, whatIf); // move away from the echoed state
      ec.push(await roundTrip(0.5, echo));
    }
    const whatIfMs = median(wi.map((x) => x.ms));
    const echoMs = median(ec.map((x) => x.ms));
    console.log(
      JSON.stringify({
        bench: 'what-if',
        protocols: 5700,
        exposures: 30000,
        rounds: ROUNDS,
        payloadBytes,
        whatIfRoundTripMs: Math.round(whatIfMs * 10) / 10,
        whatIfRoundTripP90Ms: Math.round([...wi.map((x) => x.ms)].sort((a, b) => a - b)[Math.floor(0.9 * (wi.length - 1))]! * 10) / 10,
        whatIfFullUpdateMs: Math.round(median(wi.map((x) => x.fullMs)) * 10) / 10,
        kernelInvokeMs: Math.round(median(wi.map((x) => x.kernelMs)) * 10) / 10,
        baselineEchoRoundTripMs: Math.round(echoMs * 10) / 10,
        baselineEchoFullUpdateMs: Math.round(median(ec.map((x) => x.fullMs)) * 10) / 10,
        baselineEchoInvokeMs: Math.round(median(ec.map((x) => x.kernelMs)) * 10) / 10,
        ratio: Math.round((whatIfMs / echoMs) * 100) / 100,
        goalMs: 300,
        withinGoal: whatIfMs < 300,
      }),
    );
  } finally {
    await h.close();
    session.dispose();
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
