/**
 * The on-disk Arrow cache of a release: `<cacheRoot>/<key>/manifest.json` (with the
 * release's ids, once) plus, per week, `<week>.arrow` (nodes and edges, node ids as
 * indices into an id dictionary) and `<week>.composition.arrow` (week-arrow.ts; the
 * composition is read only when a reader asks for it). Built in a
 * temporary folder and renamed into place (atomic: a reader never sees a half
 * cache); an aborted build removes its temporary folder, and temporary folders
 * left by a killed build are removed by the next one. Opening checks the manifest
 * against the sources (manifest.ts) and every `<week>.arrow` file's size; reading a week checks
 * its CRC-32, the Arrow magic, row counts, and that what it decodes is usable (id and
 * edge indices in range, finite non-negative sizes: week-arrow.ts). Anything off means
 * "rebuild", never "trust".
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { AtomicWriteError, fsyncFile, fsyncFolder, writeFileAtomic } from '../files/atomic-write';
import { crc32, fileCrc32 } from '../files/checksum';
import { basename, join } from 'node:path';
import type { CompositionTable } from '../snapshot/types';
import { CACHE_FORMAT, CACHE_VERSION, manifestProblem, sourceStatChange, type CacheManifest, type CachedWeek, type SourceFingerprint } from './manifest';
import { decodeComposition, decodeWeek, encodeWeek, type WeekColumns } from './week-arrow';

export const CACHE_DIR_NAME = '.dexposure-cache';

/** The folder of the cache for this set of sources under cacheRoot. */
export function cacheFolder(cacheRoot: string, sources: SourceFingerprint[]): string {
  const key = createHash('sha256').update(sources.map((s) => s.path).join('\n')).digest('hex').slice(0, 16);
  return join(cacheRoot, `release-${key}`);
}

type WeekTable = 'week' | 'composition';
const TABLES: readonly WeekTable[] = ['week', 'composition'];

function weekFile(dir: string, week: string, table: WeekTable): string {
  return join(dir, table === 'week' ? `${week}.arrow` : `${week}.${table}.arrow`);
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
  // A file whose status moved (touched, or edited with its mtime put back) is read in
  // full: same content keeps the cache (and the new status is recorded), else rebuild.
  let moved = false;
  for (let i = 0; i < sources.length; i++) {
    const why = sourceStatChange(m.sources[i], sources[i]);
    if (!why) continue;
    const built = m.sources[i].contentCrc;
    let now: number | undefined;
    try {
      now = built === undefined ? undefined : fileCrc32(sources[i].path);
    } catch {
      now = undefined;
    }
    if (built === undefined || now !== built) return { problem: `${sources[i].path} was modified (${why}; its content differs from the one the cache was built from)` };
    m.sources[i] = { ...sources[i], contentCrc: built };
    moved = true;
  }
  // The week files only: a composition file is read when first asked for and checked
  // then (its CRC-32: missing, cut or changed, its week's composition comes from the
  // source and the next open rebuilds), so stat'ing it here was half of these checks
  // for nothing the read does not catch.
  for (const w of m.weeks) {
    const f = weekFile(dir, w.week, 'week');
    let size: number;
    try {
      size = statSync(f).size;
    } catch {
      return { problem: `${basename(f)} is missing` };
    }
    if (size !== w.weekBytes) return { problem: `${basename(f)} has ${size} bytes, the manifest says ${w.weekBytes}` };
  }
  if (moved) {
    try {
      writeFileAtomic(mpath, JSON.stringify(m));
    } catch {
      // a read-only cache still works; the content check just runs again next time
    }
  }
  return { manifest: m };
}

/** A new file in a CacheWriter's private folder: no temporary name needed (the folder is the unit renamed into place). */
function writeNew(file: string, data: Uint8Array): void {
  try {
    writeFileSync(file, data, { flag: 'wx' });
  } catch (e) {
    throw new AtomicWriteError(file, e);
  }
}

/**
 * Encode one week and write its two IPC files into `dir` (a CacheWriter's `tmp`);
 * `idIndex[k]` is node k's index into the writing thread's id dictionary
 * (week-job.ts). Returns its manifest counts. The files are not yet on disk:
 * CacheWriter.record starts their flush and commit waits for it.
 */
export type WeekFileCounts = Pick<CachedWeek, 'week' | 'nodes' | 'edges' | 'entries' | 'weekBytes' | 'compositionBytes' | 'weekCrc' | 'compositionCrc'>;

export function writeWeekFiles(dir: string, w: WeekColumns & { week: string }, idIndex: Int32Array): WeekFileCounts {
  const files = encodeWeek(w, idIndex);
  for (const table of TABLES) {
    // a repeated week (a later file's copy) replaces the earlier one's files
    rmSync(weekFile(dir, w.week, table), { force: true });
    writeNew(weekFile(dir, w.week, table), files[table]);
  }
  const { week, composition } = files;
  return {
    week: w.week,
    nodes: w.ids.length,
    edges: w.edgeSource.length,
    entries: w.composition.offsets[w.ids.length],
    weekBytes: week.byteLength,
    compositionBytes: composition.byteLength,
    weekCrc: crc32(week),
    compositionCrc: crc32(composition),
  };
}

/** A build's temporary folder (`<cache>.tmp-<pid>-<hex>`) or the folder it replaced (`.old-`). */
const TEMP_FOLDER = /^(release-[0-9a-f]+)\.(tmp|old)-(\d+)-[0-9a-f]+$/;
/** A temporary folder untouched this long is not being written (a build writes a week file every few seconds). */
const STALE_MS = 10 * 60_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary folders left in `root` by builds that were killed: those whose
 * process is gone (or that have not been written to for a day, for a cache folder
 * shared between machines) and that are idle for ten minutes. Returns their names.
 */
export function removeStaleTemporaries(root: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_FOLDER.exec(name);
    if (!m) continue;
    const pid = Number(m[3]);
    if (pid === process.pid) continue;
    let idle: number;
    try {
      idle = now - statSync(join(root, name)).mtimeMs;
    } catch {
      continue;
    }
    if (idle < STALE_MS) continue;
    if (processAlive(pid) && idle < 24 * 3600_000) continue;
    try {
      rmSync(join(root, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // someone else's or still in use: try again next time
    }
  }
  return removed;
}

/** Writes a new cache into a temporary folder; `commit` renames it into place. */
export class CacheWriter {
  readonly tmp: string;
  private readonly weeks = new Map<string, CachedWeek>();
  private done = false;
  /** Flushes of the week files written so far (started by record, awaited by commit). */
  private syncs: Promise<void>[] = [];

  constructor(
    readonly dir: string,
    private readonly sources: SourceFingerprint[],
  ) {
    mkdirSync(join(dir, '..'), { recursive: true });
    removeStaleTemporaries(join(dir, '..'));
    this.tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    mkdirSync(this.tmp);
  }

  /** Record a week whose files a conversion worker already wrote into `tmp` (writeWeekFiles). */
  record(entry: CachedWeek): void {
    this.weeks.set(entry.week, entry);
    for (const table of TABLES) {
      const file = weekFile(this.tmp, entry.week, table);
      const sync = fsyncFile(file).catch((e: unknown) => {
        // a later copy of the week may have replaced the file meanwhile: its own flush covers it
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new AtomicWriteError(file, e);
      });
      sync.catch(() => undefined); // awaited in commit; never an unhandled rejection
      this.syncs.push(sync);
    }
  }

  /** Every week file flushed to disk, the manifest written, the folder renamed into place. */
  async commit(extra: Pick<CacheManifest, 'duplicateWeeks' | 'skippedKeys' | 'ids' | 'dicts'>): Promise<CacheManifest> {
    const syncs = this.syncs;
    this.syncs = [];
    await Promise.all(syncs);
    const manifest: CacheManifest = {
      format: CACHE_FORMAT,
      version: CACHE_VERSION,
      createdAt: new Date().toISOString(),
      sources: this.sources,
      weeks: [...this.weeks.values()].sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0)),
      ...extra,
    };
    // compact: every open parses it (indented, the id dictionaries' numbers took a line each)
    writeFileAtomic(join(this.tmp, 'manifest.json'), JSON.stringify(manifest));
    const old = `${this.dir}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
    if (existsSync(this.dir)) renameSync(this.dir, old);
    renameSync(this.tmp, this.dir);
    fsyncFolder(join(this.dir, '..'));
    rmSync(old, { recursive: true, force: true });
    this.done = true;
    return manifest;
  }

  /** Forget every week written so far and empty the temporary folder (a conversion starts over). */
  reset(): void {
    this.weeks.clear();
    this.syncs = [];
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
  /** Reads the week's composition file (on first call; throws, naming the file, when it is damaged). */
  composition: () => CompositionTable;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  edgeWeight: Float64Array;
}

function checked(file: string, crc: number): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${basename(file)} is missing`, { cause: e });
    throw e;
  }
  if (crc32(bytes) !== crc) throw new Error(`${basename(file)} does not match its checksum (changed after it was written)`);
  return bytes;
}

/**
 * The strings of a manifest's id dictionaries (manifest.ts), each made on first use;
 * throws when an entry is not an index of an id (a damaged manifest).
 */
export class IdDictionaries {
  private readonly made: string[][] = [];

  constructor(readonly manifest: Pick<CacheManifest, 'ids' | 'dicts'>) {}

  get(d: number): string[] {
    const have = this.made[d];
    if (have) return have;
    const { ids, dicts } = this.manifest;
    const index = dicts[d];
    const out = new Array<string>(index.length); // sized once: grown by push it reallocated ~13 times
    for (let j = 0; j < index.length; j++) {
      const g = index[j];
      const id = typeof g === 'number' && g >>> 0 === g ? ids[g] : undefined;
      if (typeof id !== 'string') throw new Error(`cache/store: manifest.json: entry ${j} of id dictionary ${d} is ${JSON.stringify(g)}, not the index of an id`);
      out[j] = id;
    }
    this.made[d] = out;
    return out;
  }
}

/** Read one week's nodes and edges from the cache; throws (with the file) when it is damaged. */
export function readCachedWeek(dir: string, w: CachedWeek, dicts: IdDictionaries): CachedWeekColumns {
  let d;
  try {
    d = decodeWeek(checked(weekFile(dir, w.week, 'week'), w.weekCrc), w, dicts.get(w.dict));
  } catch (e) {
    throw new Error(`cache/store: week ${w.week} in ${dir} is damaged: ${(e as Error).message}`, { cause: e });
  }
  let comp: CompositionTable | undefined;
  const composition = (): CompositionTable => {
    if (comp) return comp;
    try {
      comp = decodeComposition(checked(weekFile(dir, w.week, 'composition'), w.compositionCrc), w);
    } catch (e) {
      throw new Error(`cache/store: week ${w.week} in ${dir} is damaged: ${(e as Error).message}`, { cause: e });
    }
    return comp;
  };
  return { ids: d.ids, tvl: d.tvl, composition, edgeSource: d.edgeSource, edgeTarget: d.edgeTarget, edgeWeight: d.edgeWeight };
}

/**
 * Records in the manifest that a week file was found damaged after the cache was
 * opened (the manifest is rewritten atomically), so the next open rebuilds the cache.
 * Best effort: a read-only cache stays as it is.
 */
export function markDamaged(dir: string, why: string): void {
  const mpath = join(dir, 'manifest.json');
  try {
    const m = JSON.parse(readFileSync(mpath, 'utf8')) as CacheManifest;
    m.damaged ??= why;
    writeFileAtomic(mpath, JSON.stringify(m));
  } catch {
    // unreadable or read-only: the damaged file is caught again by its checksum
  }
}
