/**
 * Several synthetic histories for one evaluation: one folder per seed under a cache
 * folder, generated with the project's synthetic generator on first use and reused
 * afterwards only while its recorded generator key (synth.json, ../synth/generator-key.ts:
 * generator version, options, seed and input files) is the one the current generator
 * would write; any other folder (an older generator, other options, no key, a partial
 * write) is generated again. Written to a temporary folder, then renamed: an
 * interrupted run never leaves a half-written history behind.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { defaultMappingDir, generatorKey, synthesize, SYNTH_PARAMS_FILE, type SynthOptions } from '../synth';

export interface SeededHistoryOptions {
  /** Folder holding one sub-folder per seed (created when missing). */
  dir: string;
  scale?: 'small' | 'full';
  /** A history is about to be generated into `folder`; `reason` says why the cached one (if any) was not used. */
  onGenerate?: (seed: number, folder: string, reason: string) => void;
  /** A cached history with the current generator key is used as it is. */
  onReuse?: (seed: number, folder: string, key: string) => void;
}

/** One history of an evaluation: where it is and whether it came from the cache. */
export interface SeededHistory {
  seed: number;
  folder: string;
  /** The generator key it was made under (64 hex digits). */
  key: string;
  reused: boolean;
}

/** Why the folder cannot be reused under `key`, or undefined when it can. */
function staleReason(folder: string, key: string): string | undefined {
  if (!existsSync(folder)) return 'not generated yet';
  if (!readdirSync(folder).some((f) => /^historical-network_week_.*\.json$/.test(f))) return 'the cached folder holds no weeks';
  let recorded: unknown;
  try {
    recorded = (JSON.parse(readFileSync(join(folder, SYNTH_PARAMS_FILE), 'utf8')) as { generatorKey?: unknown }).generatorKey;
  } catch {
    return `the cached folder has no readable ${SYNTH_PARAMS_FILE}`;
  }
  if (typeof recorded !== 'string') return 'the cached history records no generator key (made by an older generator)';
  if (recorded !== key) return `the cached history was made by another generator or other options (key ${recorded.slice(0, 12)}, now ${key.slice(0, 12)})`;
  return undefined;
}

/** Each seed's history, generating those missing or made under another generator key. */
export async function seededHistories(seeds: readonly number[], opts: SeededHistoryOptions): Promise<SeededHistory[]> {
  const scale = opts.scale ?? 'small';
  mkdirSync(opts.dir, { recursive: true });
  const mapping = defaultMappingDir();
  const out: SeededHistory[] = [];
  for (const seed of seeds) {
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new Error(`eval/histories: a seed is a non-negative integer, got ${seed}`);
    const synthOptions: SynthOptions = { seed, scale };
    const key = generatorKey(synthOptions, mapping);
    const folder = join(opts.dir, `synth-${scale}-seed${seed}`);
    const reason = staleReason(folder, key);
    if (reason === undefined) {
      opts.onReuse?.(seed, folder, key);
      out.push({ seed, folder, key, reused: true });
      continue;
    }
    opts.onGenerate?.(seed, folder, reason);
    const tmp = `${folder}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    await synthesize(synthOptions, tmp);
    // the stale folder is moved aside before the new one takes its name, then removed
    const old = `${folder}.old-${process.pid}`;
    rmSync(old, { recursive: true, force: true });
    if (existsSync(folder)) renameSync(folder, old);
    renameSync(tmp, folder);
    rmSync(old, { recursive: true, force: true });
    out.push({ seed, folder, key, reused: false });
  }
  return out;
}
