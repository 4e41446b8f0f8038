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
import { rngFromKey } from '../random/xoshiro';
import { writeArray } from './binary';
import { addDays, DEFAULT_HORIZONS } from '../weeks';

export const TRAINING_SET_FORMAT = 'dexposure-training-set';
export const TRAINING_SET_VERSION = 1;

/** What the exporter needs from a release: its weeks and a snapshot per week. */
export interface SnapshotSource {
  weeks: readonly string[];
  snapshot(week: string): Promise<Snapshot>;
}

export interface ExportOptions {
  horizons?: number[];
  seed?: number;
  negRatio?: number;
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
}

export interface TrainingSetIndex {
  format: typeof TRAINING_SET_FORMAT;
  version: number;
  featureSchema: { name: string; version: number; hash: string; names: string[]; categories: string[] };
  source: { path: string; weeks: number; from: string; to: string; fingerprint: string };
  seed: number;
  negRatio: number;
  horizons: number[];
  weeks: WeekEntry[];
  pairs: PairEntry[];
}


function idIndex(s: Snapshot): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < s.ids.length; i++) m.set(s.ids[i], i);
  return m;
}

interface Cached {
  snap: Snapshot;
  index: Map<string, number>;
}

export interface PairArrays {
  pairs: Int32Array;
  label: Float32Array;
  yLw: Float32Array;
  baseLw: Float32Array;
  nodeTarget: Float32Array;
  nodeMask: Uint8Array;
  numPositives: number;
}

/** Supervision arrays for one (anchor, target) pair; see docs/TRAINING-SET.md. */
export function buildPair(anchor: Snapshot, target: Snapshot, horizon: number, seed: number, negRatio: number, anchorIndex = idIndex(anchor)): PairArrays {
  const n = anchor.ids.length;
  const key = (u: number, v: number) => u * n + v;

  const posKey = new Map<number, number>();
  const pu: number[] = [];
  const pv: number[] = [];
  const py: number[] = [];
  for (let k = 0; k < target.edgeSource.length; k++) {
    const u = anchorIndex.get(target.ids[target.edgeSource[k]]);
    const v = anchorIndex.get(target.ids[target.edgeTarget[k]]);
    if (u === undefined || v === undefined) continue;
    const kk = key(u, v);
    const lw = Math.log1p(Math.max(target.edgeWeight[k], 0));
    const at = posKey.get(kk);
    if (at === undefined) {
      posKey.set(kk, pu.length);
      pu.push(u);
      pv.push(v);
      py.push(lw);
    } else py[at] = lw; // last duplicate wins
  }
  const numPositives = pu.length;

  const want = negRatio * numPositives;
  const nu: number[] = [];
  const nv: number[] = [];
  if (want > 0 && n > 1) {
    const rng = rngFromKey(`${seed}|${anchor.week}|${horizon}`);
    const seen = new Set<number>();
    const maxAttempts = 10 * want;
    for (let attempt = 0; attempt < maxAttempts && nu.length < want; attempt++) {
      const u = Math.floor(rng.next() * n);
      const v = Math.floor(rng.next() * n);
      if (u === v) continue;
      const kk = key(u, v);
      if (posKey.has(kk) || seen.has(kk)) continue;
      seen.add(kk);
      nu.push(u);
      nv.push(v);
    }
  }

  const anchorW = new Map<number, number>();
  for (let k = 0; k < anchor.edgeSource.length; k++) {
    anchorW.set(key(anchor.edgeSource[k], anchor.edgeTarget[k]), Math.log1p(Math.max(anchor.edgeWeight[k], 0)));
  }

  const P = numPositives + nu.length;
  const pairs = new Int32Array(2 * P);
  const label = new Float32Array(P);
  const yLw = new Float32Array(P);
  const baseLw = new Float32Array(P);
  for (let i = 0; i < P; i++) {
    const pos = i < numPositives;
    const u = pos ? pu[i] : nu[i - numPositives];
    const v = pos ? pv[i] : nv[i - numPositives];
    pairs[i] = u;
    pairs[P + i] = v;
    label[i] = pos ? 1 : 0;
    yLw[i] = pos ? py[i] : 0;
    baseLw[i] = anchorW.get(key(u, v)) ?? 0;
  }

  const targetIndex = idIndex(target);
  const nodeTarget = new Float32Array(n);
  const nodeMask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const j = targetIndex.get(anchor.ids[i]);
    if (j === undefined) continue;
    nodeMask[i] = 1;
    nodeTarget[i] = Math.log1p(Math.max(target.tvl[j], 0)) - Math.log1p(Math.max(anchor.tvl[i], 0));
  }
  return { pairs, label, yLw, baseLw, nodeTarget, nodeMask, numPositives };
}

function checkOptions(opts: ExportOptions): { horizons: number[]; seed: number; negRatio: number } {
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
  return { horizons: [...new Set(horizons)].sort((a, b) => a - b), seed, negRatio };
}

export async function exportTrainingSet(src: SnapshotSource, outDir: string, opts: ExportOptions): Promise<TrainingSetIndex> {
  const { horizons, seed, negRatio } = checkOptions(opts);
  const weeks = [...src.weeks].filter((w) => (!opts.from || w >= opts.from) && (!opts.to || w <= opts.to)).sort();
  if (weeks.length === 0) throw new Error(`trainingset/export: no weeks to export from ${opts.source.path}${opts.from || opts.to ? ` in [${opts.from ?? ''}, ${opts.to ?? ''}]` : ''}`);
  const keep = Math.max(...horizons) * 7;
  const cache = new Map<string, Cached>();
  const weekEntries: WeekEntry[] = [];
  const pairEntries: PairEntry[] = [];
  mkdirSync(outDir, { recursive: true });

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

    const cur: Cached = { snap, index: idIndex(snap) };
    for (const h of horizons) {
      const anchorWeek = addDays(week, -7 * h);
      const a = cache.get(anchorWeek);
      if (!a) continue;
      const p = buildPair(a.snap, snap, h, seed, negRatio, a.index);
      const pdir = `pairs/h${h}/${anchorWeek}`;
      mkdirSync(join(outDir, pdir), { recursive: true });
      writeArray(join(outDir, pdir, 'pairs.i32'), p.pairs);
      writeArray(join(outDir, pdir, 'label.f32'), p.label);
      writeArray(join(outDir, pdir, 'y_lw.f32'), p.yLw);
      writeArray(join(outDir, pdir, 'base_lw.f32'), p.baseLw);
      writeArray(join(outDir, pdir, 'node_target.f32'), p.nodeTarget);
      writeArray(join(outDir, pdir, 'node_mask.u8'), p.nodeMask);
      pairEntries.push({ anchor: anchorWeek, target: week, horizon: h, dir: pdir, numPairs: p.label.length, numPositives: p.numPositives });
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
    source: { path: opts.source.path, weeks: weeks.length, from: weeks[0], to: weeks[weeks.length - 1], fingerprint: opts.source.fingerprint },
    seed,
    negRatio,
    horizons,
    weeks: weekEntries,
    pairs: pairEntries,
  };
  if (NUM_FEATURES !== index.featureSchema.names.length) throw new Error('trainingset/export: feature schema is inconsistent');
  writeFileAtomic(join(outDir, 'index.json'), JSON.stringify(index, null, 1) + '\n');
  return index;
}
