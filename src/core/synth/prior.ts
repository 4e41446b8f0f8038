/**
 * The prior over generated histories used to pretrain the forecaster (docs/DATA.md
 * "The prior"): each seed draws the generator's parameters (./params.ts), the scale,
 * the number of weeks and where the history starts in the real calendar, so that a
 * model trained across many draws must read a history's dynamics from its input
 * instead of memorising one world.
 *
 * Two regimes: 'in' (the pretraining range) and 'out' (outside it on purpose, for the
 * out-of-range evaluation history: more direction flips, more churn, a smaller
 * persistent core). Seeds 0..8999 are for pretraining and calibration; seeds >= 9000
 * are reserved for evaluation (RESERVED_EVAL_SEEDS_FROM) and the corpus builder
 * refuses them.
 * The draw uses its own generator keyed on (regime, seed), so the history itself is
 * generated from the seed exactly as a plain `synth --seed` run would consume it.
 */
import { rngFromKey, type Rng } from '../random/xoshiro';
import { normal } from '../random';
import { defaultSynthParams, type SynthParams } from './params';
import { addWeeks, dayNumber } from './calendar';
import { K } from '../realism/sectors';

export const RESERVED_EVAL_SEEDS_FROM = 9000;
export type PriorRegime = 'in' | 'out';

/** One range per varied quantity: [low, high], drawn uniformly or log-uniformly. */
export interface Range {
  lo: number;
  hi: number;
  log?: boolean;
}

/**
 * The documented ranges. In-range values bracket the calibrated generator (its value
 * in the comment) and what the real release plausibly does; the out regime moves the
 * quantities a forecaster is most sensitive to beyond them.
 */
export const PRIOR_RANGES: Record<PriorRegime, Record<string, Range>> = {
  in: {
    protocols: { lo: 300, hi: 11000, log: true }, // nodes at the last week (the real release: ~11,000 in 2025)
    weeks: { lo: 60, hi: 150 }, // snapshots
    flipRate: { lo: 0.0005, hi: 0.03, log: true }, // calibrated: 0 (core directions never flip)
    deathPeriphery: { lo: 0.01, hi: 0.08 }, // calibrated: 0.03
    deathCore: { lo: 0.0005, hi: 0.005, log: true }, // calibrated: 0.0015
    coreDeath: { lo: 0.001, hi: 0.015, log: true }, // calibrated: 0.004
    coreShare: { lo: 0.4, hi: 0.7 }, // calibrated: 0.56
    levelSd: { lo: 0.05, hi: 0.2 }, // calibrated: 0.11
    driftSd: { lo: 0.005, hi: 0.03 }, // calibrated: 0.016
    jumpRate: { lo: 0.0005, hi: 0.02, log: true }, // calibrated: 0
    jumpSd: { lo: 0.2, hi: 1.2 },
    uMax: { lo: 0.8, hi: 2 }, // calibrated: 1.5
    tailPower: { lo: 0.8, hi: 1.3 }, // calibrated: 1
    crisisScale: { lo: 0.3, hi: 2 }, // calibrated: 1
    crisesShare: { lo: 0.8, hi: 0.8 }, // probability that the TVL path has its crises
    sectorNoise: { lo: 0, hi: 0.8 }, // sd of the log factor on each sector cell's share
  },
  out: {
    protocols: { lo: 1500, hi: 4000, log: true },
    weeks: { lo: 90, hi: 120 },
    flipRate: { lo: 0.08, hi: 0.15, log: true },
    deathPeriphery: { lo: 0.1, hi: 0.14 },
    deathCore: { lo: 0.006, hi: 0.01, log: true },
    coreDeath: { lo: 0.02, hi: 0.03, log: true },
    coreShare: { lo: 0.28, hi: 0.36 },
    levelSd: { lo: 0.22, hi: 0.28 },
    driftSd: { lo: 0.035, hi: 0.045 },
    jumpRate: { lo: 0.03, hi: 0.05, log: true },
    jumpSd: { lo: 1.3, hi: 1.8 },
    uMax: { lo: 2.2, hi: 2.6 },
    tailPower: { lo: 1.4, hi: 1.6 },
    crisisScale: { lo: 2.2, hi: 2.8 },
    crisesShare: { lo: 1, hi: 1 },
    sectorNoise: { lo: 1, hi: 1.2 },
  },
};

/** The quantities whose 'out' range lies outside the 'in' range (the others overlap it). */
export const OUT_OF_RANGE = ['flipRate', 'deathPeriphery', 'deathCore', 'coreDeath', 'coreShare', 'levelSd', 'driftSd', 'jumpRate', 'jumpSd', 'uMax', 'tailPower', 'crisisScale', 'sectorNoise'] as const;

/** What a prior draw fixes for one history (recorded in synth.json). */
export interface PriorDraw {
  regime: PriorRegime;
  seed: number;
  protocols: number;
  weeks: number;
  start: string;
  crises: boolean;
  /** The drawn scalar values, by PRIOR_RANGES name. */
  drawn: Record<string, number>;
  params: SynthParams;
}

const REAL_FIRST = '2020-03-23';
const REAL_WEEKS = 283;

function draw(rng: Rng, r: Range): number {
  const u = rng.next();
  if (r.lo === r.hi) return r.lo;
  return r.log ? Math.exp(Math.log(r.lo) + u * (Math.log(r.hi) - Math.log(r.lo))) : r.lo + u * (r.hi - r.lo);
}

export function drawPrior(seed: number, regime: PriorRegime = 'in'): PriorDraw {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`synth/prior: seed must be a non-negative integer, got ${seed}`);
  const ranges = PRIOR_RANGES[regime];
  if (!ranges) throw new Error(`synth/prior: regime must be 'in' or 'out', got ${JSON.stringify(regime)}`);
  const rng = rngFromKey(`dexposure-prior|${regime}|${seed}`);
  const drawn: Record<string, number> = {};
  for (const name of Object.keys(ranges)) drawn[name] = draw(rng, ranges[name]);
  const protocols = Math.round(drawn.protocols);
  const weeks = Math.round(drawn.weeks);
  drawn.protocols = protocols;
  drawn.weeks = weeks;
  // where the history sits in the real calendar decides which crises (Terra, FTX,
  // April 2025) it holds and when
  const startIndex = Math.floor(rng.next() * (REAL_WEEKS - weeks + 1));
  const start = addWeeks(REAL_FIRST, startIndex);
  const crises = rng.next() < drawn.crisesShare;
  const params = defaultSynthParams();
  params.flipRate = drawn.flipRate;
  params.population.deathPeriphery = drawn.deathPeriphery;
  params.population.deathCore = drawn.deathCore;
  params.population.levelSd = drawn.levelSd;
  params.population.driftSd = drawn.driftSd;
  params.population.uMax = drawn.uMax;
  params.exposures.coreDeath = drawn.coreDeath;
  params.exposures.coreShare = drawn.coreShare;
  params.jumpRate = drawn.jumpRate;
  params.jumpSd = drawn.jumpSd;
  params.tailPower = drawn.tailPower;
  params.crisisScale = drawn.crisisScale;
  // a log-normal factor per sector cell: some histories are lending-heavy, others DEX-heavy
  params.sectorFactors = Array.from({ length: K * K }, () => Math.exp(drawn.sectorNoise * normal(rng)));
  if (dayNumber(start) < dayNumber(REAL_FIRST)) throw new Error('synth/prior: start before the real calendar');
  return { regime, seed, protocols, weeks, start, crises, drawn, params };
}
