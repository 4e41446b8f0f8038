/**
 * The fixed category vocabulary of the node feature vector and the mapping of raw
 * DefiLlama categories onto it (docs/TRAINING-SET.md).
 *
 * Deviation from the authors (data-spec §3): their one-hot is built from whatever
 * categories meta_df.csv holds, so its width and meaning change with the data; ours
 * is fixed so that a model trained on synthetic data runs on the real release and
 * back. 14 main DefiLlama categories (merging close relatives), then "Other" for
 * any other known category and "Unknown" for ids absent from meta_df.csv.
 */
export const FEATURE_CATEGORIES = [
  'Dexes',
  'Lending',
  'CDP',
  'Liquid Staking',
  'Restaking',
  'Bridge',
  'CEX',
  'Yield',
  'Yield Aggregator',
  'Derivatives',
  'Algo-Stables',
  'RWA',
  'Chain',
  'Services',
  'Other',
  'Unknown',
] as const;

export type FeatureCategory = (typeof FEATURE_CATEGORIES)[number];

/** Raw DefiLlama category (lower-case) -> vocabulary entry, beyond exact names. */
const ALIASES: Record<string, FeatureCategory> = {
  dex: 'Dexes',
  'uncollateralized lending': 'Lending',
  'nft lending': 'Lending',
  'leveraged farming': 'Lending',
  'rwa lending': 'RWA',
  'liquid restaking': 'Restaking',
  'restaked btc': 'Restaking',
  'cross chain': 'Bridge',
  'cross chain bridge': 'Bridge',
  'bridge aggregator': 'Bridge',
  options: 'Derivatives',
  'options vault': 'Derivatives',
  synthetics: 'Derivatives',
  perps: 'Derivatives',
  'decentralized stablecoin': 'Algo-Stables',
  'reserve currency': 'Algo-Stables',
  'liquidity manager': 'Yield Aggregator',
  indexes: 'Yield Aggregator',
  farm: 'Yield',
  'staking pool': 'Liquid Staking',
  infrastructure: 'Services',
  oracle: 'Services',
  payments: 'Services',
  insurance: 'Services',
  launchpad: 'Services',
  'prediction market': 'Services',
};

const EXACT = new Map<string, FeatureCategory>(FEATURE_CATEGORIES.map((c) => [c.toLowerCase(), c]));

/** Map a raw category string onto the fixed vocabulary (case-insensitive). */
export function featureCategory(raw: string | null | undefined): FeatureCategory {
  if (raw === null || raw === undefined) return 'Unknown';
  const k = raw.trim().toLowerCase();
  if (k === '' || k === 'nan') return 'Unknown';
  return EXACT.get(k) ?? ALIASES[k] ?? 'Other';
}

export function featureCategoryIndex(raw: string | null | undefined): number {
  return FEATURE_CATEGORIES.indexOf(featureCategory(raw));
}
