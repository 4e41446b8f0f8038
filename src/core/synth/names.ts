/**
 * Names for synthetic protocols beyond the real mapping's 4,127 ids: two invented
 * syllable stems plus a DeFi suffix that hints at the protocol's category, so the
 * category guesser and a reader both find them plausible ("Zorafi Swap").
 */
import type { Rng } from '../random';
import { uniformInt } from '../random';

const STEMS = ['zo', 'ra', 'fi', 'lu', 'ne', 'ka', 'vo', 'ti', 'xa', 'mo', 'quo', 'bel', 'dra', 'sol', 'ven', 'ark', 'ion', 'pix', 'um', 'tor', 'ly', 'sy', 'ex', 'or', 'ze', 'na', 'cy', 'pho', 'gal', 'mer'];
const SUFFIXES = ['Swap', 'Finance', 'Lend', 'Vault', 'Bridge', 'Protocol', 'DEX', 'Yield', 'Farm', 'Staked ETH', 'Perps', 'Money', 'Capital', 'Labs', 'DAO', 'Exchange', 'Stable', 'Markets', 'Restaking', 'Chain'];

export function syntheticName(rng: Rng, taken: Set<string>): string {
  for (;;) {
    const parts = 2 + uniformInt(rng, 2);
    let stem = '';
    for (let i = 0; i < parts; i++) stem += STEMS[uniformInt(rng, STEMS.length)];
    const name = `${stem[0].toUpperCase()}${stem.slice(1)} ${SUFFIXES[uniformInt(rng, SUFFIXES.length)]}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}
