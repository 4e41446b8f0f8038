/**
 * Benchmark: cold conversion of a release file into the Arrow cache (stream, parse,
 * validate, write) and warm open of all weeks from that cache, against Python's
 * `json.load` on the same file measured in the same run (the authors' pipeline reads
 * the release with Python's json/ijson).
 *
 *   node --import tsx bench/convert.ts [--file F] [--full] [--weeks W] [--protocols P]
 *
 * Without --file it generates a synthetic release with `synthesize` (src/core/synth):
 * quick by default (~60 weeks), --full for the real scale (283 weeks, ~1 GB). Each
 * step runs in its own process (bench/convert-child.ts) so peak RSS is per step.
 * Targets: cold < python json.load, peak RSS < 2 GB, warm >= 20x faster than cold.
 * Prints one JSON object.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { synthesize } from '../src/core/synth';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function child(mode: string, release: string, cacheDir: string): Record<string, number | string> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'convert-child.ts'), mode, release, cacheDir], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number | string>;
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

async function main(): Promise<void> {
  let file = arg('--file');
  let generated: Record<string, unknown> | undefined;
  const scratch = join('.cache', 'bench-convert');
  if (!file) {
    const full = process.argv.includes('--full');
    const weeks = Number(arg('--weeks') ?? (full ? 283 : 60));
    const protocols = Number(arg('--protocols') ?? (full ? 4700 : 3000));
    const dir = join(scratch, `synth-${weeks}-${protocols}`);
    if (!existsSync(dir) || !readdirSync(dir).some((f) => f.startsWith('historical-network_week_'))) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      await synthesize({ seed: 11, weeks, protocols, scale: full ? 'full' : 'small' }, dir);
    }
    file = join(dir, readdirSync(dir).find((f) => f.startsWith('historical-network_week_'))!);
    generated = { weeks, protocols };
  }
  const bytes = statSync(file).size;
  const cacheDir = join(scratch, 'cache');
  rmSync(cacheDir, { recursive: true, force: true });
  const cold = child('cold', file, cacheDir);
  const warm = child('warm', file, cacheDir);
  const warmComp = child('warm-comp', file, cacheDir);
  const py = python(file);
  const coldMs = Number(cold.totalMs);
  const result = {
    bench: 'convert',
    file,
    generated,
    bytes,
    weeks: cold.weeks,
    cold: { ms: coldMs, mbPerS: bytes / 1e6 / (coldMs / 1000), maxRssMB: cold.maxRssMB },
    warm: { ms: Number(warm.totalMs), openMs: warm.openMs, maxRssMB: warm.maxRssMB, nodes: warm.nodes, edges: warm.edges },
    warmWithComposition: { ms: Number(warmComp.totalMs), maxRssMB: warmComp.maxRssMB, entries: warmComp.entries },
    pythonJsonLoad: py,
    ratios: {
      coldVsPython: 'ms' in py ? coldMs / py.ms : null,
      coldOverWarm: coldMs / Number(warm.totalMs),
      coldOverWarmWithComposition: coldMs / Number(warmComp.totalMs),
    },
    targets: {
      coldFasterThanPython: 'ms' in py ? coldMs < py.ms : null,
      coldRssUnder2GB: Number(cold.maxRssMB) < 2048,
      warmAtLeast20x: coldMs / Number(warm.totalMs) >= 20,
    },
    cacheDir: dirname(cacheDir),
  };
  console.log(JSON.stringify(result, null, 2));
}
void main();
