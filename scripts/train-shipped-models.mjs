// `node scripts/train-shipped-models.mjs [--work DIR] [--out models] [--step synth|export|train]`
// Reproduces the models shipped in models/: the full-scale synthetic history (seed 42),
// its training-set export, then `npm run train` with the recipe recorded in the cards
// (each run ends with a Platt calibration of the existence logit on the validation
// weeks, folded into link.onnx):
//   h1: up to 8 epochs from scratch (2 threads; early stopping, patience 3);
//   h4, h8, h12: 1 epoch each, warm-started from models/h1/checkpoint.pt (1 thread);
//   frozen/h1: the frozen-encoder baseline, 1 epoch (1 thread).
// Needs about 20 GB of disk in --work (default .cache) and a few hours on 2 cores.
// Each step is skipped when its output already exists; --step runs one step only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const work = resolve(opt('--work', join(root, '.cache')));
const out = resolve(opt('--out', join(root, 'models')));
const only = opt('--step', undefined);
const release = join(work, 'synth-full');
const trainingSet = join(work, 'ts-full');

function run(cmd, cmdArgs) {
  console.log(`\n$ ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error(`train-shipped-models: step failed: ${cmd} ${cmdArgs.join(' ')} (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

const cli = join(root, 'bin', 'dexposure.js');
const train = (extra) => run('npm', ['run', 'train', '--silent', '--', '--data', trainingSet, ...extra]);
mkdirSync(work, { recursive: true });

if ((!only || only === 'synth') && !existsSync(join(release, 'meta_df.csv'))) {
  run(process.execPath, [cli, 'synth', '--full', '--seed', '42', '--out', release]);
}
if ((!only || only === 'export') && !existsSync(join(trainingSet, 'index.json'))) {
  // --hard-ratio 0: the shipped models were trained on random negatives only (the version-1 pairs)
  run(process.execPath, [cli, 'export-training-set', release, '--horizons', '1,4,8,12', '--hard-ratio', '0', '--out', trainingSet]);
}
if (!only || only === 'train') {
  if (!existsSync(join(out, 'h1', 'checkpoint.pt'))) train(['--out', out, '--horizons', '1', '--epochs', '8', '--threads', '2']);
  for (const h of [4, 8, 12]) {
    if (!existsSync(join(out, `h${h}`, 'encoder.card.json'))) {
      train(['--out', out, '--horizons', String(h), '--epochs', '1', '--threads', '1', '--init', relative(root, join(out, 'h1', 'checkpoint.pt'))]);
    }
  }
  if (!existsSync(join(out, 'frozen', 'h1', 'encoder.card.json'))) {
    train(['--out', join(out, 'frozen'), '--horizons', '1', '--epochs', '1', '--threads', '1', '--freeze-encoder']);
  }
}
console.log(`\ntrain-shipped-models: models in ${out}`);
