/**
 * Benchmark: cold conversion of a release file into the Arrow cache (scan, parse,
 * validate, write; on every core) and warm open of all weeks from that cache, against
 * baselines measured in the same run on the same bytes:
 *   - the reading limit: `cat FILE > /dev/null`;
 *   - V8's JSON.parse of every week's bytes, in one thread (what "parse speed" means);
 *   - Python's json.load of the whole file (the authors' pipeline reads the release
 *     with Python's json/ijson);
 *   - the same conversion in one thread (threads: 0), for the speed-up of the workers.
 *
 *   node --import tsx bench/convert.ts [--file F] [--full] [--weeks W] [--protocols P]
 *        [--repeats R] [--skip python,serial,json]
 *
 * Without --file it generates a synthetic release with `synthesize` (src/core/synth, seed
 * 11, deterministic): --full for the real scale (283 weeks, ~1 GB); by default the quick
 * release, ~29 MB as the quick file the targets were set on: the last 60 real weeks
 * (2024-07-01 .. 2025-08-18) at 7.6% of the real weeks' counts (~800 nodes a week).
 * --weeks W / --protocols P instead generate the first W weeks with P nodes at the last
 * (real counts times P over the real last week's; 60 and 3000 give ~3 MB). Each
 * step runs in its own process (bench/convert-child.ts) so peak RSS is per step; with
 * --repeats the median of R runs is reported. Each cold run starts without a cache, as
 * a first open does (the previous run's cache is removed before it, untimed). The
 * machine's load average is recorded before and after (timings on a shared machine are noisy; ratios less so),
 * and so is calibrationMs, a fixed one-thread busy loop (the host's speed as the runs found it).
 * Targets: cold >= 100 MB/s on a file over 500 MB, >= 60 MB/s below; peak RSS < 1.5 GB;
 * warm >= 20x faster than cold. Prints one JSON object.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { synthesize, type SynthOptions } from '../src/core/synth';
import { calibrationMs } from './calibration';

type Step = Record<string, number | string>;

/** The default quick release (seed 11): 60 weeks, 29.3 MB with the generator as of this commit. */
const QUICK = { from: '2024-07-01', to: '2025-08-18', scale: 0.076 };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function child(mode: string, release: string, cacheDir: string): Step {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'convert-child.ts'), mode, release, cacheDir], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as Step;
}

/** The run with the median totalMs of `repeats` runs. */
function median(repeats: number, run: () => Step): Step {
  const runs = Array.from({ length: repeats }, run).sort((a, b) => Number(a.totalMs) - Number(b.totalMs));
  return runs[Math.floor(runs.length / 2)];
}

function python(file: string): { ms: number; maxRssMB: number } | { error: string } {
  const py = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const script = 'import json,sys,time,resource\nt=time.perf_counter()\njson.load(open(sys.argv[1]))\nprint(json.dumps({"ms":(time.perf_counter()-t)*1000,"maxRssMB":resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024}))';
  try {
    return JSON.parse(execFileSync(py, ['-c', script, file], { encoding: 'utf8' }).trim()) as { ms: number; maxRssMB: number };
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] };
  }
}

/** `cat FILE > /dev/null`: how fast the bytes can be read at all (page cache or disk). */
function readLimitMs(file: string): number {
  const t = performance.now();
  execFileSync('sh', ['-c', 'cat "$1" > /dev/null', 'sh', file]);
  return performance.now() - t;
}

const mbps = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1000);

async function main(): Promise<void> {
  let file = arg('--file');
  let generated: Record<string, unknown> | undefined;
  const skip = new Set((arg('--skip') ?? '').split(',').filter(Boolean));
  const repeats = Number(arg('--repeats') ?? 1);
  const scratch = join('.cache', 'bench-convert');
  if (!file) {
    const full = process.argv.includes('--full');
    const given = arg('--protocols');
    const givenWeeks = arg('--weeks');
    let dir: string;
    let opts: SynthOptions;
    if (!full && given === undefined && givenWeeks === undefined) {
      // The quick release: a late window (the weeks a user opens today are the large
      // ones), scaled to the ~29 MB of the quick file the targets were set on.
      opts = { seed: 11, from: QUICK.from, to: QUICK.to, scale: QUICK.scale };
      dir = join(scratch, `synth-quick-${QUICK.from}-${QUICK.to}-${QUICK.scale}`);
      generated = { ...QUICK };
    } else {
      const weeks = Number(givenWeeks ?? (full ? 283 : 60));
      // --protocols P: nodes at the last week (the counts are the real weeks' times P over
      // the real last week's, at most 1). --full without it: the real weeks' counts (about
      // 10k nodes in 2025, 0.8 GB).
      const protocols = given !== undefined ? Number(given) : full ? undefined : 3000;
      opts = { seed: 11, weeks, ...(protocols !== undefined ? { protocols } : {}), scale: full ? 'full' : 'small' };
      dir = join(scratch, `synth-${weeks}-${protocols ?? 'full'}`);
      generated = { weeks, protocols: protocols ?? 'full scale' };
    }
    if (!existsSync(dir) || !readdirSync(dir).some((f) => f.startsWith('historical-network_week_'))) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      await synthesize(opts, dir);
    }
    file = join(dir, readdirSync(dir).find((f) => f.startsWith('historical-network_week_'))!);
  }
  const bytes = statSync(file).size;
  const cacheDir = join(scratch, 'cache');
  rmSync(cacheDir, { recursive: true, force: true });
  const loadBefore = loadavg();
  const calBefore = calibrationMs();
  readLimitMs(file); // once to bring the file into the page cache, as the runs below find it
  const catMs = Math.min(readLimitMs(file), readLimitMs(file));
  const json = skip.has('json') ? undefined : child('json-parse', file, cacheDir);
  // Each cold run starts without a cache, as a first open does (removing the previous
  // run's cache, hundreds of unlinks, is not conversion; it is done here, untimed).
  const fresh = (mode: string) => (): Step => {
    rmSync(cacheDir, { recursive: true, force: true });
    return child(mode, file, cacheDir);
  };
  const cold = median(repeats, fresh('cold'));
  const serial = skip.has('serial') ? undefined : median(repeats, fresh('cold-serial'));
  if (serial) fresh('cold')(); // the warm runs read a cache written by the default path
  const warm = median(repeats, () => child('warm', file, cacheDir));
  const warmComp = median(repeats, () => child('warm-comp', file, cacheDir));
  const py = skip.has('python') ? { error: 'skipped (--skip python)' } : python(file);
  const loadAfter = loadavg();
  const calAfter = calibrationMs();
  const coldMs = Number(cold.totalMs);
  const coldMBs = mbps(bytes, coldMs);
  const jsonMBs = json ? mbps(Number(json.weekBytes), Number(json.parseMs)) : undefined;
  const target = bytes > 500e6 ? 100 : 60;
  const result = {
    bench: 'convert',
    file,
    generated,
    bytes,
    weeks: cold.weeks,
    cores: availableParallelism(),
    repeats,
    loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: loadAfter.map((x) => +x.toFixed(2)) },
    calibrationMs: { before: calBefore, after: calAfter },
    readLimit: { ms: catMs, mbPerS: mbps(bytes, catMs) },
    jsonParse: json && { parseMs: Number(json.parseMs), mbPerS: jsonMBs, withScanMs: Number(json.totalMs), cpuMs: Number(json.cpuMs) },
    cold: {
      ms: coldMs,
      mbPerS: coldMBs,
      cpuMs: Number(cold.cpuMs),
      mbPerCpuS: mbps(bytes, Number(cold.cpuMs)),
      maxRssMB: Number(cold.maxRssMB),
      // cores busy on average (CPU time / wall time): about 1 means the workers did not run in parallel
      coresBusy: Number(cold.cpuMs) / coldMs,
      workerBundle: cold.workerBundle,
      convertThreadsEnv: cold.convertThreadsEnv,
    },
    coldOneThread: serial && { ms: Number(serial.totalMs), mbPerS: mbps(bytes, Number(serial.totalMs)), cpuMs: Number(serial.cpuMs), maxRssMB: Number(serial.maxRssMB) },
    warm: { ms: Number(warm.totalMs), openMs: warm.openMs, maxRssMB: warm.maxRssMB, nodes: warm.nodes, edges: warm.edges },
    warmWithComposition: { ms: Number(warmComp.totalMs), maxRssMB: warmComp.maxRssMB, entries: warmComp.entries },
    pythonJsonLoad: py,
    ratios: {
      coldOverJsonParse: jsonMBs ? coldMBs / jsonMBs : null,
      coldOverReadLimit: coldMBs / mbps(bytes, catMs),
      coldOverPython: 'ms' in py ? py.ms / coldMs : null,
      warmOverCold: coldMs / Number(warm.totalMs),
      warmWithCompositionOverCold: coldMs / Number(warmComp.totalMs),
      workersOverOneThread: serial ? Number(serial.totalMs) / coldMs : null,
    },
    targets: {
      coldMBs: target,
      coldMeetsTarget: coldMBs >= target,
      coldRssUnder1_5GB: Number(cold.maxRssMB) < 1536,
      warmAtLeast20x: coldMs / Number(warm.totalMs) >= 20,
    },
    cacheDir: dirname(cacheDir),
  };
  console.log(JSON.stringify(result, null, 2));
}
void main();
