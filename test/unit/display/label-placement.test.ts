/**
 * Graph labels never overlap (webview/label-placement): hand-placed nodes and labels
 * 6 px per character, 10 px high.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeLabels, type Box, type LabelCandidate } from '../../../webview/label-placement';

const width = (t: string) => 6 * t.length;
const node = (key: string, x: number, y: number, priority: number, size = 4): LabelCandidate => ({ key, label: key, x, y, size, priority });
const overlap = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

test('a label goes right of its node; a colliding one moves left, then above; one with no free place is left out', () => {
  // hub at (100,100), r 4: its text box x 106..126, y 94..106 (1 px padding), its disc 96..104.
  const placed = placeLabels([
    node('hub', 100, 100, 9),
    node('bb', 100, 108, 5, 2), // right (104..118, 102..114) hits hub's box; left (82..96) is clear
    node('cc', 100, 116, 4, 2), // right (104..118, 110..122) is clear of hub's box and bb's
    node('dd', 100, 100, 3, 2), // right and below hit hub, left hits bb, above hits hub's box: dropped
  ], width, 10);
  const at = new Map(placed.map((p) => [p.key, [p.textX, p.textY]]));
  assert.deepEqual([...at.keys()], ['hub', 'bb', 'cc']);
  assert.deepEqual(at.get('hub'), [107, 103]); // x + r + 3; baseline 0.8 of 10 below the top (95)
  assert.deepEqual(at.get('bb'), [83, 111]); // x - r - 3 - 12
  assert.deepEqual(at.get('cc'), [105, 119]);
  // Above: a long label's box (4..66, -6..6) blocks both sides of b (r 4) at (30, 0).
  const above = placeLabels([{ ...node('a', 0, 0, 9, 2), label: 'aaaaaaaaaa' }, node('b', 30, 0, 1)], width, 10);
  assert.deepEqual(above.map((p) => [p.key, p.textX, p.textY]), [['a', 5, 3], ['b', 27, -9]]);
  for (const a of placed) for (const b of placed) if (a !== b) assert.ok(!overlap(a.box, b.box), `${a.key} / ${b.key}`);
});

test('higher priority wins the place; equal priority keeps the given order; a label with no free place is left out', () => {
  const crowd = [node('low', 0, 0, 1), node('high', 0, 0, 2), node('also', 0, 0, 2), node('third', 0, 0, 2), node('fourth', 0, 0, 2), node('fifth', 0, 0, 2)];
  const placed = placeLabels(crowd, width, 10);
  assert.deepEqual(placed.map((p) => p.key), ['high', 'also', 'third', 'fourth']);
  for (const a of placed) for (const b of placed) if (a !== b) assert.ok(!overlap(a.box, b.box));
});

test('a label that fits on screen is not pushed off it; one wholly off screen is dropped; empty labels are skipped', () => {
  // Near the right edge of a 200 px view, the right place is cut: the left one is taken.
  const [edge] = placeLabels([node('edge', 195, 50, 1)], width, 10, { width: 200, height: 100 });
  assert.ok(edge!.box.x1 <= 200 && edge!.textX === 195 - 4 - 3 - 24);
  assert.deepEqual(placeLabels([node('gone', 500, 500, 1)], width, 10, { width: 200, height: 100 }), []);
  assert.deepEqual(placeLabels([{ ...node('x', 10, 10, 1), label: '' }], width, 10), []);
});
