// Recomputes, with the library, every example value docs/API.md shows for the bundled
// sample (examples/data, week 2022-05-09 unless stated), and prints one line per
// example in the order of API.md: the expression as written there, then `// value`.
// Rerun after the sample or the shipped models (models/) change and copy the values
// into API.md; the lines marked [model] depend on the models.
//   node --import tsx scripts/api-examples.mjs [RELEASE]   (default examples/data)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataApi, riskApi, forecastingApi } from '../src/core/api/index.ts';
import library from '../src/index.ts'; // CommonJS under tsx: its exports are the default export

const { computeMeasures, watchlist, runStress } = library;
const dir = process.argv[2] ?? 'examples/data';
const dx = { ...dataApi, ...riskApi, ...forecastingApi };
// JSON with single quotes and unquoted keys, as API.md writes values.
const show = (v) => JSON.stringify(v).replace(/"([A-Za-z_][A-Za-z0-9_]*)":/g, '$1: ').replaceAll('"', "'").replaceAll(',', ', ');
const line = (expr, value, note = '') => console.log(`${expr.padEnd(62)} // ${typeof value === 'string' ? value : show(value)}${note ? `   ${note}` : ''}`);
const pick = (o, keys) => Object.fromEntries(keys.map((k) => [k, o[k]]));

const release = await dx.open(dir, { cacheDir: false });
line('release.weeks.length', release.weeks.length);
line('[release.weeks[0], release.weeks.at(-1)]', [release.weeks[0], release.weeks.at(-1)]);
const s = await release.snapshot('2022-05-09');
line('[s.ids.length, s.edgeSource.length]', [s.ids.length, s.edgeSource.length]);
let n = 0;
for await (const _w of release.snapshots('2022-05-02', '2022-05-30')) n++;
line("n (snapshots '2022-05-02'..'2022-05-30')", n);

line('dx.exposures(s).slice(0, 1)', dx.exposures(s).slice(0, 1).map((e) => ({ ...e, weight: Number(e.weight.toFixed(2)) })));
line('dx.totalTvl(s)', Math.round(dx.totalTvl(s)), `(~ ${(dx.totalTvl(s) / 1e9).toFixed(1)}B)`);
const top = dx.topKByTvl(s, 20);
line('dx.topKByTvl(s, 20): [protocols, exposures]', [top.ids.length, top.edgeSource.length]);
const realised = await release.snapshot('2022-05-16');
const [a, b] = dx.commonNodes(s, realised);
line('[a.ids.length, b.ids.length]', [a.ids.length, b.ids.length]);
const out = mkdtempSync(join(tmpdir(), 'dx-api-examples-'));
const exp = await dx.exportSnapshot(s, join(out, '2022-05-09'));
line("dx.exportSnapshot(s, 'out/2022-05-09'): nodes, edges", pick(exp, ['nodes', 'edges']));
rmSync(out, { recursive: true, force: true });

const m = dx.measures(s);
line('[m.tvlHHI, m.density, m.spilloverIndex, m.meanSIS]', [m.tvlHHI, m.density, m.spilloverIndex, m.meanSIS].map((x, i) => Number(x.toFixed(i === 1 ? 5 : 4))));
line('m.protocols[0]', { ...pick(m.protocols[0], ['id', 'name']), sis: Number(m.protocols[0].sis.toFixed(3)), rank: m.protocols[0].rank });
const sp = dx.spillover(s);
line('dx.spillover(s): categories, index', [sp.sectors.length, Number(sp.index.toFixed(4))]);
const r = dx.stress(s, 'top5');
line('[r.systemLossPct, r.depth, r.affected, r.distressed]', [Number(r.systemLossPct.toFixed(1)), r.depth, r.affected, r.distressed]);
line('r.shocked', r.shocked);
const l0 = r.losses[0];
line('r.losses[0]', { ...pick(l0, ['id', 'name']), loss: Number(l0.loss.toPrecision(3)), distressedRound: l0.distressedRound });
const mine = {
  name: 'WBTC and lending',
  description: 'WBTC loses 40%, lending 20%',
  shocks: [
    { kind: 'protocols', ids: ['2'], loss: 0.4 },
    { kind: 'categories', categories: ['Lending'], loss: 0.2 },
  ],
};
line('dx.stress(s, mine, { threshold: 0.05 }).systemLossPct', Number(dx.stress(s, mine, { threshold: 0.05 }).systemLossPct.toFixed(2)));
const sw = dx.sweep(s, 'top5', { shockSizes: [0.1, 0.2, 0.3, 0.5, 0.8, 1] });
line('sw.systemLossPct', sw.systemLossPct.map((x) => Number(x.toFixed(2))));
line("dx.sweep(s, 'top5', { thresholds: [0.01, 0.05, 0.1, 0.2] }).distressed", dx.sweep(s, 'top5', { thresholds: [0.01, 0.05, 0.1, 0.2] }).distressed);

const pred = await dx.forecast(release, '2022-05-09', { horizon: 1 });
line('pred.week', pred.week, '[model]');
line('pred.forecast', pred.forecast, '[model]');
const cmp = dx.compare([{ label: 'observed', snapshot: s }, { label: 'predicted', snapshot: pred }, { label: 'realised', snapshot: realised }], 'top5');
line('cmp.results.map((x) => [x.label, x.systemLossPct])', cmp.results.map((x) => [x.label, Number(x.systemLossPct.toFixed(2))]), '[model]');
const d = dx.graphDiff(pred, realised);
line('[d.kept, d.added, d.dropped, d.recall]', [d.kept, d.added, d.dropped, Number(d.recall.toFixed(3))], '[model]');

const ew = await dx.warnings(release, { from: '2022-01-03', to: '2022-12-26' });
const a0 = ew.alerts[0];
line('ew.alerts[0]', { week: a0.week, measure: a0.measure, zScore: Number(a0.zScore.toFixed(2)), change: Number(a0.change.toPrecision(2)), value: Number(a0.value.toPrecision(3)) });
line('ew.alertWeeks.length', ew.alertWeeks.length);

const terra = await dx.eventStudy(release, 'terra');
line('[terra.structure.anchor, terra.structure.last, terra.structure.dTvlPct]', [terra.structure.anchor, terra.structure.last, Number(terra.structure.dTvlPct.toFixed(1))]);

// The library names of the same computations (API.md "Scripts: the library API").
line('computeMeasures(s).tvlHHI', Number(computeMeasures(s).tvlHHI.toFixed(4)));
line('watchlist(s, 3).map((p) => p.name)', watchlist(s, 3).map((p) => p.name));
line("runStress(s, 'top5').systemLossPct", Number(runStress(s, 'top5').systemLossPct.toFixed(1)));
