/**
 * Writes docs/images/view-<name>-<light|dark>.png: each view as a notebook shows it on
 * the bundled sample data (examples/data), rendered in headless Chromium, for the
 * README and docs and for eyeballing after changes. Forecast views use the bundled
 * models (models/, or $DEXPOSURE_MODELS_PATH).
 *
 *   npm run build && node --import tsx test/browser/screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIME_BUNDLE, type MimeBundle } from '../../src/core/display/protocol';
import { MIME } from '../../src/core/display/views';
import { dataApi, forecastingApi, riskApi } from '../../src/core/api';
import { scatterIdentityFigure, chartView } from '../../src/core/display/chart-view';
import { openHarness, render, ROOT, setTheme } from './harness';

const WEEK = '2022-05-02';
const bundle = (v: unknown): MimeBundle => (v as { [MIME_BUNDLE](): MimeBundle })[MIME_BUNDLE]();

async function views(): Promise<[string, string, unknown][]> {
  const release = await dataApi.open(join(ROOT, 'examples/data'));
  const week = await release.snapshot(WEEK);
  const i = release.weeks.indexOf(WEEK);
  const realised = await release.snapshot(release.weeks[i + 1]!);
  const predicted = await forecastingApi.forecast(release, WEEK, { horizon: 1 });
  const comparison = riskApi.compare([
    { label: `observed ${WEEK}`, snapshot: week },
    { label: `forecast ${predicted.week}`, snapshot: predicted },
    { label: `realised ${realised.week}`, snapshot: realised },
  ], 'top5');
  const warnings = await riskApi.warnings(release);
  // Predicted vs realised log TVL one week ahead, with the y = x line (Figure 4 style).
  const common = predicted.ids.map((id, k) => [k, realised.ids.indexOf(id)] as const).filter(([, j]) => j >= 0);
  const scatter = chartView(
    scatterIdentityFigure(
      { x: common.map(([k]) => Math.log10(1 + predicted.tvl[k]!)), y: common.map(([, j]) => Math.log10(1 + realised.tvl[j]!)), labels: common.map(([k]) => predicted.names[k]!), name: 'protocols' },
      { title: `Protocol TVL: forecast from ${WEEK} vs realised ${realised.week} (log10 USD)`, xTitle: 'forecast', yTitle: 'realised' },
    ),
  );
  const pick = (b: MimeBundle, mime: string) => b[mime];
  return [
    ['table', MIME.table, pick(bundle(riskApi.measures(week)), MIME.table)],
    ['chart', MIME.chart, pick(bundle(warnings), MIME.chart)],
    ['scatter', MIME.chart, pick(bundle(scatter), MIME.chart)],
    ['graph', MIME.graph, pick(bundle(predicted), MIME.graph)],
    ['stress', MIME.stress, pick(bundle(riskApi.stress(week, 'top1')), MIME.stress)],
    ['stress-comparison', MIME.stress, pick(bundle(comparison), MIME.stress)],
  ];
}

async function main(): Promise<void> {
  const out = join(ROOT, 'docs/images');
  mkdirSync(out, { recursive: true });
  const list = await views();
  const h = await openHarness({ width: 1000, height: 1400 });
  try {
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(h.page, theme);
      for (const [name, mime, payload] of list) {
        await h.page.evaluate(() => (window as unknown as { dx: { clear(): void } }).dx.clear());
        const id = await render(h.page, mime, payload);
        if (mime === MIME.graph || name === 'stress') await h.page.waitForSelector(`#${id} [data-dx=graph][data-dx-state=mounted]`);
        if (name === 'graph') {
          // Search and select, as a user would, of the 10 largest protocols the one with the
          // most exposures whose name no other name contains (one match: the view shows it
          // with its exposures; fictional protocols in the sample have few).
          const { nodes, edges } = payload as { nodes: { id: string; name: string; tvl: number }[]; edges: { source: string; target: string }[] };
          const degree = new Map<string, number>();
          for (const e of edges) for (const v of [e.source, e.target]) degree.set(v, (degree.get(v) ?? 0) + 1);
          const lower = nodes.map((n) => n.name.toLowerCase());
          const unique = [...nodes].filter((n) => lower.filter((l) => l.includes(n.name.toLowerCase())).length === 1);
          const top = unique.sort((a, b) => b.tvl - a.tvl).slice(0, 10).sort((a, b) => (degree.get(b.id) ?? 0) - (degree.get(a.id) ?? 0))[0]!;
          await h.page.click(`#${id} [data-dx=search]`);
          await h.page.keyboard.type(top.name);
          await h.page.waitForFunction((s) => /^1 match for/.test(document.querySelector(s)?.textContent ?? ''), `#${id} [data-dx=status]`);
        }
        await h.page.waitForTimeout(1000);
        await (await h.page.$(`#${id}`))!.screenshot({ path: join(out, `view-${name}-${theme}.png`) });
        console.log(`wrote docs/images/view-${name}-${theme}.png`);
      }
    }
    if (h.errors.length) console.error(h.errors);
  } finally {
    await h.close();
  }
}

void main();
