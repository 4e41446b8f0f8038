/**
 * Child process of bench/convert.ts: one measured step in a fresh process, so peak
 * RSS (process.resourceUsage().maxRSS) belongs to that step alone. Prints one JSON line.
 *   node --import tsx bench/convert-child.ts cold|warm|warm-comp RELEASE CACHE_DIR
 */
import { openRelease } from '../src/core/snapshot/release';

async function main(): Promise<void> {
  const [mode, release, cacheDir] = process.argv.slice(2);
  const t0 = performance.now();
  const r = await openRelease(release, { cacheDir, rebuild: mode === 'cold' });
  const tOpen = performance.now();
  let nodes = 0;
  let edges = 0;
  let entries = 0;
  if (mode !== 'cold') {
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
  console.log(JSON.stringify({ mode, weeks: r.weeks.length, nodes, edges, entries, cache: r.report.cache.status, openMs: tOpen - t0, totalMs: t1 - t0, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}
void main();
