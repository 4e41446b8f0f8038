/**
 * The forecasting model as Table 3 forecasters: "dexposure-fm" (the shipped model
 * set, models/h<h>/) and "frozen-encoder" (the same architecture with an untrained,
 * frozen encoder and trained heads, models/frozen/h<h>/) when that set is present.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultModelsDir } from '../model/model-set';
import { scoreAnchorPairs } from '../model/forecast';
import type { Forecaster } from './evaluate';

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

function modelForecaster(name: string, dir: string, horizon: number): Forecaster {
  return { name, probabilities: true, score: (anchor, previous, pairs) => scoreAnchorPairs(anchor, previous, pairs, { horizon, modelsDir: dir }) };
}

/** Forecasters for every model set found for `horizon` (none when no models are installed). */
export async function modelForecasters(horizon: number, modelsDir?: string): Promise<Forecaster[]> {
  const dir = resolveModelsDir(modelsDir);
  if (!dir) return [];
  const out: Forecaster[] = [];
  if (existsSync(join(dir, `h${horizon}`))) out.push(modelForecaster('dexposure-fm', dir, horizon));
  else if (modelsDir) throw new Error(`eval: ${dir} has no model for horizon ${horizon} (expected ${join(dir, `h${horizon}`)}/)`);
  const frozen = join(dir, 'frozen');
  if (existsSync(join(frozen, `h${horizon}`))) out.push(modelForecaster('frozen-encoder', frozen, horizon));
  return out;
}
