/**
 * Reader for the release's `mapping/` folder (data-spec §1.3-1.5): id_to_info.json,
 * rev_map.json, token_to_protocol.json. Only what exposure construction and the
 * synthetic generator need; the snapshot loader has its own `loadMapping`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

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

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`exposure/mapping: cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`exposure/mapping: ${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function readMappingFiles(dir: string): MappingFiles {
  const idPath = join(dir, 'id_to_info.json');
  const revPath = join(dir, 'rev_map.json');
  const tokPath = join(dir, 'token_to_protocol.json');
  const rawInfo = readJson(idPath);
  if (!isObject(rawInfo)) throw new Error(`exposure/mapping: ${idPath}: expected an object of id -> {name, category}`);
  const idToInfo = new Map<string, ProtocolInfo>();
  for (const [id, v] of Object.entries(rawInfo)) {
    if (!isObject(v) || typeof v.name !== 'string') {
      throw new Error(`exposure/mapping: ${idPath}: at "${id}": expected {name: string, category: string}`);
    }
    idToInfo.set(id, { name: v.name, category: typeof v.category === 'string' ? v.category : 'Unknown' });
  }
  const revMap = new Map<string, string>();
  const rawRev = readJson(revPath);
  if (!isObject(rawRev)) throw new Error(`exposure/mapping: ${revPath}: expected an object of token -> protocol id`);
  for (const [tok, id] of Object.entries(rawRev)) {
    if (typeof id !== 'string' && typeof id !== 'number') {
      throw new Error(`exposure/mapping: ${revPath}: at "${tok}": expected a protocol id string, got ${JSON.stringify(id)}`);
    }
    revMap.set(tok, String(id));
  }
  const tokenToProtocol = new Map<TokenClass, Map<string, TokenEntry>>();
  if (existsSync(tokPath)) {
    const raw = readJson(tokPath);
    if (!isObject(raw)) throw new Error(`exposure/mapping: ${tokPath}: expected {MAP|LP|UNKNOWN|PRIMARY|OTHER: {...}}`);
    for (const cls of TOKEN_CLASSES) {
      const m = new Map<string, TokenEntry>();
      const group = raw[cls];
      if (group !== undefined && !isObject(group)) throw new Error(`exposure/mapping: ${tokPath}: at ${cls}: expected an object`);
      for (const [tok, e] of Object.entries(group ?? {})) {
        if (!isObject(e) || (typeof e.id !== 'string' && typeof e.id !== 'number')) {
          throw new Error(`exposure/mapping: ${tokPath}: at ${cls}.${tok}: expected {id: string, frequency: number}`);
        }
        m.set(tok, { id: String(e.id), frequency: typeof e.frequency === 'number' ? e.frequency : 0 });
      }
      tokenToProtocol.set(cls, m);
    }
  }
  return { idToInfo, revMap, tokenToProtocol };
}
