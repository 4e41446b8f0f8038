/**
 * `dx.realism(release)`: the history beside the real DeXposure aggregates (rows of
 * target, value, pass/fail; src/core/realism), shown as a table and one chart per
 * weekly series.
 */
import type { Release } from '../snapshot/release';
import { realism as computeRealism, type RealismOptions, type RealismReport } from '../realism';
import { MIME_BUNDLE } from '../display/protocol';
import { tableView } from '../display/table-view';
import { chartView, timeSeriesFigure } from '../display/chart-view';
import { withDisplays } from './show';

const bundleOf = (v: { [MIME_BUNDLE](): Record<string, unknown> }) => v[MIME_BUNDLE]();
const nums = (xs: (number | null)[]) => xs.map((x) => (x === null ? NaN : x));

export async function realism(release: Release, opts: RealismOptions = {}): Promise<RealismReport> {
  const r = await computeRealism(release, opts);
  return withDisplays(r, () => {
    const s = r.series;
    const rows = r.rows.map((x) => ({ group: x.group, metric: x.metric, target: x.target, value: x.value, real: x.real, pass: x.pass ? 'pass' : 'FAIL' }));
    const scaleNote = r.scale < 1 ? ` x ${+r.scale.toFixed(4)}` : '';
    return [
      bundleOf(
        tableView(rows, {
          title: `Realism of ${r.dir}: ${r.passed} of ${r.total} rows pass (${s.week.length} weeks ${r.from} .. ${r.to})`,
          caption: 'Each row: the history measured from its release files, the target, and the real value it is compared with (docs/DATA.md lists the sources).',
          columns: { value: { digits: 3 }, real: { digits: 3 } },
        }),
      ),
      bundleOf(chartView(timeSeriesFigure([{ name: 'nodes', x: s.week, y: s.nodes }, { name: `real nodes${scaleNote}`, x: s.week, y: nums(s.nodesTarget) }, { name: 'links', x: s.week, y: s.links }, { name: `real links${scaleNote}`, x: s.week, y: nums(s.linksTarget) }], { title: 'Node and link records per week', yTitle: 'count', logY: true }))),
      bundleOf(chartView(timeSeriesFigure([{ name: 'total link size', x: s.week, y: s.linkSize }, { name: 'real', x: s.week, y: nums(s.linkSizeReal) }, { name: 'total TVL', x: s.week, y: s.tvl }], { title: 'Total link size and TVL per week (USD)', yTitle: 'USD', logY: true }))),
      bundleOf(chartView(timeSeriesFigure([{ name: 'spillover index', x: s.week, y: s.spillover }, { name: 'real', x: s.week, y: nums(s.spilloverReal) }, { name: 'sector mix distance', x: s.week, y: nums(s.sectorDistance) }], { title: '7-sector spillover index (off-diagonal HHI) and distance of the sector mix to the real week', yTitle: 'index / distance' }))),
    ];
  });
}
