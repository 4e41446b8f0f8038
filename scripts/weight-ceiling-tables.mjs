// The MODEL.md tables of "How low the weight MAE can go", from the JSON files that
// scripts/weight-ceiling.mjs --json writes (one per history):
//   node scripts/weight-ceiling-tables.mjs "long 9000=A.json" "long 9001=B.json" "9002 (out of range)=C.json"
// Prints markdown: the weight MAE of the oracle, pair-median, pair-lad, the model and
// persistence with their 95% intervals and whether the unpaired intervals are apart; the
// same split into edges held from t and new edges; the core links' MAE; paired differences.
import { labelledJsonFiles } from './ceiling-options.mjs';

const histories = labelledJsonFiles('weight-ceiling-tables');
const f = (x) => (x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(3));
const withCi = (m, ci) => `${f(m)}${ci ? ` (${f(ci[0])}-${f(ci[1])})` : ''}`;
const signed = (x) => (x === null || Number.isNaN(x) ? '-' : `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`);
const withDiff = (d) => `${signed(d.d)}${d.ci ? ` (${signed(d.ci[0])} to ${signed(d.ci[1])})` : ''}`;
const row = (cells) => `| ${cells.join(' | ')} |`;
const MODELS = ['oracle', 'pair-median', 'pair-lad', 'dexposure-fm', 'persistence'];
const apart = (a, b) => {
  if (!a.ci || !b.ci) return 'no interval';
  return a.ci[1] < b.ci[0] ? 'below, apart' : b.ci[1] < a.ci[0] ? 'above, apart' : 'overlap';
};

const out = [];
out.push(row(['history', 'h', 'week pairs', 'oracle', 'pair-median', 'pair-lad', 'dexposure-fm', 'persistence', 'oracle vs pair-lad', 'oracle vs pair-median']));
out.push(row(Array(10).fill('---')));
for (const { label, data } of histories) {
  for (const h of [...new Set(data.rows.map((r) => r.h))]) {
    const by = Object.fromEntries(data.rows.filter((r) => r.h === h).map((r) => [r.model, r]));
    out.push(row([label, h, by.oracle.weekPairs, ...MODELS.map((m) => (by[m] ? withCi(by[m].weightMAE, by[m].ci) : '-')), apart(by.oracle, by['pair-lad']), apart(by.oracle, by['pair-median'])]));
  }
}
out.push('');
out.push(row(['history', 'h', 'held / new positives', ...MODELS.map((m) => `${m}: held / new`)]));
out.push(row(Array(3 + MODELS.length).fill('---')));
for (const { label, data } of histories) {
  for (const h of [...new Set(data.rows.map((r) => r.h))]) {
    const by = Object.fromEntries(data.rows.filter((r) => r.h === h).map((r) => [r.model, r]));
    out.push(row([label, h, `${by.oracle.held.n} / ${by.oracle.new.n}`, ...MODELS.map((m) => (by[m] ? `${withCi(by[m].held.mae, by[m].held.ci)} / ${withCi(by[m].new.mae, by[m].new.ci)}` : '-'))]));
  }
}
out.push('');
const CORE = ['oracle', 'oracle-scale-t', 'oracle-future-scale', 'pair-median', 'pair-lad', 'dexposure-fm'];
out.push(row(['history', 'h', 'core links at t (of all positives)', ...CORE]));
out.push(row(Array(3 + CORE.length).fill('---')));
for (const { label, data } of histories) {
  for (const h of [...new Set(data.latent.map((r) => r.h))]) {
    const by = Object.fromEntries(data.latent.filter((r) => r.h === h).map((r) => [r.model, r.classes['core at t']]));
    const all = data.latent.find((r) => r.h === h && r.model === 'oracle').classes.all.n;
    out.push(row([label, h, `${by.oracle.n} (${Math.round((100 * by.oracle.n) / all)}%)`, ...CORE.map((m) => (by[m] ? withCi(by[m].mae, by[m].ci) : '-'))]));
  }
}
out.push('');
const PAIRS = [['dexposure-fm', 'pair-lad'], ['pair-median', 'pair-lad'], ['pair-median', 'dexposure-fm'], ['oracle', 'pair-median'], ['oracle', 'dexposure-fm']];
out.push(row(['history', 'h', ...PAIRS.map(([a, b]) => `${a} − ${b}`)]));
out.push(row(Array(2 + PAIRS.length).fill('---')));
for (const { label, data } of histories) {
  for (const h of [...new Set(data.paired.map((r) => r.h))]) {
    out.push(row([label, h, ...PAIRS.map(([a, b]) => {
      const p = data.paired.find((x) => x.h === h && x.a === a && x.b === b);
      return p ? withDiff(p.diff.all) : '-';
    })]));
  }
}
console.log(out.join('\n'));
