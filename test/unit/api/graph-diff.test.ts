import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIME_BUNDLE, type Displayable, type TablePayload } from '../../../src/core/display/protocol';
import { MIME } from '../../../src/core/display/views';
import { graphDiff, paper } from '../../../src/core/api';
import { NETWORK_MEASURES } from '../../../src/core/measures/catalog';
import { snap } from '../measures/fixture-snapshot';

const bundle = (v: unknown) => (v as Displayable)[MIME_BUNDLE]();

// a: A->B, A->C, B->C (twice, parallel), C->C (self-loop), A->X (X only in a)
const a = snap(
  [['A', 100, 'Lending'], ['B', 50, 'Dexes'], ['C', 25, 'Dexes'], ['X', 10]],
  [['A', 'B', 10], ['A', 'C', 5], ['B', 'C', 3], ['B', 'C', 2], ['C', 'C', 1], ['A', 'X', 4]],
  '2024-01-01',
);
// b: A->B kept, B->C kept, C->A added, A->C dropped; D is new and D->A is not counted (D not in a)
const b = snap(
  [['A', 120, 'Lending'], ['B', 40, 'Dexes'], ['C', 30, 'Dexes'], ['D', 5]],
  [['A', 'B', 12], ['B', 'C', 4], ['C', 'A', 6], ['D', 'A', 1]],
  '2024-01-29',
);

test('graphDiff counts exposures kept, added and dropped on the protocols both graphs hold', () => {
  const d = graphDiff({ label: 'observed', snapshot: a }, { label: 'realised', snapshot: b });
  assert.equal(d.commonNodes, 3); // A, B, C
  assert.equal(d.edgesA, 3); // A->B, A->C, B->C (parallel merged, self-loop and A->X out)
  assert.equal(d.edgesB, 3); // A->B, B->C, C->A
  assert.equal(d.kept, 2);
  assert.equal(d.added, 1);
  assert.equal(d.dropped, 1);
  assert.equal(d.precision, 2 / 3);
  assert.equal(d.recall, 2 / 3);
  assert.equal(d.jaccard, 2 / 4);
  // the measures are of the whole graphs
  assert.equal(d.a.nodes, 4);
  assert.equal(d.b.nodes, 4);
  assert.equal(d.a.totalTvl, 185);
  assert.equal(d.b.totalTvl, 195);
  assert.equal(d.a.week, '2024-01-01');
  assert.equal(d.b.label, 'realised');
  // TVL HHI of b: shares 120/195, 40/195, 30/195, 5/195
  const hhi = [120, 40, 30, 5].reduce((s, x) => s + (x / 195) ** 2, 0);
  assert.ok(Math.abs(d.b.tvlHHI - hhi) < 1e-12);
});

test('graphDiff of a graph with itself keeps everything; an empty side gives NaN ratios, not a crash', () => {
  const same = graphDiff(a, a);
  assert.equal(same.kept, 4); // with itself X is common too, so A->X counts
  assert.equal(same.added + same.dropped, 0);
  assert.equal(same.jaccard, 1);
  assert.deepEqual([same.a.label, same.b.label], ['observed', 'observed (2)']); // labels stay distinct in the display
  const byWeek = graphDiff(a, b);
  assert.deepEqual([byWeek.a.label, byWeek.b.label], ['observed 2024-01-01', 'observed 2024-01-29']);
  const fc = graphDiff({ ...a, kind: 'forecast' }, b);
  assert.deepEqual([fc.a.label, fc.b.label], ['forecast', 'observed']);
  const empty = snap([['A', 1], ['B', 1]], []);
  const d = graphDiff(empty, b);
  assert.equal(d.edgesA, 0);
  assert.equal(d.edgesB, 1); // only A->B is between common protocols
  assert.ok(Number.isNaN(d.precision));
  assert.equal(d.recall, 0);
});

test('graphDiff displays one table: a row of measures per graph, the exposure counts in the caption', () => {
  const d = graphDiff({ label: 'forecast', snapshot: a }, { label: 'realised', snapshot: b });
  const bd = bundle(d);
  const t = bd[MIME.table] as TablePayload;
  assert.deepEqual(t.rows.map((r) => r[0]), ['forecast', 'realised']);
  assert.equal(t.columns.find((c) => c.name === 'total TVL')?.kind, 'usd');
  assert.equal(t.title, 'forecast (2024-01-01) vs realised (2024-01-29)');
  assert.equal(t.caption, 'Exposures among the 3 protocols in both graphs: 3 in forecast, 3 in realised; 2 kept (in both), 1 added (only in realised), 1 dropped (only in forecast); precision 66.7%, recall 66.7%, Jaccard 50.0%.');
  assert.match(String(bd['text/markdown']), /2 kept/);
  assert.ok(!Object.keys(d).includes(String(MIME_BUNDLE)));
});

// P <-> Q (6 and 2 USD), R isolated; P and R in Lending, Q in Dexes; TVL 30, 10, 10
const tiny = snap(
  [['P', 30, 'Lending'], ['Q', 10, 'Dexes'], ['R', 10, 'Lending']],
  [['P', 'Q', 6], ['Q', 'P', 2]],
);
// Every measure of the catalog, by hand. PageRank: P and Q equal (a 2-cycle), R below
// (teleport only), so min-max PR~ = 1, 1, 0; log-TVL~ = 1, 0, 0; Tail = 1, 1, 0 (R holds
// nothing); SIS = (PR~ + Tail + log-TVL~) / 3 = 1, 2/3, 0.
const tinyMeasures: Record<string, number> = {
  density: 2 / (3 * 2),
  tvlHHI: (30 / 50) ** 2 + (10 / 50) ** 2 + (10 / 50) ** 2, // 0.44
  top10TvlShare: 1,
  giniTVL: 4 / 15, // sorted 10, 10, 30: (2 (10 + 20 + 90) - 4 * 50) / (3 * 50)
  edgeHHI: 0.75 ** 2 + 0.25 ** 2,
  top10EdgeShare: 1,
  spilloverIndex: 0.75 ** 2 + 0.25 ** 2, // both exposures cross sectors: Lending -> Dexes 6, Dexes -> Lending 2
  spilloverTotal: 8,
  meanSIS: (1 + 2 / 3 + 0) / 3,
  maxSIS: 1,
  sisGini: 1 / 10, // positive SIS 2/3, 1: (2 (2/3 + 2) - 3 * 5/3) / (2 * 5/3)
  meanInDegree: 2 / 3,
  maxInDegree: 1,
  reciprocity: 1,
  degreeGini: 0, // positive degrees 2, 2
};

test('graphDiff shows every measure of the catalog, with its label and digits, values checked by hand', () => {
  // a measure added to the catalog must appear here (and be given its hand value above)
  assert.deepEqual(NETWORK_MEASURES.map((m) => m.key).sort(), Object.keys(tinyMeasures).sort());
  const d = graphDiff({ label: 'before', snapshot: tiny }, { label: 'after', snapshot: a });
  for (const m of NETWORK_MEASURES) {
    const got = d.a[m.key];
    assert.ok(Math.abs(got - tinyMeasures[m.key]) < 1e-12, `${m.key}: ${got}, expected ${tinyMeasures[m.key]}`);
  }
  assert.deepEqual([d.a.nodes, d.a.edges, d.a.totalTvl], [3, 2, 50]);
  const t = bundle(d)[MIME.table] as TablePayload;
  const cell = (row: number, name: string) => t.rows[row][t.columns.findIndex((c) => c.name === name)];
  for (const m of NETWORK_MEASURES) {
    const col = t.columns.find((c) => c.name === m.label);
    assert.ok(col, `column ${m.label} (${m.key})`);
    assert.equal(col.label ?? col.name, m.label);
    assert.equal(col.description, m.description);
    // shares read as percentages, counts as integers, dollars in the usd format; digits as the catalog says
    assert.equal(col.kind, { number: 'number', share: 'percent', usd: 'usd', count: 'integer' }[m.format]);
    if (m.format !== 'usd') assert.equal(col.digits, m.digits);
    const expected = m.format === 'share' ? 100 * tinyMeasures[m.key] : tinyMeasures[m.key];
    assert.ok(Math.abs((cell(0, m.label) as number) - expected) < 1e-9, `${m.label}: ${String(cell(0, m.label))}, expected ${expected}`);
  }
  assert.deepEqual(t.columns.slice(0, 5).map((c) => c.name), ['graph', 'week', 'protocols', 'exposures', 'total TVL']);
  assert.equal(t.columns.length, 5 + NETWORK_MEASURES.length);
  assert.equal(cell(0, 'density'), 1 / 3);
  assert.equal(cell(1, 'protocols'), 4);
});

test('dx.paper holds the published numbers beside which notebooks show ours', () => {
  assert.equal(paper.table1.weeks, 283);
  assert.equal(paper.table1.meanEdges, 30424);
  assert.deepEqual(paper.table4.map((r) => r.horizon), [1, 4, 8, 12]);
  assert.deepEqual(paper.table4.find((r) => r.horizon === 4), { horizon: 4, deltaMAE: -1.71, deltaMAEWorst: 1.42, winRateWorst: 0.83 });
  assert.deepEqual(paper.figure2.find((r) => r.horizon === 12), { horizon: 12, maeModel: 2.37, maePersistence: 1.82 });
  assert.equal(paper.figure4.density, 0.841);
  assert.equal(paper.table5.terra.dTvlPct, -36.5);
  assert.equal(paper.figure5ContagionMAE.ftx, 14.55);
  assert.equal(paper.table3.find((r) => r.model.startsWith('DeXposure') && r.horizon === 1)?.auprc, 0.972);
});
