// Markdown tables of docs/MODEL.md "How low the ΔTVL MAE can go" from scripts/node-ceiling.mjs --json files:
//   node scripts/node-ceiling-tables.mjs "long 9000=node-long-9000.json" "long 9001=node-long-9001.json" ...
import { readFileSync } from 'node:fs';

const runs = process.argv.slice(2).map((a) => {
  const [label, file] = a.split('=');
  return { label, ...JSON.parse(readFileSync(file, 'utf8')) };
});
const f = (x) => (x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(4));
const ci = (c) => (c ? ` (${f(c[0])}-${f(c[1])})` : '');
const sg = (x) => (x > 0 ? '+' : x < 0 ? '−' : '') + f(Math.abs(x));
const dci = (c) => (c ? ` (${sg(c[0])} to ${sg(c[1])})` : '');
const share = (d, p) => `${d > 0 ? '+' : d < 0 ? '−' : ''}${(Math.abs(100 * d) / p).toFixed(1)}%`;
const MODEL = 'dexposure-fm';

for (const key of ['all', 'positive']) {
  console.log(`\n${key === 'all' ? 'Every protocol present at t and t + h (the criteria table\'s ΔTVL MAE)' : 'Protocols with TVL > 0 at t'}:\n`);
  console.log('| history | h | week pairs | oracle | oracle − persistence (share) | model | model − persistence | persistence |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of runs) {
    const hs = [...new Set(r.results.map((x) => x.h))];
    for (const h of hs) {
      const get = (m) => r.results.find((x) => x.model === m && x.h === h);
      const o = get('oracle')[key];
      const p = get('persistence')[key];
      const m = get(MODEL)?.[key];
      console.log(
        `| ${r.label} | ${h} | ${get('oracle').weekPairs} | ${f(o.mae)}${ci(o.ci)} | ${sg(o.minusPersistence)}${dci(o.diffCi)} (${share(o.minusPersistence, p.mae)}) | ${m ? f(m.mae) + ci(m.ci) : '-'} | ${m ? sg(m.minusPersistence) + dci(m.diffCi) : '-'} | ${f(p.mae)}${ci(p.ci)} |`,
      );
    }
  }
}
console.log('\nWhat carries the signal (all protocols; difference to persistence, share of its MAE):\n');
const variants = ['oracle', 'oracle-shift', 'oracle-noclip', 'oracle-u', 'oracle-drift'];
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
