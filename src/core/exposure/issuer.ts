/**
 * Token -> issuing protocol resolution (PAPER-NOTES "Exposure"; data-spec §1.5).
 *
 * Reference: the authors' ETL, dthinkr/defi-tvl `config/etl_network.py`
 * `ETLNetwork.update_mapping`, with `PRIMARY_TOKEN_TO_PROTOCOL` and
 * `SIMILARIY_THRESHOLD` from `config/config.py`. Precedence, as the paper states it:
 *
 *   1. metadata: `rev_map[token]` (the protocol whose `symbol`/`assetToken` it is);
 *   2. manual mapping for large PRIMARY tokens (`MANUAL_PRIMARY` below, the authors'
 *      table: token -> protocol *name*, resolved to an id through id_to_info by exact
 *      name, first match in file order; unresolvable names are skipped, as upstream);
 *   3. TF-IDF cosine similarity between the token and each protocol's text (its name
 *      plus the symbols rev_map gives it) above `threshold` (default 0.6 on
 *      character n-grams, see tfidf.ts; upstream used 0.2 on words);
 *   4. otherwise the token class decides: a PRIMARY token is its own "primary
 *      market" node (id = the token, e.g. "WETH"); LP / UNKNOWN / OTHER tokens
 *      collapse into the nodes "LP", "UNKNOWN", "OTHER".
 *
 * Classes follow `update_mapping`: MAP if in rev_map, else LP if the name contains
 * "LP", else UNKNOWN if it contains "UNKNOWN", else OTHER if it contains "-", else
 * PRIMARY. Deviation: upstream ran the TF-IDF pass over *every* token afterwards and
 * let it overwrite steps 1-2 (which is how STETH came to map to "stETH.win" in the
 * real file); we apply it only to tokens the earlier steps left unresolved.
 *
 * Threshold calibration: matching each real rev_map symbol (whose issuer is known)
 * against the 4,127 real protocol names alone, the best match is right 69% of the
 * time at cosine >= 0.6 (907 of 2,366 symbols match), 57% at 0.4 and 78% at 0.8;
 * many "wrong" matches are sibling versions (Uniswap V2 vs V3). 0.6 trades recall
 * for precision; `--threshold` changes it.
 *
 * `mode: 'cached'` instead trusts the release's own `token_to_protocol.json` first
 * (the authors' resolved output, mistakes included) and falls back to the
 * precedence above for tokens it does not list. The synthetic generator uses that
 * mode, so its issuer links are the real ones.
 */
import type { MappingFiles, TokenClass } from './mapping-files';
import { TfidfIndex } from './tfidf';

/** The authors' PRIMARY_TOKEN_TO_PROTOCOL (dthinkr/defi-tvl config/config.py). */
export const MANUAL_PRIMARY: Readonly<Record<string, string>> = {
  USDC: 'Circle', USDT: 'Tether', WETH: 'Ethereum', DAI: 'MakerDAO', WBTC: 'BitGo', ETH: 'Ethereum',
  BUSD: 'Binance', WBNB: 'Binance', 'USDC.E': 'Circle', BNB: 'Binance', POLYGONUSDC: 'Circle',
  WMATIC: 'Polygon', BTCB: 'Binance', FTM: 'Fantom', WAVAX: 'Avalanche', WFTM: 'Fantom',
  FRAX: 'Frax Finance', MIM: 'Abracadabra.money', TUSD: 'TrustToken', UST: 'Terra', 'USDT.E': 'Tether',
  'DAI.E': 'MakerDAO', FUSDT: 'Tether', 'WETH.E': 'Ethereum', DOT: 'Polkadot', ADA: 'Cardano',
  MIMATIC: 'Abracadabra.money', AVALANCHEUSDC: 'Circle', WSTETH: 'Lido', OP: 'Optimism', XRP: 'Ripple',
  SUSD: 'Synthetix', RETH: 'Rocket Pool', USTC: 'Terra', DOGE: 'Dogecoin', LUSD: 'Liquity',
  'WBTC.E': 'BitGo', HBTC: 'Huobi', RENBTC: 'Ren', MANA: 'Decentraland', MAI: 'Qi Dao', STETH: 'Lido',
  GRT: 'The Graph', LTC: 'Litecoin', LUNC: 'Terra', TRX: 'TRON', LUNA: 'Terra', STMATIC: 'Polygon',
  ATOM: 'Cosmos', AXS: 'Axie Infinity', FEI: 'Fei Protocol', USDBC: 'Unknown', AGEUR: 'Angle',
  DPI: 'Index Coop', 'BTC.B': 'Unknown', METIS: 'Metis', GOHM: 'Olympus', USDP: 'Paxos', RAI: 'Reflexer',
  HUSD: 'Huobi', PAXG: 'Paxos', AXLUSDC: 'Circle', MATICX: 'Polygon', HT: 'Huobi', ENJ: 'Enjin',
  FIL: 'Filecoin', BTCBR: 'BitcoinBR', WXDAI: 'Gnosis', '3CRV': 'Curve', POLYDOGE: 'PolyDoge',
  WMEMO: 'Wonderland', CEL: 'Celsius', EURS: 'STASIS', BCH: 'Bitcoin Cash', AMUSDC: 'Aave',
  'USD+': 'Overnight USD+', CUSD: 'Celo', WONE: 'Harmony', 'LINK.E': 'Chainlink', WCRO: 'Crypto.com',
  JEUR: 'STASIS', GALA: 'Gala Games', WGLMR: 'Moonbeam', AMDAI: 'Aave', OCEAN: 'Ocean Protocol',
  DOLA: 'Dollar Protocol', BAND: 'Band Protocol', '1USDC': 'Circle', CDAI: 'Compound', NEAR: 'NEAR Protocol',
  TWT: 'Trust Wallet', ALUSD: 'Alchemix', WSOL: 'Solana', BOB: 'Explain This Bob', WUSDR: 'Tangible',
  JPYC: 'JPY Coin', ANY: 'Anyswap', '1ETH': 'Ethereum', SETH: 'Synthetix', UMA: 'UMA Protocol',
};

export const DEFAULT_TFIDF_THRESHOLD = 0.6;

export type ResolutionStep = 'cached' | 'metadata' | 'manual' | 'tfidf' | 'primary' | 'class';

export interface Resolution {
  issuer: string;
  step: ResolutionStep;
  tokenClass: TokenClass;
}

export interface IssuerResolverOptions {
  mode?: 'precedence' | 'cached';
  threshold?: number;
  /** Extra manual entries (token -> protocol id), consulted at step 2 before MANUAL_PRIMARY. */
  manualIds?: Record<string, string>;
}

export function tokenClass(token: string, revMap: ReadonlyMap<string, string>): TokenClass {
  if (revMap.has(token)) return 'MAP';
  if (token.includes('LP')) return 'LP';
  if (token.includes('UNKNOWN')) return 'UNKNOWN';
  if (token.includes('-')) return 'OTHER';
  return 'PRIMARY';
}

export class IssuerResolver {
  private readonly mapping: MappingFiles;
  private readonly mode: 'precedence' | 'cached';
  private readonly threshold: number;
  private readonly manualIds: Record<string, string>;
  private readonly nameToId = new Map<string, string>();
  private readonly protocolIds: string[];
  private tfidf?: TfidfIndex;
  private readonly cache = new Map<string, Resolution>();

  constructor(mapping: MappingFiles, opts: IssuerResolverOptions = {}) {
    this.mapping = mapping;
    this.mode = opts.mode ?? 'precedence';
    this.threshold = opts.threshold ?? DEFAULT_TFIDF_THRESHOLD;
    if (!(this.threshold > 0 && this.threshold <= 1)) {
      throw new Error(`exposure/issuer: threshold must be in (0, 1], got ${this.threshold}`);
    }
    this.manualIds = opts.manualIds ?? {};
    for (const [id, info] of mapping.idToInfo) if (!this.nameToId.has(info.name)) this.nameToId.set(info.name, id);
    this.protocolIds = [...mapping.idToInfo.keys()];
  }

  private index(): TfidfIndex {
    if (!this.tfidf) {
      const symbols = new Map<string, string[]>();
      for (const [tok, id] of this.mapping.revMap) {
        if (tok === 'nan') continue; // a stray key in the real rev_map (data-spec §1.4)
        const s = symbols.get(id);
        if (s) s.push(tok);
        else symbols.set(id, [tok]);
      }
      const texts = this.protocolIds.map((id) => `${this.mapping.idToInfo.get(id)!.name} ${(symbols.get(id) ?? []).join(' ')}`);
      this.tfidf = new TfidfIndex(texts);
    }
    return this.tfidf;
  }

  resolve(token: string): Resolution {
    let r = this.cache.get(token);
    if (!r) {
      r = this.compute(token);
      this.cache.set(token, r);
    }
    return r;
  }

  issuer(token: string): string {
    return this.resolve(token).issuer;
  }

  private compute(token: string): Resolution {
    const cls = tokenClass(token, this.mapping.revMap);
    if (this.mode === 'cached') {
      for (const [c, m] of this.mapping.tokenToProtocol) {
        const e = m.get(token);
        if (e) return { issuer: e.id, step: 'cached', tokenClass: c };
      }
    }
    const meta = this.mapping.revMap.get(token);
    if (meta !== undefined) return { issuer: meta, step: 'metadata', tokenClass: cls };
    if (cls === 'PRIMARY') {
      const direct = this.manualIds[token];
      if (direct !== undefined) return { issuer: direct, step: 'manual', tokenClass: cls };
      const name = MANUAL_PRIMARY[token];
      const id = name !== undefined ? this.nameToId.get(name) : undefined;
      if (id !== undefined) return { issuer: id, step: 'manual', tokenClass: cls };
    }
    if (this.protocolIds.length > 0) {
      const m = this.index().best(token);
      if (m && m.score >= this.threshold) return { issuer: this.protocolIds[m.index], step: 'tfidf', tokenClass: cls };
    }
    if (cls === 'PRIMARY' || cls === 'MAP') return { issuer: token, step: 'primary', tokenClass: cls };
    return { issuer: cls, step: 'class', tokenClass: cls };
  }
}
