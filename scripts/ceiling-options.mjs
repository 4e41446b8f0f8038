// The command line shared by scripts/weight-ceiling.mjs and scripts/node-ceiling.mjs: which
// history to regenerate (--seed with --start/--weeks/--protocols, or --prior in|out), where
// it goes (--out), the copy to check it against (--compare), the model set (--models), the
// horizons, the bootstrap replicates, the JSON output, and the generator source tree
// (--generator: another commit's src/ with this commit's recording hook copied in, to
// regenerate a history made before a generator change); the check of a regenerated
// history against that copy; and the LABEL=FILE.json arguments of the *-tables.mjs scripts.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function ceilingOptions(script, args = process.argv.slice(2)) {
  const opt = (name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
  const seed = Number(opt('--seed', '9000'));
  const prior = opt('--prior');
  const out = opt('--out');
  if (!out) throw new Error(`${script}: --out DIR is required (the regenerated history goes there)`);
  const genRoot = opt('--generator');
  return {
    opt,
    seed,
    synthOpts: prior ? { seed, prior } : { seed, start: opt('--start', '2023-01-02'), weeks: Number(opt('--weeks', '137')), protocols: Number(opt('--protocols', '300')) },
    out,
    compare: opt('--compare'),
    modelsDir: opt('--models'),
    horizons: opt('--horizons', '1,4,8,12').split(',').map(Number),
    B: Number(opt('--bootstrap', '500')),
    jsonOut: opt('--json'),
    log: (m) => process.stderr.write(`${script}: ${m}\n`),
    genUrl: (rel) => (genRoot ? pathToFileURL(join(genRoot, rel)).href : new URL(`../src/${rel}`, import.meta.url).href),
  };
}

/** Throws unless every JSON file and meta_df.csv of `compare` is byte for byte the same in `out` (synth.json, the generator's record, may differ). */
export function checkSameHistory(script, out, compare, log) {
  for (const f of readdirSync(compare).filter((n) => n.endsWith('.json') || n === 'meta_df.csv')) {
    const same = readFileSync(join(out, f)).equals(readFileSync(join(compare, f)));
    if (!same && f !== 'synth.json') throw new Error(`${script}: ${f} differs from ${compare}'s: not the same history`);
    log(`${f}: ${same ? 'byte-identical to' : 'differs from (its record only)'} ${compare}'s`);
  }
}

/** The `LABEL=FILE.json` arguments of weight-ceiling-tables.mjs and node-ceiling-tables.mjs, read (the label may hold '='). */
export function labelledJsonFiles(script, args = process.argv.slice(2)) {
  return args.map((a) => {
    const i = a.lastIndexOf('=');
    if (i < 0) throw new Error(`${script}: expected LABEL=FILE.json, got ${a}`);
    return { label: a.slice(0, i), data: JSON.parse(readFileSync(a.slice(i + 1), 'utf8')) };
  });
}
