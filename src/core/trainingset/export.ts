/**
 * Training-set export: weekly node features and edges, plus (anchor, horizon)
 * supervision pairs with fixed negatives, as flat little-endian arrays
 * (docs/TRAINING-SET.md is the contract with the Python trainer).
 *
 * Reference: the authors' `RFE:build_week_pairs` / `sample_negatives` (data-spec
 * §4.3). Deviations, documented in docs/TRAINING-SET.md: positives are
 * deduplicated (the authors keep duplicates in the list but deduplicate for
 * rejection); the negative PRNG is keyed per (seed, anchor, horizon) rather than
 * one stream per split, so a pair's negatives do not depend on which other pairs
 * are exported; no shuffling (the trainer shuffles).
 *
 * Weeks are visited once, in order, keeping only the last max(horizons) + 1
 * snapshots, so a full-scale release exports in bounded memory.
 */
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../files/atomic-write';
import { join } from 'node:path';
import type { Snapshot } from '../snapshot/types';
import { nodeFeatures } from '../features/node-features';
import { FEATURE_SCHEMA, featureSchemaHash, NUM_FEATURES } from '../features/schema';
import { PAIR_FEATURE_SCHEMA, PairFeatureContext, pairFeatureCard, type PairFeatureCard } from '../features/pair-features';
import { NEGATIVE_KINDS, PairMemory, sampleWeek } from '../eval/negatives';
import { writeArray } from './binary';
import { addDays, DEFAULT_HORIZONS } from '../weeks';

export const TRAINING_SET_FORMAT = 'dexposure-training-set';
export const TRAINING_SET_VERSION = 2;

/** What the exporter needs from a release: its weeks and a snapshot per week. */
export interface SnapshotSource {
  weeks: readonly string[];
  snapshot(week: string): Promise<Snapshot>;
}

export interface ExportOptions {
  horizons?: number[];
  seed?: number;
  negRatio?: number;
  /** Historical and structural negatives per positive, each (default 2; eval/negatives.ts). */
  hardRatio?: number;
  /** Use at most this many positives per (anchor, horizon), a seeded subset (default all). */
  maxPositives?: number;
  /** Write supervision pairs only for every n-th exported week as anchor (default 1: all). */
  anchorStride?: number;
  /** Only weeks in [from, to] (inclusive, YYYY-MM-DD). */
  from?: string;
  to?: string;
  source: { path: string; fingerprint: string };
  onWeek?: (week: string, index: number, total: number) => void;
}

export interface WeekEntry {
  week: string;
  dir: string;
  numNodes: number;
  numEdges: number;
}

export interface PairEntry {
  anchor: string;
  target: string;
  horizon: number;
  dir: string;
  numPairs: number;
  numPositives: number;
  /** Negatives of each kind: random, historical, structural (neg_kind.u8 codes 1, 2, 3). */
  numNegatives: { random: number; historical: number; structural: number };
}

export interface TrainingSetIndex {
  format: typeof TRAINING_SET_FORMAT;
  version: number;
  featureSchema: { name: string; version: number; hash: string; names: string[]; categories: string[] };
  source: { path: string; weeks: number; from: string; to: string; fingerprint: string };
  pairFeatures: PairFeatureCard;
  seed: number;
  negRatio: number;
  hardRatio: number;
  maxPositives: number | null;
  anchorStride: number;
  horizons: number[];
  weeks: WeekEntry[];
  pairs: PairEntry[];
}


interface Cached {
  snap: Snapshot;
  /** Pair-feature context of this week as an anchor, built on first use. */
  context?: PairFeatureContext;
}

export interface PairArrays {
  pairs: Int32Array;
  label: Float32Array;
  yLw: Float32Array;
  baseLw: Float32Array;
  nodeTarget: Float32Array;
  nodeMask: Uint8Array;
  /** Per pair: 0 positive, 1 random, 2 historical, 3 structural negative (eval/negatives.ts codes). */
  negKind: Uint8Array;
  numPositives: number;
}

export interface PairSampling {
  seed: number;
  negRatio: number;
  /** Historical and structural negatives per positive, each (0: random negatives only, the v1 set). */
  hardRatio?: number;
  maxPositives?: number;
  /** Pairs connected up to the anchor (must hold the anchor week); built from the anchor alone when absent. */
  memory?: PairMemory;
}

/**
 * Supervision arrays for one (anchor, target) pair; see docs/TRAINING-SET.md. The pairs
 * are the evaluation yardstick's (eval/negatives.ts sampleWeek): positives, then the
 * random negatives of the paper's protocol, then the historical and structural ones.
 */
export function buildPair(anchor: Snapshot, target: Snapshot, horizon: number, opts: PairSampling): PairArrays {
  let memory = opts.memory;
  if (!memory) {
    memory = new PairMemory();
    memory.add(anchor);
  }
  const s = sampleWeek(anchor, target, horizon, memory, {
    seed: opts.seed,
    negRatio: opts.negRatio,
    hardRatio: opts.hardRatio ?? 0,
    maxPositives: opts.maxPositives,
    mrrQueries: 0,
  });
  const n = anchor.ids.length;
  const anchorW = new Map<number, number>();
  for (let k = 0; k < anchor.edgeSource.length; k++) {
    anchorW.set(anchor.edgeSource[k] * n + anchor.edgeTarget[k], Math.log1p(Math.max(anchor.edgeWeight[k], 0)));
  }
  const P = s.label.length;
  const baseLw = new Float32Array(P);
  for (let i = 0; i < P; i++) baseLw[i] = anchorW.get(s.pairs[i] * n + s.pairs[P + i]) ?? 0;
  return {
    pairs: s.pairs,
    label: Float32Array.from(s.label),
    yLw: s.yLw,
    baseLw,
    nodeTarget: s.nodeTarget,
    nodeMask: s.nodeMask,
    negKind: s.kind,
    numPositives: s.numPositives,
  };
}

function checkOptions(opts: ExportOptions): { horizons: number[]; seed: number; negRatio: number; hardRatio: number; maxPositives: number | undefined } {
  const horizons = opts.horizons ?? DEFAULT_HORIZONS;
  if (horizons.length === 0 || horizons.some((h) => !Number.isInteger(h) || h < 1 || h > 520)) {
    throw new Error(`trainingset/export: horizons must be integers in [1, 520], got ${JSON.stringify(horizons)}`);
  }
  const seed = opts.seed ?? 42;
  if (!Number.isSafeInteger(seed)) throw new Error(`trainingset/export: seed must be an integer, got ${seed}`);
  const negRatio = opts.negRatio ?? 5;
  if (!Number.isInteger(negRatio) || negRatio < 0 || negRatio > 1000) {
    throw new Error(`trainingset/export: negRatio must be an integer in [0, 1000], got ${negRatio}`);
  }
  const hardRatio = opts.hardRatio ?? 2;
  if (!Number.isInteger(hardRatio) || hardRatio < 0 || hardRatio > 1000) {
    throw new Error(`trainingset/export: hardRatio must be an integer in [0, 1000], got ${hardRatio}`);
  }
  const maxPositives = opts.maxPositives;
  if (maxPositives !== undefined && (!Number.isInteger(maxPositives) || maxPositives < 1)) {
    throw new Error(`trainingset/export: maxPositives must be a positive integer, got ${maxPositives}`);
  }
  return { horizons: [...new Set(horizons)].sort((a, b) => a - b), seed, negRatio, hardRatio, maxPositives };
}

export async function exportTrainingSet(src: SnapshotSource, outDir: string, opts: ExportOptions): Promise<TrainingSetIndex> {
  const { horizons, seed, negRatio, hardRatio, maxPositives } = checkOptions(opts);
  const stride = opts.anchorStride ?? 1;
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`trainingset/export: anchorStride must be a positive integer, got ${stride}`);
  const weeks = [...src.weeks].filter((w) => (!opts.from || w >= opts.from) && (!opts.to || w <= opts.to)).sort();
  if (weeks.length === 0) throw new Error(`trainingset/export: no weeks to export from ${opts.source.path}${opts.from || opts.to ? ` in [${opts.from ?? ''}, ${opts.to ?? ''}]` : ''}`);
  const k = PAIR_FEATURE_SCHEMA.memoryWeeks;
  // an anchor's pair features need its k-week window, max(horizons) weeks back
  const keep = (Math.max(...horizons) + k - 1) * 7;
  const memory = new PairMemory();
  const cache = new Map<string, Cached>();
  const weekEntries: WeekEntry[] = [];
  const weekIndex = new Map(weeks.map((w, i) => [w, i]));
  const pairEntries: PairEntry[] = [];
  mkdirSync(outDir, { recursive: true });
  const windowOf = (anchor: string): Snapshot[] =>
    [...cache.keys()]
      .filter((w) => w <= anchor && w >= addDays(anchor, -7 * (k - 1)))
      .sort()
      .map((w) => cache.get(w)!.snap);

  let previous: Snapshot | undefined;
  for (let i = 0; i < weeks.length; i++) {
    const week = weeks[i];
    const snap = await src.snapshot(week);
    if (snap.week !== week) throw new Error(`trainingset/export: asked for week ${week}, the source returned ${snap.week}`);
    const n = snap.ids.length;
    const e = snap.edgeSource.length;
    const dir = `weeks/${week}`;
    mkdirSync(join(outDir, dir), { recursive: true });
    writeArray(join(outDir, dir, 'features.f32'), nodeFeatures(snap, previous));
    writeFileAtomic(join(outDir, dir, 'node_ids.json'), JSON.stringify(snap.ids));
    const ei = new Int32Array(2 * e);
    ei.set(snap.edgeSource, 0);
    ei.set(snap.edgeTarget, e);
    writeArray(join(outDir, dir, 'edge_index.i32'), ei);
    const lw = new Float32Array(e);
    for (let k = 0; k < e; k++) lw[k] = Math.log1p(Math.max(snap.edgeWeight[k], 0));
    writeArray(join(outDir, dir, 'edge_lw.f32'), lw);
    weekEntries.push({ week, dir, numNodes: n, numEdges: e });

    memory.add(snap);
    const cur: Cached = { snap };
    for (const h of horizons) {
      const anchorWeek = addDays(week, -7 * h);
      const a = cache.get(anchorWeek);
      if (!a || weekIndex.get(anchorWeek)! % stride !== 0) continue;
      const p = buildPair(a.snap, snap, h, { seed, negRatio, hardRatio, maxPositives, memory });
      a.context ??= new PairFeatureContext(windowOf(anchorWeek), k);
      const x = a.context.features(p.pairs);
      const pdir = `pairs/h${h}/${anchorWeek}`;
      mkdirSync(join(outDir, pdir), { recursive: true });
      writeArray(join(outDir, pdir, 'pairs.i32'), p.pairs);
      writeArray(join(outDir, pdir, 'label.f32'), p.label);
      writeArray(join(outDir, pdir, 'y_lw.f32'), p.yLw);
      writeArray(join(outDir, pdir, 'base_lw.f32'), p.baseLw);
      writeArray(join(outDir, pdir, 'node_target.f32'), p.nodeTarget);
      writeArray(join(outDir, pdir, 'node_mask.u8'), p.nodeMask);
      writeArray(join(outDir, pdir, 'pair_x.f32'), x);
      writeArray(join(outDir, pdir, 'neg_kind.u8'), p.negKind);
      const numNegatives = { random: 0, historical: 0, structural: 0 };
      for (const c of p.negKind) if (c > 0) numNegatives[NEGATIVE_KINDS[c - 1]]++;
      pairEntries.push({ anchor: anchorWeek, target: week, horizon: h, dir: pdir, numPairs: p.label.length, numPositives: p.numPositives, numNegatives });
    }
    cache.set(week, cur);
    for (const w of [...cache.keys()]) if (w < addDays(week, -keep)) cache.delete(w);
    previous = snap;
    opts.onWeek?.(week, i, weeks.length);
  }

  pairEntries.sort((x, y) => x.horizon - y.horizon || (x.anchor < y.anchor ? -1 : x.anchor > y.anchor ? 1 : 0));
  const index: TrainingSetIndex = {
    format: TRAINING_SET_FORMAT,
    version: TRAINING_SET_VERSION,
    featureSchema: {
      name: FEATURE_SCHEMA.name,
      version: FEATURE_SCHEMA.version,
      hash: featureSchemaHash(),
      names: [...FEATURE_SCHEMA.names],
      categories: [...FEATURE_SCHEMA.categories],
    },
    pairFeatures: pairFeatureCard(),
    source: { path: opts.source.path, weeks: weeks.length, from: weeks[0], to: weeks[weeks.length - 1], fingerprint: opts.source.fingerprint },
    seed,
    negRatio,
    hardRatio,
    maxPositives: maxPositives ?? null,
    anchorStride: stride,
    horizons,
    weeks: weekEntries,
    pairs: pairEntries,
  };
  if (NUM_FEATURES !== index.featureSchema.names.length) throw new Error('trainingset/export: feature schema is inconsistent');
  writeFileAtomic(join(outDir, 'index.json'), JSON.stringify(index, null, 1) + '\n');
  return index;
}
