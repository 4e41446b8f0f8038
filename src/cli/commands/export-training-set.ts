/**
 * `dexposure export-training-set`: flat arrays for the Python trainer
 * (docs/TRAINING-SET.md; src/core/trainingset).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliCommand } from '../command';
import { CliError } from '../command';
import { exportTrainingSet } from '../../core/trainingset/export';
import { releaseFingerprint } from '../../core/trainingset/fingerprint';
import { openForCli } from './inspect';

const usage = `Usage: dexposure export-training-set RELEASE_DIR --out DIR [--horizons 1,4,8,12]
                       [--seed 42] [--neg-ratio 5] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]

Writes DIR/index.json, DIR/weeks/<week>/* (features, ids, edges) and
DIR/pairs/h<h>/<anchor>/* (positives + fixed uniform negatives, labels, targets).
The format is specified in docs/TRAINING-SET.md.`;

export const exportTrainingSetCommand: CliCommand = {
  name: 'export-training-set',
  summary: 'Export features, edges and supervision pairs for the trainer',
  usage,
  async run(argv) {
    let dir: string | undefined;
    let out: string | undefined;
    let horizons = [1, 4, 8, 12];
    let seed = 42;
    let negRatio = 5;
    let from: string | undefined;
    let to: string | undefined;
    let json = false;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (a === '--out') out = argv[++i];
      else if (a === '--horizons') {
        const v = argv[++i] ?? '';
        if (!/^\d+(,\d+)*$/.test(v)) throw new CliError(`export-training-set: --horizons expects a list like 1,4,8,12, got "${v}"`);
        horizons = v.split(',').map(Number);
      } else if (a === '--seed' || a === '--neg-ratio') {
        const v = argv[++i] ?? '';
        if (!/^\d+$/.test(v)) throw new CliError(`export-training-set: ${a} expects a non-negative integer, got "${v}"`);
        if (a === '--seed') seed = Number(v);
        else negRatio = Number(v);
      } else if (a === '--from') from = argv[++i];
      else if (a === '--to') to = argv[++i];
      else if (a === '--json') json = true;
      else if (a.startsWith('--')) throw new CliError(`export-training-set: unknown option "${a}"\n\n${usage}`);
      else if (!dir) dir = a;
      else throw new CliError(`export-training-set: unexpected argument "${a}"\n\n${usage}`);
    }
    if (!dir || !out) throw new CliError(`export-training-set: RELEASE_DIR and --out are required\n\n${usage}`);
    if (!existsSync(dir)) throw new CliError(`export-training-set: ${dir}: no such folder`);
    try {
      const src = await openForCli(dir, { cacheDir: process.env.DEXPOSURE_CACHE_PATH || undefined });
      const fingerprint = await releaseFingerprint(dir);
      const index = await exportTrainingSet(src, out, {
        horizons, seed, negRatio, from, to,
        source: { path: resolve(dir), fingerprint },
        onWeek: json || !process.stderr.isTTY ? undefined : (w, i, n) => process.stderr.write(`\rexport: week ${i + 1}/${n} ${w}   `),
      });
      if (!json && process.stderr.isTTY) process.stderr.write('\n');
      const summary = {
        out: resolve(out),
        weeks: index.weeks.length,
        pairs: index.pairs.length,
        positives: index.pairs.reduce((s, p) => s + p.numPositives, 0),
        samples: index.pairs.reduce((s, p) => s + p.numPairs, 0),
        featureSchemaHash: index.featureSchema.hash,
      };
      if (json) console.log(JSON.stringify(summary, null, 2));
      else console.log(`exported ${summary.weeks} weeks and ${summary.pairs} (anchor, horizon) pairs (${summary.positives} positives, ${summary.samples} samples) to ${summary.out}`);
      return 0;
    } catch (e) {
      throw new CliError((e as Error).message, 1);
    }
  },
};
