// `npm run train -- --data DIR [--out models] [--horizons 1,4,8,12] [--epochs N] ...`
// Trains the forecasting model on a `dexposure export-training-set` directory with
// the Python trainer in training/ and writes ONNX graphs + model cards (docs/MODEL.md).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { requireTorch } from './python-env.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
if (!args.includes('--data')) {
  console.error('npm run train: --data DIR (a training-set directory from `dexposure export-training-set`) is required');
  console.error('usage: npm run train -- --data DIR [--out models] [--horizons 1,4,8,12] [--epochs N] [--threads T]');
  process.exit(2);
}
const python = requireTorch({ install: false });
const r = spawnSync(python, ['-m', 'dxtrain', ...args], {
  stdio: 'inherit',
  env: { ...process.env, PYTHONPATH: [join(root, 'training'), process.env.PYTHONPATH].filter(Boolean).join(':') },
});
process.exit(r.status ?? 1);
