/**
 * The cache manifest (`manifest.json`): format version, the source files it was
 * built from (size, mtime, ctime, inode, a hash of the first and last MiB, and a
 * CRC-32 of the whole content), per-week row counts, file sizes and CRC-32s, the id
 * dictionaries the week files index, and the conversion report. A cache is trusted only when every check here passes; otherwise
 * it is rebuilt (never patched) and the reason reported.
 *
 * Sources: a changed size or first/last MiB means "rebuild". A changed mtime, ctime
 * or inode (any write to the file changes its ctime, even one that puts the mtime
 * back) triggers a full-content CRC-32 (store.ts): equal content keeps the cache.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { RepairCounts } from '../snapshot/report';

export const CACHE_FORMAT = 'dexposure-arrow-cache';
/** 4: nodes and edges in one file per week, ids as indices into a dictionary (3: three files, ids as strings). */
export const CACHE_VERSION = 4;

export interface SourceFingerprint {
  /** Absolute path of the source file. */
  path: string;
  size: number;
  mtimeMs: number;
  /** Status change time: moves on every write or attribute change and cannot be set back. */
  ctimeMs: number;
  ino: number;
  /** sha256 of size + first MiB + last MiB (cheap on a 1 GB file, catches edits and truncation). */
  hash: string;
  /** CRC-32 of the whole file when the cache was built (checked when mtime/ctime/inode moved). */
  contentCrc?: number;
}

export interface CachedWeek {
  week: string;
  /** Source file (basename) the week was taken from. */
  source: string;
  nodes: number;
  edges: number;
  /** Composition entries (sum of tokens over nodes). */
  entries: number;
  /** The id dictionary (index into `dicts`) that the week file's node ids index. */
  dict: number;
  /** Byte sizes of the week's two IPC files (`<week>.arrow`: nodes and edges; `<week>.composition.arrow`). */
  weekBytes: number;
  compositionBytes: number;
  /** CRC-32 of the week's two IPC files, checked on every read. */
  weekCrc: number;
  compositionCrc: number;
  /** Where the week's value lies in its source file (a damaged composition file is read again from there). */
  byteOffset: number;
  byteLength: number;
  repairs: RepairCounts;
}

export interface CacheManifest {
  format: typeof CACHE_FORMAT;
  version: number;
  createdAt: string;
  sources: SourceFingerprint[];
  weeks: CachedWeek[];
  duplicateWeeks: { week: string; overriddenFile: string; usedFile: string }[];
  skippedKeys: { file: string; key: string }[];
  /** Distinct node ids over all weeks, in the order first met (also the meta_df coverage report without decoding weeks). */
  ids: string[];
  /**
   * Id dictionaries, one per thread that wrote weeks: entry j of a dictionary is the
   * index in `ids` of the j-th id that thread met. A week file's node ids are indices
   * into its week's dictionary (each thread numbers the ids it meets itself, so weeks
   * converted in parallel need no shared numbering).
   */
  dicts: number[][];
  /** Set when a week file was found damaged after the cache was opened: the next open rebuilds. */
  damaged?: string;
}

const EDGE_BYTES = 1 << 20;

/** Reused for every fingerprint: the MiBs are hashed a quarter MiB at a time (fresh memory for them cost more than reading them). */
const CHUNK = 1 << 18;
let chunk: Buffer | undefined;

/**
 * The file's status and the sha256 of its size, first MiB and last MiB. Synchronous:
 * with the promise API a warm open spent more time in its five round trips to the
 * I/O threads (and two fresh MiB buffers) than in the hash.
 */
export function fingerprint(path: string): SourceFingerprint {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    const buf = (chunk ??= Buffer.allocUnsafeSlow(CHUNK));
    const h = createHash('sha256');
    h.update(`${st.size}:`);
    const hashRange = (position: number, length: number): void => {
      for (let done = 0; done < length; ) {
        const n = readSync(fd, buf, 0, Math.min(CHUNK, length - done), position + done);
        if (n === 0) return; // the file shrank meanwhile: the hash differs, as it should
        h.update(buf.subarray(0, n));
        done += n;
      }
    };
    hashRange(0, Math.min(EDGE_BYTES, st.size));
    if (st.size > EDGE_BYTES) {
      const tailLen = Math.min(EDGE_BYTES, st.size - EDGE_BYTES);
      hashRange(st.size - tailLen, tailLen);
    }
    return { path, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, hash: h.digest('hex') };
  } finally {
    closeSync(fd);
  }
}

/** Why the source's file status moved since the cache was built (content may still be equal). */
export function sourceStatChange(built: SourceFingerprint, now: SourceFingerprint): string | undefined {
  if (built.mtimeMs !== now.mtimeMs) return 'mtime changed';
  if (built.ctimeMs !== now.ctimeMs) return 'ctime changed';
  if (built.ino !== now.ino) return 'replaced by another file';
  return undefined;
}

/** Why a manifest cannot be trusted for these sources, or undefined when it can. */
export function manifestProblem(raw: unknown, sources: SourceFingerprint[]): string | undefined {
  if (typeof raw !== 'object' || raw === null) return 'manifest.json is not an object';
  const m = raw as Partial<CacheManifest>;
  if (m.format !== CACHE_FORMAT) return `manifest.json has format ${JSON.stringify(m.format)}, expected ${CACHE_FORMAT}`;
  if (typeof m.version !== 'number') return 'manifest.json has no version';
  if (m.version > CACHE_VERSION) return `cache written by a newer version (format ${m.version}, this build reads ${CACHE_VERSION})`;
  if (m.version !== CACHE_VERSION) return `cache format ${m.version} is older than ${CACHE_VERSION}`;
  if (!Array.isArray(m.sources) || !Array.isArray(m.weeks) || !Array.isArray(m.duplicateWeeks) || !Array.isArray(m.ids) || !Array.isArray(m.skippedKeys) || !Array.isArray(m.dicts) || !m.dicts.every(Array.isArray)) return 'manifest.json is missing sources/weeks';
  if (m.sources.length !== sources.length) return `the release has ${sources.length} source file(s), the cache was built from ${m.sources.length}`;
  for (let i = 0; i < sources.length; i++) {
    const a = m.sources[i];
    const b = sources[i];
    if (a.path !== b.path) return `source ${b.path} is not the one the cache was built from (${a.path})`;
    if (a.size !== b.size) return `${b.path} changed size (${a.size} -> ${b.size} bytes)`;
    if (a.hash !== b.hash) return `${b.path} changed content`;
    if (typeof a.mtimeMs !== 'number' || typeof a.ctimeMs !== 'number' || typeof a.ino !== 'number') return 'manifest.json has a malformed source entry';
  }
  for (const w of m.weeks) {
    if (typeof w?.week !== 'string' || !Number.isInteger(w.nodes) || !Number.isInteger(w.edges) || !Number.isInteger(w.entries) || !Number.isInteger(w.weekBytes) || !Number.isInteger(w.weekCrc) || !Number.isInteger(w.compositionBytes) || !Number.isInteger(w.compositionCrc) || !Number.isInteger(w.byteOffset) || !Number.isInteger(w.byteLength)) {
      return 'manifest.json has a malformed week entry';
    }
    if (!Number.isInteger(w.dict) || w.dict < 0 || w.dict >= m.dicts.length) return `manifest.json: week ${w.week} names id dictionary ${w.dict}, there are ${m.dicts.length}`;
  }
  if (typeof m.damaged === 'string') return `damaged: ${m.damaged}`;
  return undefined;
}
