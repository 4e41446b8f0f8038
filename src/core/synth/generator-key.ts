/**
 * What determines a generated history, as one key: the generator's version, the
 * options that reach it (seed, scale, weeks, window, crises, the resolved parameters
 * or prior regime) and the bytes of its inputs (the mapping files and the real
 * aggregates). Two histories with one key are the same files; a cached history whose
 * key differs was made by another generator or with other options and must be
 * generated again rather than reused.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { realAggregatesDir } from '../realism/real-aggregates';
import { defaultSynthParams } from './params';
import type { SynthOptions } from './generate';

/**
 * Bump whenever the generator's output for the same options changes (a new draw, a
 * changed constant outside params.ts, a new file): test/unit/synth/generator-key.test.ts
 * pins a small history's digest to this version and fails until both are updated.
 */
export const GENERATOR_VERSION = 'anchored-1';

/** sha256 over the names and bytes of the files under `dir` (sorted, recursive). */
function hashFolder(h: ReturnType<typeof createHash>, dir: string, rel = ''): void {
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const path = join(dir, rel, name);
    if (statSync(path).isDirectory()) hashFolder(h, dir, join(rel, name));
    else h.update(`${join(rel, name)}\u0000`).update(readFileSync(path)).update('\u0000');
  }
}

/** The key of the history that `synthesize(options, dir)` writes, as 64 hex digits. */
export function generatorKey(options: SynthOptions, mappingDir: string): string {
  const o = options;
  const described = {
    version: GENERATOR_VERSION,
    seed: o.seed,
    weeks: o.weeks ?? null,
    protocols: o.protocols ?? null,
    start: o.start ?? null,
    from: o.from ?? null,
    to: o.to ?? null,
    scale: o.scale ?? null,
    crises: o.crises ?? true,
    prior: o.prior ?? null,
    // the defaults resolved, so that recalibrated constants change the key
    params: o.prior !== undefined ? null : (o.params ?? defaultSynthParams()),
    edgesCsv: o.edgesCsv ?? false,
  };
  const h = createHash('sha256').update(JSON.stringify(described));
  h.update('\u0000mapping\u0000');
  hashFolder(h, mappingDir);
  h.update('\u0000real-aggregates\u0000');
  hashFolder(h, realAggregatesDir());
  return h.digest('hex');
}
