// Markdown tables of docs/MODEL.md "How low the ΔTVL MAE can go" from scripts/node-ceiling.mjs --json files:
//   node scripts/node-ceiling-tables.mjs "long 9000=node-long-9000.json" "long 9001=node-long-9001.json" ...
import { labelledJsonFiles } from './ceiling-options.mjs';

const runs = labelledJsonFiles('node-ceiling-tables').map(({ label, data }) => ({ label, ...data }));
const f = (x) => (x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(4));
const ci = (c) => (c ? ` (${f(c[0])}-${f(c[1])})` : '');
const sg = (x) => (Math.abs(x) < 5e-5 ? '' : x > 0 ? '+' : '−') + f(Math.abs(x));
const dci = (c) => (c ? ` (${sg(c[0])} to ${sg(c[1])})` : '');
const share = (d, p) => `${Math.abs(100 * d) / p < 0.05 ? '' : d > 0 ? '+' : '−'}${(Math.abs(100 * d) / p).toFixed(1)}%`;
const MODEL = 'dexposure-fm';

for (const key of ['all', 'positive']) {
  console.log(`\n${key === 'all' ? 'Every protocol present at t and t + h (the criteria table\'s ΔTVL MAE)' : 'Protocols with TVL > 0 at t'}:\n`);
  console.log('| history | h | week pairs | persistence | oracle | oracle − persistence (share) | model | model − persistence | drift-range − persistence |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of runs) {
    const hs = [...new Set(r.results.map((x) => x.h))];
    for (const h of hs) {
      const get = (m) => r.results.find((x) => x.model === m && x.h === h);
      const o = get('oracle')[key];
      const p = get('persistence')[key];
      const m = get(MODEL)?.[key];
      const k = get('drift-range')?.[key];
      console.log(
        `| ${r.label} | ${h} | ${get('oracle').weekPairs} | ${f(p.mae)}${ci(p.ci)} | ${f(o.mae)}${ci(o.ci)} | ${sg(o.minusPersistence)}${dci(o.diffCi)} (${share(o.minusPersistence, p.mae)}) | ${m ? f(m.mae) + ci(m.ci) : '-'} | ${m ? sg(m.minusPersistence) + dci(m.diffCi) : '-'} | ${k ? sg(k.minusPersistence) + dci(k.diffCi) : '-'} |`,
      );
    }
  }
}
console.log('\nWhat carries the signal (all protocols; difference to persistence, share of its MAE):\n');
const variants = ['oracle', 'oracle-trend', 'oracle-shift', 'oracle-noclip', 'oracle-drift', 'oracle-u', 'drift-filter', 'drift-range', 'slope-26'];
console.log(`| history | h | ${variants.join(' | ')} |`);
console.log(`| --- | --- | ${variants.map(() => '---').join(' | ')} |`);
for (const r of runs) {
  for (const h of [...new Set(r.results.map((x) => x.h))]) {
    const p = r.results.find((x) => x.model === 'persistence' && x.h === h).all.mae;
    const cells = variants.map((v) => {
      const x = r.results.find((y) => y.model === v && y.h === h)?.all;
      return x ? `${sg(x.minusPersistence)} (${share(x.minusPersistence, p)})` : '-';
    });
    console.log(`| ${r.label} | ${h} | ${cells.join(' | ')} |`);
  }
}
console.log('\nΔTVL MAE by the protocol at t (all protocols; persistence / oracle / drift-filter / model):\n');
const CL = ['real, free', 'real, at the clip', 'fictional, free', 'fictional, at the clip'];
console.log(`| history | h | ${CL.join(' | ')} |`);
console.log(`| --- | --- | ${CL.map(() => '---').join(' | ')} |`);
for (const r of runs) {
  for (const h of [...new Set(r.results.map((x) => x.h))]) {
    const cells = CL.map((c) => {
      const v = ['persistence', 'oracle', 'drift-filter', MODEL].map((m) => {
        const x = r.breakdown.find((y) => y.model === m && y.h === h)?.classes[c];
        return x ? f(x.sumAbs / x.n) : '-';
      });
      const n = r.breakdown.find((y) => y.model === 'persistence' && y.h === h).classes[c].n;
      return `${v.join(' / ')} (n = ${n})`;
    });
    console.log(`| ${r.label} | ${h} | ${cells.join(' | ')} |`);
  }
}
