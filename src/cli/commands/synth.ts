/**
 * `dexposure synth`: write a seeded synthetic DeXposure history in the real release
 * format (src/core/synth).
 */
import { CliError } from '../command';
import { choiceOption, dateOption, defineCommand, integerOption, numberOption } from '../args';
import { synthesize } from '../../core/synth';

const usage = `Usage: dexposure synth --out DIR [--seed N] [--from DATE --to DATE] [--scale F]
                       [--weeks W] [--protocols P] [--full] [--start DATE]
                       [--no-crises] [--mapping DIR] [--edges-csv] [--json]
       dexposure synth --prior --seed N --out DIR [--prior-regime in|out] [--json]

Writes DIR/historical-network_week_<first week>.json, DIR/meta_df.csv, DIR/mapping/ and
DIR/synth.json, calibrated week by week to the real DeXposure aggregates (counts, total
link size, 7-sector mix, event-week TVL; docs/DATA.md). Check it with \`dexposure realism DIR\`.
  --seed N        PRNG seed (default 42); the same seed gives byte-identical files
  --from DATE     first week of a window of the real calendar (2020-03-23 .. 2025-08-18)
  --to DATE       last week of the window; a window is generated at full scale unless --scale
  --scale F       node and link counts are the real week's times F (0 < F <= 1)
  --weeks W       number of weekly snapshots from --start (default 60; 283 with --full)
  --protocols P   nodes at the last week, which sets the scale (default 300)
  --full          the real release: 283 weeks from 2020-03-23 at full scale (> 1 GB of JSON)
  --start DATE    first week, a Monday (default 2020-03-23)
  --no-crises     a smooth TVL path without the Terra, FTX and April-2025 collapses
  --mapping DIR   mapping files to draw from (default: the official mapping shipped with the product)
  --prior         draw the scale, weeks, start, crises and generator parameters from the
                  pretraining prior for this seed (docs/DATA.md "The prior"; recorded in synth.json).
                  Seeds >= 9000 are reserved for evaluation histories
  --prior-regime  'in' (default: the pretraining range) or 'out' (outside it: more direction
                  flips and churn, for an out-of-range evaluation history)
  --edges-csv     also write network_data/filtered_graph_data.csv
  --json          print the summary as JSON`;

export const synthCommand = defineCommand(
  { name: 'synth', summary: 'Generate a seeded synthetic exposure history calibrated to the real aggregates', usage, strings: ['out', 'seed', 'weeks', 'protocols', 'start', 'from', 'to', 'scale', 'mapping', 'prior-regime'], flags: ['full', 'no-crises', 'edges-csv', 'json', 'prior'], positionals: 0 },
  async (values) => {
    const out = values.out;
    if (!out) throw new CliError(`synth: --out DIR is required\n\n${usage}`);
    const seed = integerOption('synth', '--seed', values.seed) ?? 42;
    const weeks = integerOption('synth', '--weeks', values.weeks, { min: 2, max: 2000 });
    const protocols = integerOption('synth', '--protocols', values.protocols, { min: 3, max: 200000 });
    const start = dateOption('synth', '--start', values.start);
    const from = dateOption('synth', '--from', values.from);
    const to = dateOption('synth', '--to', values.to);
    const scale = numberOption('synth', '--scale', values.scale, { min: 0, minExclusive: true, max: 1 });
    const json = values.json ?? false;
    const regime = choiceOption('synth', '--prior-regime', values['prior-regime'], ['in', 'out'] as const);
    if (regime && !values.prior) throw new CliError('synth: --prior-regime needs --prior');
    if (values.prior && (weeks !== undefined || protocols !== undefined || start || from || to || scale !== undefined || values.full || values['no-crises'])) {
      throw new CliError('synth: --prior draws the weeks, scale, start and crises itself; leave out --weeks, --protocols, --start, --from, --to, --scale, --full and --no-crises');
    }
    const prior = values.prior ? (regime ?? 'in') : undefined;
    let s;
    try {
      s = await synthesize(
        {
          seed, weeks, protocols, start, from, to,
          crises: !values['no-crises'],
          mapping: values.mapping,
          edgesCsv: values['edges-csv'] ?? false,
          scale: prior ? undefined : (scale ?? (values.full ? 'full' : 'small')),
          prior,
          onWeek: json || !process.stderr.isTTY ? undefined : (w, i, n, st) => process.stderr.write(`\rsynth: week ${i + 1}/${n} ${w}: ${st.nodes} nodes, ${st.links} links   `),
        },
        out,
      );
    } catch (e) {
      throw new CliError((e as Error).message, 1);
    }
    if (!json && process.stderr.isTTY) process.stderr.write('\n');
    const { nodesPerWeek: _n, linksPerWeek: _l, tvlPerWeek: _t, prior: drawn, ...rest } = s;
    const summary = drawn ? { ...rest, prior: { regime: drawn.regime, start: drawn.start, crises: drawn.crises, drawn: drawn.drawn } } : rest;
    if (json) console.log(JSON.stringify(summary, null, 2));
    else {
      console.log(`wrote ${s.weeks} weeks (${s.from} .. ${s.to}) at scale ${+s.scale.toFixed(4)} to ${s.networkFile}`);
      if (drawn) console.log(`prior (${drawn.regime}): ${Object.entries(drawn.drawn).map(([k, v]) => `${k} ${+v.toPrecision(3)}`).join(', ')}; crises ${drawn.crises ? 'on' : 'off'}`);
      console.log(`mean ${s.meanNodes.toFixed(0)} nodes and ${s.meanLinks.toFixed(0)} links a week; node overlap ${(100 * s.nodeOverlap).toFixed(1)}%, edge persistence ${(100 * s.edgePersistence).toFixed(1)}%`);
      console.log(`total TVL ${(s.totalTvlFirst / 1e9).toFixed(2)}B -> ${(s.totalTvlLast / 1e9).toFixed(2)}B; meta_df.csv: ${s.metaRows} rows, ${s.categories} categories`);
    }
    return 0;
  },
);
