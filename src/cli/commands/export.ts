/**
 * `dexposure export DATA`: one week or a range of weeks as CSV or Arrow files
 * (src/core/snapshot/export.ts).
 */
import { CliError } from '../command';
import { exportSnapshot, type ExportFormat } from '../../core/snapshot/export';
import type { Snapshot } from '../../core/snapshot/types';
import { choiceOption, dateOption, defineCommand } from '../args';
import { checkWeek, openForCli } from '../release-args';

const usage = `Usage: dexposure export DATA (--week YYYY-MM-DD | --from D --to D) --out DIR
                         [--format csv|arrow] [--cache-dir DIR] [--rebuild-cache]

Writes DIR/nodes.csv (id,name,category,tvl) and DIR/edges.csv (source,target,weight),
or nodes.arrow/edges.arrow with --format arrow. A range adds a leading week column.
  --week W        one week
  --from/--to     an inclusive range of weeks (either may be left out)
  --format F      csv (default) or arrow`;

export const exportCommand = defineCommand({ name: 'export', summary: 'Export a week or a range of weeks as CSV or Arrow', usage, strings: ['week', 'from', 'to', 'out', 'format', 'cache-dir'], flags: ['rebuild-cache'] }, async (o, positionals) => {
  const data = positionals[0];
  const { week, out } = o;
  const from = dateOption('export', '--from', o.from);
  const to = dateOption('export', '--to', o.to);
  const format: ExportFormat = choiceOption('export', '--format', o.format, ['csv', 'arrow'] as const) ?? 'csv';
  if (!data) throw new CliError(`export: DATA is required\n\n${usage}`);
  if (!out) throw new CliError(`export: --out DIR is required\n\n${usage}`);
  if (week !== undefined && (from !== undefined || to !== undefined)) throw new CliError('export: give --week or --from/--to, not both');
  if (week === undefined && from === undefined && to === undefined) throw new CliError(`export: give --week W or a range --from D --to D\n\n${usage}`);
  const r = await openForCli(data, { cacheDir: o['cache-dir'], rebuild: o['rebuild-cache'] });
  let result;
  if (week !== undefined) {
    checkWeek('export', '--week', r, week, 1);
    result = await exportSnapshot(await r.snapshot(week), out, format);
  } else {
    const list: Snapshot[] = [];
    for await (const s of r.snapshots(from, to)) list.push(s);
    if (list.length === 0) throw new CliError(`export: no weeks in ${from ?? '...'} .. ${to ?? '...'} (the release has ${r.weeks[0] ?? '-'} .. ${r.weeks[r.weeks.length - 1] ?? '-'})`, 1);
    result = await exportSnapshot(list, out, format);
  }
  console.log(`wrote ${result.nodes} node rows and ${result.edges} edge rows to ${result.files.join(' and ')}`);
  return 0;
});
