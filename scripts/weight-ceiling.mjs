// How low can the weight MAE go on a generated history? Regenerates a synthetic history
// with the generator's core-state hook (SynthOptions.onCoreState, which leaves the files
// byte-identical), checks the files against an existing copy when given one, and scores
// on the yardstick's own pairs, with its week-block bootstrap intervals:
//  - oracle: knows the generator's core at the anchor week t (which directed pairs are
//    core exposures, their log size b, AR(1) deviation v, age, the cell's scale factor
//    at t and before) and predicts ln(1 + w) at t + h by its conditional median: for a
//    core pair b + phi^h v - ramp(age + h) + ln s, where s is what the cell carried
//    (median over its last 13 weeks: the real week's cell size swings around a level)
//    divided by the cell's raw total expected at t + h, plus the training week pairs'
//    median residual of core pairs (links born after t take a share of the cell); with
//    direction flips the reverse of a core link is that link turned around; any other
//    pair gets the median ln(1 + w) of such positives in the training week pairs, one
//    for pairs linked at t (recurring periphery flows) and one for pairs not linked;
//  - oracle-scale-t: the same with the cell's scale at t and no residual;
//  - oracle-future-scale: the cell's realised scale at t + h (not a forecaster: it reads
//    the future; what knowing the real week's sector sizes would add);
//  - pair-median (src/core/eval/pair-median-baseline.ts), persistence, pair-logreg,
//    pair-lad, and the model sets given with --models (dexposure-fm).
// Besides the yardstick's split (edges held from t / new at t + h) it splits every
// model's positives by the generator's state at t: core exposure at t, other pair
// linked at t, pair not linked at t, with week-block bootstrap intervals as the
// yardstick's (circular blocks of 4 week pairs, the same replicates for every model).
//
//   nice -n 10 node --import tsx scripts/weight-ceiling.mjs --seed 9000 --start 2023-01-02 \
//     --weeks 137 --protocols 300 --out DIR [--compare EXISTING_COPY] [--models MODELS_DIR] \
//     [--horizons 1,4,8,12] [--bootstrap 500] [--max-positives N] [--json OUT.json] \
//     [--prior in|out (instead of --start/--weeks/--protocols)] [--generator SRC_ROOT] \
//     [--scale-weeks 13] [--median-weeks 13]
// --generator: another commit's src/ (git archive COMMIT src | tar -x -C DIR), with this
// commit's src/core/synth/exposures.ts copied in (minus any line the generator gained
// since) and `opts.onCoreState` passed to `new Exposures(...)` in its generate.ts: to
// regenerate a history written before a generator change; --compare then checks it is
// byte for byte the same history.
// Runtime on 2 shared cores (load 4-5), with a model set: long 9000 (137 weeks, 300
// protocols) 3 s generation + 190 s evaluation of four horizons; seed 9002 (--prior out,
// 1,885 protocols, --max-positives 200) 9 s + about 6 min. Peak memory about 0.9 GB.
import { writeFileSync, mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openRelease } from '../src/core/snapshot/release.ts';
import { evaluateForecasts, persistenceForecaster } from '../src/core/eval/evaluate.ts';
import { learnedPairForecasters } from '../src/core/eval/learned-baseline.ts';
import { modelForecasters } from '../src/core/eval/model-forecasters.ts';
import { pairMedianForecaster } from '../src/core/eval/pair-median-baseline.ts';
import { median } from '../src/core/median.ts';
import { bootstrapIntervals } from '../src/core/eval/bootstrap.ts';
import { addWeeks } from '../src/core/weeks.ts';
import { ceilingOptions, checkSameHistory } from './ceiling-options.mjs';

const { opt, synthOpts, out, compare, modelsDir, horizons, B, jsonOut, log, genUrl } = ceilingOptions('weight-ceiling');
const { synthesize } = await import(genUrl('core/synth/generate.ts'));
const { EXPOSURES } = await import(genUrl('core/synth/exposures.ts'));

// 1. regenerate with the hook; the core of each week, keyed by "source\0target"
const core = new Map();
mkdirSync(out, { recursive: true });
let t0 = performance.now();
const summary = await synthesize({ ...synthOpts, onCoreState: (week, c) => core.set(week, new Map(c.map((s) => [`${s.source}\u0000${s.target}`, s]))) }, out);
const flips = summary.prior?.params?.flipRate ?? 0;
log(`generated ${core.size} weeks (direction flips ${flips}) into ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
if (compare) checkSameHistory('weight-ceiling', out, compare, log);
// each week's scale per cell (every cell with a core link has one)
const scales = new Map();
for (const [week, m] of core) {
  const s = new Map();
  for (const c of m.values()) s.set(c.cell, c.scale);
  scales.set(week, s);
}
const { corePhi, rampLog, rampWeeks, peripheryLogMean } = EXPOSURES;

const rampAt = (age) => rampLog * Math.max(0, 1 - age / rampWeeks);
/** ln(1 + size) of a core link at t + h by its conditional median given its state at t and a cell scale. */
function coreMedian(c, h, scale) {
  const size = scale > 0 ? Math.exp(c.b + corePhi ** h * c.v - rampAt(c.age + h - 1)) * scale : Math.exp(peripheryLogMean + c.b);
  return Math.log1p(Math.max(size, 1));
}
/**
 * The cell scale at t + h expected from the state at t. What a cell must carry (its
 * scale x its raw total, the real week's link size in that sector cell) swings from week
 * to week around a slowly moving level, so its expected value is the median over the last
 * SCALE_WEEKS weeks to t; it is divided by the cell's raw total expected at t + h (its links'
 * ramp-in and AR decay; links born or dying after t are unknown at t).
 */
const SCALE_WEEKS = Number(opt('--scale-weeks', '13'));
const weekList = [...core.keys()];
const weekIndex = new Map(weekList.map((w, i) => [w, i]));
const cellLoad = new Map(); // week -> cell -> { carry, raw }
function loadOf(week) {
  let m = cellLoad.get(week);
  if (!m) {
    m = new Map();
    for (const c of core.get(week).values()) {
      const x = m.get(c.cell) ?? { carry: 0, raw: 0 };
      x.raw += Math.exp(c.b + c.v - rampAt(c.age - 1));
      m.set(c.cell, x);
    }
    for (const [cell, x] of m) x.carry = scales.get(week).get(cell) * x.raw;
    cellLoad.set(week, m);
  }
  return m;
}
const rampScales = new Map();
function rampAwareScale(week, h, cell) {
  const key = `${week}|${h}`;
  let m = rampScales.get(key);
  if (!m) {
    const then = new Map();
    for (const c of core.get(week).values()) then.set(c.cell, (then.get(c.cell) ?? 0) + Math.exp(c.b + corePhi ** h * c.v - rampAt(c.age + h - 1)));
    const i = weekIndex.get(week);
    const past = weekList.slice(Math.max(0, i - SCALE_WEEKS + 1), i + 1).map(loadOf);
    m = new Map();
    for (const [cell, r] of then) {
      const carried = past.map((p) => p.get(cell)?.carry).filter((x) => x > 0);
      m.set(cell, carried.length ? Math.exp(median(carried.map(Math.log))) / r : scales.get(week).get(cell));
    }
    rampScales.set(key, m);
  }
  return m.get(cell);
}

/** Class of a directed pair at anchor week t: 0 core at t (or, with flips, its reverse), 1 other pair linked at t, 2 not linked at t. */
const linkedAt = new Map();
function linkedSet(snap) {
  let s = linkedAt.get(snap.week);
  if (!s) {
    s = new Set();
    for (let e = 0; e < snap.edgeSource.length; e++) s.add(`${snap.ids[snap.edgeSource[e]]}\u0000${snap.ids[snap.edgeTarget[e]]}`);
    linkedAt.set(snap.week, s);
  }
  return s;
}
// With direction flips (a prior's flipRate) a core link p -> q can be q -> p at t + h:
// a positive q -> p whose reverse is core at t is most likely that link, turned around.
const reverseKey = (key) => key.split('\u0000').reverse().join('\u0000');
const transposed = (cell) => (cell % 7) * 7 + Math.floor(cell / 7);
/** The core link behind a pair at t, as { c, cell } (the cell transposed for a reversed link), or undefined. */
function coreOf(week, key) {
  const m = core.get(week);
  const c = m?.get(key);
  if (c) return { c, cell: c.cell };
  if (flips > 0) {
    const r = m?.get(reverseKey(key));
    if (r) return { c: r, cell: transposed(r.cell) };
  }
  return undefined;
}
function pairClass(week, key, linked) {
  if (coreOf(week, key)) return 0;
  return linked.has(key) ? 1 : 2;
}

/**
 * mode 'scale-t': the cell's scale at t; 'ramp': rampAwareScale, plus the median residual
 * of the training week pairs' core positives (what links born after t take from a cell's
 * scale, on average); 'future': the realised scale at t + h (reads the future).
 */
function oracleForecaster(name, mode) {
  const train = [[], [], []];
  const resid = [];
  let med;
  let shift = 0;
  const classify = (anchor, pairs, i, P) => {
    const key = `${anchor.ids[pairs[i]]}\u0000${anchor.ids[pairs[P + i]]}`;
    return { key, cls: pairClass(anchor.week, key, linkedSet(anchor)) };
  };
  const corePred = (week, key, h) => {
    const { c, cell } = coreOf(week, key);
    const target = scales.get(addWeeks(week, h));
    const now = scales.get(week).get(cell) ?? c.scale;
    const sc = mode === 'future' && target?.has(cell) ? target.get(cell) : mode === 'ramp' ? (rampAwareScale(week, h, cell) ?? now) : now;
    return coreMedian(c, h, sc);
  };
  return {
    name,
    probabilities: false,
    learn: (anchor, pairs, label, yLw, h) => {
      const P = pairs.length / 2;
      for (let i = 0; i < label.length; i++) {
        if (label[i] !== 1) continue;
        const { key, cls } = classify(anchor, pairs, i, P);
        train[cls].push(yLw[i]);
        if (cls === 0) resid.push(yLw[i] - corePred(anchor.week, key, h));
      }
    },
    score: (anchor, _prev, pairs, h) => {
      if (!med) {
        med = train.map((t) => median(t));
        shift = mode === 'ramp' ? median(resid) : 0;
        log(`${name} h=${h}: medians ${med.map((x) => x.toFixed(3)).join(' / ')}, core shift ${shift.toFixed(3)} (${resid.length} training core positives)`);
      }
      const P = pairs.length / 2;
      const score = new Float64Array(P);
      const lw = new Float64Array(P);
      for (let i = 0; i < P; i++) {
        const { key, cls } = classify(anchor, pairs, i, P);
        score[i] = 2 - cls;
        lw[i] = cls === 0 ? Math.max(0, corePred(anchor.week, key, h) + shift) : med[cls];
      }
      return { score, logWeight: lw };
    },
  };
}

// 2. the yardstick on the regenerated folder, with per-positive rows for the latent split
const release = await openRelease(out, { cacheDir: false });
const preds = new Map(); // `${model}|${h}` -> { week: [], key: [], err: [] }
const rules = new Map();
const rememberRule = (h, f) => (rules.set(h, f), f);
const forecasters = async (h) => [
  oracleForecaster('oracle', 'ramp'),
  oracleForecaster('oracle-scale-t', 'scale-t'),
  oracleForecaster('oracle-future-scale', 'future'),
  rememberRule(h, pairMedianForecaster({ k: Number(opt('--median-weeks', '13')) })),
  persistenceForecaster(),
  ...learnedPairForecasters(),
  ...(modelsDir ? await modelForecasters(h, modelsDir) : []),
];
t0 = performance.now();
const table = await evaluateForecasts(release, forecasters, {
  horizons,
  seed: 42,
  hardRatio: 2,
  maxPositives: Number(opt('--max-positives', '0')),
  bootstrap: B,
  blockLength: 4,
  onPrediction: (r) => {
    if (r.label !== 1) return;
    const k = `${r.model}|${r.horizon}`;
    let x = preds.get(k);
    if (!x) preds.set(k, (x = { week: [], key: [], err: [] }));
    x.week.push(r.week);
    x.key.push(`${r.source}\u0000${r.target}`);
    x.err.push(Math.abs(r.weightPred - r.weightTrue));
  },
  onProgress: (w, i, n) => i % 20 === 0 && log(`week ${i + 1}/${n} ${w} (${((performance.now() - t0) / 1000).toFixed(0)} s)`),
});
log(`evaluated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

// 3. MAE by the pair's class at t, and paired differences, per week pair with the yardstick's blocks
for (const x of preds.values()) for (const w of new Set(x.week)) if (!linkedAt.has(w)) linkedSet(await release.snapshot(w));
const NAMES = ['all', 'core at t', 'other, linked at t', 'not linked at t'];
/** Per week unit: [sum |e|, n] for all, then each class. */
function unitRows(x) {
  const weeks = [...new Set(x.week)].sort();
  const unitOf = new Map(weeks.map((w, i) => [w, i]));
  const rows = weeks.map(() => new Float64Array(8));
  x.week.forEach((w, i) => {
    const r = rows[unitOf.get(w)];
    const c = 1 + pairClass(w, x.key[i], linkedAt.get(w));
    r[0] += x.err[i];
    r[1]++;
    r[2 * c] += x.err[i];
    r[2 * c + 1]++;
  });
  return rows;
}
const maeOf = (v, o = 0) => Object.fromEntries(NAMES.map((n, c) => [n, v[o + 2 * c + 1] ? v[o + 2 * c] / v[o + 2 * c + 1] : NaN]));
const bopts = { replicates: B, blockLength: 4, seed: 42 };
const latent = [];
const paired = [];
const models = [...new Set([...preds.keys()].map((k) => k.split('|')[0]))];
for (const h of horizons) {
  const byModel = new Map(models.filter((m) => preds.has(`${m}|${h}`)).map((m) => [m, unitRows(preds.get(`${m}|${h}`))]));
  for (const [m, rows] of byModel) {
    const sum = rows.reduce((t, r) => t.map((x, j) => x + r[j]), new Float64Array(8));
    const ci = bootstrapIntervals(rows, [rows.length], (v) => maeOf(v), bopts);
    latent.push({ model: m, h, classes: Object.fromEntries(NAMES.map((n, c) => [n, { mae: maeOf(sum)[n], n: sum[2 * c + 1], ci: ci[n] ?? null }])) });
  }
  const versus = [['oracle', 'pair-lad'], ['oracle', 'dexposure-fm'], ['dexposure-fm', 'pair-lad'], ['pair-median', 'pair-lad'], ['pair-median', 'dexposure-fm'], ['oracle', 'pair-median']];
  for (const [a, b] of versus) {
    if (!byModel.has(a) || !byModel.has(b)) continue;
    const ra = byModel.get(a);
    const rb = byModel.get(b);
    const rows = ra.map((r, u) => Float64Array.from([...r, ...rb[u]]));
    const diff = (v) => {
      const x = maeOf(v, 0);
      const y = maeOf(v, 8);
      return Object.fromEntries(NAMES.map((n) => [n, x[n] - y[n]]));
    };
    const sum = rows.reduce((t, r) => t.map((x, j) => x + r[j]), new Float64Array(16));
    const ci = bootstrapIntervals(rows, [rows.length], diff, bopts);
    paired.push({ a, b, h, diff: Object.fromEntries(NAMES.map((n) => [n, { d: diff(sum)[n], ci: ci[n] ?? null }])) });
  }
}
// How much a cell's scale moves from one week to the next over the test weeks (mean
// |change of ln scale|, each cell weighted by its core links): the swing no window removes.
let swing = 0;
let swingN = 0;
for (let i = 1; i < weekList.length; i++) {
  if (!table.testWeeks.includes(weekList[i - 1])) continue;
  const a = scales.get(weekList[i - 1]);
  const b = scales.get(weekList[i]);
  const n = new Map();
  for (const c of core.get(weekList[i - 1]).values()) n.set(c.cell, (n.get(c.cell) ?? 0) + 1);
  for (const [cell, k] of n) {
    if (!(a.get(cell) > 0 && b.get(cell) > 0)) continue;
    swing += k * Math.abs(Math.log(b.get(cell) / a.get(cell)));
    swingN += k;
  }
}
log(`cells' scale, week to week over the test weeks: mean |change of ln scale| ${(swing / swingN).toFixed(3)} (weighted by core links)`);
const result = {
  history: { ...synthOpts, out, compare: compare ?? null },
  cellScaleSwing: swing / swingN,
  testWeeks: table.testWeeks,
  rows: table.rows.map((r) => ({
    model: r.model,
    h: r.horizon,
    weekPairs: r.weekPairs,
    positives: r.positives,
    weightMAE: r.weightMAE,
    ci: r.ci.weightMAE ?? null,
    held: { mae: r.magnitude.persistingMAE, n: r.magnitude.persisting, ci: r.ci['magnitude.persistingMAE'] ?? null },
    new: { mae: r.magnitude.newMAE, n: r.magnitude.new, ci: r.ci['magnitude.newMAE'] ?? null },
  })),
  latent,
  paired,
  pairMedianRules: Object.fromEntries([...rules].map(([h, f]) => [h, f.rule()])),
};
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(result, null, 1) + '\n');
const f = (x) => (x === undefined || x === null || Number.isNaN(x) ? '-' : x.toFixed(3));
const ci = (c) => (c ? ` (${f(c[0])}-${f(c[1])})` : '');
for (const r of result.rows)
  console.log(`${r.model.padEnd(20)} h=${String(r.h).padEnd(2)} wMAE ${f(r.weightMAE)}${ci(r.ci)}  held ${f(r.held.mae)}${ci(r.held.ci)} n=${r.held.n}  new ${f(r.new.mae)}${ci(r.new.ci)} n=${r.new.n}`);
for (const s of latent)
  console.log(`${s.model.padEnd(20)} h=${String(s.h).padEnd(2)} ` + NAMES.slice(1).map((n) => `${n}: ${f(s.classes[n].mae)}${ci(s.classes[n].ci)} n=${s.classes[n].n}`).join('  '));
for (const p of paired)
  console.log(`${p.a} - ${p.b} h=${p.h} ` + NAMES.map((n) => `${n}: ${f(p.diff[n].d)}${ci(p.diff[n].ci)}`).join('  '));
