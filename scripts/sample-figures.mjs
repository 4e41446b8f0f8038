// Regenerates the figures docs/MODEL.md gives for the bundled sample (examples/data):
// Figure 4 (forecast-then-measure: r² and coefficient of determination of each measure
// on the forecast G^(t+h) against the realised week, per horizon, with the MAE), for
// the shipped model and for persistence (G_t as G^(t+h)) through the same pipeline,
// and Table 4 (predictive stress testing) of the shipped model, on the sample's
// hold-out weeks; and the event studies' window structure (Table 5) for Terra and FTX
// with the persistence forecast's TVL-HHI and top-5 stress-loss MAE through the window
// (the model's own row needs a model trained before each window: see MODEL.md).
// Prints one JSON object:
//   { release, testWeeks, figure4: { model: [...], persistence: [...] }, table4: [...], events: [...] }
// Each figure4 row is { h, metric, n, pearsonR2, r2, mae }.
//   node --import tsx scripts/sample-figures.mjs [RELEASE]   (default examples/data)
import { openRelease } from '../src/core/snapshot/release.ts';
import { eventStudy, forecastRisk } from '../src/core/api/forecasting.ts';
import { persistenceGraph } from '../src/core/eval/forecast-then-measure.ts';

const dir = process.argv[2] ?? 'examples/data';
const release = await openRelease(dir);
const round = (x, d) => (Number.isFinite(x) ? Number(x.toFixed(d)) : x);
const rows = (r) =>
  r.fits.map((f) => ({
    h: f.horizon,
    metric: f.metric,
    n: f.n,
    pearsonR2: round(f.pearsonR2, 3),
    r2: round(f.r2, 2),
    mae: round(f.mae, 4),
  }));
const model = await forecastRisk(release, {});
const persistence = await forecastRisk(release, { model: 'persistence' });
const summary = (s) => ({
  horizon: s.horizon ?? 'all',
  cases: s.cases,
  maeModel: round(s.maeModel, 2),
  maePersistence: round(s.maeBaseline, 2),
  deltaMAE: round(s.deltaMAE, 2),
  deltaMAEWorst: round(s.deltaMAEWorst, 2),
  winRateWorst: round(s.winRateWorst, 2),
});
const events = [];
for (const name of ['terra', 'ftx']) {
  const e = await eventStudy(release, name, { forecaster: persistenceGraph, model: 'persistence' });
  const st = e.structure;
  events.push({
    event: name,
    anchor: st.anchor,
    last: st.last,
    dTvlPct: round(st.dTvlPct, 1),
    dEdgesPct: round(st.dEdgesPct, 1),
    persistence: {
      hhiMAE: round(e.forecast?.hhiMAE, 4),
      contagionMAE: round(e.forecast?.persistenceContagionMAE, 2),
    },
  });
}
console.log(
  JSON.stringify(
    {
      release: dir,
      testWeeks: [model.testWeeks[0], model.testWeeks.at(-1)],
      figure4: { model: rows(model), persistence: rows(persistence) },
      table4: [...model.stressSummary.byHorizon, model.stressSummary.overall].map(summary),
      events,
    },
    null,
    1,
  ),
);
