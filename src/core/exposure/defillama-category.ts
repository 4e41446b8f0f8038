/**
 * A plausible raw DefiLlama category for a protocol known only by name and broad
 * sector (mapping/id_to_info.json holds sectors; meta_df.csv needs DefiLlama
 * categories, data-spec §1.2-1.3).
 *
 * Heuristic, not data: keyword rules on the name first (most specific first), then
 * the sector's most common category. The rules produce 16 categories (Table 1 of
 * the paper counts ~15): rarer DefiLlama categories (Options, Insurance,
 * Launchpad, NFT Marketplace, ...) are folded into their nearest common one. The sectors group DefiLlama categories as in
 * the authors' CATEGORY_MAPPING (dthinkr/defi-tvl config/config.py), so every
 * answer is a category of the guessed sector when the sector is known. Used by
 * `dexposure build` (when no meta_df is supplied) and by the synthetic generator.
 */

const RULES: [RegExp, string][] = [
  [/\b(bridge|wormhole|portal|layerzero|stargate|multichain|anyswap|synapse|celer|across|hop protocol|allbridge|orbiter)\b/i, 'Bridge'],
  [/\b(cex|binance|okx|okex|bitfinex|bybit|crypto-com|robinhood|kraken|coinbase|huobi|htx|gate\.?io|kucoin|bitget|mexc|deribit|gemini|bitstamp|bitmex|upbit|bithumb)\b/i, 'CEX'],
  [/(restak|eigen|renzo|kelp|puffer|karak|symbiotic|swell l2)/i, 'Restaking'],
  [/\b(lido|rocket ?pool|jito|marinade|stader|ankr|frax ether|ether\.?fi|stakewise|benqi staked|coinbase wrapped staked|staked|liquid staking|wbeth|mantle staked|binance staked)\b/i, 'Liquid Staking'],
  [/\b(maker|makerdao|sky|liquity|reflexer|abracadabra|prisma|gravita|crvusd|cdp|mim|qidao|qi dao|inverse|alchemix|ethena)\b/i, 'CDP'],
  [/\b(aave|compound|venus|radiant|morpho|spark|benqi|euler|justlend|cream|iron bank|silo|fluid|kamino lend|solend|geist|moonwell|granary|lend|lending|loan|borrow)\b/i, 'Lending'],
  [/\b(ondo|centrifuge|maple|goldfinch|truefi|backed|tokenized|treasur(y|ies)|rwa|blackrock|franklin|superstate|paxos gold|tether gold)\b/i, 'RWA'],
  [/\b(gmx|dydx|perp|perpetual|futures|hyperliquid|synthetix|gains|kwenta|drift|jupiter perp|vertex|apex|level|mux|derivative|option|options|lyra|hegic|opyn|premia|dopex|ribbon)/i, 'Derivatives'],
  [/\b(yearn|beefy|convex|aura|autofarm|harvest|aggregator|vault|vaults|idle|pickle|sommelier|concentrator|stake dao|yield yak)\b/i, 'Yield Aggregator'],
  [/\b(yield|farm|pendle|staking pool|savings)\b/i, 'Yield'],
  [/\b(swap|dex|exchange|uniswap|sushi|curve|balancer|pancake|trader joe|amm|raydium|orca|velodrome|aerodrome|camelot|quickswap|spooky|thena|meteora|cow|1inch|0x|kyber|dodo|bancor|maverick|izumi)\b/i, 'Dexes'],
  [/\b(usd|stable|dollar|frax|ust|dai|tether|circle)\b/i, 'Algo-Stables'],
  [/\b(chain|network|layer ?2|rollup|mainnet)\b/i, 'Chain'],
  [/\b(tornado|privacy|railgun|aztec)\b/i, 'Privacy'],
];

/** The sector's most common DefiLlama category, when no name rule matches. */
const SECTOR_DEFAULT: Record<string, string> = {
  'Trading & Exchanges': 'Dexes',
  'Asset Management': 'Yield',
  'Lending, Borrowing & Real World Assets': 'Lending',
  'Infrastructure, Services & Financial Products': 'Services',
  'Privacy & Security': 'Privacy',
  Others: 'SoFi',
  Unknown: 'Services',
};

/** Categories allowed per sector (authors' CATEGORY_MAPPING plus Restaking). */
const SECTOR_OF: Record<string, string> = {
  'Algo-Stables': 'Asset Management', 'Liquid Staking': 'Asset Management', Restaking: 'Asset Management',
  Yield: 'Asset Management', 'Yield Aggregator': 'Asset Management',
  Bridge: 'Trading & Exchanges', CEX: 'Trading & Exchanges', Dexes: 'Trading & Exchanges',
  Derivatives: 'Trading & Exchanges', Options: 'Trading & Exchanges', 'NFT Marketplace': 'Trading & Exchanges',
  CDP: 'Lending, Borrowing & Real World Assets', Lending: 'Lending, Borrowing & Real World Assets',
  RWA: 'Lending, Borrowing & Real World Assets',
  Chain: 'Infrastructure, Services & Financial Products', Services: 'Infrastructure, Services & Financial Products',
  Insurance: 'Infrastructure, Services & Financial Products', Launchpad: 'Infrastructure, Services & Financial Products',
  Privacy: 'Privacy & Security',
};

export function guessDefiLlamaCategory(name: string, sector: string): string {
  const known = sector in SECTOR_DEFAULT && sector !== 'Unknown';
  for (const [re, cat] of RULES) {
    if (!re.test(name)) continue;
    // A name rule wins when it agrees with the sector, or when the sector is
    // unknown. Bridges and CEXes are recognisable by name whatever the sector says
    // (id_to_info files "Polygon Bridge & Staking" under Infrastructure), and so
    // are restaking protocols (it files EigenLayer under Lending).
    if (!known || SECTOR_OF[cat] === sector || cat === 'Bridge' || cat === 'CEX' || cat === 'Restaking') return cat;
  }
  return SECTOR_DEFAULT[sector] ?? 'Services';
}
