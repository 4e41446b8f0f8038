/**
 * `dexposure export DATA`: one week or a range of weeks as CSV or Arrow files
 * (src/core/snapshot/export.ts).
 */
import type { CliCommand } from '../command';
import { CliError } from '../command';
import { exportSnapshot, type ExportFormat } from '../../core/snapshot/export';
import type { Snapshot } from '../../core/snapshot/types';
import { openForCli } from './inspect';

const usage = `Usage: dexposure export DATA (--week YYYY-MM-DD | --from D --to D) --out DIR
                         [--format csv|arrow] [--cache-dir DIR] [--rebuild-cache]

Writes DIR/nodes.csv (id,name,category,tvl) and DIR/edges.csv (source,target,weight),
or nodes.arrow/edges.arrow with --format arrow. A range adds a leading week column.
  --week W        one week
  --from/--to     an inclusive range of weeks (either may be left out)
  --format F      csv (default) or arrow`;

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Export a week or a range of weeks as CSV or Arrow',
  usage,
  async run(argv) {
    let data: string | undefined;
    let week: string | undefined;
    let from: string | undefined;
    let to: string | undefined;
    let out: string | undefined;
    let format: ExportFormat = 'csv';
    let cacheDir: string | undefined;
    let rebuild = false;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      switch (a) {
        case '--week': week = argv[++i]; break;
        case '--from': from = argv[++i]; break;
        case '--to': to = argv[++i]; break;
        case '--out': out = argv[++i]; break;
        case '--format': {
          const f = argv[++i];
          if (f !== 'csv' && f !== 'arrow') throw new CliError(`export: --format must be csv or arrow, got ${f === undefined ? 'nothing' : `"${f}"`}`);
          format = f;
          break;
        }
        case '--cache-dir': cacheDir = argv[++i]; break;
        case '--rebuild-cache': rebuild = true; break;
        default:
          if (a.startsWith('-') || data !== undefined) throw new CliError(`export: unexpected argument "${a}"\n\n${usage}`);
          data = a;
      }
    }
    if (!data) throw new CliError(`export: DATA is required\n\n${usage}`);
    if (!out) throw new CliError(`export: --out DIR is required\n\n${usage}`);
    if (week !== undefined && (from !== undefined || to !== undefined)) throw new CliError('export: give --week or --from/--to, not both');
    if (week === undefined && from === undefined && to === undefined) throw new CliError(`export: give --week W or a range --from D --to D\n\n${usage}`);
    const r = await openForCli(data, { cacheDir, rebuild });
    let result;
    if (week !== undefined) {
      if (!r.weeks.includes(week)) throw new CliError(`export: week ${week} is not in the release (${r.weeks[0] ?? '-'} .. ${r.weeks[r.weeks.length - 1] ?? '-'})`, 1);
      result = await exportSnapshot(await r.snapshot(week), out, format);
    } else {
      const list: Snapshot[] = [];
      for await (const s of r.snapshots(from, to)) list.push(s);
      if (list.length === 0) throw new CliError(`export: no weeks in ${from ?? '...'} .. ${to ?? '...'} (the release has ${r.weeks[0] ?? '-'} .. ${r.weeks[r.weeks.length - 1] ?? '-'})`, 1);
      result = await exportSnapshot(list, out, format);
    }
    console.log(`wrote ${result.nodes} node rows and ${result.edges} edge rows to ${result.files.join(' and ')}`);
    return 0;
  },
};
