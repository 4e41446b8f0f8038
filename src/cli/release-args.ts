/**
 * What the commands that read a release share: opening it through the cached loader
 * (with a progress bar), checking a --week against it, reading one week, and turning a
 * core error into a one-line CLI error. One module, so commands never import each other.
 */
import { CliError } from './command';
import { openRelease, type Release } from '../core/snapshot/release';
import { ReleaseFormatError } from '../core/snapshot/errors';
import type { Snapshot } from '../core/snapshot/types';
import { ProgressBar } from './progress';
import { nearestWeeks } from '../core/weeks';

export interface ReleaseLike {
  weeks: readonly string[];
  snapshot(week: string): Promise<Snapshot>;
}

/** Opens a release folder or week file through the cache; the first run converts it (progress bar). */
export async function openForCli(path: string, opts: { cacheDir?: string; rebuild?: boolean; strict?: boolean; quiet?: boolean }): Promise<Release> {
  const bar = new ProgressBar();
  try {
    const r = await openRelease(path, {
      cacheDir: opts.cacheDir,
      rebuild: opts.rebuild,
      strict: opts.strict,
      onProgress: (p) => bar.update(p.fraction, p.message),
    });
    const c = r.report.cache;
    bar.done(opts.quiet || c.status === 'reused' ? undefined : `converted ${r.weeks.length} weeks into the cache at ${c.dir ?? '(memory)'}${c.reason ? ` (${c.reason})` : ''}`);
    return r;
  } catch (e) {
    bar.done();
    if (e instanceof ReleaseFormatError) throw new CliError(e.message, 1);
    if (e instanceof Error && e.message.startsWith('snapshot/')) throw new CliError(e.message, 1);
    throw e;
  }
}

/** The DATA argument of measures, stress and warnings; DEXPOSURE_CACHE_PATH places the cache. */
export async function openData(cmd: string, dir: string | undefined): Promise<ReleaseLike> {
  if (!dir) throw new CliError(`${cmd}: DATA (a release folder) is required`);
  try {
    // The cached loader: the first run converts the release (progress bar), later runs
    // open one week in well under a second instead of streaming the whole file again.
    return await openForCli(dir, { cacheDir: process.env.DEXPOSURE_CACHE_PATH || undefined });
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${cmd}: cannot open ${dir}: ${(e as Error).message}`, 1);
  }
}

/** A week the release holds; otherwise an error naming the release's range and the nearest weeks. */
export function checkWeek(cmd: string, flag: string, release: { weeks: readonly string[] }, week: string | undefined, exitCode = 2): string {
  if (!week) throw new CliError(`${cmd}: ${flag} YYYY-MM-DD is required`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(week)) throw new CliError(`${cmd}: ${flag} expects YYYY-MM-DD, got "${week}"`);
  if (!release.weeks.includes(week)) {
    const w = release.weeks;
    const near = nearestWeeks(w, week).join(' or ');
    throw new CliError(`${cmd}: week ${week} is not in the release (${w.length} weeks, ${w[0] ?? '-'} .. ${w[w.length - 1] ?? '-'}${near ? `; nearest ${near}` : ''})`, exitCode);
  }
  return week;
}

export async function loadWeek(cmd: string, release: ReleaseLike, week: string): Promise<Snapshot> {
  try {
    return await release.snapshot(week);
  } catch (e) {
    throw new CliError(`${cmd}: cannot read week ${week}: ${(e as Error).message}`, 1);
  }
}

/** Run a core computation, turning its (specific) errors into one-line CLI errors. */
export function core<T>(cmd: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new CliError(`${cmd}: ${(e as Error).message}`, 1);
  }
}
