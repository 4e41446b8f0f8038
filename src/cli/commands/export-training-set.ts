/**
 * `dexposure export-training-set`: flat arrays for the Python trainer
 * (docs/TRAINING-SET.md; src/core/trainingset).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from '../command';
import { exportTrainingSet } from '../../core/trainingset/export';
import { releaseFingerprint } from '../../core/trainingset/fingerprint';
import { dateOption, integerListOption, integerOption, defineCommand } from '../args';
import { openForCli } from '../release-args';
import { DEFAULT_HORIZONS } from '../../core/weeks';

const usage = `Usage: dexposure export-training-set RELEASE_DIR --out DIR [--horizons 1,4,8,12]
                       [--seed 42] [--neg-ratio 5] [--hard-ratio 2] [--max-positives N]
                       [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]

Writes DIR/index.json, DIR/weeks/<week>/* (features, ids, edges) and
DIR/pairs/h<h>/<anchor>/* (positives, fixed random, historical and structural
negatives, their kinds, pair features, labels, targets).
The format is specified in docs/TRAINING-SET.md.`;

export const exportTrainingSetCommand = defineCommand({ name: 'export-training-set', summary: 'Export features, edges and supervision pairs for the trainer', usage, strings: ['out', 'horizons', 'seed', 'neg-ratio', 'hard-ratio', 'max-positives', 'from', 'to'], flags: ['json'] }, async (o, positionals) => {
  const cmd = 'export-training-set';
  const dir = positionals[0];
  const { out, json } = o;
  const horizons = integerListOption(cmd, '--horizons', o.horizons, { min: 1 }) ?? [...DEFAULT_HORIZONS];
  const seed = integerOption(cmd, '--seed', o.seed, { min: 0 }) ?? 42;
  const negRatio = integerOption(cmd, '--neg-ratio', o['neg-ratio'], { min: 0 }) ?? 5;
  const hardRatio = integerOption(cmd, '--hard-ratio', o['hard-ratio'], { min: 0 }) ?? 2;
  const maxPositives = integerOption(cmd, '--max-positives', o['max-positives'], { min: 1 });
  const from = dateOption(cmd, '--from', o.from);
  const to = dateOption(cmd, '--to', o.to);
  if (!dir || !out) throw new CliError(`export-training-set: RELEASE_DIR and --out are required\n\n${usage}`);
  if (!existsSync(dir)) throw new CliError(`export-training-set: ${dir}: no such folder`);
  try {
    const src = await openForCli(dir, { cacheDir: process.env.DEXPOSURE_CACHE_PATH || undefined });
    const fingerprint = await releaseFingerprint(dir);
    const index = await exportTrainingSet(src, out, {
      horizons, seed, negRatio, hardRatio, maxPositives, from, to,
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
      pairFeaturesHash: index.pairFeatures.hash,
    };
    if (json) console.log(JSON.stringify(summary, null, 2));
    else console.log(`exported ${summary.weeks} weeks and ${summary.pairs} (anchor, horizon) pairs (${summary.positives} positives, ${summary.samples} samples) to ${summary.out}`);
    return 0;
  } catch (e) {
    throw new CliError((e as Error).message, 1);
  }
});
