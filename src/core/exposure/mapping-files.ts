/**
 * Reader for the release's `mapping/` folder (data-spec §1.3-1.5): id_to_info.json,
 * rev_map.json, token_to_protocol.json: what exposure construction and the synthetic
 * generator need, and (readIdToInfo) what opening a release keeps of them; the
 * snapshot loader's `loadMapping` adds the quirks users are told about.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { lineColumn, locateJsonSyntaxError } from '../notebook/json-text';
import { describeValue, ReleaseFormatError } from '../snapshot/errors';

export const TOKEN_CLASSES = ['MAP', 'LP', 'UNKNOWN', 'PRIMARY', 'OTHER'] as const;
export type TokenClass = (typeof TOKEN_CLASSES)[number];

export interface ProtocolInfo {
  name: string;
  /** Broad sector (not the DefiLlama category). */
  category: string;
}

export interface TokenEntry {
  id: string;
  frequency: number;
}

export interface MappingFiles {
  /** Protocol id -> info, in file order (descending TVL upstream). */
  idToInfo: Map<string, ProtocolInfo>;
  /** Token symbol -> issuing protocol id. */
  revMap: Map<string, string>;
  /** Token class -> token -> {id, frequency}; empty when the file is absent. */
  tokenToProtocol: Map<TokenClass, Map<string, TokenEntry>>;
}

/** A problem in a mapping file, as a ReleaseFormatError (file, record path, what was expected). */
function bad(file: string, record: string | undefined, expected: string, got?: unknown): never {
  throw new ReleaseFormatError({ file, record, expected, got: got === undefined ? undefined : describeValue(got) });
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ReleaseFormatError({ file: path, expected: 'a readable file', got: (e as Error).message }, { cause: e });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    // where and what, e.g. "unterminated string (is the file truncated?)" at line 1 (byte 100)
    const p = locateJsonSyntaxError(text);
    const at = p ?? { offset: text.length, ...lineColumn(text, text.length), message: (e as Error).message };
    throw new ReleaseFormatError({ file: path, line: at.line, byteOffset: Buffer.byteLength(text.slice(0, at.offset)), expected: `valid JSON: ${at.message}` }, { cause: e });
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function readMappingFiles(dir: string): MappingFiles {
  return readMapping(dir, true);
}

/**
 * id_to_info.json only, with rev_map.json and token_to_protocol.json checked exactly
 * as readMappingFiles checks them (same errors) but not kept: what opening a release
 * needs (names and sectors), without building the ~25,000 token entries it never reads.
 */
export function readIdToInfo(dir: string): Map<string, ProtocolInfo> {
  return readMapping(dir, false).idToInfo;
}

/** The three files read and checked; `keep` false: rev_map and token_to_protocol come back empty. */
function readMapping(dir: string, keep: boolean): MappingFiles {
  const idPath = join(dir, 'id_to_info.json');
  const revPath = join(dir, 'rev_map.json');
  const tokPath = join(dir, 'token_to_protocol.json');
  const rawInfo = readJson(idPath);
  if (!isObject(rawInfo)) bad(idPath, undefined, 'an object of id -> {name, category}', rawInfo);
  const idToInfo = new Map<string, ProtocolInfo>();
  for (const [id, v] of Object.entries(rawInfo)) {
    if (!isObject(v)) bad(idPath, JSON.stringify(id), '{name: string, category: string}', v);
    if (typeof v.name !== 'string') bad(idPath, `${JSON.stringify(id)}.name`, 'a string', v.name);
    idToInfo.set(id, { name: v.name, category: typeof v.category === 'string' ? v.category : 'Unknown' });
  }
  const revMap = new Map<string, string>();
  const rawRev = readJson(revPath);
  if (!isObject(rawRev)) bad(revPath, undefined, 'an object of token -> protocol id', rawRev);
  for (const tok in rawRev) {
    const id = rawRev[tok];
    if (typeof id !== 'string' && typeof id !== 'number') bad(revPath, JSON.stringify(tok), 'a protocol id string', id);
    if (keep) revMap.set(tok, String(id));
  }
  const tokenToProtocol = new Map<TokenClass, Map<string, TokenEntry>>();
  if (existsSync(tokPath)) {
    const raw = readJson(tokPath);
    if (!isObject(raw)) bad(tokPath, undefined, '{MAP|LP|UNKNOWN|PRIMARY|OTHER: {...}}', raw);
    for (const cls of TOKEN_CLASSES) {
      const m = new Map<string, TokenEntry>();
      const group = raw[cls];
      if (group !== undefined && !isObject(group)) bad(tokPath, cls, 'an object of token -> {id, frequency}', group);
      // for-in: the order of Object.entries (a parsed object has no inherited enumerable keys)
      for (const tok in group) {
        const e = group[tok];
        if (!isObject(e)) bad(tokPath, `${cls}.${JSON.stringify(tok)}`, '{id: string, frequency: number}', e);
        if (typeof e.id !== 'string' && typeof e.id !== 'number') bad(tokPath, `${cls}.${JSON.stringify(tok)}.id`, 'a protocol id string', e.id);
        if (keep) m.set(tok, { id: String(e.id), frequency: typeof e.frequency === 'number' ? e.frequency : 0 });
      }
      if (keep) tokenToProtocol.set(cls, m);
    }
  }
  return { idToInfo, revMap, tokenToProtocol };
}
