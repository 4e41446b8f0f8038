/**
 * Benchmark: synthetic history generation (src/core/synth) at full scale by default
 * (283 weeks at the real weeks' counts: ~5.7k nodes and ~31k links a week on average,
 * 10,128 nodes in the last week, ~0.8 GB of JSON), with wall time and peak memory.
 * --protocols P sets the nodes of the last week (counts scaled to it, at most the real
 * ones); --weeks W takes the first W weeks of the real calendar.
 *
 * Baseline, measured in the same run on the same disk: writing the same number of
 * bytes with fs in 1 MiB chunks (the floor for any generator that writes this much
 * JSON). Reported as ratio = generation time / baseline time.
 *
 *   node --import tsx bench/synth.ts [--weeks W] [--protocols P] [--seed N] [--out DIR]
 *
 * Prints one JSON object. The output goes to .cache/bench-synth (gitignored) and is
 * deleted afterwards unless --keep is given.
 */
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { synthesize, FULL_PROTOCOLS, FULL_WEEKS } from '../src/core/synth';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

async function main(): Promise<void> {
  const weeks = arg('--weeks', FULL_WEEKS);
  const protocols = arg('--protocols', FULL_PROTOCOLS);
  const seed = arg('--seed', 42);
  const oi = process.argv.indexOf('--out');
  const out = oi >= 0 ? process.argv[oi + 1] : join('.cache', 'bench-synth');
  const keep = process.argv.includes('--keep');
  rmSync(out, { recursive: true, force: true });

  let peakHeap = 0;
  let peakRss = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  };
  const timer = setInterval(sample, 100);
  const t0 = performance.now();
  const s = await synthesize({ seed, weeks, protocols, scale: 'full', onWeek: sample }, out);
  const genMs = performance.now() - t0;
  clearInterval(timer);
  sample();
  const bytes = statSync(s.networkFile).size;

  // Baseline: the same bytes through fs, 1 MiB at a time.
  const chunk = Buffer.alloc(1 << 20, 0x20);
  const basePath = join(out, 'baseline.bin');
  mkdirSync(out, { recursive: true });
  const t1 = performance.now();
  const fd = openSync(basePath, 'w');
  for (let left = bytes; left > 0; left -= chunk.length) writeSync(fd, chunk, 0, Math.min(chunk.length, left));
  closeSync(fd);
  const baseMs = performance.now() - t1;
  rmSync(basePath, { force: true });
  if (!keep) rmSync(out, { recursive: true, force: true });

  console.log(
    JSON.stringify({
      benchmark: 'synth',
      weeks,
      protocols,
      seed,
      bytes,
      generateMs: Math.round(genMs),
      msPerWeek: Math.round((genMs / weeks) * 10) / 10,
      mbPerSecond: Math.round((bytes / 1e6 / (genMs / 1000)) * 10) / 10,
      peakRssMb: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1e6),
      peakHeapMb: Math.round(peakHeap / 1e6),
      baseline: { name: 'fs.writeSync of the same byte count in 1 MiB chunks', ms: Math.round(baseMs) },
      ratio: Math.round((genMs / baseMs) * 100) / 100,
      meanNodes: Math.round(s.meanNodes),
      meanLinks: Math.round(s.meanLinks),
      nodeOverlap: Math.round(s.nodeOverlap * 10000) / 10000,
      edgePersistence: Math.round(s.edgePersistence * 10000) / 10000,
    }),
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
