/**
 * The forecasting model as Table 3 forecasters: "dexposure-fm" (the shipped model
 * set, models/h<h>/) and "frozen-encoder" (the same architecture with an untrained,
 * frozen encoder and trained heads, models/frozen/h<h>/) when that set is present.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultModelsDir } from '../model/model-set';
import { forecastDetailed, scoreAnchorPairs } from '../model/forecast';
import { PAIR_FEATURE_SCHEMA } from '../features/pair-features';
import type { Snapshot } from '../snapshot/types';
import { persistenceGraphScorer, type GraphScorer } from './graph-quality';
import {
  combinedForecaster,
  edgeBankForecaster,
  heuristicForecaster,
  persistenceForecaster,
  popularityForecaster,
  undirectedEdgeBankForecaster,
  undirectedPersistenceForecaster,
  type Forecaster,
} from './evaluate';
import { FEATURE_GROUPS, learnedPairForecaster, learnedPairForecasters } from './learned-baseline';
import { pairMedianForecaster } from './pair-median-baseline';

/** The models folder to use: the argument, `dexposure.modelsPath` (DEXPOSURE_MODELS_PATH), or the bundled models/. */
export function resolveModelsDir(modelsDir?: string): string | undefined {
  if (modelsDir) return modelsDir;
  if (process.env.DEXPOSURE_MODELS_PATH) return process.env.DEXPOSURE_MODELS_PATH;
  try {
    return defaultModelsDir();
  } catch {
    return undefined;
  }
}

/** The horizons a models folder has a model set for (its h<h>/ folders), ascending. */
export function modelHorizons(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => (/^h[1-9]\d*$/.test(n) ? [Number(n.slice(1))] : [])).sort((a, b) => a - b);
}

/** Weeks kept for the pair features of models that use them (PAIR_FEATURE_SCHEMA.memoryWeeks). */
const MEMORY = PAIR_FEATURE_SCHEMA.memoryWeeks;

function modelForecaster(name: string, dir: string, horizon: number): Forecaster {
  // the last weeks observed (never beyond the anchor being scored), for pair features;
  // an observed week not after the last one starts a new history
  let recent: Snapshot[] = [];
  return {
    name,
    probabilities: true,
    observe: (s) => {
      if (recent.length && s.week <= recent[recent.length - 1].week) recent = [];
      recent.push(s);
      if (recent.length > MEMORY) recent.shift();
    },
    score: (anchor, previous, pairs) =>
      scoreAnchorPairs(anchor, previous, pairs, { horizon, modelsDir: dir, history: recent.filter((s) => s.week < anchor.week) }),
  };
}

/** Forecasters for every model set found for `horizon` (none when no models are installed). */
export async function modelForecasters(horizon: number, modelsDir?: string): Promise<Forecaster[]> {
  const dir = resolveModelsDir(modelsDir);
  if (!dir) return [];
  const out: Forecaster[] = [];
  if (existsSync(join(dir, `h${horizon}`))) out.push(modelForecaster('dexposure-fm', dir, horizon));
  else if (modelsDir)
    throw new Error(
      `eval: ${dir} has no model for horizon ${horizon} (expected ${join(dir, `h${horizon}`)}/)`,
    );
  const frozen = join(dir, 'frozen');
  if (existsSync(join(frozen, `h${horizon}`))) out.push(modelForecaster('frozen-encoder', frozen, horizon));
  return out;
}

/** The model's forecast G^(t+h) as `dx.forecast` builds it (its own candidate pairs), for the graph-level table. */
export function modelGraphScorer(modelsDir?: string, name = 'dexposure-fm'): GraphScorer {
  const dir = resolveModelsDir(modelsDir);
  return {
    name,
    horizons: dir ? modelHorizons(dir) : [],
    // a model with pair features reads the memory window before the anchor (as dx.forecast does)
    historyWeeks: MEMORY - 1,
    forecast: async (anchor, previous, horizon, history) => {
      const r = await forecastDetailed(anchor, previous, { horizon, modelsDir: dir, history });
      return { snapshot: r.snapshot, candidates: r.candidates.pairs };
    },
  };
}

/**
 * The yardstick's forecasters for one horizon, the same for `dexposure evaluate`,
 * `dx.evaluate` and the paper notebook: the model set (unless `baselinesOnly`), the
 * paper's baselines, the stronger ones and the learned pair baseline (`pair-logreg`, with
 * its feature-group ablations when asked, and `pair-lad`, its weights fitted for MAE) and
 * `pair-median` (a pair's median or last log-weight over the last 13 weeks, or a typical
 * one, as the training weeks favour per number of weeks linked).
 */
export async function standardForecasters(
  horizon: number,
  opts: { modelsDir?: string; baselinesOnly?: boolean; ablations?: boolean } = {},
): Promise<Forecaster[]> {
  return [
    ...(opts.baselinesOnly ? [] : await modelForecasters(horizon, opts.modelsDir)),
    persistenceForecaster(),
    edgeBankForecaster(),
    heuristicForecaster(),
    undirectedPersistenceForecaster(),
    undirectedEdgeBankForecaster(),
    popularityForecaster(),
    combinedForecaster(),
    ...learnedPairForecasters(),
    pairMedianForecaster(),
    ...(opts.ablations
      ? FEATURE_GROUPS.map((g) => learnedPairForecaster({ groups: FEATURE_GROUPS.filter((x) => x !== g) }))
      : []),
  ];
}

/** Graph-level scorers: the model's forecast (unless `baselinesOnly`) and persistence. */
export function standardGraphScorers(
  opts: { modelsDir?: string; baselinesOnly?: boolean } = {},
): GraphScorer[] {
  return [...(opts.baselinesOnly ? [] : [modelGraphScorer(opts.modelsDir)]), persistenceGraphScorer];
}
