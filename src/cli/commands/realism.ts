/**
 * `dexposure realism DIR`: a history beside the real DeXposure aggregates, one row per
 * target with pass/fail (src/core/realism; targets in docs/DATA.md).
 */
import { CliError } from '../command';
import { formatTable } from '../table-format';
import { defineCommand, numberOption } from '../args';
import { openForCli } from '../release-args';
import { realism, type RealismReport } from '../../core/realism';

const usage = `Usage: dexposure realism DIR [--scale F] [--json] [--cache-dir DIR] [--rebuild-cache]

Compares the weekly history in DIR (a generated one or a real release) with the real
DeXposure aggregates: counts and total link size week by week, TVL in the Terra and
FTX event weeks, 7-sector mix, spillover-index autocorrelation, edge and direction
persistence, the persistence baseline against the paper's Table 3, category mix.
  --scale F       compare counts with the real week's times F (default: the scale in
                  DIR/synth.json, else 1)
  --json          print the rows and the weekly series as JSON`;

function fmt(x: number | null): string {
  if (x === null || Number.isNaN(x)) return '';
  return Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(3);
}

export function formatRealism(r: RealismReport): string {
  const table = formatTable(
    [{ header: 'group' }, { header: 'metric' }, { header: 'target' }, { header: 'value', align: 'right' }, { header: 'real', align: 'right' }, { header: 'pass' }],
    r.rows.map((x) => [x.group, x.metric, x.target, fmt(x.value), fmt(x.real), x.pass ? 'pass' : 'FAIL']),
  );
  return [`${r.dir}: ${r.series.week.length} weeks ${r.from} .. ${r.to}${r.scale < 1 ? `, counts compared at scale ${+r.scale.toFixed(4)}` : ''}`, '', table, '', `${r.passed} of ${r.total} rows pass`, ...r.notes.map((n) => `note: ${n}`)].join('\n');
}

export const realismCommand = defineCommand({ name: 'realism', summary: 'Compare a history with the real DeXposure aggregates (pass/fail per target)', usage, strings: ['scale', 'cache-dir'], flags: ['json', 'rebuild-cache'] }, async (o, positionals) => {
  const dir = positionals[0];
  if (!dir) throw new CliError(`realism: DIR is required\n\n${usage}`);
  const scale = numberOption('realism', '--scale', o.scale, { min: 0, minExclusive: true, max: 1 });
  const json = o.json ?? false;
  const release = await openForCli(dir, { cacheDir: o['cache-dir'], rebuild: o['rebuild-cache'], quiet: json });
  let r: RealismReport;
  try {
    r = await realism(release, { scale, onProgress: json || !process.stderr.isTTY ? undefined : (m) => process.stderr.write(`\r${m}   `) });
  } catch (e) {
    throw new CliError((e as Error).message, 1);
  }
  if (!json && process.stderr.isTTY) process.stderr.write('\n');
  if (json) console.log(JSON.stringify(r, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2));
  else console.log(formatRealism(r));
  return 0;
});
