/**
 * `dexposure pretrain-data`: a pretraining corpus of prior histories, one shard per
 * seed, resumable (src/core/trainingset/pretrain-corpus.ts; docs/TRAINING-SET.md).
 */
import { resolve } from 'node:path';
import { CliError } from '../command';
import { defineCommand, integerListOption, integerOption, numberOption } from '../args';
import { buildPretrainCorpus, parseSeedList } from '../../core/trainingset/pretrain-corpus';

const usage = `Usage: dexposure pretrain-data --seeds 0-199 --out DIR [--horizons 1,4,8,12]
                       [--neg-ratio 5] [--hard-ratio 2] [--max-positives N] [--anchor-stride S]
                       [--max-protocols P] [--max-gb G] [--json]

For each seed, generates a history drawn from the prior (dexposure synth --prior),
exports it as a version-2 training set into DIR/shard-<seed>/, deletes the raw history
and adds the shard to DIR/manifest.json. Run it again to resume: shards already in the
manifest are kept. Seeds >= 9000 are reserved for evaluation and refused.
  --seeds          seeds as N, N-M or a comma list of them
  --max-positives  at most N positives per (anchor, horizon) (negatives scale with them)
  --anchor-stride  pairs for every S-th week as anchor only
  --max-protocols  skip seeds whose draw has more protocols at the last week than P
  --max-gb         stop once the corpus holds G gigabytes`;

export const pretrainDataCommand = defineCommand(
  { name: 'pretrain-data', summary: 'Build a pretraining corpus of prior histories, one training-set shard per seed', usage, strings: ['seeds', 'out', 'horizons', 'neg-ratio', 'hard-ratio', 'max-positives', 'anchor-stride', 'max-protocols', 'max-gb'], flags: ['json'], positionals: 0 },
  async (o) => {
    const cmd = 'pretrain-data';
    if (!o.out || !o.seeds) throw new CliError(`pretrain-data: --seeds and --out are required\n\n${usage}`);
    let seeds: number[];
    try {
      seeds = parseSeedList(o.seeds);
    } catch (e) {
      throw new CliError(`pretrain-data: --seeds: ${(e as Error).message}`);
    }
    const horizons = integerListOption(cmd, '--horizons', o.horizons, { min: 1 });
    const negRatio = integerOption(cmd, '--neg-ratio', o['neg-ratio'], { min: 0 });
    const hardRatio = integerOption(cmd, '--hard-ratio', o['hard-ratio'], { min: 0 });
    const maxPositives = integerOption(cmd, '--max-positives', o['max-positives'], { min: 1 });
    const anchorStride = integerOption(cmd, '--anchor-stride', o['anchor-stride'], { min: 1 });
    const maxProtocols = integerOption(cmd, '--max-protocols', o['max-protocols'], { min: 3 });
    const maxGb = numberOption(cmd, '--max-gb', o['max-gb'], { min: 0, minExclusive: true });
    const json = o.json ?? false;
    try {
      const m = await buildPretrainCorpus(o.out, {
        seeds, horizons, negRatio, hardRatio, maxPositives, anchorStride, maxProtocols,
        maxBytes: maxGb === undefined ? undefined : maxGb * 1e9,
        onShard: json ? undefined : (e) => {
          const s = e.shard;
          const what = s ? `${s.protocols} protocols, ${s.weeks} weeks, ${s.numPairs} pairs, ${(s.bytes / 1e6).toFixed(1)} MB, ${s.seconds} s` : e.status === 'present' ? 'already in the manifest' : e.status === 'skipped' ? 'draw above --max-protocols, skipped' : 'corpus reached --max-gb, stopping';
          console.error(`pretrain-data: seed ${e.seed} (${e.index + 1}/${e.total}): ${what}`);
        },
      });
      const summary = { out: resolve(o.out), shards: m.shards.length, bytes: m.shards.reduce((t, s) => t + s.bytes, 0), pairs: m.shards.reduce((t, s) => t + s.numPairs, 0) };
      if (json) console.log(JSON.stringify(summary, null, 2));
      else console.log(`${summary.shards} shards, ${(summary.bytes / 1e9).toFixed(2)} GB, ${summary.pairs} pairs in ${summary.out}`);
      return 0;
    } catch (e) {
      throw new CliError((e as Error).message, 1);
    }
  },
);
