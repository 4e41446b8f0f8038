// Finds the Python that trains the forecasting model (scripts/train.mjs,
// scripts/test-training.mjs): $DEXPOSURE_PYTHON, else /usr/bin/python3 (Debian's
// python3-torch lives there), else python3 on PATH. Checks torch, numpy and onnx import
// (onnx: the export's graph rewrite, training/dxtrain/onnx_scatter.py),
// and installs the Debian packages when running as root in CI.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const APT_PACKAGES = ['python3-torch', 'python3-numpy', 'python3-onnx', 'libopenblas0-pthread'];

export function pythonExecutable() {
  if (process.env.DEXPOSURE_PYTHON) return process.env.DEXPOSURE_PYTHON;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

function canImport(python) {
  const r = spawnSync(python, ['-c', 'import torch, numpy, onnx; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Returns the python executable with torch importable, or exits with instructions. */
export function requireTorch({ install = false } = {}) {
  const python = pythonExecutable();
  if (canImport(python)) return python;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (install && isRoot && existsSync('/usr/bin/apt-get')) {
    console.log(`python: torch is not importable by ${python}; installing ${APT_PACKAGES.join(' ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...APT_PACKAGES], { stdio: 'inherit', env });
    if (canImport(python)) return python;
  }
  console.error(
    `python: PyTorch, NumPy and onnx are required to train the forecasting model, but \`${python} -c "import torch, numpy, onnx"\` fails.\n` +
      `Install them with: sudo apt-get install ${APT_PACKAGES.join(' ')}\n` +
      `(or pip install torch numpy onnx, and point DEXPOSURE_PYTHON at that interpreter).`,
  );
  process.exit(1);
}
