/**
 * The synthetic generator's token universe, taken from the real
 * `token_to_protocol.json`: every token keeps its real issuer id (protocol id,
 * its own symbol for a primary-market token, or a class node LP/UNKNOWN/OTHER),
 * its class and its frequency (how often it appears in DefiLlama holdings, which
 * drives its popularity). Each token also gets an economic kind from its symbol,
 * used for category affinity (Lending holds LSTs and stablecoins, ...), and a
 * weekly price volatility.
 */
import type { MappingFiles, TokenClass } from '../exposure/mapping-files';

export const TOKEN_KINDS = ['stable', 'eth', 'lst', 'btc', 'native', 'gov', 'lp', 'other'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export interface TokenInfo {
  symbol: string;
  issuer: string | null;
  cls: TokenClass;
  frequency: number;
  kind: TokenKind;
  /** Weekly log-price volatility. */
  vol: number;
}

const STABLE = /(USD|DAI|^UST|FRAX|^MIM|EUR|GHO|^CRVUSD|^SUSDE|^USDE)/;
const LST = /(STETH|^RETH|CBETH|FRXETH|ANKRETH|^METH|EZETH|WEETH|^EETH|RSETH|PUFETH|OSETH|SWETH|ETHX|WBETH|STSOL|MSOL|JITOSOL|BSOL|STMATIC|MATICX|SAVAX|STATOM|STBNB|BNBX|SFRXETH)/;

export function tokenKind(symbol: string, cls: TokenClass): TokenKind {
  const s = symbol.toUpperCase();
  if (cls === 'LP') return 'lp';
  if (cls === 'UNKNOWN' || cls === 'OTHER') return 'other';
  if (STABLE.test(s)) return 'stable';
  if (LST.test(s)) return 'lst';
  if (/BTC/.test(s)) return 'btc';
  if (/ETH/.test(s)) return 'eth';
  if (cls === 'MAP') return 'gov';
  return 'native';
}

const VOL: Record<TokenKind, number> = {
  stable: 0.002,
  eth: 0.07,
  lst: 0.07,
  btc: 0.06,
  native: 0.09,
  gov: 0.11,
  lp: 0.06,
  other: 0.1,
};

/** Tokens with frequency >= minFrequency, in a fixed order (class, then file order). */
export function tokenUniverse(mapping: MappingFiles, minFrequency = 1): TokenInfo[] {
  const out: TokenInfo[] = [];
  for (const [cls, m] of mapping.tokenToProtocol) {
    for (const [symbol, e] of m) {
      if (e.frequency < minFrequency) continue;
      const kind = tokenKind(symbol, cls);
      out.push({ symbol, issuer: e.id, cls, frequency: e.frequency, kind, vol: VOL[kind] });
    }
  }
  if (out.length === 0) throw new Error('synth/tokens: the mapping has no tokens (token_to_protocol.json missing or empty)');
  return out;
}
