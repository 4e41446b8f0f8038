/**
 * `dexposure inspect PATH`: what a release holds (weeks, one week's summary, the
 * loader's repairs) and, with --stats, Table-1-style statistics.
 */
import { CliError } from '../command';
import { formatReport } from '../../core/snapshot/report';
import { totalTvl } from '../../core/snapshot/access';
import { integerOption, defineCommand } from '../args';
import { checkWeek, openForCli } from '../release-args';

const usage = `Usage: dexposure inspect PATH [--week YYYY-MM-DD] [--stats] [--json] [--top K]
                          [--cache-dir DIR] [--rebuild-cache] [--strict]

PATH is a release folder (historical-network_week_*.json, meta_df.csv, mapping/)
or one week file. The first run converts it into an Arrow cache
(PATH/.dexposure-cache, or --cache-dir); later runs read the cache.
  --week W          summary of one week: nodes, edges, total TVL, top protocols
  --stats           Table-1-style statistics over all weeks
  --json            print one JSON object instead of text
  --top K           protocols listed for --week (default 10)
  --cache-dir DIR   keep the cache in DIR
  --rebuild-cache   convert again even if the cache is up to date
  --strict          fail on any repaired quirk (null ids, dangling links, ...)`;

function usd(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e9) return `$${(x / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `$${(x / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `$${(x / 1e3).toFixed(1)}k`;
  return `$${x.toFixed(2)}`;
}

export const inspectCommand = defineCommand({ name: 'inspect', summary: 'Show the weeks, statistics and repairs of a DeXposure release', usage, strings: ['week', 'top', 'cache-dir'], flags: ['stats', 'json', 'strict', 'rebuild-cache'] }, async (o, positionals) => {
  const path = positionals[0];
  const { week, stats, json } = o;
  const top = integerOption('inspect', '--top', o.top, { min: 0 }) ?? 10;
  if (!path) throw new CliError(`inspect: PATH is required\n\n${usage}`);
  const r = await openForCli(path, { cacheDir: o['cache-dir'], rebuild: o['rebuild-cache'], strict: o.strict, quiet: json });
  if (week !== undefined) checkWeek('inspect', '--week', r, week, 1);
  const out: Record<string, unknown> = {
    path: r.dir,
    files: r.files,
    weeks: r.weeks.length,
    from: r.weeks[0] ?? null,
    to: r.weeks[r.weeks.length - 1] ?? null,
  };
  let weekSummary: Record<string, unknown> | undefined;
  if (week !== undefined) {
    const s = await r.snapshot(week);
    const order = Array.from(s.ids.keys()).sort((a, b) => s.tvl[b] - s.tvl[a] || a - b).slice(0, top);
    weekSummary = {
      week,
      nodes: s.ids.length,
      edges: s.edgeSource.length,
      totalTvl: totalTvl(s),
      top: order.map((i) => ({ id: s.ids[i], name: s.names[i], category: s.categories[i], tvl: s.tvl[i] })),
    };
  }
  const st = stats ? await r.stats() : undefined;
  if (json) {
    const obj: Record<string, unknown> = { ...out, ...(st ?? {}), weeks: r.weeks.length };
    if (weekSummary) obj.week = weekSummary;
    obj.report = r.report;
    console.log(JSON.stringify(obj, null, 2));
    return 0;
  }
  console.log(`${r.dir}: ${r.weeks.length} weeks, ${out.from ?? '-'} .. ${out.to ?? '-'} (${r.files.join(', ')})`);
  if (weekSummary) {
    const w = weekSummary as { nodes: number; edges: number; totalTvl: number; top: { id: string; name: string; category: string; tvl: number }[] };
    console.log(`\nweek ${week}: ${w.nodes.toLocaleString('en-US')} protocols, ${w.edges.toLocaleString('en-US')} exposures, total TVL ${usd(w.totalTvl)}`);
    const nameW = Math.min(32, Math.max(4, ...w.top.map((p) => p.name.length)));
    for (const p of w.top) console.log(`  ${p.name.slice(0, 32).padEnd(nameW)}  ${p.category.slice(0, 24).padEnd(24)}  ${usd(p.tvl).padStart(10)}  (${p.id})`);
  }
  if (st) {
    console.log('\nstatistics (Table 1):');
    console.log(`  weeks                  ${st.weeks} (${st.from} .. ${st.to})`);
    console.log(`  nodes per week         mean ${st.meanNodes.toFixed(1)} (min ${st.minNodes}, max ${st.maxNodes})`);
    console.log(`  edges per week         mean ${st.meanEdges.toFixed(1)} (min ${st.minEdges}, max ${st.maxEdges})`);
    console.log(`  node-id overlap        ${(100 * st.meanNodeOverlap).toFixed(1)}% week to week (the paper's "edge overlap")`);
    console.log(`  edge persistence       ${(100 * st.meanEdgeOverlap).toFixed(1)}% of directed edges kept week to week`);
    console.log(`  categories             ${st.categories}`);
    console.log(`  distinct protocol ids  ${st.distinctIds}`);
  }
  const lines = formatReport(r.report);
  console.log(`\nloader report (cache ${r.report.cache.status}${r.report.cache.dir ? ` at ${r.report.cache.dir}` : ''}):`);
  if (lines.length === 0) console.log('  nothing repaired');
  for (const l of lines) console.log(`  ${l}`);
  return 0;
});
