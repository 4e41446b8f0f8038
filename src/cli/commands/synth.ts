/**
 * `dexposure synth`: write a seeded synthetic DeXposure history in the real release
 * format (src/core/synth).
 */
import type { CliCommand } from '../command';
import { CliError } from '../command';
import { synthesize } from '../../core/synth';

const usage = `Usage: dexposure synth --out DIR [--seed N] [--weeks W] [--protocols P] [--full]
                       [--start YYYY-MM-DD] [--no-crises] [--mapping DIR] [--edges-csv] [--json]

Writes DIR/historical-network_week_<start>.json, DIR/meta_df.csv and DIR/mapping/.
  --seed N        PRNG seed (default 42); the same seed gives byte-identical files
  --weeks W       number of weekly snapshots (default 60; 283 with --full)
  --protocols P   holder protocols alive at the last week (default 300; 4700 with --full)
  --full          the real release's scale: 283 weeks from 2020-03-23 (> 1 GB of JSON)
  --start DATE    first week, a Monday (default 2020-03-23)
  --no-crises     leave out the Terra and FTX crisis weeks
  --mapping DIR   mapping files to sample from (default: examples/data/mapping)
  --edges-csv     also write network_data/filtered_graph_data.csv
  --json          print the summary as JSON`;

function intArg(flag: string, v: string | undefined): number {
  if (v === undefined || !/^-?\d+$/.test(v)) throw new CliError(`synth: ${flag} expects an integer, got ${v === undefined ? 'nothing' : `"${v}"`}`);
  return Number(v);
}

export const synthCommand: CliCommand = {
  name: 'synth',
  summary: 'Generate a seeded synthetic exposure history in the release format',
  usage,
  async run(argv) {
    let out: string | undefined;
    let seed = 42;
    let weeks: number | undefined;
    let protocols: number | undefined;
    let full = false;
    let start: string | undefined;
    let crises = true;
    let mapping: string | undefined;
    let edgesCsv = false;
    let json = false;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      switch (a) {
        case '--out': out = argv[++i]; break;
        case '--seed': seed = intArg(a, argv[++i]); break;
        case '--weeks': weeks = intArg(a, argv[++i]); break;
        case '--protocols': protocols = intArg(a, argv[++i]); break;
        case '--full': full = true; break;
        case '--start': start = argv[++i]; break;
        case '--no-crises': crises = false; break;
        case '--mapping': mapping = argv[++i]; break;
        case '--edges-csv': edgesCsv = true; break;
        case '--json': json = true; break;
        default: throw new CliError(`synth: unknown option "${a}"\n\n${usage}`);
      }
    }
    if (!out) throw new CliError(`synth: --out DIR is required\n\n${usage}`);
    let s;
    try {
      s = await synthesize(
        {
          seed, weeks, protocols, start, crises, mapping, edgesCsv,
          scale: full ? 'full' : 'small',
          onWeek: json || !process.stderr.isTTY ? undefined : (w, i, n, st) => process.stderr.write(`\rsynth: week ${i + 1}/${n} ${w}: ${st.nodes} nodes, ${st.links} links   `),
        },
        out,
      );
    } catch (e) {
      throw new CliError((e as Error).message, 1);
    }
    if (!json && process.stderr.isTTY) process.stderr.write('\n');
    const { nodesPerWeek: _n, linksPerWeek: _l, tvlPerWeek: _t, ...summary } = s;
    if (json) console.log(JSON.stringify(summary, null, 2));
    else {
      console.log(`wrote ${s.weeks} weeks (${s.from} .. ${s.to}) to ${s.networkFile}`);
      console.log(`mean ${s.meanNodes.toFixed(0)} nodes and ${s.meanLinks.toFixed(0)} links a week; node overlap ${(100 * s.nodeOverlap).toFixed(1)}%, edge persistence ${(100 * s.edgePersistence).toFixed(1)}%`);
      console.log(`total TVL ${(s.totalTvlFirst / 1e9).toFixed(2)}B -> ${(s.totalTvlLast / 1e9).toFixed(2)}B; meta_df.csv: ${s.metaRows} rows, ${s.categories} categories`);
    }
    return 0;
  },
};
