// How low can the ΔTVL MAE go on a generated history? Regenerates a synthetic history with
// the generator's node-state hook (SynthOptions.onNodeState, which leaves the files
// byte-identical), checks the files against an existing copy when given one, and scores the
// yardstick's ΔTVL metrics (ln(1 + TVL_{t+h}) - ln(1 + TVL_t): every protocol present at t
// and t + h, the criteria table's column, and those with TVL > 0 at t) with its week-block
// bootstrap intervals (circular blocks of 4 week pairs) and paired differences to persistence:
//  - oracle: knows at the anchor week t each real and fictional protocol's log deviation u_t,
//    its drift d_t, its kind, its real level up to t (not after) and the laws of u and d
//    (d' = driftPhi d + N(0, driftSd), u' = levelPhi u + d' + N(0, levelSd), jumps, clip at
//    ±uMax); it predicts the conditional median of the change, uScale_t (median u_{t+h} - u_t),
//    by simulating the law from (u_t, d_t) (401 paths, clipping and jumps included), with the
//    real level, the week's common rescaling and the fictional share held at t: the total's
//    future, the real levels after t, culls and births are not known at t. Tokens and
//    classes hold no TVL: 0.
//  - oracle-shift: the same plus the median residual of the training week pairs (what the
//    market and the real levels moved on average over h weeks there; every 4th week);
//  - oracle-u: mean reversion of u only (drift taken as 0); oracle-drift: drift only
//    (levelPhi 1); oracle-noclip: no clip at ±uMax: which part of the latent state carries
//    the signal;
//  - drift-filter: no latent state: a Kalman filter of each protocol's own ln TVL changes
//    (net of the week's median change) for its drift, scaled on the training week pairs
//    (driftFilterForecaster below): what an observable feature carries; slope-26: the same
//    changes' mean over the last 26 weeks, times h, scaled on the training week pairs;
//    drift-range: drift-filter with its own scale where the drift pushes toward the end of
//    the protocol's 52-week range that it sits at (a proxy for the bound);
//  - oracle-trend: the oracle plus, for a real protocol, its level's last weekly log change
//    carried h weeks (the level path up to t);
//  - persistence (Δ = 0) and the model sets given with --models (dexposure-fm).
// The model's node head does not read the sampled pairs; --max-positives keeps the pair
// sample small (the ΔTVL metrics do not depend on it) and the script checks its pooled
// MAEs against the yardstick's own rows.
//
//   nice -n 10 node --import tsx scripts/node-ceiling.mjs --seed 9000 --start 2023-01-02 \
//     --weeks 137 --protocols 300 --out DIR [--compare EXISTING_COPY] [--models MODELS_DIR] \
//     [--horizons 1,4,8,12] [--bootstrap 500] [--max-positives 20] [--json OUT.json] \
//     [--prior in|out (instead of --start/--weeks/--protocols)] [--generator SRC_ROOT]
// --generator: another commit's src/ with this commit's nodeStates()/dynamics() (population.ts)
// and onNodeState call (generate.ts) copied in, as for scripts/weight-ceiling.mjs.
// Runtime on 2 shared cores (load 4-5), with a model set: long 9000 and long 9001 (137 and
// 168 weeks, 300 protocols) 6-18 s generation + 50-55 s evaluation of four horizons; 9002
// (--prior out, 1,885 protocols) 8-13 s + 165-190 s (2 min 55 s in all). Peak memory
// 0.9 GB (9002, /usr/bin/time -v).
import { writeFileSync, mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openRelease } from '../src/core/snapshot/release.ts';
import { evaluateForecasts, persistenceForecaster } from '../src/core/eval/evaluate.ts';
import { modelForecasters } from '../src/core/eval/model-forecasters.ts';
import { median } from '../src/core/median.ts';
import { bootstrapIntervals } from '../src/core/eval/bootstrap.ts';
import { addWeeks } from '../src/core/weeks.ts';
import { ceilingOptions, checkSameHistory } from './ceiling-options.mjs';

const { opt, synthOpts, out, compare, modelsDir, horizons, B, jsonOut, log, genUrl } = ceilingOptions('node-ceiling');
const { synthesize } = await import(genUrl('core/synth/generate.ts'));

// 1. regenerate with the hook: each week's protocol states by id
const states = new Map();
let dyn;
mkdirSync(out, { recursive: true });
let t0 = performance.now();
await synthesize({ ...synthOpts, onNodeState: (week, nodes, d) => (states.set(week, new Map(nodes.map((n) => [n.id, n]))), (dyn = d)) }, out);
log(`generated ${states.size} weeks into ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s; dynamics ${JSON.stringify(dyn)}`);
if (compare) checkSameHistory('node-ceiling', out, compare, log);

// 2. the conditional median of u_{t+h} - u_t, by simulation from (u_t, d_t)
let rs = 0x9e3779b9;
const uniform = () => {
  rs = (rs + 0x6d2b79f5) | 0;
  let t = Math.imul(rs ^ (rs >>> 15), 1 | rs);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
let spare = NaN;
const gauss = () => {
  if (!Number.isNaN(spare)) {
    const z = spare;
    spare = NaN;
    return z;
  }
  const r = Math.sqrt(-2 * Math.log(1 - uniform()));
  const a = 2 * Math.PI * uniform();
  spare = r * Math.sin(a);
  return r * Math.cos(a);
};
const SAMPLES = 401;
const H = Math.max(...horizons);
const VARIANTS = {
  oracle: (d) => d,
  'oracle-u': (d) => ({ ...d, driftPhi: 0, driftSd: 0, zeroDrift: true }),
  'oracle-drift': (d) => ({ ...d, levelPhi: 1 }),
  'oracle-noclip': (d) => ({ ...d, uMax: Infinity }),
};
const cache = new Map(); // variant|week|id -> Float64Array of medians of u_{t+k} - u_t, k = 1..H
function medianChange(variant, week, s) {
  const key = `${variant}|${week}|${s.id}`;
  let m = cache.get(key);
  if (m) return m;
  const p = VARIANTS[variant](dyn);
  const paths = Array.from({ length: H }, () => new Float64Array(SAMPLES));
  for (let j = 0; j < SAMPLES; j++) {
    let d = p.zeroDrift ? 0 : s.drift;
    let u = s.u;
    for (let k = 0; k < H; k++) {
      d = p.driftPhi * d + p.driftSd * gauss();
      u = p.levelPhi * u + d + p.levelSd * gauss();
      if (p.jumpRate > 0 && uniform() < p.jumpRate) u += p.jumpSd * gauss();
      u = Math.max(-p.uMax, Math.min(p.uMax, u));
      paths[k][j] = u - s.u;
    }
  }
  m = Float64Array.from(paths, (x) => median([...x]));
  cache.set(key, m);
  return m;
}
/** The variant's predicted ln-change of every anchor node (0 for tokens, classes, and nodes without state). */
function oraclePrediction(variant, anchor, h, shift) {
  const st = states.get(anchor.week);
  const pred = new Float64Array(anchor.ids.length);
  for (let i = 0; i < anchor.ids.length; i++) {
    const s = st?.get(anchor.ids[i]);
    if (!s || !(anchor.tvl[i] > 0)) continue;
    pred[i] = s.uScale * medianChange(variant === 'oracle-trend' ? 'oracle' : variant, anchor.week, s)[h - 1] + shift;
    if (variant === 'oracle-trend' && s.kind === 'real') {
      // the real level's last weekly log change, carried h weeks (from 2023-11 the level runs
      // log-linearly from its last monthly reading to its December-2025 level)
      const p = states.get(addWeeks(anchor.week, -1))?.get(s.id);
      if (p && p.level > 0 && s.level > 0) pred[i] += h * Math.log(s.level / p.level);
    }
  }
  return pred;
}
const lnChange = (a, b) => Math.log1p(Math.max(b, 0)) - Math.log1p(Math.max(a, 0));

// 3. forecasters: persistence's pair scores, each with its own node prediction; every node prediction recorded
const nodePreds = new Map(); // `${model}|${h}` -> Map(week -> { ids, pred })
function record(name, h, anchor, pred) {
  const k = `${name}|${h}`;
  if (!nodePreds.has(k)) nodePreds.set(k, new Map());
  nodePreds.get(k).set(anchor.week, { ids: anchor.ids, pred: pred ?? new Float64Array(anchor.ids.length) });
}
function oracleForecaster(name, variant, withShift) {
  const base = persistenceForecaster();
  const resid = [];
  let learnt = 0;
  let shift;
  return {
    name,
    probabilities: false,
    learn: (anchor, _pairs, _label, _yLw, h) => {
      // every 4th training week: the median residual is stable, the simulation is not free
      if (!withShift || ++learnt % 4 !== 1) return;
      const then = states.get(addWeeks(anchor.week, h));
      const now = states.get(anchor.week);
      if (!then || !now) return;
      const pred = oraclePrediction(variant, anchor, h, 0);
      for (let i = 0; i < anchor.ids.length; i++) {
        const a = now.get(anchor.ids[i]);
        const b = then.get(anchor.ids[i]);
        if (a && b && a.size > 0) resid.push(lnChange(a.size, b.size) - pred[i]);
      }
    },
    score: (anchor, prev, pairs, h) => {
      if (shift === undefined) {
        shift = withShift && resid.length ? median(resid) : 0;
        if (withShift) log(`${name} h=${h}: shift ${shift.toFixed(4)} (${resid.length} training protocol-weeks)`);
      }
      const nodeLogChange = oraclePrediction(variant, anchor, h, shift);
      record(name, h, anchor, nodeLogChange);
      return { ...base.score(anchor, prev, pairs, h), nodeLogChange };
    },
  };
}
/**
 * drift-filter: no latent state, only each protocol's own TVL up to t. A scalar Kalman filter
 * tracks its drift from the weekly changes of ln(1 + TVL) net of the week's median change over
 * protocols (the market's share), each change clipped to ±0.5 (births, crises): the drift
 * d' = driftPhi d + N(0, driftSd), seen through the change d + N(0, levelSd) (the laws' own
 * figures, which a forecaster could estimate from the changes' autocorrelation). It predicts
 * c x d_t x (driftPhi + ... + driftPhi^h), c in 0, 0.1, .. 2 picked on the training week pairs.
 */
function driftFilterForecaster(name, slopeWeeks = 0, rangeWeeks = 0) {
  const base = persistenceForecaster();
  const filt = new Map(); // id -> { y, d, P }
  const byWeek = new Map(); // week -> Map(id -> { y, d, positive })
  const trainWeeks = [];
  let c;
  const { driftPhi: phi, driftSd, levelSd } = dyn;
  const Q = driftSd ** 2;
  const R = levelSd ** 2;
  return {
    name,
    probabilities: false,
    observe: (snap) => {
      const y = Array.from(snap.tvl, (v) => Math.log1p(Math.max(v, 0)));
      const changes = [];
      for (let i = 0; i < snap.ids.length; i++) {
        const f = filt.get(snap.ids[i]);
        if (f && snap.tvl[i] > 0 && f.y > 0) changes.push(y[i] - f.y);
      }
      const m = changes.length ? median(changes) : 0;
      const now = new Map();
      for (let i = 0; i < snap.ids.length; i++) {
        let f = filt.get(snap.ids[i]);
        if (!(snap.tvl[i] > 0)) {
          filt.set(snap.ids[i], { y: y[i], d: 0, P: Q / (1 - phi * phi), x: 0 });
          now.set(snap.ids[i], { y: y[i], d: 0, positive: false, x: 0 });
          continue;
        }
        if (!f || !(f.y > 0)) f = { y: y[i], d: 0, P: Q / (1 - phi * phi), x: 0 };
        else {
          const z = Math.max(-0.5, Math.min(0.5, y[i] - f.y - m));
          const dp = phi * f.d;
          const Pp = phi * phi * f.P + Q;
          const K = Pp / (Pp + R);
          f = { y: y[i], d: dp + K * (z - dp), P: (1 - K) * Pp, x: f.x + z };
        }
        filt.set(snap.ids[i], f);
        now.set(snap.ids[i], { y: y[i], d: f.d, positive: true, x: f.x });
      }
      byWeek.set(snap.week, now);
    },
    learn: (anchor) => {
      if (trainWeeks.at(-1) !== anchor.week) trainWeeks.push(anchor.week);
    },
    score: (anchor, prev, pairs, h) => {
      const mult = Array.from({ length: h }, (_, k) => phi ** (k + 1)).reduce((x, y) => x + y, 0);
      const feature = (w, id, x) => {
        if (!slopeWeeks) return x.d * mult;
        const old = byWeek.get(addWeeks(w, -slopeWeeks))?.get(id);
        return old?.positive ? ((x.x - old.x) / slopeWeeks) * h : 0;
      };
      // range: 1 where the drift pushes toward the end of its own range of the last rangeWeeks
      // weeks that the protocol sits at (within 0.1 of its net cumulative change's max or min)
      const group = (w, id, x) => {
        if (!rangeWeeks || x.d === 0) return 0;
        let hi = -Infinity;
        let lo = Infinity;
        for (let k = 1; k < rangeWeeks; k++) {
          const o = byWeek.get(addWeeks(w, -k))?.get(id);
          if (!o?.positive) break;
          hi = Math.max(hi, o.x);
          lo = Math.min(lo, o.x);
        }
        return (x.d > 0 && x.x >= hi - 0.1) || (x.d < 0 && x.x <= lo + 0.1) ? 1 : 0;
      };
      if (c === undefined) {
        const xs = [];
        const ys = [];
        const gs = [];
        for (const w of trainWeeks) {
          const a = byWeek.get(w);
          const b = byWeek.get(addWeeks(w, h));
          if (!a || !b) continue;
          for (const [id, x] of a) {
            const t = b.get(id);
            if (!t || !x.positive) continue;
            xs.push(feature(w, id, x));
            ys.push(t.y - x.y);
            gs.push(group(w, id, x));
          }
        }
        c = [0, 0];
        for (const g of [0, 1]) {
          let best = Infinity;
          for (let k = 0; k <= 20; k++) {
            let e = 0;
            for (let i = 0; i < xs.length; i++) if (gs[i] === g) e += Math.abs(ys[i] - (k / 10) * xs[i]);
            if (e < best) [best, c[g]] = [e, k / 10];
          }
        }
        log(`${name} h=${h}: c ${rangeWeeks ? `${c[0]} (at the end of its range: ${c[1]}, ${gs.filter((g) => g === 1).length} of` : `${c[0]} (`} ${xs.length} training protocol-weeks)`);
      }
      const now = byWeek.get(anchor.week);
      const nodeLogChange = Float64Array.from(anchor.ids, (id) => {
        const x = now?.get(id);
        return x?.positive ? c[group(anchor.week, id, x)] * feature(anchor.week, id, x) : 0;
      });
      record(name, h, anchor, nodeLogChange);
      return { ...base.score(anchor, prev, pairs, h), nodeLogChange };
    },
  };
}
const recorded = (f, h) => ({
  ...f,
  score: async (anchor, prev, pairs, hh) => {
    const r = await f.score(anchor, prev, pairs, hh);
    record(f.name, h, anchor, r.nodeLogChange);
    return r;
  },
});
const release = await openRelease(out, { cacheDir: false });
t0 = performance.now();
const table = await evaluateForecasts(
  release,
  async (h) => [
    oracleForecaster('oracle', 'oracle', false),
    oracleForecaster('oracle-shift', 'oracle', true),
    oracleForecaster('oracle-u', 'oracle-u', false),
    oracleForecaster('oracle-drift', 'oracle-drift', false),
    oracleForecaster('oracle-noclip', 'oracle-noclip', false),
    oracleForecaster('oracle-trend', 'oracle-trend', false),
    driftFilterForecaster('drift-filter'),
    driftFilterForecaster('slope-26', 26),
    driftFilterForecaster('drift-range', 0, 52),
    recorded(persistenceForecaster(), h),
    ...(modelsDir ? (await modelForecasters(h, modelsDir)).map((f) => recorded(f, h)) : []),
  ],
  {
    horizons,
    seed: 42,
    hardRatio: 2,
    maxPositives: Number(opt('--max-positives', '20')),
    bootstrap: B,
    blockLength: 4,
    mrrQueries: 0,
    onProgress: (w, i, n) => i % 40 === 0 && log(`week ${i + 1}/${n} ${w} (${((performance.now() - t0) / 1000).toFixed(0)} s)`),
  },
);
log(`evaluated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

// 4. per week pair: [sum |e| all, n all, sum |e| TVL > 0, n TVL > 0], the yardstick's mask (present at t and t + h)
const snaps = new Map();
const snap = async (w) => (snaps.has(w) ? snaps.get(w) : (snaps.set(w, await release.snapshot(w)), snaps.get(w)));
async function unitRows(byWeek, h) {
  const weeks = [...byWeek.keys()].sort();
  const rows = [];
  for (const w of weeks) {
    const { ids, pred } = byWeek.get(w);
    const a = await snap(w);
    const b = await snap(addWeeks(w, h));
    const at = new Map(b.ids.map((id, j) => [id, j]));
    const r = new Float64Array(4);
    for (let i = 0; i < ids.length; i++) {
      const j = at.get(ids[i]);
      if (j === undefined) continue;
      const e = Math.abs(pred[i] - lnChange(a.tvl[i], b.tvl[j]));
      r[0] += e;
      r[1]++;
      if (a.tvl[i] > 0) {
        r[2] += e;
        r[3]++;
      }
    }
    rows.push(r);
  }
  return { weeks, rows };
}
const bopts = { replicates: B, blockLength: 4, seed: 42 };
const mae = (v, o = 0) => ({ all: v[o] / v[o + 1], positive: v[o + 2] / v[o + 3] });
const total = (rows, L) => rows.reduce((t, r) => t.map((x, j) => x + r[j]), new Float64Array(L));
const results = [];
for (const h of horizons) {
  const models = [...nodePreds.keys()].filter((k) => k.endsWith(`|${h}`)).map((k) => k.split('|')[0]);
  const byModel = new Map();
  for (const m of models) byModel.set(m, await unitRows(nodePreds.get(`${m}|${h}`), h));
  const base = byModel.get('persistence');
  for (const m of models) {
    const { weeks, rows } = byModel.get(m);
    if (weeks.join() !== base.weeks.join()) throw new Error(`node-ceiling: ${m} h=${h} scored other week pairs than persistence`);
    const sum = total(rows, 4);
    const point = mae(sum);
    // the same numbers as the yardstick's own rows
    const yard = table.rows.find((r) => r.model === m && r.horizon === h);
    if (Math.abs(yard.nodeMAE - point.all) > 1e-9 || Math.abs(yard.nodeMAEPositive - point.positive) > 1e-9)
      throw new Error(`node-ceiling: ${m} h=${h}: ΔTVL MAE ${point.all} / ${point.positive} here, ${yard.nodeMAE} / ${yard.nodeMAEPositive} in the yardstick`);
    const ci = bootstrapIntervals(rows, [rows.length], (v) => mae(v), bopts);
    const paired = rows.map((r, u) => Float64Array.from([...r, ...base.rows[u]]));
    const diff = (v) => {
      const x = mae(v, 0);
      const y = mae(v, 4);
      return { all: x.all - y.all, positive: x.positive - y.positive };
    };
    const dci = bootstrapIntervals(paired, [paired.length], diff, bopts);
    const d = diff(total(paired, 8));
    results.push({
      model: m,
      h,
      weekPairs: rows.length,
      protocols: sum[1],
      protocolsPositive: sum[3],
      all: { mae: point.all, ci: ci.all ?? null, minusPersistence: d.all, diffCi: dci.all ?? null },
      positive: { mae: point.positive, ci: ci.positive ?? null, minusPersistence: d.positive, diffCi: dci.positive ?? null },
      yardstickCi: yard.ci.nodeMAE ?? null,
    });
  }
}
// 5. where the error goes (pooled over the test week pairs, every protocol present at t and t + h):
// by the protocol's kind and whether its u sits at the clip (±uMax) at t
const CLASSES = ['real, free', 'real, at the clip', 'fictional, free', 'fictional, at the clip', 'token or class'];
const classOf = (s) => (!s ? 4 : (s.kind === 'real' ? 0 : 2) + (Math.abs(s.u) >= dyn.uMax - 1e-12 ? 1 : 0));
const breakdown = [];
for (const h of horizons) {
  for (const m of ['persistence', 'oracle', 'drift-filter', ...(nodePreds.has(`dexposure-fm|${h}`) ? ['dexposure-fm'] : [])]) {
    const byWeek = nodePreds.get(`${m}|${h}`);
    const sum = new Float64Array(10);
    for (const [w, { ids, pred }] of byWeek) {
      const a = await snap(w);
      const b = await snap(addWeeks(w, h));
      const at = new Map(b.ids.map((id, j) => [id, j]));
      const st = states.get(w);
      for (let i = 0; i < ids.length; i++) {
        const j = at.get(ids[i]);
        if (j === undefined) continue;
        const c = classOf(st.get(ids[i]));
        sum[2 * c] += Math.abs(pred[i] - lnChange(a.tvl[i], b.tvl[j]));
        sum[2 * c + 1]++;
      }
    }
    breakdown.push({ model: m, h, classes: Object.fromEntries(CLASSES.map((n, c) => [n, { sumAbs: sum[2 * c], n: sum[2 * c + 1] }])) });
  }
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ history: { ...synthOpts, out, compare: compare ?? null, models: modelsDir ?? null }, dynamics: dyn, testWeeks: table.testWeeks, results, breakdown }, null, 1) + '\n');
const f = (x) => (x === undefined || x === null || Number.isNaN(x) ? '-' : x.toFixed(4));
const ci = (c) => (c ? ` (${f(c[0])}-${f(c[1])})` : '');
const dc = (c) => (c ? ` (${f(c[0])} to ${f(c[1])})` : '');
for (const r of results)
  console.log(
    `${r.model.padEnd(14)} h=${String(r.h).padEnd(2)} pairs ${r.weekPairs}  all: ${f(r.all.mae)}${ci(r.all.ci)} Δpers ${f(r.all.minusPersistence)}${dc(r.all.diffCi)} = ${(100 * r.all.minusPersistence / results.find((x) => x.model === 'persistence' && x.h === r.h).all.mae).toFixed(1)}%` +
      `  TVL>0: ${f(r.positive.mae)}${ci(r.positive.ci)} Δpers ${f(r.positive.minusPersistence)}${dc(r.positive.diffCi)}`,
  );
for (const r of breakdown)
  console.log(`${r.model.padEnd(14)} h=${String(r.h).padEnd(2)} ` + CLASSES.map((n) => `${n}: ${f(r.classes[n].sumAbs / r.classes[n].n)} n=${r.classes[n].n}`).join('  '));
