/**
 * Child process of bench/convert.ts: one measured step in a fresh process, so peak
 * RSS (process.resourceUsage().maxRSS) belongs to that step alone. CPU time is the
 * whole process's (all threads). Prints one JSON line.
 *   node --import tsx bench/convert-child.ts cold|cold-serial|warm|warm-comp|json-parse RELEASE CACHE_DIR
 * It opens releases with the built library (dist/index.js; run `npm run build` first).
 * json-parse: the baseline, V8's JSON.parse of every week's bytes (split by the same
 * scanner) in this one thread, nothing kept.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scanWeeks } from '../src/core/snapshot/week-scanner';

/** The built library (dist/, with its conversion worker bundle): what the product runs. */
async function library(): Promise<typeof import('../src/core/snapshot/release')> {
  const lib = join(__dirname, '..', 'dist', 'index.js');
  if (!existsSync(lib)) throw new Error('bench/convert-child: dist/index.js is missing: run `npm run build` first');
  return (await import(pathToFileURL(lib).href)) as typeof import('../src/core/snapshot/release');
}

function cpuMs(c: NodeJS.CpuUsage): number {
  return (c.user + c.system) / 1000;
}

async function jsonParse(release: string): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let parseMs = 0;
  let weeks = 0;
  let bytes = 0;
  for await (const s of scanWeeks(release)) {
    const t = performance.now();
    JSON.parse(s.bytes.toString('utf8'));
    parseMs += performance.now() - t;
    bytes += s.bytes.length;
    weeks++;
  }
  const t1 = performance.now();
  console.log(JSON.stringify({ mode: 'json-parse', weeks, weekBytes: bytes, parseMs, totalMs: t1 - t0, cpuMs: cpuMs(process.cpuUsage(c0)), maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}

async function main(): Promise<void> {
  const [mode, release, cacheDir] = process.argv.slice(2);
  if (mode === 'json-parse') return jsonParse(release);
  const { openRelease } = await library();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await openRelease(release, { cacheDir, rebuild: mode.startsWith('cold'), threads: mode === 'cold-serial' ? 0 : undefined });
  const tOpen = performance.now();
  let nodes = 0;
  let edges = 0;
  let entries = 0;
  if (!mode.startsWith('cold')) {
    for await (const s of r.snapshots()) {
      nodes += s.ids.length;
      edges += s.edgeSource.length;
      if (mode === 'warm-comp') entries += s.composition?.tokens.length ?? 0;
    }
  } else {
    for (const w of r.summaries) {
      nodes += w.nodes;
      edges += w.edges;
    }
  }
  const t1 = performance.now();
  // Without dist/convert-worker.js the library converts in the opening thread only:
  // said here, so a cold time with CPU time = wall time is not read as a scheduling problem.
  const workerBundle = existsSync(join(__dirname, '..', 'dist', 'convert-worker.js'));
  console.log(JSON.stringify({ mode, workerBundle, convertThreadsEnv: process.env.DEXPOSURE_CONVERT_THREADS ?? null, weeks: r.weeks.length, nodes, edges, entries, cache: r.report.cache.status, openMs: tOpen - t0, totalMs: t1 - t0, cpuMs: cpuMs(process.cpuUsage(c0)), maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}
void main();
