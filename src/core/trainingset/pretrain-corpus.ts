/**
 * A pretraining corpus built one history at a time (docs/TRAINING-SET.md "Pretraining
 * corpus"): for each seed, a history drawn from the prior (src/core/synth/prior.ts) is
 * generated into a temporary folder, exported as a version-2 training set into
 * OUT/shard-<seed>/, the raw release deleted, and the shard appended to
 * OUT/manifest.json (written atomically). Disk therefore holds the finished shards plus
 * one raw history at most. A shard counts only once it is in the manifest, so a killed
 * build resumes where it stopped: leftovers of an unfinished seed are removed and redone.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, copyFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write';
import { synthesize } from '../synth/generate';
import { drawPrior, RESERVED_EVAL_SEEDS_FROM, type PriorRegime } from '../synth/prior';
import { openRelease } from '../snapshot/release';
import { DEFAULT_HORIZONS } from '../weeks';
import { exportTrainingSet } from './export';
import { releaseFingerprint } from './fingerprint';

export const MANIFEST_FORMAT = 'dexposure-pretrain-manifest';
export const MANIFEST_VERSION = 1;

export interface CorpusOptions {
  seeds: number[];
  regime?: PriorRegime;
  horizons?: number[];
  negRatio?: number;
  hardRatio?: number;
  maxPositives?: number;
  anchorStride?: number;
  /** Skip seeds whose draw has more protocols than this (they are listed as skipped, not built). */
  maxProtocols?: number;
  /** Stop before a shard once the corpus holds this many bytes. */
  maxBytes?: number;
  onShard?: (event: { seed: number; status: 'built' | 'present' | 'skipped' | 'budget'; shard?: ShardEntry; index: number; total: number }) => void;
}

export interface ShardEntry {
  seed: number;
  dir: string;
  regime: PriorRegime;
  protocols: number;
  weeks: number;
  from: string;
  to: string;
  crises: boolean;
  drawn: Record<string, number>;
  numPairs: number;
  numPositives: number;
  bytes: number;
  seconds: number;
}

export interface CorpusManifest {
  format: typeof MANIFEST_FORMAT;
  version: number;
  options: { regime: PriorRegime; horizons: number[]; negRatio: number; hardRatio: number; maxPositives: number | null; anchorStride: number };
  shards: ShardEntry[];
}

function folderBytes(dir: string): number {
  let b = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    b += st.isDirectory() ? folderBytes(p) : st.size;
  }
  return b;
}

export function readManifest(path: string): CorpusManifest | undefined {
  if (!existsSync(path)) return undefined;
  let m: CorpusManifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`trainingset/pretrain-corpus: ${path}: not JSON (${(e as Error).message}); move it away to start a new corpus`, { cause: e });
  }
  if (m.format !== MANIFEST_FORMAT || !Array.isArray(m.shards)) throw new Error(`trainingset/pretrain-corpus: ${path}: format is ${JSON.stringify(m.format)}, expected "${MANIFEST_FORMAT}" with a shards list`);
  if (m.version > MANIFEST_VERSION) throw new Error(`trainingset/pretrain-corpus: ${path}: manifest version ${m.version} is newer than this reader (${MANIFEST_VERSION})`);
  return m;
}

export async function buildPretrainCorpus(outDir: string, opts: CorpusOptions): Promise<CorpusManifest> {
  const regime = opts.regime ?? 'in';
  for (const s of opts.seeds) {
    if (!Number.isSafeInteger(s) || s < 0) throw new Error(`trainingset/pretrain-corpus: seed must be a non-negative integer, got ${s}`);
    if (s >= RESERVED_EVAL_SEEDS_FROM) {
      throw new Error(`trainingset/pretrain-corpus: seed ${s} is reserved for evaluation (seeds >= ${RESERVED_EVAL_SEEDS_FROM} are never trained or calibrated on)`);
    }
  }
  const options: CorpusManifest['options'] = {
    regime,
    horizons: [...new Set(opts.horizons ?? DEFAULT_HORIZONS)].sort((a, b) => a - b),
    negRatio: opts.negRatio ?? 5,
    hardRatio: opts.hardRatio ?? 2,
    maxPositives: opts.maxPositives ?? null,
    anchorStride: opts.anchorStride ?? 1,
  };
  mkdirSync(outDir, { recursive: true });
  const manifestPath = join(outDir, 'manifest.json');
  const manifest: CorpusManifest = readManifest(manifestPath) ?? { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, options, shards: [] };
  if (JSON.stringify(manifest.options) !== JSON.stringify(options)) {
    throw new Error(`trainingset/pretrain-corpus: ${manifestPath} was built with other options (${JSON.stringify(manifest.options)}); use the same options or another folder`);
  }
  const done = new Set(manifest.shards.map((s) => s.seed));
  let bytes = manifest.shards.reduce((t, s) => t + s.bytes, 0);

  for (let i = 0; i < opts.seeds.length; i++) {
    const seed = opts.seeds[i];
    const event = { seed, index: i, total: opts.seeds.length };
    if (done.has(seed)) {
      opts.onShard?.({ ...event, status: 'present' });
      continue;
    }
    const draw = drawPrior(seed, regime);
    if (opts.maxProtocols !== undefined && draw.protocols > opts.maxProtocols) {
      opts.onShard?.({ ...event, status: 'skipped' });
      continue;
    }
    if (opts.maxBytes !== undefined && bytes >= opts.maxBytes) {
      opts.onShard?.({ ...event, status: 'budget' });
      break;
    }
    const t0 = Date.now();
    const name = `shard-${seed}`;
    const raw = join(outDir, `.raw-${seed}`);
    const partial = join(outDir, `.${name}.partial`);
    const final = join(outDir, name);
    for (const d of [raw, partial, final]) rmSync(d, { recursive: true, force: true }); // leftovers of a killed build
    try {
      const summary = await synthesize({ seed, prior: regime }, raw);
      const src = await openRelease(raw);
      const index = await exportTrainingSet(src, partial, {
        horizons: options.horizons,
        seed,
        negRatio: options.negRatio,
        hardRatio: options.hardRatio,
        maxPositives: options.maxPositives ?? undefined,
        anchorStride: options.anchorStride,
        source: { path: `prior:${regime}:${seed}`, fingerprint: await releaseFingerprint(raw) },
      });
      copyFileSync(join(raw, 'synth.json'), join(partial, 'synth.json'));
      rmSync(raw, { recursive: true, force: true });
      renameSync(partial, final);
      const entry: ShardEntry = {
        seed,
        dir: name,
        regime,
        protocols: summary.protocols,
        weeks: summary.weeks,
        from: summary.from,
        to: summary.to,
        crises: draw.crises,
        drawn: draw.drawn,
        numPairs: index.pairs.reduce((t, p) => t + p.numPairs, 0),
        numPositives: index.pairs.reduce((t, p) => t + p.numPositives, 0),
        bytes: folderBytes(final),
        seconds: Math.round((Date.now() - t0) / 100) / 10,
      };
      manifest.shards.push(entry);
      manifest.shards.sort((a, b) => a.seed - b.seed);
      writeFileAtomic(manifestPath, JSON.stringify(manifest, null, 1) + '\n');
      bytes += entry.bytes;
      done.add(seed);
      opts.onShard?.({ ...event, status: 'built', shard: entry });
    } finally {
      rmSync(raw, { recursive: true, force: true });
      rmSync(partial, { recursive: true, force: true });
    }
  }
  return manifest;
}

/** "0-199", "3,5,9-12" -> seeds in order, without repeats. */
export function parseSeedList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new Error(`expected seeds as N, N-M or a comma list of them, got "${text}"`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new Error(`seed range ${a}-${b} runs backwards`);
    if (b - a > 100000) throw new Error(`seed range ${a}-${b} is too long`);
    for (let s = a; s <= b; s++) if (!out.includes(s)) out.push(s);
  }
  return out;
}
