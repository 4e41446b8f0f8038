/**
 * The node feature schema: names and order of the columns nodeFeatures() emits,
 * with a hash that pins them (docs/TRAINING-SET.md; data-spec §3). A model card
 * records the hash; inference refuses a model trained on a different schema.
 */
import { createHash } from 'node:crypto';
import { FEATURE_CATEGORIES } from './categories';

export interface FeatureSchema {
  name: 'dexposure-node-features';
  version: number;
  names: string[];
  categories: string[];
}

function slug(c: string): string {
  return c.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

export const FEATURE_SCHEMA: Readonly<FeatureSchema> = Object.freeze({
  name: 'dexposure-node-features',
  version: 1,
  names: [
    'log_tvl',
    'n_token_types',
    'max_token_share',
    'token_entropy',
    ...FEATURE_CATEGORIES.map((c) => `cat_${slug(c)}`),
    'prev_tvl_change',
    'in_degree_norm',
    'out_degree_norm',
  ],
  categories: [...FEATURE_CATEGORIES],
});

/** Number of features per node (F). */
export const NUM_FEATURES = FEATURE_SCHEMA.names.length;
/** Column of the first category one-hot entry. */
export const CATEGORY_OFFSET = 4;

/** JSON with object keys sorted at every level and no whitespace. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 hex of the canonical JSON of {name, version, names, categories}. */
export function featureSchemaHash(schema: FeatureSchema = FEATURE_SCHEMA): string {
  const { name, version, names, categories } = schema;
  return createHash('sha256').update(canonicalJson({ name, version, names, categories })).digest('hex');
}
