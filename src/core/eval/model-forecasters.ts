/**
 * The forecasting model as Table 3 forecasters ("dexposure-fm" and, when the model
 * set ships one, "frozen-encoder"). Until a model set is installed this yields none,
 * and the evaluation reports the baselines only.
 */
import type { Forecaster } from './evaluate';

export async function modelForecasters(_horizon: number, _modelsDir?: string): Promise<Forecaster[]> {
  return [];
}
