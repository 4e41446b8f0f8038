/**
 * The generator's parameters as one object, so that a prior (./prior.ts) can vary
 * them per history. The defaults are the calibrated constants of population.ts and
 * exposures.ts plus neutral values for the knobs the calibrated generator does not
 * have (no direction flips, no TVL jumps, the real size tail, crises and sector mix as
 * in the real release): with the defaults the output is the calibrated generator's.
 */
import { POPULATION } from './population';
import { EXPOSURES } from './exposures';
import { K } from '../realism/sectors';

export type PopulationParams = { -readonly [k in keyof typeof POPULATION]: number };
export type ExposureParams = { -readonly [k in keyof typeof EXPOSURES]: number };

export interface SynthParams {
  population: PopulationParams;
  exposures: ExposureParams;
  /** Per core exposure and week: probability that the holding turns around (p -> q becomes q -> p). */
  flipRate: number;
  /** Per protocol and week: probability of a TVL jump, and the sd of its log size. */
  jumpRate: number;
  jumpSd: number;
  /** Exponent on the fictional protocols' TVL draws: above 1 a heavier tail (a smaller tail index). */
  tailPower: number;
  /** Multiplies the log drop of the crisis weeks below the calm TVL path (1: the real drops). */
  crisisScale: number;
  /** Per 7x7 sector cell, a factor on the real link-size share (renormalised each week); absent: the real mix. */
  sectorFactors?: number[];
}

export function defaultSynthParams(): SynthParams {
  return {
    population: { ...POPULATION },
    exposures: { ...EXPOSURES },
    flipRate: 0,
    jumpRate: 0,
    jumpSd: 0,
    tailPower: 1,
    crisisScale: 1,
    sectorFactors: undefined,
  };
}

/** Refuses parameters the generator cannot use (a prior bug, or a hand-written synth.json). */
export function checkSynthParams(p: SynthParams): void {
  const bad = (name: string, v: number, lo: number, hi: number) => {
    if (!(Number.isFinite(v) && v >= lo && v <= hi)) throw new Error(`synth: parameter ${name} must be in [${lo}, ${hi}], got ${v}`);
  };
  // Levels in USD; the rest are rates, shares and log-scale quantities.
  const usd = new Set(['minLevel', 'realKeepLevel', 'realDampLevel', 'realEnterLevel']);
  for (const [k, v] of Object.entries(p.population)) bad(`population.${k}`, v, usd.has(k) ? 0 : -10, usd.has(k) ? 1e13 : 10);
  for (const [k, v] of Object.entries(p.exposures)) bad(`exposures.${k}`, v, -100, 100);
  for (const k of ['deathCore', 'deathPeriphery', 'tokenShare', 'realShare', 'realShareReduced', 'namedQuantile'] as const) bad(`population.${k}`, p.population[k], 0, 1);
  for (const k of ['coreShare', 'coreDeath', 'nullTargetShare', 'selfLoopShare'] as const) bad(`exposures.${k}`, p.exposures[k], 0, 1);
  bad('flipRate', p.flipRate, 0, 1);
  bad('jumpRate', p.jumpRate, 0, 1);
  bad('jumpSd', p.jumpSd, 0, 10);
  bad('tailPower', p.tailPower, 0.1, 5);
  bad('crisisScale', p.crisisScale, 0, 5);
  if (p.sectorFactors) {
    if (p.sectorFactors.length !== K * K) throw new Error(`synth: sectorFactors must hold ${K * K} values, got ${p.sectorFactors.length}`);
    p.sectorFactors.forEach((f, i) => bad(`sectorFactors[${i}]`, f, 1e-6, 1e6));
  }
}
