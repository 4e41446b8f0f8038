/**
 * Model cards: the JSON written next to every exported ONNX graph by the trainer
 * (training/dxtrain/export.py; docs/MODEL.md "Files"). A card names the graph's
 * role, horizon, feature schema, training data, hyperparameters, metrics and the
 * sha256 of the ONNX file, so inference can refuse a file that is not the one the
 * card describes.
 */
import { readFileSync } from 'node:fs';

export const MODEL_CARD_FORMAT = 'dexposure-model-card';
export const MODEL_CARD_VERSION = 1;

export type ModelRole = 'encoder' | 'link' | 'node';
export const MODEL_ROLES: readonly ModelRole[] = ['encoder', 'link', 'node'];

/** Table 3 metrics of one split, as the trainer computed them (null = undefined there). */
export interface CardMetrics {
  auroc: number | null;
  auprc: number | null;
  weightMAE: number | null;
  weightRMSE: number | null;
  nodeMAE: number | null;
  nodeRMSE: number | null;
  /** Expected calibration error of the (calibrated) existence probabilities. */
  ece?: number | null;
  pairs?: number;
  positives?: number;
  weekPairs?: number;
}

export interface ModelCard {
  format: typeof MODEL_CARD_FORMAT;
  version: number;
  model: string;
  role: ModelRole;
  file: string;
  sha256: string;
  bytes?: number;
  horizon: number;
  opset: number;
  inputs: string[];
  outputs: string[];
  dims: { features: number; d: number; linkHidden: number };
  featureSchema: { name: string; version: number; hash: string };
  trainingData: { path?: string; weeks?: number; from?: string; to?: string; fingerprint?: string; seed?: number; negRatio?: number };
  hyperparameters: Record<string, unknown>;
  metrics: { validation: Partial<CardMetrics>; test: Partial<CardMetrics> };
  split?: Record<string, [string | null, string | null, number]>;
  weekPairs?: Record<string, number>;
  selection?: string;
  history?: unknown[];
  /**
   * Platt scaling of the existence logit fitted on held-out pairs after training.
   * Already folded into link.onnx (its `logit` output is calibrated); recorded here
   * so a reader can see what was done and what it changed.
   */
  calibration?: { method: 'platt'; scale: number; shift: number; fittedOn: string; eceBefore: number | null; eceAfter: number | null };
  /**
   * Link cards of models trained on pair features (training-set version 2): the pair
   * feature schema with its hash. The link graph then takes a `pair_x` [P, K] input,
   * which inference computes with src/core/features/pair-features.ts.
   */
  pairFeatures?: { name: string; version: number; names: string[]; memoryWeeks: number; hash: string };
}

/** A model file or card that cannot be used; the message names the file and the fault. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

function need(cond: boolean, file: string, what: string): void {
  if (!cond) throw new ModelError(`model/card: ${file}: ${what}`, file);
}

/** Parse and check the shape of a card (not yet its sha256 or schema hash). */
export function parseModelCard(text: string, file: string): ModelCard {
  let v: any;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ModelError(`model/card: ${file}: not valid JSON (${(e as Error).message})`, file);
  }
  need(v !== null && typeof v === 'object' && !Array.isArray(v), file, 'expected a JSON object');
  need(v.format === MODEL_CARD_FORMAT, file, `field "format" is ${JSON.stringify(v.format)}, expected "${MODEL_CARD_FORMAT}"`);
  need(typeof v.version === 'number', file, 'field "version" must be a number');
  need(v.version <= MODEL_CARD_VERSION, file, `card version ${v.version} is newer than this reader (${MODEL_CARD_VERSION}); update DeXposure Notebooks`);
  need(MODEL_ROLES.includes(v.role), file, `field "role" is ${JSON.stringify(v.role)}, expected one of ${MODEL_ROLES.join(', ')}`);
  need(typeof v.file === 'string' && v.file.length > 0 && !v.file.includes('/') && !v.file.includes('\\'), file, 'field "file" must be a bare file name');
  need(typeof v.sha256 === 'string' && /^[0-9a-f]{64}$/.test(v.sha256), file, 'field "sha256" must be 64 lowercase hex digits');
  need(Number.isInteger(v.horizon) && v.horizon >= 1, file, 'field "horizon" must be a positive integer');
  need(Array.isArray(v.inputs) && Array.isArray(v.outputs), file, 'fields "inputs" and "outputs" must be arrays of names');
  const fs = v.featureSchema;
  need(fs && typeof fs.name === 'string' && typeof fs.version === 'number' && typeof fs.hash === 'string', file, 'field "featureSchema" must hold name, version and hash');
  const dims = v.dims;
  need(dims && Number.isInteger(dims.features) && Number.isInteger(dims.d) && Number.isInteger(dims.linkHidden), file, 'field "dims" must hold integer features, d and linkHidden');
  need(v.metrics && typeof v.metrics === 'object', file, 'field "metrics" missing');
  if (v.pairFeatures !== undefined) {
    const pf = v.pairFeatures;
    need(
      pf && typeof pf.name === 'string' && typeof pf.version === 'number' && Array.isArray(pf.names) && Number.isInteger(pf.memoryWeeks) && typeof pf.hash === 'string',
      file,
      'field "pairFeatures" must hold name, version, names, memoryWeeks and hash',
    );
    need(v.role !== 'link' || v.inputs.includes('pair_x'), file, 'field "pairFeatures" is set but "inputs" does not name pair_x');
  }
  return v as ModelCard;
}

export function readModelCard(path: string): ModelCard {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelError(code === 'ENOENT' ? `model/card: ${path}: model card missing` : `model/card: ${path}: cannot read (${(e as Error).message})`, path);
  }
  return parseModelCard(text, path);
}
