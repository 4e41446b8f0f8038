// Names from data never become Plotly markup: `<a href>` in a sector name is shown as
// text in the spillover heatmap (and in every chart builder), not turned into a link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIME_BUNDLE, type ChartPayload, type Displayable } from '../../../src/core/display/protocol';
import { MIME } from '../../../src/core/display/views';
import { spillover } from '../../../src/core/api';
import { groupedBarFigure, scatterIdentityFigure, timeSeriesFigure } from '../../../src/core/display/chart-view';
import { plotlyPlainText, plotlyText } from '../../../src/core/display/plotly-text';
import type { Snapshot } from '../../../src/core/snapshot/types';

const EVIL = '<a href="https://example.com/x">Lending</a> & <b>co</b>';
const SAFE = '&lt;a href="https://example.com/x"&gt;Lending&lt;/a&gt; &amp; &lt;b&gt;co&lt;/b&gt;';

test('plotlyText writes &, < and > as entities (Plotly shows them as the characters)', () => {
  assert.equal(plotlyText(EVIL), SAFE);
  assert.equal(plotlyText('plain name (1)'), 'plain name (1)');
  assert.equal(plotlyText('&lt;'), '&amp;lt;'); // an entity in a name stays visible as typed
});

test('the spillover heatmap escapes category names on both axes', () => {
  const s = {
    week: '2025-01-06',
    kind: 'observed',
    ids: ['a', 'b'],
    names: ['A', 'B'],
    categories: [EVIL, 'Dexs'],
    sectors: ['Lending', 'DEX'],
    tvl: Float64Array.of(10, 20),
    edgeSource: Int32Array.of(0),
    edgeTarget: Int32Array.of(1),
    edgeWeight: Float64Array.of(5),
  } as unknown as Snapshot;
  const m = spillover(s);
  assert.ok(m.sectors.includes(EVIL), 'the result itself keeps the real name');
  const chart = (m as unknown as Displayable)[MIME_BUNDLE]()[MIME.chart] as ChartPayload;
  const trace = chart.data[0] as { x: string[]; y: string[] };
  assert.ok(trace.x.includes(SAFE) && trace.y.includes(SAFE));
  assert.ok(!JSON.stringify(chart).includes('<a '));
});

test('figure builders escape series names, categories, labels and titles', () => {
  const figs = [
    timeSeriesFigure([{ name: EVIL, x: ['2025-01-06', EVIL], y: [1, 2] }], { title: EVIL, yTitle: EVIL }),
    scatterIdentityFigure({ x: [1, 2], y: [1, 2], labels: [EVIL, 'b'], name: EVIL }, { title: EVIL }),
    groupedBarFigure([EVIL, 'x'], [{ name: EVIL, values: [1, 2] }], { title: EVIL }),
  ];
  for (const f of figs) {
    const text = JSON.stringify(f);
    assert.ok(!text.includes('<a ') && !text.includes('<b>'), text);
    assert.ok(text.includes(SAFE.replace(/"/g, '\\"')));
  }
});

test('plotlyPlainText shows a Plotly title as plain text: entities decoded, breaks as spaces, tags dropped', () => {
  assert.equal(plotlyPlainText('Early-warning signals (alert when |z| &gt; 2)'), 'Early-warning signals (alert when |z| > 2)');
  assert.equal(plotlyPlainText('<b>Figure 5</b>: loss<br>by round'), 'Figure 5: loss by round');
  assert.equal(plotlyPlainText(plotlyText(EVIL)), EVIL, 'the inverse of plotlyText');
  assert.equal(plotlyPlainText('&#36;1 &#x41; &unknown; a &lt;b&gt;'), '$1 A &unknown; a <b>');
});
