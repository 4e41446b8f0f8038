// `npm run bench [-- NAME ...] [-- --quick]`: runs bench/<NAME>.ts (all when none is
// named), each printing one JSON object, and prints them as one JSON array.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const names = args.filter((a) => !a.startsWith('--'));
const all = readdirSync('bench').filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
const chosen = names.length ? names : all;
for (const n of chosen) {
  if (!all.includes(n)) {
    console.error(`bench: no benchmark "${n}" (have: ${all.join(', ')})`);
    process.exit(2);
  }
}
const results = [];
for (const n of chosen) {
  console.error(`bench: running ${n} ...`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${n}.ts`, ...flags], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    console.error(`bench: ${n} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
  const text = r.stdout.trim();
  const start = text.lastIndexOf('\n{') >= 0 ? text.lastIndexOf('\n{') + 1 : text.indexOf('{');
  try {
    results.push({ name: n, ...JSON.parse(text.slice(start)) });
  } catch {
    console.error(`bench: ${n} did not print a JSON object as its last output`);
    process.exit(1);
  }
}
console.log(JSON.stringify(results, null, 2));
