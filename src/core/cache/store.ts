/**
 * The on-disk Arrow cache of a release: `<cacheRoot>/<key>/manifest.json` plus, per
 * week, `<week>.nodes.arrow` and `<week>.edges.arrow` (week-arrow.ts). Built in a
 * temporary folder and renamed into place (atomic: a reader never sees a half
 * cache); an aborted build removes its temporary folder. Opening checks the manifest
 * against the sources (manifest.ts) and every week file's size; reading a week
 * checks the Arrow magic and row counts. Anything off means "rebuild", never "trust".
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../files/atomic-write';
import { basename, join } from 'node:path';
import type { CompositionTable } from '../snapshot/types';
import { CACHE_FORMAT, CACHE_VERSION, manifestProblem, type CacheManifest, type CachedWeek, type SourceFingerprint } from './manifest';
import { decodeWeek, encodeWeek, type WeekColumns } from './week-arrow';

export const CACHE_DIR_NAME = '.dexposure-cache';

/** The folder of the cache for this set of sources under cacheRoot. */
export function cacheFolder(cacheRoot: string, sources: SourceFingerprint[]): string {
  const key = createHash('sha256').update(sources.map((s) => s.path).join('\n')).digest('hex').slice(0, 16);
  return join(cacheRoot, `release-${key}`);
}

function weekFile(dir: string, week: string, table: 'nodes' | 'edges'): string {
  return join(dir, `${week}.${table}.arrow`);
}

/** Why the cache in `dir` cannot be used, or undefined when it can (with its manifest). */
export function checkCache(dir: string, sources: SourceFingerprint[]): { manifest?: CacheManifest; problem?: string } {
  const mpath = join(dir, 'manifest.json');
  if (!existsSync(mpath)) return { problem: existsSync(dir) ? 'the cache has no manifest.json (partial build?)' : 'no cache yet' };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(mpath, 'utf8'));
  } catch (e) {
    return { problem: `manifest.json is unreadable: ${(e as Error).message}` };
  }
  const problem = manifestProblem(raw, sources);
  if (problem) return { problem };
  const m = raw as CacheManifest;
  for (const w of m.weeks) {
    for (const [table, bytes] of [['nodes', w.nodesBytes], ['edges', w.edgesBytes]] as const) {
      const f = weekFile(dir, w.week, table);
      let size: number;
      try {
        size = statSync(f).size;
      } catch {
        return { problem: `${basename(f)} is missing` };
      }
      if (size !== bytes) return { problem: `${basename(f)} has ${size} bytes, the manifest says ${bytes}` };
    }
  }
  return { manifest: m };
}

/** Encode one week and write its two IPC files into `dir` (a CacheWriter's `tmp`); returns its manifest counts. */
export function writeWeekFiles(dir: string, w: WeekColumns & { week: string }): Pick<CachedWeek, 'week' | 'nodes' | 'edges' | 'entries' | 'nodesBytes' | 'edgesBytes'> {
  const { nodes, edges } = encodeWeek(w);
  writeFileAtomic(weekFile(dir, w.week, 'nodes'), nodes);
  writeFileAtomic(weekFile(dir, w.week, 'edges'), edges);
  return { week: w.week, nodes: w.ids.length, edges: w.edgeSource.length, entries: w.composition.offsets[w.ids.length], nodesBytes: nodes.byteLength, edgesBytes: edges.byteLength };
}

/** Writes a new cache into a temporary folder; `commit` renames it into place. */
export class CacheWriter {
  readonly tmp: string;
  private readonly weeks = new Map<string, CachedWeek>();
  private done = false;

  constructor(
    readonly dir: string,
    private readonly sources: SourceFingerprint[],
  ) {
    mkdirSync(join(dir, '..'), { recursive: true });
    this.tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    mkdirSync(this.tmp);
  }

  /** Write one week; a later write of the same week replaces it (later file wins). */
  write(w: WeekColumns & { week: string }, entry: Omit<CachedWeek, 'nodesBytes' | 'edgesBytes' | 'nodes' | 'edges' | 'entries'>): void {
    this.record({ ...entry, ...writeWeekFiles(this.tmp, w) });
  }

  /** Record a week whose files a conversion worker already wrote into `tmp` (writeWeekFiles). */
  record(entry: CachedWeek): void {
    this.weeks.set(entry.week, entry);
  }

  commit(extra: Pick<CacheManifest, 'duplicateWeeks' | 'skippedKeys' | 'ids'>): CacheManifest {
    const manifest: CacheManifest = {
      format: CACHE_FORMAT,
      version: CACHE_VERSION,
      createdAt: new Date().toISOString(),
      sources: this.sources,
      weeks: [...this.weeks.values()].sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0)),
      ...extra,
    };
    writeFileAtomic(join(this.tmp, 'manifest.json'), JSON.stringify(manifest, null, 1));
    const old = `${this.dir}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
    if (existsSync(this.dir)) renameSync(this.dir, old);
    renameSync(this.tmp, this.dir);
    rmSync(old, { recursive: true, force: true });
    this.done = true;
    return manifest;
  }

  /** Forget every week written so far and empty the temporary folder (a conversion starts over). */
  reset(): void {
    this.weeks.clear();
    rmSync(this.tmp, { recursive: true, force: true });
    mkdirSync(this.tmp);
  }

  /** Remove the temporary folder (cancelled or failed build). Idempotent. */
  discard(): void {
    if (!this.done) rmSync(this.tmp, { recursive: true, force: true });
    this.done = true;
  }
}

export interface CachedWeekColumns {
  ids: string[];
  tvl: Float64Array;
  /** Composition with token strings decoded on first access. */
  composition: () => CompositionTable;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  edgeWeight: Float64Array;
}

/** Read one week from the cache; throws (with the file) when it is damaged. */
export function readCachedWeek(dir: string, w: CachedWeek): CachedWeekColumns {
  const nf = weekFile(dir, w.week, 'nodes');
  const ef = weekFile(dir, w.week, 'edges');
  let d;
  try {
    d = decodeWeek(readFileSync(nf), readFileSync(ef), { nodes: w.nodes, edges: w.edges, entries: w.entries });
  } catch (e) {
    throw new Error(`cache/store: week ${w.week} in ${dir} is damaged: ${(e as Error).message}`, { cause: e });
  }
  let comp: CompositionTable | undefined;
  return {
    ids: d.ids,
    tvl: d.tvl,
    composition: () => (comp ??= { offsets: d.offsets, tokens: d.tokens(), values: d.values }),
    edgeSource: d.edgeSource,
    edgeTarget: d.edgeTarget,
    edgeWeight: d.edgeWeight,
  };
}
