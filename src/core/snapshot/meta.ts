/**
 * Protocol metadata of a release: `meta_df.csv` (id,name,category: the raw DefiLlama
 * category, data-spec §1.2) and the `mapping/` folder (data-spec §1.3-1.5). The
 * mapping files are read by exposure/mapping-files.ts (one reader for the project);
 * `loadMapping` adds the quirks the loader and users need to know about.
 *
 * Resolution per id (docs/DATA.md): name = meta_df name, else id_to_info name, else
 * the id; category = meta_df category, else "Unknown"; sector = id_to_info broad
 * category, else "Unknown".
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readIdToInfo, readMappingFiles, TOKEN_CLASSES, type MappingFiles, type TokenClass } from '../exposure/mapping-files';
import { parseCsv } from './csv';
import { ReleaseFormatError, describeValue } from './errors';
import type { MetaEntry } from './week-data';

export interface MetaDfRow {
  id: string;
  name: string;
  category?: string;
}

export interface MetaDf {
  rows: Map<string, MetaDfRow>;
  /** Rows whose id repeats an earlier one (the last row wins, as in pandas set_index().to_dict()). */
  duplicateRows: number;
  /** Rows with an empty category (the authors' code turns them into NaN; we use "Unknown"). */
  emptyCategories: number;
}

/** Read meta_df.csv. Bad rows throw a ReleaseFormatError with the line number. */
export function readMetaDf(path: string): MetaDf {
  const file = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`snapshot/meta: cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  let rows;
  try {
    rows = parseCsv(text);
  } catch (e) {
    const m = /^line (\d+): (.*)$/.exec((e as Error).message);
    throw new ReleaseFormatError({ file, line: m ? Number(m[1]) : undefined, expected: 'valid CSV (RFC 4180)', got: m ? m[2] : (e as Error).message });
  }
  if (rows.length === 0) throw new ReleaseFormatError({ file, line: 1, expected: 'a header row id,name,category', got: 'an empty file' });
  const head = rows[0].fields.map((h) => h.trim());
  const ci = head.indexOf('id');
  const ni = head.indexOf('name');
  const ki = head.indexOf('category');
  if (ci < 0 || ki < 0) throw new ReleaseFormatError({ file, line: 1, expected: 'a header row with columns id, name, category', got: describeValue(rows[0].fields.join(',')) });
  const out: MetaDf = { rows: new Map(), duplicateRows: 0, emptyCategories: 0 };
  for (let r = 1; r < rows.length; r++) {
    const { fields, line } = rows[r];
    if (fields.length !== head.length) {
      throw new ReleaseFormatError({ file, line, expected: `${head.length} fields (${head.join(',')})`, got: `${fields.length} fields: ${describeValue(fields.join(','))}` });
    }
    const id = fields[ci].trim();
    if (id === '') throw new ReleaseFormatError({ file, line, field: 'id', expected: 'a protocol id', got: 'an empty cell' });
    if (/^-?\d+\.\d*$/.test(id)) {
      // pandas would keep "2269.0", which never matches the node id "2269" (data-spec §1.2).
      throw new ReleaseFormatError({ file, line, field: 'id', expected: 'an integer-like id such as 2269 (not a float)', got: describeValue(id) });
    }
    const category = fields[ki].trim();
    if (category === '') out.emptyCategories++;
    if (out.rows.has(id)) out.duplicateRows++;
    out.rows.set(id, { id, name: ni >= 0 ? fields[ni] : '', category: category === '' ? undefined : category });
  }
  return out;
}

export interface Mapping extends MappingFiles {
  /** Ids that are token-class names ("LP", "UNKNOWN", "OTHER", "MAP", "PRIMARY"): pseudo-nodes. */
  classIds: Set<string>;
  /** PRIMARY tokens without an issuer, which are their own node (id == token). */
  selfIssuedTokens: Set<string>;
  /** rev_map keys that are not real token symbols (the stray "nan" key). */
  strayRevMapKeys: string[];
}

/** Read mapping/{id_to_info,rev_map,token_to_protocol}.json and note their quirks. */
export function loadMapping(dir: string): Mapping {
  const files = readMappingFiles(dir);
  const classIds = new Set<string>(TOKEN_CLASSES);
  const selfIssuedTokens = new Set<string>();
  for (const [tok, e] of files.tokenToProtocol.get('PRIMARY' as TokenClass) ?? []) if (e.id === tok) selfIssuedTokens.add(tok);
  const strayRevMapKeys = [...files.revMap.keys()].filter((k) => k === 'nan' || k === 'NaN' || k === 'None' || k === '');
  return { ...files, classIds, selfIssuedTokens, strayRevMapKeys };
}

export interface ReleaseMeta {
  entries: Map<string, MetaEntry>;
  metaDf?: MetaDf;
  notes: string[];
}

/**
 * Metadata of the release folder `dir` (either file may be absent; noted). Every
 * mapping file is checked (a bad one is refused), but of the mapping only
 * id_to_info's names and sectors are kept: nothing else of it is read at open.
 */
export function readReleaseMetadata(dir: string): ReleaseMeta {
  const entries = new Map<string, MetaEntry>();
  const notes: string[] = [];
  const mapDir = join(dir, 'mapping');
  if (existsSync(join(mapDir, 'id_to_info.json'))) {
    for (const [id, info] of readIdToInfo(mapDir)) entries.set(id, { name: info.name, sector: info.category });
  } else notes.push('no mapping/id_to_info.json: sectors are "Unknown"');
  let metaDf: MetaDf | undefined;
  const csv = join(dir, 'meta_df.csv');
  if (existsSync(csv)) {
    metaDf = readMetaDf(csv);
    for (const [id, row] of metaDf.rows) {
      const e = entries.get(id) ?? {};
      if (row.name !== '') e.name = row.name;
      if (row.category !== undefined) e.category = row.category;
      entries.set(id, e);
    }
    if (metaDf.emptyCategories > 0) notes.push(`${metaDf.emptyCategories} meta_df.csv rows with an empty category read as "Unknown"`);
  } else notes.push('no meta_df.csv: every category is "Unknown" and names come from mapping/id_to_info.json');
  return { entries, metaDf, notes };
}
