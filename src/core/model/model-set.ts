/**
 * Loading one horizon's model set (encoder, link and node ONNX graphs with their
 * cards, models/h<h>/; docs/MODEL.md) into onnxruntime-node sessions. Every file is
 * checked before use: a missing graph or card, a graph whose sha256 differs from its
 * card (corrupt or replaced), a graph ORT cannot load, a card for another horizon,
 * or a feature-schema hash that differs from this build's nodeFeatures() all raise a
 * ModelError naming the file and the fault. A silent wrong forecast is worse than none.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { featureSchemaHash, FEATURE_SCHEMA } from '../features';
import { NUM_PAIR_FEATURES, PAIR_FEATURE_SCHEMA, pairFeatureSchemaHash } from '../features/pair-features';
import { MODEL_ROLES, ModelError, readModelCard, type ModelCard, type ModelRole } from './card';

export interface ModelSet {
  horizon: number;
  dir: string;
  /** Model name and horizon, e.g. "dexposure-fm-small@h4", recorded in forecasts. */
  name: string;
  cards: Record<ModelRole, ModelCard>;
  sessions: Record<ModelRole, ort.InferenceSession>;
}

export interface LoadOptions {
  /** ORT intra-op threads (default: ORT's choice, all cores). */
  threads?: number;
}

/**
 * $DEXPOSURE_MODELS_PATH (the `dexposure.modelsPath` setting) or $DEXPOSURE_MODELS, else
 * the nearest `models/` with a model set above this module or the working directory.
 */
export function defaultModelsDir(): string {
  const fromEnv = process.env.DEXPOSURE_MODELS_PATH || process.env.DEXPOSURE_MODELS;
  if (fromEnv) return fromEnv;
  const starts = [typeof __dirname === 'string' ? __dirname : process.cwd(), process.cwd()];
  for (const start of starts) {
    let d = resolve(start);
    for (;;) {
      if (existsSync(join(d, 'models', 'h1', 'encoder.card.json')) || existsSync(join(d, 'models', 'h4', 'encoder.card.json'))) return join(d, 'models');
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  throw new ModelError('model/model-set: no model set found (models/h<h>/encoder.card.json above the extension or the working directory); pass modelsDir, set the dexposure.modelsPath setting, or set DEXPOSURE_MODELS_PATH');
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const SCATTER_ND = Buffer.from('ScatterND');

/**
 * Intra-op threads for a graph: one where it holds a ScatterND (the neighbour sums of
 * the encoder and node head, training/dxtrain/onnx_scatter.py): onnxruntime's CPU
 * ScatterND splits its updates across threads without synchronisation, so two edges
 * into one node race and a sum comes out different from run to run; on one thread it
 * adds edge by edge, as ScatterElements does. Otherwise `requested` (undefined: ORT's
 * choice). An op type is stored in the graph as its plain name, so a byte search finds it.
 */
export function intraOpThreads(graph: Uint8Array, requested: number | undefined): number | undefined {
  return Buffer.from(graph.buffer, graph.byteOffset, graph.byteLength).includes(SCATTER_ND) ? 1 : requested;
}

const cache = new Map<string, Promise<ModelSet>>();

/** Load (once per directory, horizon and thread count) and verify a horizon's model set. */
export function loadModelSet(modelsDir: string, horizon: number, opts: LoadOptions = {}): Promise<ModelSet> {
  const key = `${resolve(modelsDir)}|${horizon}|${opts.threads ?? ''}`;
  let p = cache.get(key);
  if (!p) {
    p = loadUncached(modelsDir, horizon, opts);
    cache.set(key, p);
    // A failed load is not cached: the user may fix the files and retry.
    p.catch(() => cache.delete(key));
  }
  return p;
}

async function loadUncached(modelsDir: string, horizon: number, opts: LoadOptions): Promise<ModelSet> {
  if (!Number.isInteger(horizon) || horizon < 1) throw new ModelError(`model/model-set: horizon must be a positive integer number of weeks, got ${horizon}`);
  const dir = join(modelsDir, `h${horizon}`);
  if (!existsSync(dir)) {
    throw new ModelError(`model/model-set: ${dir}: no model set for horizon ${horizon} (expected ${MODEL_ROLES.map((r) => `${r}.onnx`).join(', ')} with their .card.json)`, dir);
  }
  const expectedHash = featureSchemaHash();
  const cards = {} as Record<ModelRole, ModelCard>;
  const sessions = {} as Record<ModelRole, ort.InferenceSession>;
  for (const role of MODEL_ROLES) {
    const cardPath = join(dir, `${role}.card.json`);
    const card = readModelCard(cardPath);
    if (card.role !== role) throw new ModelError(`model/model-set: ${cardPath}: card is for role "${card.role}", expected "${role}"`, cardPath);
    if (card.horizon !== horizon) throw new ModelError(`model/model-set: ${cardPath}: card is for horizon ${card.horizon}, found in the h${horizon} directory`, cardPath);
    if (card.featureSchema.hash !== expectedHash) {
      throw new ModelError(
        `model/model-set: ${cardPath}: feature schema mismatch: the model was trained on ${card.featureSchema.name} v${card.featureSchema.version} (hash ${card.featureSchema.hash.slice(0, 12)}…), ` +
          `this build computes ${FEATURE_SCHEMA.name} v${FEATURE_SCHEMA.version} (hash ${expectedHash.slice(0, 12)}…); retrain the model or use a matching DeXposure Notebooks version`,
        cardPath,
      );
    }
    const onnxPath = join(dir, card.file);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(onnxPath);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ModelError(`model/model-set: ${onnxPath}: ${code === 'ENOENT' ? 'model file missing' : `cannot read (${(e as Error).message})`} (named by ${cardPath})`, onnxPath);
    }
    const sha = sha256Hex(bytes);
    if (sha !== card.sha256) {
      throw new ModelError(`model/model-set: ${onnxPath}: corrupt or replaced: sha256 is ${sha}, its card ${cardPath} says ${card.sha256}`, onnxPath);
    }
    try {
      // No spinning: onnxruntime's idle threads otherwise busy-wait after every run,
      // taking the cores from the candidate generation and the rest of the kernel.
      const so: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'all', extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } };
      const threads = intraOpThreads(bytes, opts.threads);
      if (threads) so.intraOpNumThreads = threads;
      sessions[role] = await ort.InferenceSession.create(bytes, so);
    } catch (e) {
      throw new ModelError(`model/model-set: ${onnxPath}: onnxruntime cannot load it (${(e as Error).message.split('\n')[0]})`, onnxPath);
    }
    const missingIn = card.inputs.filter((n) => !sessions[role].inputNames.includes(n));
    const missingOut = card.outputs.filter((n) => !sessions[role].outputNames.includes(n));
    if (missingIn.length || missingOut.length) {
      throw new ModelError(`model/model-set: ${onnxPath}: graph lacks ${[...missingIn.map((n) => `input ${n}`), ...missingOut.map((n) => `output ${n}`)].join(', ')} named by its card`, onnxPath);
    }
    cards[role] = card;
  }
  const enc = cards.encoder;
  if (enc.dims.features !== FEATURE_SCHEMA.names.length) {
    throw new ModelError(`model/model-set: ${join(dir, 'encoder.card.json')}: expects ${enc.dims.features} features, the schema has ${FEATURE_SCHEMA.names.length}`);
  }
  const pf = cards.link.pairFeatures;
  if (pf) {
    const linkCard = join(dir, 'link.card.json');
    const want = pairFeatureSchemaHash();
    if (pf.hash !== want) {
      throw new ModelError(
        `model/model-set: ${linkCard}: pair feature schema mismatch: the link model was trained on ${pf.name} v${pf.version} ` +
          `(${pf.names.length} features over ${pf.memoryWeeks} weeks, hash ${pf.hash.slice(0, 12)}…), this version computes ${PAIR_FEATURE_SCHEMA.name} ` +
          `v${PAIR_FEATURE_SCHEMA.version} (${NUM_PAIR_FEATURES} features over ${PAIR_FEATURE_SCHEMA.memoryWeeks} weeks, hash ${want.slice(0, 12)}…); retrain or use a matching model set`,
        linkCard,
      );
    }
  } else if (cards.link.inputs.includes('pair_x')) {
    throw new ModelError(`model/model-set: ${join(dir, 'link.card.json')}: the link graph takes pair_x but its card has no "pairFeatures" schema to compute it with`);
  }
  return { horizon, dir, name: `${enc.model}@h${horizon}`, cards, sessions };
}
