/**
 * `dexposure warnings DATA --from DATE --to DATE`: density, TVL HHI and spillover index
 * as weekly series with z-score alerts on week-on-week changes (src/core/warnings).
 */
import { CliError } from '../command';
import { measureDescriptor, NETWORK_MEASURES, type MeasureMode } from '../../core/measures';
import { detectAlerts, warningPoint, WARNING_MEASURES } from '../../core/warnings';
import type { WarningMeasure, WarningPoint } from '../../core/warnings';
import { formatTable, measureText, usd } from '../table-format';
import { dateOption, integerOption, numberOption, defineCommand } from '../args';
import { core, loadWeek, openData } from '../release-args';

const usage = `Usage: dexposure warnings DATA --from YYYY-MM-DD --to YYYY-MM-DD [--k K] [--window W] [--measures M] [--parity] [--json]

Tracks density, TVL HHI and the spillover index week by week over [from, to] and flags
weeks whose week-on-week change is more than K standard deviations away from the mean
change of the trailing W weeks (docs/MEASURES.md, "Early warning").
  --k K         alert threshold in standard deviations (default 2)
  --window W    trailing window of weekly changes (default 8)
  --measures M  comma-separated measures to track (default ${WARNING_MEASURES.join(',')});
                any of ${NETWORK_MEASURES.map((d) => d.key).join(', ')}
  --parity      count edges the authors' way (every row) for density
  --json        print { series, alerts, alertWeeks, k, window } as JSON`;

function measureList(v: string | undefined): WarningMeasure[] | undefined {
  if (v === undefined) return undefined;
  const keys = v.split(',').map((x) => x.trim());
  const bad = keys.find((k) => !measureDescriptor(k));
  if (bad !== undefined) throw new CliError(`warnings: --measures: unknown measure "${bad}" (known: ${NETWORK_MEASURES.map((d) => d.key).join(', ')})`);
  return keys as WarningMeasure[];
}

export const warningsCommand = defineCommand({ name: 'warnings', summary: 'Early-warning series (density, TVL HHI, spillover) and alerts over a range of weeks', usage, strings: ['from', 'to', 'k', 'window', 'measures'], flags: ['parity', 'json'] }, async (o, positionals) => {
  const dir = positionals[0];
  const from = dateOption('warnings', '--from', o.from);
  const to = dateOption('warnings', '--to', o.to);
  const k = numberOption('warnings', '--k', o.k, { min: 0, minExclusive: true });
  const window = integerOption('warnings', '--window', o.window, { min: 2 });
  const mode: MeasureMode = o.parity ? 'parity' : 'default';
  const measures = measureList(o.measures);
  const tracked = (measures ?? WARNING_MEASURES).map((k) => measureDescriptor(k)!);
  if (!from || !to) throw new CliError(`warnings: --from and --to are required\n\n${usage}`);
  if (from > to) throw new CliError(`warnings: --from ${from} is after --to ${to}`);
  const release = await openData('warnings', dir);
  const weeks = release.weeks.filter((w) => w >= from && w <= to);
  if (weeks.length === 0) throw new CliError(`warnings: no weeks of the release fall in ${from} .. ${to} (release: ${release.weeks[0] ?? '-'} .. ${release.weeks[release.weeks.length - 1] ?? '-'})`);
  const series: WarningPoint[] = [];
  for (const w of weeks) {
    const s = await loadWeek('warnings', release, w);
    series.push(core('warnings', () => warningPoint(s, { mode, measures })));
  }
  const r = core('warnings', () => detectAlerts(series, { k, window, measures, minHistory: window !== undefined ? Math.min(4, window) : undefined }));
  if (o.json) {
    console.log(JSON.stringify(r));
    return 0;
  }
  const flagged = new Map<string, string[]>();
  for (const a of r.alerts) flagged.set(a.week, [...(flagged.get(a.week) ?? []), `${a.measure} z=${a.zScore.toFixed(1)}`]);
  console.log(`${series.length} weeks ${weeks[0]} .. ${weeks[weeks.length - 1]}; alert when |z| > ${r.k} over the trailing ${r.window} weekly changes`);
  console.log(
    formatTable(
      [{ header: 'week' }, { header: 'protocols', align: 'right' }, { header: 'TVL', align: 'right' }, ...tracked.map((d) => ({ header: d.label, align: 'right' as const })), { header: 'alerts' }],
      series.map((p) => [p.week, String(p.nodes), usd(p.totalTvl), ...tracked.map((d) => measureText(d, p[d.key])), (flagged.get(p.week) ?? []).join(', ')]),
    ),
  );
  console.log(r.alertWeeks.length ? `\nAlert weeks: ${r.alertWeeks.join(', ')}` : '\nNo alerts.');
  return 0;
});
