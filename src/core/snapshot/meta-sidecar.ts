/**
 * What opening a release needs of its metadata (names, categories, sectors per id,
 * the ids meta_df.csv knows, notes), kept beside the Arrow cache in a small JSON
 * sidecar so a warm open does not parse the 2.7 MB of mapping files again. The
 * sidecar is used only while every metadata file (mapping/*.json, meta_df.csv) has
 * the size, mtime, ctime and inode it had when the sidecar was written (any write to
 * a file moves its ctime); otherwise the files are read and checked in full (bad
 * files are refused exactly as without a sidecar) and the sidecar rewritten.
 *
 * The ids meta_df.csv knows and the names, categories and sectors (most of the
 * sidecar) come last in it and are decoded on first use: a warm open that reads only
 * ids and edges never builds the ~9,000-entry map (parsing and building it was a
 * third of a quick release's warm open), nor the set of ~5,000 ids until its report's
 * count of ids missing from meta_df.csv is read (~2 ms of a 25 ms open).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write';
import { readReleaseMetadata, type ReleaseMeta } from './meta';
import type { MetaEntry } from './week-data';

export interface OpenMeta {
  /** Decoded on first read when it comes from the sidecar. */
  readonly entries: Map<string, MetaEntry>;
  /** Ids with a meta_df.csv row; undefined without meta_df.csv. Decoded on first read when it comes from the sidecar. */
  readonly metaIds?: Set<string>;
  duplicateMetaRows: number;
  notes: string[];
}

const FORMAT = 'dexposure-metadata-sidecar';
/** 2: metaIds after notes, just before entries (1: after stats). */
const VERSION = 2;
const FILES = ['mapping/id_to_info.json', 'mapping/rev_map.json', 'mapping/token_to_protocol.json', 'meta_df.csv'];

type FileStat = [size: number, mtimeMs: number, ctimeMs: number, ino: number] | null;

/** Written in this key order: `metaIds` and `entries`, by far the largest, last (see readSidecar). */
interface Sidecar {
  format: typeof FORMAT;
  version: number;
  stats: FileStat[];
  duplicateMetaRows: number;
  notes: string[];
  metaIds: string[] | null;
  /** [id, name, category, sector], null where absent. */
  entries: [string, string | null, string | null, string | null][];
}

/** What stands between the other fields and the metaIds array, and between it and the entries array, in a sidecar as written. */
const META_IDS_KEY = ',"metaIds":';
const ENTRIES_KEY = ',"entries":';

function fileStats(dir: string): FileStat[] {
  return FILES.map((f) => {
    try {
      const st = statSync(join(dir, f));
      return [st.size, st.mtimeMs, st.ctimeMs, st.ino];
    } catch {
      return null;
    }
  });
}

/** The entries of a sidecar as a map, or undefined when malformed. */
function entriesMap(raw: unknown): Map<string, MetaEntry> | undefined {
  if (!Array.isArray(raw)) return undefined;
  const entries = new Map<string, MetaEntry>();
  for (const e of raw as unknown[]) {
    if (!Array.isArray(e) || typeof e[0] !== 'string') return undefined;
    const m: MetaEntry = {};
    if (typeof e[1] === 'string') m.name = e[1];
    if (typeof e[2] === 'string') m.category = e[2];
    if (typeof e[3] === 'string') m.sector = e[3];
    entries.set(e[0], m);
  }
  return entries;
}

/**
 * The sidecar's bytes split into its other fields (parsed) and its metaIds and entries
 * (thunks, decoded from the bytes when called: a warm open keeps the ~350 KB as bytes,
 * not as a string on the JavaScript heap). Inside a JSON string a quote is always
 * escaped, so `,"metaIds":` and `,"entries":` occur unescaped only as keys; a sidecar
 * written another way is parsed whole.
 */
function readSidecar(bytes: Buffer): { head: Partial<Sidecar> | null; metaIds: () => unknown; entries: () => unknown } {
  const m = bytes.indexOf(META_IDS_KEY);
  const k = bytes.indexOf(ENTRIES_KEY);
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d || bytes[end - 1] === 0x09)) end--;
  if (m < 0 || k < m || bytes[end - 1] !== 0x7d /* } */) {
    const whole = JSON.parse(bytes.toString('utf8')) as Partial<Sidecar> | null;
    return { head: whole, metaIds: () => whole?.metaIds, entries: () => whole?.entries };
  }
  const head = JSON.parse(`${bytes.toString('utf8', 0, m)}}`) as Partial<Sidecar> | null;
  return { head, metaIds: () => JSON.parse(bytes.toString('utf8', m + META_IDS_KEY.length, k)), entries: () => JSON.parse(bytes.toString('utf8', k + ENTRIES_KEY.length, end - 1)) };
}

/** A thunk's value, or undefined when it throws (a damaged part of the sidecar). */
function attempt(f: () => unknown): unknown {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function fromSidecar(bytes: Buffer, stats: FileStat[], fromFiles: () => ReleaseMeta): OpenMeta | undefined {
  const { head: s, metaIds, entries } = readSidecar(bytes);
  if (!s || s.format !== FORMAT || s.version !== VERSION || JSON.stringify(s.stats) !== JSON.stringify(stats)) return undefined;
  if (!Array.isArray(s.notes) || typeof s.duplicateMetaRows !== 'number') return undefined;
  let map: Map<string, MetaEntry> | undefined;
  let ids: { set: Set<string> | undefined } | undefined;
  return {
    get entries(): Map<string, MetaEntry> {
      // malformed entries (the sidecar damaged): the files, which still have the status checked at open
      if (!map) map = entriesMap(attempt(entries)) ?? fromFiles().entries;
      return map;
    },
    get metaIds(): Set<string> | undefined {
      if (!ids) {
        const raw = attempt(metaIds);
        if (raw === null) ids = { set: undefined };
        else if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) ids = { set: new Set(raw as string[]) };
        else ids = { set: metaIdsOf(fromFiles()) }; // damaged: the files, as for the entries
      }
      return ids.set;
    },
    duplicateMetaRows: s.duplicateMetaRows,
    notes: s.notes,
  };
}

function metaIdsOf(m: ReleaseMeta): Set<string> | undefined {
  return m.metaDf ? new Set(m.metaDf.rows.keys()) : undefined;
}

/**
 * The release folder's metadata: from `sidecar` when it is current (see the module
 * comment), else from the files; `save` then writes the sidecar (the caller does
 * once the cache beside it is in place).
 */
export function openMetadata(dir: string, sidecar: string | undefined): { meta: OpenMeta; save: () => void } {
  const stats = fileStats(dir);
  if (sidecar) {
    try {
      let files: ReleaseMeta | undefined;
      const hit = fromSidecar(readFileSync(sidecar), stats, () => (files ??= readReleaseMetadata(dir)));
      if (hit) return { meta: hit, save: () => undefined };
    } catch {
      // absent or unreadable: read the files
    }
  }
  const m = readReleaseMetadata(dir);
  const meta: OpenMeta = { entries: m.entries, metaIds: metaIdsOf(m), duplicateMetaRows: m.metaDf?.duplicateRows ?? 0, notes: m.notes };
  const save = (): void => {
    if (!sidecar) return;
    const body: Sidecar = {
      format: FORMAT,
      version: VERSION,
      stats,
      duplicateMetaRows: meta.duplicateMetaRows,
      notes: meta.notes,
      metaIds: meta.metaIds ? [...meta.metaIds] : null,
      entries: [...meta.entries].map(([id, e]) => [id, e.name ?? null, e.category ?? null, e.sector ?? null]),
    };
    try {
      writeFileAtomic(sidecar, JSON.stringify(body));
    } catch {
      // a read-only cache location: the files are read again next time
    }
  };
  return { meta, save };
}
