// `npm test`: installs what is missing, builds, type-checks, lints, then runs every
// test suite in order. `--only unit|browser|integration|training` runs one suite.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

function run(cmd, cmdArgs, opts = {}) {
  console.log(`\n$ ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\nnpm test: step failed: ${cmd} ${cmdArgs.join(' ')} (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

function findTests(dir, suffix = '.test.ts') {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p, suffix));
    else if (name.endsWith(suffix)) out.push(p);
  }
  return out.sort();
}

if (!existsSync('node_modules/.package-lock.json')) run('npm', ['ci']);

const suites = {
  unit: () => {
    const files = findTests('test/unit');
    if (!files.length) return;
    run(process.execPath, ['scripts/setup-tools.mjs', '--nbformat']);
    run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
  },
  browser: () => {
    const files = findTests('test/browser');
    if (!files.length) return;
    run(process.execPath, ['scripts/setup-tools.mjs', '--browser']);
    run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files]);
  },
  integration: () => {
    const files = findTests('test/integration');
    if (!files.length) return;
    run(process.execPath, ['scripts/setup-tools.mjs', '--browser', '--code-server']);
    run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files]);
  },
  training: () => {
    if (existsSync('training/test')) run(process.execPath, ['scripts/test-training.mjs']);
  },
};

if (only) {
  if (!suites[only]) {
    console.error(`npm test: unknown suite "${only}" (expected one of ${Object.keys(suites).join(', ')})`);
    process.exit(2);
  }
  run('npm', ['run', 'build', '--silent']);
  suites[only]();
} else {
  run('npm', ['run', 'build', '--silent']);
  run('npm', ['run', 'typecheck', '--silent']);
  run('npm', ['run', 'lint', '--silent']);
  for (const s of Object.values(suites)) s();
}
console.log('\nnpm test: all suites passed');
