export { nodeFeatures } from './node-features';
export { FEATURE_SCHEMA, NUM_FEATURES, featureSchemaHash, canonicalJson } from './schema';
export type { FeatureSchema } from './schema';
export { FEATURE_CATEGORIES, featureCategory, featureCategoryIndex } from './categories';
export type { FeatureCategory } from './categories';
export { PAIR_FEATURE_SCHEMA, NUM_PAIR_FEATURES, PairFeatureContext, pairFeatures, pairFeatureSchemaHash, pairFeatureCard } from './pair-features';
export type { PairFeatureSchema, PairFeatureCard } from './pair-features';
