/**
 * The cache manifest (`manifest.json`): format version, the source files it was
 * built from (size, mtime, fast fingerprint), per-week row counts and file sizes,
 * and the conversion report. A cache is trusted only when every check here passes;
 * otherwise it is rebuilt (never patched) and the reason reported.
 */
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import type { RepairCounts } from '../snapshot/report';

export const CACHE_FORMAT = 'dexposure-arrow-cache';
export const CACHE_VERSION = 1;

export interface SourceFingerprint {
  /** Absolute path of the source file. */
  path: string;
  size: number;
  mtimeMs: number;
  /** sha256 of size + first MiB + last MiB (cheap on a 1 GB file, catches edits and truncation). */
  hash: string;
}

export interface CachedWeek {
  week: string;
  /** Source file (basename) the week was taken from. */
  source: string;
  nodes: number;
  edges: number;
  /** Composition entries (sum of tokens over nodes). */
  entries: number;
  /** Byte sizes of the week's two IPC files. */
  nodesBytes: number;
  edgesBytes: number;
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
  /** Distinct node ids over all weeks (for the meta_df coverage report without decoding weeks). */
  ids: string[];
}

const EDGE_BYTES = 1 << 20;

export async function fingerprint(path: string): Promise<SourceFingerprint> {
  const st = await stat(path);
  const h = createHash('sha256');
  h.update(`${st.size}:`);
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(EDGE_BYTES, st.size));
    await fh.read(head, 0, head.length, 0);
    h.update(head);
    if (st.size > EDGE_BYTES) {
      const tailLen = Math.min(EDGE_BYTES, st.size - EDGE_BYTES);
      const tail = Buffer.alloc(tailLen);
      await fh.read(tail, 0, tailLen, st.size - tailLen);
      h.update(tail);
    }
  } finally {
    await fh.close();
  }
  return { path, size: st.size, mtimeMs: st.mtimeMs, hash: h.digest('hex') };
}

/** Why a manifest cannot be trusted for these sources, or undefined when it can. */
export function manifestProblem(raw: unknown, sources: SourceFingerprint[]): string | undefined {
  if (typeof raw !== 'object' || raw === null) return 'manifest.json is not an object';
  const m = raw as Partial<CacheManifest>;
  if (m.format !== CACHE_FORMAT) return `manifest.json has format ${JSON.stringify(m.format)}, expected ${CACHE_FORMAT}`;
  if (typeof m.version !== 'number') return 'manifest.json has no version';
  if (m.version > CACHE_VERSION) return `cache written by a newer version (format ${m.version}, this build reads ${CACHE_VERSION})`;
  if (m.version !== CACHE_VERSION) return `cache format ${m.version} is older than ${CACHE_VERSION}`;
  if (!Array.isArray(m.sources) || !Array.isArray(m.weeks) || !Array.isArray(m.duplicateWeeks) || !Array.isArray(m.ids) || !Array.isArray(m.skippedKeys)) return 'manifest.json is missing sources/weeks';
  if (m.sources.length !== sources.length) return `the release has ${sources.length} source file(s), the cache was built from ${m.sources.length}`;
  for (let i = 0; i < sources.length; i++) {
    const a = m.sources[i];
    const b = sources[i];
    if (a.path !== b.path) return `source ${b.path} is not the one the cache was built from (${a.path})`;
    if (a.size !== b.size) return `${b.path} changed size (${a.size} -> ${b.size} bytes)`;
    if (a.hash !== b.hash) return `${b.path} changed content`;
    if (a.mtimeMs !== b.mtimeMs) return `${b.path} was modified (mtime changed)`;
  }
  for (const w of m.weeks) {
    if (typeof w?.week !== 'string' || !Number.isInteger(w.nodes) || !Number.isInteger(w.edges) || !Number.isInteger(w.entries)) return 'manifest.json has a malformed week entry';
  }
  return undefined;
}
