/**
 * Opening a DeXposure release (data-spec §1-§2): a folder with
 * historical-network_week_*.json (+ meta_df.csv, mapping/), or one such JSON file.
 *
 * The first open streams every week file once (week-scanner.ts splits weeks,
 * week-parser.ts parses each into columns) and writes the Arrow cache
 * (src/core/cache); later opens read the cache only. Files apply in file-name order
 * and a later file's copy of a week overrides an earlier one (the CLAW loader's
 * dict.update); weeks are sorted lexicographically (RFE:_run_experiments). Repairs
 * and anomalies are counted in `report`; what is fatal is listed in docs/DATA.md.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { cacheFolder, CACHE_DIR_NAME, CacheWriter, checkCache, IdDictionaries, markDamaged, readCachedWeek, type CachedWeekColumns } from '../cache/store';
import { crc32 } from '../files/checksum';
import { fingerprint, type CacheManifest, type CachedWeek, type SourceFingerprint } from '../cache/manifest';
import { ReleaseFormatError } from './errors';
import { openMetadata, type OpenMeta } from './meta-sidecar';
import { addRepairCounts, emptyRepairCounts, type DuplicateWeek, type ReleaseReport, type RepairCounts } from './report';
import { StatsAccumulator, type ReleaseStats } from './stats';
import type { CompositionTable, Snapshot } from './types';
import { parseWeekBytes } from './week-parser';
import { checkDateKey, metaColumns, withMeta, type MetaEntry, type WeekData } from './week-data';
import { endConversion, jobError, type WeekJob, type WeekJobResult } from './week-job';
import { defaultThreads, WeekPool, WorkerFailure } from './week-pool';
import { lineAtOffset, scanWeeks, type ScanOptions } from './week-scanner';
import { SplitMismatch, splitWeeks } from './week-split';
import { nearestWeeksNote } from '../suggest';

export interface ReleaseProgress {
  phase: 'fingerprint' | 'convert' | 'open';
  fraction?: number;
  bytes?: number;
  totalBytes?: number;
  message: string;
}

export interface OpenReleaseOptions {
  /** Where to keep the Arrow cache (default `<release dir>/.dexposure-cache`); false: no cache, weeks kept in memory. */
  cacheDir?: string | false;
  /** Rebuild the cache even when it is up to date. */
  rebuild?: boolean;
  onProgress?: (p: ReleaseProgress) => void;
  signal?: AbortSignal;
  /** Treat every repair (null ids, dangling links, missing fields) as an error. */
  strict?: boolean;
  /**
   * Conversion worker threads for a cold open (default: one per core; for a release
   * under 128 MiB one while a core is free, none under 8 MiB; 0: convert in this thread).
   */
  threads?: number;
  /** Whether this thread converts weeks too while every worker has a queue (default: when there are fewer workers than cores, on a release of 128 MiB or more). */
  convertHere?: boolean;
}

export interface ProtocolInfo {
  name: string;
  category: string;
  sector: string;
}

export interface WeekSummary {
  week: string;
  nodes: number;
  edges: number;
  source: string;
  /** What the loader repaired in this week (dropped null-id nodes and null-endpoint links, ...). */
  repairs?: RepairCounts;
}

export interface Release {
  /** The release folder (the file's folder when a single file was opened). */
  dir: string;
  /** Week files, in the order they were applied. */
  files: string[];
  /** Weeks, sorted. */
  weeks: string[];
  /** Per-week node and edge counts (no snapshot decoding). */
  summaries: WeekSummary[];
  /** Names, categories and sectors of every id known to meta_df.csv or mapping/id_to_info.json. */
  meta: ReadonlyMap<string, ProtocolInfo>;
  report: ReleaseReport;
  snapshot(week: string): Promise<Snapshot>;
  /** Snapshots of the weeks in [from, to] (inclusive; both optional), in week order. */
  snapshots(from?: string, to?: string): AsyncIterable<Snapshot>;
  /** Table-1-style statistics over all weeks (computed once). */
  stats(): Promise<ReleaseStats>;
}

/**
 * Below this many bytes of week files a cold open starts one worker (when a core is
 * free) and the worker converts every week, while this thread splits the weeks, reads
 * the metadata and records the results. Each thread that converts warms its own JIT
 * (its parser runs 5-20x slower over its first ~6 MB: ~0.1-0.2 s of CPU) and a worker
 * also starts a V8 isolate: on a 29 MB release this thread converting beside the
 * worker cost 0.15-0.3 s more CPU for no shorter time (alternated runs: DATA.md). On
 * the 0.93 GB full-scale file two workers are 1.9x one thread.
 */
const SMALL_RELEASE_BYTES = 128 << 20;
/** Below this many bytes, no worker: starting one costs more than the conversion. */
const TINY_RELEASE_BYTES = 8 << 20;
const WEEK_FILE = /^historical-network_week_.*\.json$/;
/** Repairs that strict mode refuses (kept quirks such as self-loops are not repairs). */
const STRICT_REPAIRS: [keyof RepairCounts, string][] = [
  ['nullIdNodes', 'nodes with a null id'],
  ['numericIds', 'numeric ids'],
  ['missingNodeSize', 'nodes without size'],
  ['nullComposition', 'nodes with a null or missing composition'],
  ['nullEndpointLinks', 'links with a null source or target'],
  ['unknownEndpointLinks', 'links to an id absent from the week'],
  ['missingLinkSize', 'links without size'],
];

function releaseFiles(path: string): { dir: string; files: string[] } {
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new Error(`snapshot/release: ${abs} does not exist`);
  }
  if (st.isFile()) return { dir: dirname(abs), files: [abs] };
  const files = readdirSync(abs)
    .filter((f) => WEEK_FILE.test(f))
    .sort()
    .map((f) => join(abs, f));
  if (files.length === 0) throw new Error(`snapshot/release: no historical-network_week_*.json file in ${abs}`);
  return { dir: abs, files };
}

/** Byte offset inside a week -> ReleaseFormatError with the file's line number added. */
async function withLine(e: unknown, path: string): Promise<unknown> {
  if (e instanceof ReleaseFormatError && e.byteOffset !== undefined && e.line === undefined) {
    const line = await lineAtOffset(path, e.byteOffset);
    return new ReleaseFormatError({ ...e, file: e.file, expected: e.expected, line }, { cause: e.cause });
  }
  return e;
}

type ManifestBody = Pick<CacheManifest, 'weeks' | 'duplicateWeeks' | 'skippedKeys' | 'ids' | 'dicts'>;

interface Converted {
  manifest: ManifestBody;
  memory?: Map<string, WeekData>;
  /** CRC-32 of each file's whole content, computed as the scan read it. */
  contentCrcs: number[];
}

/** DEXPOSURE_CONVERT_THREADS=N sets the conversion threads for every open (0: none). */
function envThreads(): number | undefined {
  const v = process.env.DEXPOSURE_CONVERT_THREADS;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

interface PendingWeek {
  week: string;
  /** Where the week's value lies in its file. */
  byteOffset: number;
  byteLength: number;
  result: Promise<WeekJobResult>;
}

/** The pool that converts `totalBytes` of week files: `threads` or DEXPOSURE_CONVERT_THREADS when given, else by size. */
function conversionPool(totalBytes: number, opts: OpenReleaseOptions): WeekPool {
  const cores = defaultThreads();
  // A worker beside this thread only while a second core is free (load average below
  // cores + 1): on a busy machine it adds its start and JIT warm-up without running in
  // parallel (the 29 MB release at load 12-13: 1.04 s against 0.87 s in this thread alone).
  const beside = totalBytes >= TINY_RELEASE_BYTES && loadavg()[0] < cores + 1 ? Math.min(1, cores - 1) : 0;
  const threads = opts.threads ?? envThreads() ?? (totalBytes < SMALL_RELEASE_BYTES ? beside : cores);
  return new WeekPool(threads, opts.convertHere ?? (threads < cores && totalBytes >= SMALL_RELEASE_BYTES));
}

/**
 * The release metadata failed to read during a conversion (convertWith's `readMetadata`):
 * `error` is thrown as it is, before any week's, as when the metadata was read first.
 */
class MetadataFailure extends Error {
  constructor(readonly error: unknown) {
    super('snapshot/release: the release metadata could not be read');
  }
}

/**
 * Converts the files; `started` is a pool opened earlier for them, closed here.
 * `readMetadata` (idempotent) is called once the workers have their first weeks, so they
 * start converting while this thread reads the mapping files (see convertWith).
 */
async function convert(files: string[], sink: CacheWriter | undefined, opts: OpenReleaseOptions, started?: WeekPool, readMetadata: () => void = () => undefined): Promise<Converted> {
  const totalBytes = files.reduce((s, f) => s + statSync(f).size, 0);
  const pool = started ?? conversionPool(totalBytes, opts);
  // Weeks split by the separator search first (week-split.ts); where that split does
  // not hold (another layout, or a malformed file), again with the exact scanner,
  // whose errors and repairs are the loader's contract.
  const pass = async (p: WeekPool, fast: boolean): Promise<Converted> => {
    // each pass numbers the ids anew (WeekJob.newIdsOf); this thread's dictionary of it
    // is dropped at its end (a worker's goes with its pool)
    const conversion = ++conversions;
    try {
      return await convertWith(p, files, totalBytes, sink, opts, fast, readMetadata, conversion);
    } finally {
      endConversion(conversion);
    }
  };
  const attempt = async (p: WeekPool): Promise<Converted> => {
    try {
      return await pass(p, true);
    } catch (e) {
      if (!(e instanceof SplitMismatch)) throw e;
      sink?.reset();
      return await pass(p, false);
    }
  };
  try {
    return await attempt(pool);
  } catch (e) {
    if (!(e instanceof WorkerFailure)) throw e;
    // A worker thread died (not a problem of the release): convert again in this thread.
    sink?.reset();
    return await attempt(new WeekPool(0));
  } finally {
    await pool.close();
  }
}

/** Conversions started in this thread (WeekJob.newIdsOf). */
let conversions = 0;

/**
 * The scan stays in this thread; weeks are parsed and written by the pool, at most
 * a few per worker in flight (memory stays bounded), and their results are applied
 * in file order, so duplicate weeks, the id list and the first error reported are
 * those of a one-week-at-a-time conversion.
 *
 * `readMetadata` runs when this thread would first convert a week itself or wait for
 * one (the workers' queues full), or at the start without workers: the mapping files'
 * ~0.1 s then overlap the workers' first weeks instead of delaying them. Its error is
 * thrown before any week's (a MetadataFailure), as if the metadata were read first.
 * `conversion` numbers this pass (WeekJob.newIdsOf): the threads return each id once in it.
 */
async function convertWith(pool: WeekPool, files: string[], totalBytes: number, sink: CacheWriter | undefined, opts: OpenReleaseOptions, fast: boolean, readMetadata: () => void, conversion: number): Promise<Converted> {
  let doneBytes = 0;
  const weeks = new Map<string, CachedWeek>();
  const memory = sink ? undefined : new Map<string, WeekData>();
  const duplicateWeeks: DuplicateWeek[] = [];
  const skippedKeys: { file: string; key: string }[] = [];
  // every id met, numbered in that order (manifest.ids), and the threads' id dictionaries
  const ids = new Map<string, number>();
  const dicts: number[][] = [];
  const dictOfThread = new Map<number, number>();
  const contentCrcs: number[] = [];
  // each worker's queue, and a week converting here (WeekPool.tryHere)
  const maxInFlight = Math.max(1, WeekPool.QUEUE * pool.threads + (pool.alsoHere ? 1 : 0));
  let metadataRead = false;
  const metadataNow = (): void => {
    if (metadataRead) return;
    metadataRead = true;
    try {
      readMetadata();
    } catch (e) {
      throw new MetadataFailure(e);
    }
  };
  if (pool.threads === 0) metadataNow();
  for (const path of files) {
    const file = basename(path);
    let crc = 0;
    const pending: PendingWeek[] = [];
    const settled = new WeakSet<object>();
    const weekFailure = (e: Error): Error => {
      settled.add(e);
      return e;
    };
    const settle = async (p: PendingWeek): Promise<void> => {
      metadataNow();
      const r = await p.result;
      if (!r.ok) throw weekFailure(jobError(r));
      if (opts.strict) {
        for (const [k, what] of STRICT_REPAIRS) {
          if (r.repairs[k] > 0) throw weekFailure(new ReleaseFormatError({ file, week: p.week, expected: 'no repairs (strict mode)', got: `${r.repairs[k]} ${what}` }));
        }
      }
      const prev = weeks.get(p.week);
      if (prev) duplicateWeeks.push({ week: p.week, overriddenFile: prev.source, usedFile: file });
      const global = r.ids.map((id) => {
        let g = ids.get(id);
        if (g === undefined) ids.set(id, (g = ids.size));
        return g;
      });
      let dict = 0;
      if (sink) {
        // the thread's ids come numbered from dict.base (week-job.ts): placed by number, not by arrival
        const d = r.dict === undefined ? undefined : dictOfThread.get(r.dict.thread);
        dict = d ?? dicts.push([]) - 1;
        if (r.dict && d === undefined) dictOfThread.set(r.dict.thread, dict);
        const base = r.dict?.base ?? 0;
        const entries = dicts[dict];
        for (let j = 0; j < global.length; j++) entries[base + j] = global[j];
      }
      const entry: CachedWeek = { week: p.week, source: file, ...r.counts, dict, byteOffset: p.byteOffset, byteLength: p.byteLength, repairs: r.repairs };
      if (sink) sink.record(entry);
      else memory!.set(p.week, r.data!);
      weeks.set(p.week, entry);
    };
    const fh = fast ? await open(path, 'r') : undefined;
    try {
      try {
        const scanOpts: ScanOptions = {
          signal: opts.signal,
          onSkippedKey: (key) => skippedKeys.push({ file, key }),
          onChunk: sink ? (chunk) => (crc = crc32(chunk, crc)) : undefined,
          onBytes: (b) =>
            opts.onProgress?.({
              phase: 'convert',
              bytes: doneBytes + b,
              totalBytes,
              fraction: totalBytes ? (doneBytes + b) / totalBytes : 1,
              message: `Converting ${file} (${((doneBytes + b) / 1e6).toFixed(0)} / ${(totalBytes / 1e6).toFixed(0)} MB)`,
            }),
        };
        const split = fh && (await splitWeeks(fh, scanOpts));
        const iter = split ?? scanWeeks(path, scanOpts);
        for await (const slice of iter) {
          checkDateKey(slice.week, file, slice.byteOffset);
          // A repeated week waits for its earlier copy, so the later copy's files win.
          while (pending.some((p) => p.week === slice.week)) await settle(pending.shift()!);
          const byteLength = slice.bytes.byteLength;
          // From the split, a worker reads the week's bytes from the file itself (the
          // slice is a view into the read buffer): no copy, no transfer, here.
          const job: WeekJob = split
            ? { bytes: slice.bytes, path, byteLength, file, week: slice.week, byteOffset: slice.byteOffset, outDir: sink?.tmp, newIdsOf: conversion }
            : { bytes: ownBytes(slice.bytes, pool.threads > 0), file, week: slice.week, byteOffset: slice.byteOffset, outDir: sink?.tmp, newIdsOf: conversion };
          if (!pool.hasRoom()) metadataNow();
          const here = await pool.tryHere(job);
          const result = here ? Promise.resolve(here) : pool.run(job);
          result.catch(() => undefined); // awaited in order below; never an unhandled rejection
          pending.push({ week: slice.week, byteOffset: slice.byteOffset, byteLength, result });
          while (pending.length >= maxInFlight) await settle(pending.shift()!);
        }
        while (pending.length > 0) await settle(pending.shift()!);
      } catch (e) {
        // A scan failure comes after the weeks handed out before it, as in a
        // week-by-week conversion; a week's own failure is already the first in order.
        if (e instanceof WorkerFailure || e instanceof MetadataFailure || (e instanceof Error && settled.has(e))) throw e;
        while (pending.length > 0) await settle(pending.shift()!);
        throw e;
      }
    } catch (e) {
      if (fast && !(e instanceof WorkerFailure) && !(e instanceof MetadataFailure) && !opts.signal?.aborted) {
        // Not the split's to report: wait for the weeks in flight (they write into the
        // build folder), then let convert() start again with the exact scanner.
        await Promise.allSettled(pending.map((p) => p.result));
        throw new SplitMismatch(e instanceof Error ? e.message : String(e));
      }
      throw await withLine(e, path);
    } finally {
      await fh?.close();
    }
    doneBytes += statSync(path).size;
    contentCrcs.push(crc);
  }
  metadataNow();
  dicts.forEach((d, i) => {
    for (let j = 0; j < d.length; j++) if (d[j] === undefined) throw new Error(`snapshot/release: id dictionary ${i} has no id numbered ${j} (a conversion thread's ids went missing)`);
  });
  return { manifest: { weeks: [...weeks.values()], duplicateWeeks, skippedKeys, ids: [...ids.keys()], dicts }, memory, contentCrcs };
}

/** The slice's bytes in an ArrayBuffer of their own (moved to a worker without a copy there). */
function ownBytes(b: Buffer, forWorker: boolean): Uint8Array {
  if (!forWorker || (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength)) return b;
  const own = new Uint8Array(b.byteLength);
  own.set(b);
  return own;
}

function metaView(m: OpenMeta): Map<string, ProtocolInfo> {
  const out = new Map<string, ProtocolInfo>();
  for (const [id, e] of m.entries) out.set(id, { name: e.name ?? id, category: e.category ?? 'Unknown', sector: e.sector ?? 'Unknown' });
  return out;
}

/**
 * A Snapshot over cached columns. What a reader may not need is made on first access:
 * the composition (its own cache file, read then), and the names, categories and
 * sectors (one pass for the three; a warm pass over every week that reads only ids
 * and edges skips it). `composition` is the cached composition or, when its file
 * turns out damaged, the one read again from the source.
 */
function cachedSnapshot(week: string, c: CachedWeekColumns, meta: () => ReadonlyMap<string, MetaEntry>, composition: () => CompositionTable): Snapshot {
  let columns: ReturnType<typeof metaColumns> | undefined;
  const metaOf = (): ReturnType<typeof metaColumns> => (columns ??= metaColumns(c.ids, meta()));
  // Accessors in the literal itself (one object shape for every week; defining them
  // one by one afterwards turned each snapshot into a dictionary-mode object); each
  // replaces itself by a plain value when read or set (settle), as lazy() does.
  const snap = {
    week,
    kind: 'observed' as const,
    ids: c.ids,
    get names(): string[] {
      return settle(snap, 'names', metaOf().names);
    },
    set names(v: string[]) {
      settle(snap, 'names', v);
    },
    get categories(): string[] {
      return settle(snap, 'categories', metaOf().categories);
    },
    set categories(v: string[]) {
      settle(snap, 'categories', v);
    },
    get sectors(): string[] | undefined {
      return settle(snap, 'sectors', metaOf().sectors);
    },
    set sectors(v: string[] | undefined) {
      settle(snap, 'sectors', v);
    },
    tvl: c.tvl,
    get composition(): CompositionTable | undefined {
      return settle(snap, 'composition', composition());
    },
    set composition(v: CompositionTable | undefined) {
      settle(snap, 'composition', v);
    },
    edgeSource: c.edgeSource,
    edgeTarget: c.edgeTarget,
    edgeWeight: c.edgeWeight,
  };
  return snap;
}

/** `key` of `o` made a plain writable value (replacing its accessor); returns the value. */
function settle<T>(o: object, key: PropertyKey, value: T): T {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

/** Defines `key` on `o` as computed on first read (and replaced by a plain value when read or set). */
function lazy<T extends object, K extends keyof T>(o: T, key: K, make: () => T[K]): void {
  const set = (value: T[K]): T[K] => settle(o, key, value);
  Object.defineProperty(o, key, { get: () => set(make()), set, enumerable: true, configurable: true });
}

export async function openRelease(path: string, opts: OpenReleaseOptions = {}): Promise<Release> {
  const { dir, files } = releaseFiles(path);
  opts.onProgress?.({ phase: 'fingerprint', message: `Checking ${files.length} release file(s)` });
  const sources: SourceFingerprint[] = [];
  for (const f of files) sources.push(fingerprint(f));
  const cacheRoot = opts.cacheDir === false ? undefined : (opts.cacheDir ?? join(dir, CACHE_DIR_NAME));
  const folder = cacheRoot === undefined ? undefined : cacheFolder(cacheRoot, sources);
  const check = folder === undefined ? undefined : opts.rebuild ? { problem: 'rebuild requested' } : checkCache(folder, sources);
  // A conversion ahead: its workers start (load the parser, in their own threads) at once.
  let pool = check?.manifest === undefined ? conversionPool(sources.reduce((n, s) => n + s.size, 0), opts) : undefined;
  // The metadata: read here when the cache is reused; during a conversion, once the
  // workers have their first weeks (convertWith).
  let opened: { meta: OpenMeta; save: () => void } | undefined;
  const readMetadata = (): void => {
    opened ??= openMetadata(dir, folder === undefined ? undefined : `${folder}.meta.json`);
  };

  let cacheStatus: ReleaseReport['cache'];
  let manifest: ManifestBody | undefined;
  let memory: Map<string, WeekData> | undefined;
  let cacheDirUsed: string | undefined;

  const build = async (why: string | undefined): Promise<void> => {
    let writer: CacheWriter | undefined;
    if (opts.cacheDir !== false) {
      const folder = cacheFolder(opts.cacheDir ?? join(dir, CACHE_DIR_NAME), sources);
      try {
        writer = new CacheWriter(folder, sources);
      } catch (e) {
        why = `cannot write the cache in ${folder} (${(e as Error).message}); weeks are kept in memory`;
      }
    }
    try {
      const started = pool;
      pool = undefined; // a rebuild after damage (readWeek) starts its own
      const conv = await convert(files, writer, opts, started, readMetadata);
      if (writer) {
        // the whole-content check of a source whose mtime/ctime later moves (cache/manifest.ts)
        sources.forEach((s, i) => (s.contentCrc ??= conv.contentCrcs[i]));
        manifest = await writer.commit({ duplicateWeeks: conv.manifest.duplicateWeeks, skippedKeys: conv.manifest.skippedKeys, ids: conv.manifest.ids, dicts: conv.manifest.dicts });
        cacheDirUsed = writer.dir;
        cacheStatus = why ? { status: 'rebuilt', dir: writer.dir, reason: why } : { status: 'built', dir: writer.dir };
      } else {
        manifest = conv.manifest;
        memory = conv.memory;
        cacheStatus = { status: 'memory', reason: why ?? 'cache disabled (cacheDir: false)' };
      }
    } catch (e) {
      writer?.discard();
      throw e instanceof MetadataFailure ? e.error : e;
    }
  };

  if (folder !== undefined && check) {
    if (check.manifest) {
      readMetadata();
      manifest = check.manifest;
      cacheDirUsed = folder;
      cacheStatus = { status: 'reused', dir: folder };
    } else await build(check.problem === 'no cache yet' ? undefined : check.problem);
  } else await build(undefined);

  readMetadata();
  const metadata = opened!.meta;
  if (cacheDirUsed) opened!.save();

  const byWeek = new Map<string, CachedWeek>();
  for (const w of manifest!.weeks) byWeek.set(w.week, w);
  const weeks = [...byWeek.keys()].sort();
  const repairs = emptyRepairCounts();
  for (const w of byWeek.values()) addRepairCounts(repairs, w.repairs);

  const report: ReleaseReport = {
    files: files.map((f) => basename(f)),
    repairs,
    idsMissingFromMeta: 0,
    idsMissingFromMetaSample: [],
    duplicateWeeks: manifest!.duplicateWeeks,
    duplicateMetaRows: metadata.duplicateMetaRows,
    cache: cacheStatus!,
    notes: [...metadata.notes, ...manifest!.skippedKeys.map((k) => `${k.file}: top-level key ${JSON.stringify(k.key)} is not a week and was ignored`)],
  };
  // Ids over all weeks with no meta_df.csv row (their category falls back to "Unknown"):
  // counted on first read, as most opens never look (the set of meta_df.csv's ids is
  // then decoded from the metadata sidecar: meta-sidecar.ts).
  const allIds = manifest!.ids;
  let missing: string[] | undefined;
  const missingIds = (): string[] => {
    const known = metadata.metaIds;
    return (missing ??= allIds.filter((id) => !known?.has(id)));
  };
  lazy(report, 'idsMissingFromMeta', () => missingIds().length);
  lazy(report, 'idsMissingFromMetaSample', () => missingIds().slice(0, 10));

  /**
   * A week's composition read when first asked for. Its cache file is found damaged
   * only then, after the week was handed out, so it cannot be rebuilt first as the
   * other files are: the week's value is parsed again from its source (where the
   * manifest says it lies; the source unchanged since the open), the cache marked
   * for a rebuild at the next open, and the report's cache reason and notes say so.
   */
  const lazyComposition = (w: CachedWeek, c: CachedWeekColumns) => (): CompositionTable => {
    try {
      return c.composition();
    } catch (e) {
      const damage = (e as Error).message;
      markDamaged(cacheDirUsed!, damage);
      const comp = compositionFromSource(w, c.ids, damage);
      const note = `damaged: ${damage}; week ${w.week}'s composition was read from the source instead, and the cache is rebuilt at the next open`;
      report.cache = { ...report.cache, reason: note };
      report.notes.push(note);
      return comp;
    }
  };

  const compositionFromSource = (w: CachedWeek, ids: string[], damage: string): CompositionTable => {
    const i = files.findIndex((f) => basename(f) === w.source);
    const path = files[i];
    const st = statSync(path);
    const was = sources[i];
    if (st.size !== was.size || st.mtimeMs !== was.mtimeMs || st.ctimeMs !== was.ctimeMs || st.ino !== was.ino) {
      throw new Error(`snapshot/release: ${damage}, and ${path} changed since the release was opened: open the release again`);
    }
    const bytes = Buffer.alloc(w.byteLength);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, bytes, 0, w.byteLength, w.byteOffset);
    } finally {
      closeSync(fd);
    }
    const d = parseWeekBytes(bytes, basename(path), w.week, w.byteOffset);
    if (d.ids.length !== ids.length || d.ids.some((id, k) => id !== ids[k])) throw new Error(`snapshot/release: ${damage}, and week ${w.week} of ${path} no longer has the nodes the cache has: open the release again`);
    return d.composition;
  };

  // the names, categories and sectors are decoded when a snapshot's are first read
  const metaEntries = (): ReadonlyMap<string, MetaEntry> => metadata.entries;
  // the id dictionaries' strings, made when a week first uses one (anew after a rebuild)
  let dictionaries: IdDictionaries | undefined;
  const idDictionaries = (): IdDictionaries => {
    if (dictionaries === undefined || dictionaries.manifest !== manifest) dictionaries = new IdDictionaries(manifest!);
    return dictionaries;
  };
  const readWeek = async (week: string): Promise<Snapshot> => {
    const w = byWeek.get(week);
    if (!w) throw new Error(`snapshot/release: week ${week} is not in the release (${weeks.length} weeks, ${weeks[0] ?? '-'} .. ${weeks[weeks.length - 1] ?? '-'}${nearestWeeksNote(week, weeks)})`);
    if (memory) return withMeta(memory.get(week)!, metadata.entries);
    try {
      const c = readCachedWeek(cacheDirUsed!, w, idDictionaries());
      return cachedSnapshot(week, c, metaEntries, lazyComposition(w, c));
    } catch (e) {
      // A damaged cache is rebuilt from the sources, once, and the read retried.
      if (report.cache.status === 'rebuilt' && report.cache.reason?.startsWith('damaged')) throw e;
      await build(`damaged: ${(e as Error).message}`);
      report.cache = cacheStatus!;
      for (const x of manifest!.weeks) byWeek.set(x.week, x);
      const again = byWeek.get(week)!;
      const mem = memory as Map<string, WeekData> | undefined;
      if (mem) return withMeta(mem.get(week)!, metadata.entries);
      const c = readCachedWeek(cacheDirUsed!, again, idDictionaries());
      return cachedSnapshot(week, c, metaEntries, lazyComposition(again, c));
    }
  };

  let statsMemo: ReleaseStats | undefined;
  const release: Release = {
    dir,
    files: files.map((f) => basename(f)),
    weeks,
    summaries: weeks.map((wk) => {
      const w = byWeek.get(wk)!;
      return { week: wk, nodes: w.nodes, edges: w.edges, source: w.source, repairs: w.repairs };
    }),
    meta: undefined as unknown as ReadonlyMap<string, ProtocolInfo>,
    report,
    snapshot: readWeek,
    snapshots(from?: string, to?: string): AsyncIterable<Snapshot> {
      const list = weeks.filter((w) => (from === undefined || w >= from) && (to === undefined || w <= to));
      return {
        async *[Symbol.asyncIterator]() {
          for (const w of list) yield await readWeek(w);
        },
      };
    },
    async stats(): Promise<ReleaseStats> {
      if (!statsMemo) {
        // One week at a time keeps memory flat; the statistics need only consecutive pairs.
        const acc = new StatsAccumulator();
        for (const w of weeks) acc.add(await readWeek(w));
        statsMemo = acc.result();
      }
      return statsMemo;
    },
  };
  // made on first read (~9,000 entries with the mapping files): most opens never look
  lazy(release, 'meta', () => metaView(metadata));
  return release;
}
