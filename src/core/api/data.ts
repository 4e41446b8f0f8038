/**
 * Opening data from a notebook or script: the real DeXposure release, any folder in
 * its format, the bundled sample, or a freshly generated synthetic history.
 *
 * Defaults follow the editor's settings, which the extension passes to the kernel
 * as environment variables: `dexposure.dataPath` -> DEXPOSURE_DATA_PATH,
 * `dexposure.cachePath` -> DEXPOSURE_CACHE_PATH.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { openRelease, type OpenReleaseOptions, type Release } from '../snapshot/release';
import { synthesize, type SynthOptions } from '../synth';
import { tableView } from '../display/table-view';
import { MIME_BUNDLE } from '../display/protocol';
import { displaySource } from '../display/format';
import { withDisplay } from './show';

/** The sample release shipped with the product (examples/data), found by walking up from this module. */
export function sampleDataPath(): string {
  const starts = [typeof __dirname === 'string' ? __dirname : process.cwd(), process.cwd()];
  for (const start of starts) {
    let d = resolve(start);
    for (;;) {
      const cand = join(d, 'examples', 'data');
      if (existsSync(join(cand, 'meta_df.csv'))) return cand;
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  throw new Error('dx.sample: cannot find the bundled sample data (examples/data)');
}

function cacheOption(opts: OpenReleaseOptions): OpenReleaseOptions {
  if (opts.cacheDir === undefined && process.env.DEXPOSURE_CACHE_PATH) return { ...opts, cacheDir: process.env.DEXPOSURE_CACHE_PATH };
  return opts;
}

/** A release whose display is a summary of its weeks and repairs. */
function displayable(r: Release): Release {
  return withDisplay(r, () => {
    const first = r.weeks[0];
    const last = r.weeks[r.weeks.length - 1];
    const rows = r.summaries.length <= 12 ? r.summaries : [...r.summaries.slice(0, 6), ...r.summaries.slice(-6)];
    // One release file holds every week: its name goes in the caption once, not in every row.
    const sources = [...new Set(r.summaries.map((x) => x.source))];
    const oneSource = sources.length === 1;
    const notes = [
      ...(oneSource ? [`every week from ${sources[0]}`] : []),
      ...(r.summaries.length > 12 ? ['first and last 6 weeks; `release.summaries` has all'] : []),
    ];
    const view = tableView(rows.map((x) => (oneSource ? { week: x.week, protocols: x.nodes, exposures: x.edges } : { week: x.week, protocols: x.nodes, exposures: x.edges, file: x.source })), {
      title: `${displaySource(r.dir)}: ${r.weeks.length} weeks, ${first} .. ${last}`,
      caption: notes.length ? notes.join('; ') : undefined,
    });
    return view[MIME_BUNDLE]();
  });
}

/**
 * Opens a release folder (or one week file). Without a path: the `dexposure.dataPath`
 * setting, else the bundled sample. The first open of a large release converts it
 * into a columnar cache; later opens read the cache.
 */
export async function open(path?: string, opts: OpenReleaseOptions = {}): Promise<Release> {
  const p = path ?? (process.env.DEXPOSURE_DATA_PATH || sampleDataPath());
  return displayable(await openRelease(p, cacheOption(opts)));
}

export interface SynthRequest extends Partial<Omit<SynthOptions, 'onWeek'>> {
  /** Where to write the release (default: a folder under the system's temp dir named by the options). */
  out?: string;
}

/** Generates a seeded synthetic history in the release format and opens it. */
export async function synth(req: SynthRequest = {}): Promise<Release> {
  const { out, ...rest } = req;
  const opts: SynthOptions = { seed: 42, ...rest };
  const dir = out ?? join(tmpdir(), `dexposure-synth-${opts.seed}-${opts.weeks ?? 'd'}-${opts.protocols ?? 'd'}-${opts.scale ?? 'small'}-${opts.start ?? 'd'}`);
  if (!existsSync(dir)) {
    // generate beside the target and rename: an interrupted run never leaves a half-written release behind
    const partial = `${dir}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    await synthesize(opts, partial);
    renameSync(partial, dir);
  }
  return displayable(await openRelease(dir, cacheOption({})));
}

export { sampleDataPath as sample };
