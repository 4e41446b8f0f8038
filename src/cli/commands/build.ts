/**
 * `dexposure build`: weekly exposure networks from per-protocol token holdings
 * (src/core/exposure), written in the release format.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../core/files/atomic-write';
import { join } from 'node:path';
import { numberOption, defineCommand } from '../args';
import { CliError } from '../command';
import { constructExposures } from '../../core/exposure/construct';
import { guessDefiLlamaCategory } from '../../core/exposure/defillama-category';
import { readHoldings } from '../../core/exposure/holdings-file';
import { DEFAULT_TFIDF_THRESHOLD, IssuerResolver } from '../../core/exposure/issuer';
import { readMappingFiles } from '../../core/exposure/mapping-files';
import { copyMapping, ReleaseWriter, writeMetaDf, type MetaRow } from '../../core/exposure/release-writer';

const usage = `Usage: dexposure build HOLDINGS --mapping DIR --out DIR [--cached-token-map]
                       [--threshold ${DEFAULT_TFIDF_THRESHOLD}] [--meta meta_df.csv] [--json]

HOLDINGS is a CSV with header week,protocol,token,usd (USD value of each token a
protocol holds at each observation date; repeated rows are summed) or JSON (an
array of such records, or {week: {protocol: {token: usd}}}). For each pair of
consecutive dates (t1, t2) it writes the network keyed by t1: node weight = value
at t2 of the tokens held at both dates, links = net weekly token flows between
holder and issuer (PAPER-NOTES "Exposure").
  --mapping DIR        id_to_info.json, rev_map.json (and token_to_protocol.json)
  --cached-token-map   trust token_to_protocol.json first (the release's own issuer
                       mapping) instead of re-deriving issuers by precedence
  --threshold T        TF-IDF cosine threshold for name matching (default ${DEFAULT_TFIDF_THRESHOLD})
  --meta FILE          meta_df.csv to ship; default: categories guessed from names
  --json               print a JSON summary`;

export const buildCommand = defineCommand({ name: 'build', summary: 'Build weekly exposure networks from token holdings', usage, strings: ['mapping', 'out', 'threshold', 'meta'], flags: ['cached-token-map', 'json'] }, async (o, positionals) => {
  const input = positionals[0];
  const { mapping: mappingDir, out, meta: metaFile, json } = o;
  const cached = o['cached-token-map'] ?? false;
  const threshold = numberOption('build', '--threshold', o.threshold, { min: 0, minExclusive: true, max: 1 }) ?? DEFAULT_TFIDF_THRESHOLD;
  if (!input || !mappingDir || !out) throw new CliError(`build: HOLDINGS, --mapping and --out are required\n\n${usage}`);
  if (!existsSync(input)) throw new CliError(`build: ${input}: no such file`);
  try {
    const mapping = readMappingFiles(mappingDir);
    const resolver = new IssuerResolver(mapping, { mode: cached ? 'cached' : 'precedence', threshold });
    const byWeek = await readHoldings(input);
    const weeks = [...byWeek.keys()];
    if (weeks.length < 2) throw new Error(`build: ${input}: need holdings at two or more dates to measure flows, got ${weeks.length}`);
    const writer = new ReleaseWriter(out, weeks[0]);
    const seen = new Set<string>();
    let links = 0;
    const steps: Record<string, number> = {};
    try {
      for (let i = 0; i + 1 < weeks.length; i++) {
        const net = constructExposures(byWeek.get(weeks[i])!, byWeek.get(weeks[i + 1])!, (t) => resolver.issuer(t));
        for (const n of net.nodes) if (n.id !== null) seen.add(n.id);
        links += net.links.length;
        await writer.writeWeek(weeks[i], net);
      }
      await writer.close();
    } catch (e) {
      writer.abort();
      throw e;
    }
    const tokens = new Set<string>();
    for (const h of byWeek.values()) for (const m of h.values()) for (const t of m.keys()) tokens.add(t);
    for (const t of tokens) {
      const s = resolver.resolve(t).step;
      steps[s] = (steps[s] ?? 0) + 1;
    }
    if (metaFile) writeFileAtomic(join(out, 'meta_df.csv'), readFileSync(metaFile));
    else {
      const rows: MetaRow[] = [];
      for (const id of seen) {
        const info = mapping.idToInfo.get(id);
        if (info) rows.push({ id, name: info.name, category: guessDefiLlamaCategory(info.name, info.category) });
      }
      writeMetaDf(out, rows);
    }
    copyMapping(mappingDir, out);
    const summary = { out: writer.path, weeks: weeks.length - 1, from: weeks[0], to: weeks[weeks.length - 2], nodes: seen.size, links, tokens: tokens.size, resolvedBy: steps };
    if (json) console.log(JSON.stringify(summary, null, 2));
    else {
      console.log(`wrote ${summary.weeks} weeks (${summary.from} .. ${summary.to}) to ${summary.out}: ${links} links, ${seen.size} distinct nodes`);
      console.log(`token issuers resolved by: ${Object.entries(steps).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
    return 0;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError((e as Error).message, 1);
  }
});
