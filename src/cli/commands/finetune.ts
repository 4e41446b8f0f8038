/**
 * `dexposure finetune`: fine-tunes the pretrained forecasting model on a user's own
 * release (docs/MODEL.md "Fine-tuning on your release"). Two steps, each resumable:
 * export the release's training set (reused when its fingerprint matches), then the
 * Python trainer from the pretrained weights, one horizon after another, with its
 * progress lines on stderr. The result is a model set (OUT/h<h>/) that
 * `dx.forecast(..., { modelsDir: OUT })` and `dexposure evaluate --models OUT` use.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError } from '../command';
import { defineCommand, integerListOption, integerOption } from '../args';
import { openForCli } from '../release-args';
import { exportTrainingSet } from '../../core/trainingset/export';
import { releaseFingerprint } from '../../core/trainingset/fingerprint';
import { DEFAULT_HORIZONS } from '../../core/weeks';
import { defaultModelsDir } from '../../core/model/model-set';

const usage = `Usage: dexposure finetune DATA --out DIR [--pretrained FILE] [--horizons 1,4,8,12]
                         [--epochs N] [--threads T] [--seed 42] [--work DIR] [--json]

Fine-tunes the pretrained forecasting model on the release DATA and writes a model set
DIR/h<h>/ (ONNX graphs and cards) for dx.forecast(..., { modelsDir: DIR }) and
dexposure evaluate --models DIR. Each horizon starts from the pretrained weights and
trains on DATA's training weeks (early stopping and calibration on its validation
weeks; the test weeks that dexposure evaluate holds out are never used).
Run the same command again to continue an interrupted run: the export is reused when
DATA is unchanged, finished horizons are skipped, and a horizon resumes after its
last finished epoch.
  --pretrained FILE  pretrained weights (default: pretrained/pretrained.pt in the models folder)
  --horizons LIST    horizons in weeks (default 1,4,8,12)
  --epochs N         at most N epochs per horizon (default 8; early stopping, patience 3)
  --threads T        PyTorch CPU threads (default 1; results depend on it)
  --seed N           training seed and the export's negative-sampling seed (default 42)
  --work DIR         where the training set is exported (default DIR/training-set)
  --json             print the trainer's summary (metrics per horizon) as JSON
Needs Python 3 with PyTorch and NumPy ($DEXPOSURE_PYTHON, else /usr/bin/python3, else python3).`;

/** The folder holding training/dxtrain (the trainer), above this module or the working directory. */
export function trainerRoot(): string | undefined {
  for (const start of [typeof __dirname === 'string' ? __dirname : process.cwd(), process.cwd()]) {
    let d = resolve(start);
    for (;;) {
      if (existsSync(join(d, 'training', 'dxtrain', '__main__.py'))) return join(d, 'training');
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  return undefined;
}

function pythonExecutable(): string {
  if (process.env.DEXPOSURE_PYTHON) return process.env.DEXPOSURE_PYTHON;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

function readIndex(dir: string): { version?: number; source?: { fingerprint?: string }; horizons?: number[]; seed?: number } | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

function runPython(python: string, args: string[], env: NodeJS.ProcessEnv, captureStdout: boolean): Promise<{ code: number; stdout: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(python, args, { env, stdio: ['ignore', captureStdout ? 'pipe' : 'inherit', 'inherit'] });
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', (e) => reject(new CliError(`finetune: cannot run ${python} (${(e as Error).message}); install Python 3 with PyTorch and NumPy or set DEXPOSURE_PYTHON`, 1)));
    child.on('close', (code, signal) => resolvePromise({ code: code ?? (signal ? 128 : 1), stdout }));
  });
}

export const finetuneCommand = defineCommand(
  { name: 'finetune', summary: 'Fine-tune the pretrained model on a release', usage, strings: ['out', 'pretrained', 'horizons', 'epochs', 'threads', 'seed', 'work'], flags: ['json'] },
  async (o, positionals) => {
    const cmd = 'finetune';
    const data = positionals[0];
    if (!data || !o.out) throw new CliError(`finetune: DATA and --out are required\n\n${usage}`);
    if (!existsSync(data)) throw new CliError(`finetune: ${data}: no such folder`);
    const horizons = integerListOption(cmd, '--horizons', o.horizons, { min: 1 }) ?? [...DEFAULT_HORIZONS];
    const epochs = integerOption(cmd, '--epochs', o.epochs, { min: 1 }) ?? 8;
    const threads = integerOption(cmd, '--threads', o.threads, { min: 1 }) ?? 1;
    const seed = integerOption(cmd, '--seed', o.seed, { min: 0 }) ?? 42;
    const out = resolve(o.out);
    let pretrained = o.pretrained;
    if (!pretrained) {
      let models: string | undefined;
      try {
        models = defaultModelsDir();
      } catch {
        models = undefined;
      }
      pretrained = models ? join(models, 'pretrained', 'pretrained.pt') : undefined;
      if (!pretrained || !existsSync(pretrained)) {
        throw new CliError(`finetune: no pretrained weights${pretrained ? ` at ${pretrained}` : ''}; pass --pretrained FILE (written by python3 -m dxtrain.pretrain, docs/MODEL.md)`);
      }
    } else if (!existsSync(pretrained)) {
      throw new CliError(`finetune: --pretrained ${pretrained}: no such file`);
    }
    const training = trainerRoot();
    if (!training) throw new CliError('finetune: the trainer (training/dxtrain) is not installed next to this command; run it from a DeXposure Notebooks checkout');
    const log = (s: string) => process.stderr.write(`${s}\n`);

    // 1. The training set, reused when it was exported from this very release with these settings.
    const ts = resolve(o.work ?? join(out, 'training-set'));
    const fingerprint = await releaseFingerprint(data);
    const prev = readIndex(ts);
    const covers = (prev?.horizons ?? []).length > 0 && horizons.every((h) => prev?.horizons?.includes(h));
    if (prev && prev.source?.fingerprint === fingerprint && prev.seed === seed && covers) {
      log(`finetune: reusing the training set in ${ts} (same release fingerprint)`);
    } else {
      log(`finetune: exporting the training set of ${data} to ${ts}`);
      try {
        const src = await openForCli(data, { cacheDir: process.env.DEXPOSURE_CACHE_PATH || undefined });
        await exportTrainingSet(src, ts, {
          horizons,
          seed,
          negRatio: 5,
          source: { path: resolve(data), fingerprint },
          onWeek: process.stderr.isTTY ? (w, i, n) => process.stderr.write(`\rexport: week ${i + 1}/${n} ${w}   `) : undefined,
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
      } catch (e) {
        throw new CliError(`finetune: export of ${data} failed: ${(e as Error).message}`, 1);
      }
    }

    // 2. The Python fine-tuning, resumable (--resume).
    const python = pythonExecutable();
    const env = { ...process.env, PYTHONPATH: [training, process.env.PYTHONPATH].filter(Boolean).join(':') };
    const args = ['-m', 'dxtrain', '--data', ts, '--out', out, '--pretrained', resolve(pretrained), '--horizons', horizons.join(','), '--epochs', String(epochs), '--threads', String(threads), '--seed', String(seed), '--resume'];
    log(`finetune: ${python} ${args.join(' ')}`);
    const r = await runPython(python, args, env, true);
    if (r.code !== 0) throw new CliError(`finetune: the trainer stopped with exit code ${r.code} (its message is above); run the same command again to continue`, r.code === 2 ? 2 : 1);
    if (o.json) {
      process.stdout.write(r.stdout);
    } else {
      type Summary = Record<string, { dir: string; epochs: number; metrics: { test: { auprc?: number; ece?: number } } }>;
      let summary: Summary;
      try {
        summary = JSON.parse(r.stdout) as Summary;
      } catch {
        summary = {};
      }
      for (const [h, s] of Object.entries(summary)) {
        const t = s.metrics?.test ?? {};
        console.log(`${h}: ${s.dir} (${s.epochs} epochs; test AUPRC ${t.auprc?.toFixed(3) ?? '-'}, ECE ${t.ece?.toFixed(3) ?? '-'})`);
      }
      console.log(`model set in ${out}: use dx.forecast(..., { modelsDir: ${JSON.stringify(out)} }) or dexposure evaluate ${data} --models ${out}`);
    }
    return 0;
  },
);
