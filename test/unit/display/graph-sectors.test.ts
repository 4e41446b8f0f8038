import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sectorOverview } from '../../../src/core/display/graph-sectors';
import type { GraphPayload } from '../../../src/core/display/protocol';

const node = (id: string, category: string, tvl: number) => ({ id, name: id, category, tvl, x: 0, y: 0 });

test('sectorOverview sums protocols, TVL and exposures by category (hand-computed)', () => {
  const p: Pick<GraphPayload, 'nodes' | 'edges'> = {
    nodes: [node('a', 'Lending', 50), node('b', 'Lending', 30), node('c', 'Dexes', 100), node('d', 'CDP', 5)],
    edges: [
      { source: 'a', target: 'c', weight: 10 },
      { source: 'b', target: 'c', weight: 7 },
      { source: 'c', target: 'a', weight: 4 },
      { source: 'a', target: 'b', weight: 3 }, // inside Lending
      { source: 'd', target: 'a', weight: 2 },
      { source: 'd', target: 'c', weight: 1000, kind: 'predicted', probability: 0.9 }, // ignored: observed edges exist
    ],
  };
  const o = sectorOverview(p);
  assert.equal(o.predicted, false);
  assert.deepEqual(o.sectors.map((s) => [s.category, s.protocols, s.tvl, s.internal]), [
    ['Dexes', 1, 100, 0],
    ['Lending', 2, 80, 3],
    ['CDP', 1, 5, 0],
  ]);
  assert.deepEqual(o.edges, [
    { source: 'Lending', target: 'Dexes', weight: 17, count: 2 },
    { source: 'Dexes', target: 'Lending', weight: 4, count: 1 },
    { source: 'CDP', target: 'Lending', weight: 2, count: 1 },
  ]);
  // On a circle of radius 1000, largest TVL at the top, then clockwise (120 degrees apart).
  const [top, second, third] = o.sectors;
  assert.deepEqual([top!.x, top!.y], [0, 1000]);
  assert.deepEqual([second!.x, second!.y], [866, -500]);
  assert.deepEqual([third!.x, third!.y], [-866, -500]);
});

test('a forecast with only predicted edges sums their expected exposure (weight x probability)', () => {
  const o = sectorOverview({
    nodes: [node('a', 'Lending', 1), node('c', 'Dexes', 2)],
    edges: [
      { source: 'a', target: 'c', weight: 100, kind: 'predicted', probability: 0.5 },
      { source: 'a', target: 'c', weight: 10, kind: 'predicted', probability: 1 },
    ],
  });
  assert.equal(o.predicted, true);
  assert.deepEqual(o.edges, [{ source: 'Lending', target: 'Dexes', weight: 60, count: 2 }]);
  assert.deepEqual(sectorOverview({ nodes: [node('a', 'X', 1)], edges: [] }).sectors.map((s) => [s.x, s.y]), [[0, 0]]);
});

test('grouped categories make one sector: protocols and TVL summed, exposures between its members internal (hand-computed)', () => {
  const p: Pick<GraphPayload, 'nodes' | 'edges'> = {
    nodes: [node('a', 'Lending', 50), node('f', 'Farm', 20), node('o', 'Oracle', 10), node('u', 'Unknown', 40)],
    edges: [
      { source: 'f', target: 'o', weight: 6 }, // Farm -> Oracle: inside Other
      { source: 'f', target: 'a', weight: 5 },
      { source: 'o', target: 'a', weight: 2 },
      { source: 'a', target: 'u', weight: 1 },
    ],
  };
  const o = sectorOverview(p, (c) => (c === 'Lending' || c === 'Unknown' ? c : 'Other'));
  assert.deepEqual(o.sectors.map((s) => [s.category, s.members, s.protocols, s.tvl, s.internal]), [
    ['Lending', ['Lending'], 1, 50, 0],
    ['Unknown', ['Unknown'], 1, 40, 0],
    ['Other', ['Farm', 'Oracle'], 2, 30, 6],
  ]);
  assert.deepEqual(o.edges, [
    { source: 'Other', target: 'Lending', weight: 7, count: 2 },
    { source: 'Lending', target: 'Unknown', weight: 1, count: 1 },
  ]);
});
