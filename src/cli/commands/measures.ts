/**
 * `dexposure measures DATA --week YYYY-MM-DD`: every systemic-risk measure of one week
 * (src/core/measures).
 */
import { CliError } from '../command';
import { computeMeasures, NETWORK_MEASURES } from '../../core/measures';
import type { MeasureMode, MeasuresResult, SisWeights } from '../../core/measures';
import { integerOption, defineCommand } from '../args';
import { checkWeek, core, loadWeek, openData } from '../release-args';
import { formatTable, measureText, num, pct, usd } from '../table-format';

const usage = `Usage: dexposure measures DATA --week YYYY-MM-DD [--parity] [--top N] [--weights A,B,C] [--json]

Every systemic-risk measure of one week of a release folder DATA (real or synthetic):
SIS per protocol (PageRank, top-5 tail exposure, log TVL), density, TVL HHI and Gini,
edge HHI, sector spillover matrix and index, mean SIS (docs/MEASURES.md).
  --week DATE      the week (a Monday present in DATA)
  --parity         the authors' published conventions instead of the default ones
  --top N          protocols listed in the human table (default 20)
  --weights A,B,C  SIS weights of PageRank, tail exposure and log TVL (default 1/3 each)
  --json           print the full result as JSON`;

function parseWeights(v: string | undefined): Partial<SisWeights> {
  const parts = (v ?? '').split(',').map((x) => Number(x));
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x) || x < 0)) throw new CliError(`measures: --weights expects three numbers >= 0 like 0.5,0.25,0.25, got "${v ?? ''}"`);
  return { pagerank: parts[0], tail: parts[1], tvl: parts[2] };
}

function printHuman(m: MeasuresResult, top: number): void {
  console.log(`Week ${m.week} (${m.mode} mode): ${m.nodes} protocols, ${m.edges} exposures, total TVL ${usd(m.totalTvl)}`);
  console.log(
    formatTable(
      [{ header: 'measure' }, { header: 'value', align: 'right' }],
      NETWORK_MEASURES.map((d) => [d.label, measureText(d, m[d.key])]),
    ),
  );
  console.log(`\nWatchlist (top ${Math.min(top, m.protocols.length)} by SIS; weights ${num(m.sisWeights.pagerank, 3)}/${num(m.sisWeights.tail, 3)}/${num(m.sisWeights.tvl, 3)})`);
  console.log(
    formatTable(
      [{ header: '#', align: 'right' }, { header: 'id' }, { header: 'name' }, { header: 'category' }, { header: 'TVL', align: 'right' }, { header: 'PageRank', align: 'right' }, { header: 'tail', align: 'right' }, { header: 'SIS', align: 'right' }],
      m.protocols.slice(0, top).map((p) => [String(p.rank), p.id, p.name, p.category, usd(p.tvl), num(p.pagerank, 5), num(p.tailExposure, 3), num(p.sis, 4)]),
    ),
  );
  const cells: [string, string, number][] = [];
  m.spillover.sectors.forEach((a, i) => m.spillover.sectors.forEach((b, j) => i !== j && m.spillover.matrix[i][j] > 0 && cells.push([a, b, m.spillover.matrix[i][j]])));
  cells.sort((x, y) => y[2] - x[2]);
  console.log(`\nLargest cross-sector exposures (holder sector -> issuer sector; ${m.spillover.sectors.length} sectors)`);
  console.log(
    formatTable(
      [{ header: 'from' }, { header: 'to' }, { header: 'exposure', align: 'right' }, { header: 'share', align: 'right' }],
      cells.slice(0, 10).map(([a, b, v]) => [a, b, usd(v), pct((100 * v) / (m.spillover.total || 1))]),
    ),
  );
}

export const measuresCommand = defineCommand({ name: 'measures', summary: 'Systemic-risk measures of one week (SIS, HHI, density, spillover)', usage, strings: ['week', 'top', 'weights'], flags: ['parity', 'json'] }, async (o, positionals) => {
  const dir = positionals[0];
  const mode: MeasureMode = o.parity ? 'parity' : 'default';
  const top = integerOption('measures', '--top', o.top, { min: 0 }) ?? 20;
  const weights = o.weights === undefined ? undefined : parseWeights(o.weights);
  const release = await openData('measures', dir);
  const w = checkWeek('measures', '--week', release, o.week);
  const s = await loadWeek('measures', release, w);
  const m = core('measures', () => computeMeasures(s, { mode, weights }));
  if (o.json) console.log(JSON.stringify(m));
  else printHuman(m, top);
  return 0;
});
