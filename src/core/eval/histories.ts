/**
 * Several synthetic histories for one evaluation: one folder per seed under a cache
 * folder, generated with the project's synthetic generator on first use and reused
 * afterwards (written to a temporary folder, then renamed: an interrupted run never
 * leaves a half-written history behind).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { synthesize } from '../synth';

export interface SeededHistoryOptions {
  /** Folder holding one sub-folder per seed (created when missing). */
  dir: string;
  scale?: 'small' | 'full';
  onGenerate?: (seed: number, folder: string) => void;
}

/** The folder of each seed's history, generating the missing ones. */
export async function seededHistories(
  seeds: readonly number[],
  opts: SeededHistoryOptions,
): Promise<string[]> {
  const scale = opts.scale ?? 'small';
  mkdirSync(opts.dir, { recursive: true });
  const out: string[] = [];
  for (const seed of seeds) {
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new Error(`eval/histories: a seed is a non-negative integer, got ${seed}`);
    const folder = join(opts.dir, `synth-${scale}-seed${seed}`);
    const ready =
      existsSync(folder) && readdirSync(folder).some((f) => /^historical-network_week_.*\.json$/.test(f));
    if (!ready) {
      opts.onGenerate?.(seed, folder);
      const tmp = `${folder}.tmp-${process.pid}`;
      rmSync(tmp, { recursive: true, force: true });
      await synthesize({ seed, scale }, tmp);
      rmSync(folder, { recursive: true, force: true });
      renameSync(tmp, folder);
    }
    out.push(folder);
  }
  return out;
}
