/**
 * What opening a release needs of its metadata (names, categories, sectors per id,
 * the ids meta_df.csv knows, notes), kept beside the Arrow cache in a small JSON
 * sidecar so a warm open does not parse the 2.7 MB of mapping files again. The
 * sidecar is used only while every metadata file (mapping/*.json, meta_df.csv) has
 * the size, mtime, ctime and inode it had when the sidecar was written (any write to
 * a file moves its ctime); otherwise the files are read and checked in full (bad
 * files are refused exactly as without a sidecar) and the sidecar rewritten.
 *
 * The names, categories and sectors (most of the sidecar) come last in it and are
 * decoded on first use: a warm open that reads only ids and edges never builds the
 * ~9,000-entry map (parsing and building it was a third of a quick release's warm open).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write';
import { readReleaseMetadata } from './meta';
import type { MetaEntry } from './week-data';

export interface OpenMeta {
  /** Decoded on first read when it comes from the sidecar. */
  readonly entries: Map<string, MetaEntry>;
  /** Ids with a meta_df.csv row; undefined without meta_df.csv. */
  metaIds?: Set<string>;
  duplicateMetaRows: number;
  notes: string[];
}

const FORMAT = 'dexposure-metadata-sidecar';
const VERSION = 1;
const FILES = ['mapping/id_to_info.json', 'mapping/rev_map.json', 'mapping/token_to_protocol.json', 'meta_df.csv'];

type FileStat = [size: number, mtimeMs: number, ctimeMs: number, ino: number] | null;

/** Written in this key order: `entries`, by far the largest, last (see readSidecar). */
interface Sidecar {
  format: typeof FORMAT;
  version: number;
  stats: FileStat[];
  metaIds: string[] | null;
  duplicateMetaRows: number;
  notes: string[];
  /** [id, name, category, sector], null where absent. */
  entries: [string, string | null, string | null, string | null][];
}

/** What stands between the other fields and the entries array in a sidecar as written. */
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
 * The sidecar's text split into its other fields (parsed) and its entries (a thunk).
 * Inside a JSON string a quote is always escaped, so `,"entries":` occurs unescaped
 * only as the key; a sidecar written another way is parsed whole.
 */
function readSidecar(text: string): { head: Partial<Sidecar> | null; entries: () => unknown } {
  const k = text.indexOf(ENTRIES_KEY);
  const end = text.trimEnd();
  if (k < 0 || !end.endsWith('}')) {
    const whole = JSON.parse(text) as Partial<Sidecar> | null;
    return { head: whole, entries: () => whole?.entries };
  }
  const head = JSON.parse(`${text.slice(0, k)}}`) as Partial<Sidecar> | null;
  return { head, entries: () => JSON.parse(end.slice(k + ENTRIES_KEY.length, -1)) };
}

function fromSidecar(text: string, stats: FileStat[], fromFiles: () => Map<string, MetaEntry>): OpenMeta | undefined {
  const { head: s, entries } = readSidecar(text);
  if (!s || s.format !== FORMAT || s.version !== VERSION || JSON.stringify(s.stats) !== JSON.stringify(stats)) return undefined;
  if (!Array.isArray(s.notes) || typeof s.duplicateMetaRows !== 'number' || !(s.metaIds === null || Array.isArray(s.metaIds))) return undefined;
  let map: Map<string, MetaEntry> | undefined;
  return {
    get entries(): Map<string, MetaEntry> {
      if (!map) {
        let raw: unknown;
        try {
          raw = entries();
        } catch {
          raw = undefined;
        }
        // malformed entries (the sidecar damaged): the files, which still have the status checked at open
        map = entriesMap(raw) ?? fromFiles();
      }
      return map;
    },
    metaIds: s.metaIds ? new Set(s.metaIds) : undefined,
    duplicateMetaRows: s.duplicateMetaRows,
    notes: s.notes,
  };
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
      const hit = fromSidecar(readFileSync(sidecar, 'utf8'), stats, () => readReleaseMetadata(dir).entries);
      if (hit) return { meta: hit, save: () => undefined };
    } catch {
      // absent or unreadable: read the files
    }
  }
  const m = readReleaseMetadata(dir);
  const meta: OpenMeta = { entries: m.entries, metaIds: m.metaDf ? new Set(m.metaDf.rows.keys()) : undefined, duplicateMetaRows: m.metaDf?.duplicateRows ?? 0, notes: m.notes };
  const save = (): void => {
    if (!sidecar) return;
    const body: Sidecar = {
      format: FORMAT,
      version: VERSION,
      stats,
      metaIds: meta.metaIds ? [...meta.metaIds] : null,
      duplicateMetaRows: meta.duplicateMetaRows,
      notes: meta.notes,
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
