/**
 * The 7 sectors of the real aggregates (weekly-sector-link-size.csv): the broad
 * categories of mapping/id_to_info.json, with "Others" and "Unknown" merged into
 * "Other / Unknown", plus "Primary Market Tokens" for the token nodes (a PRIMARY
 * token with no issuing protocol is its own node, id == symbol). Anything else (ids
 * the mapping does not know, the LP / UNKNOWN / OTHER class nodes) is "Other / Unknown".
 */
import type { MappingFiles } from '../exposure/mapping-files';

export const SECTORS = [
  'Asset Management',
  'Infrastructure, Services & Financial Products',
  'Lending, Borrowing & Real World Assets',
  'Other / Unknown',
  'Primary Market Tokens',
  'Privacy & Security',
  'Trading & Exchanges',
] as const;
export type Sector = (typeof SECTORS)[number];
export const OTHER_SECTOR = 3;
export const TOKEN_SECTOR = 4;
export const K = SECTORS.length;

const SECTOR_INDEX = new Map<string, number>(SECTORS.map((s, i) => [s, i]));

export function sectorIndex(name: string): number | undefined {
  return SECTOR_INDEX.get(name);
}

/** Sector of a broad id_to_info category. */
export function sectorOfBroad(category: string): number {
  return SECTOR_INDEX.get(category) ?? OTHER_SECTOR;
}

/** id -> sector index, from the mapping files a release ships with. */
export function sectorClassifier(mapping: Pick<MappingFiles, 'idToInfo' | 'tokenToProtocol'>): (id: string) => number {
  const primary = new Set<string>();
  for (const [tok, e] of mapping.tokenToProtocol.get('PRIMARY') ?? []) if (e.id === tok) primary.add(tok);
  return (id: string) => {
    const info = mapping.idToInfo.get(id);
    if (info) return sectorOfBroad(info.category);
    return primary.has(id) ? TOKEN_SECTOR : OTHER_SECTOR;
  };
}
