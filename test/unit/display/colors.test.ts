import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATEGORY_COLORS, OTHER_COLOR, UNKNOWN_COLOR, categoryColor, categoryGroup, categoryLegend, parseRgb } from '../../../webview/colors';

/** Saturation of an sRGB colour (HSL), 0 for greys. */
function saturation(hex: string): number {
  const [r, g, b] = parseRgb(hex)!.map((v) => v / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  return max === min ? 0 : (max - min) / (1 - Math.abs(2 * l - 1));
}

// DefiLlama's 15 most frequent categories (meta_df.csv, 5,221 protocols), most frequent first.
const TOP15 = ['Dexes', 'Yield', 'Lending', 'Derivatives', 'Liquid Staking', 'Farm', 'Services', 'CDP', 'Yield Aggregator', 'Reserve Currency', 'Algo-Stables', 'Bridge', 'Chain', 'Launchpad', 'RWA'];

test('the 15 most frequent categories each have their own colour; Other and Unknown are neither', () => {
  assert.deepEqual(CATEGORY_COLORS.map(([c]) => c), TOP15);
  const colours = TOP15.map(categoryColor);
  assert.equal(new Set(colours).size, 15, 'no two share a colour');
  assert.ok(!colours.includes(OTHER_COLOR) && !colours.includes(UNKNOWN_COLOR));
  assert.notEqual(OTHER_COLOR, UNKNOWN_COLOR);
  assert.equal(saturation(UNKNOWN_COLOR), 0, 'Unknown is a neutral grey');
  assert.ok(saturation(OTHER_COLOR) < 0.2, 'Other is near-neutral');
  for (const c of colours) assert.ok(saturation(c) > 0.3, `${c} reads as a colour, not a grey`);
  // the pairs the old palette merged
  assert.notEqual(categoryColor('Dexes'), categoryColor('Chain'));
  assert.notEqual(categoryColor('Dexes'), categoryColor('Liquid Staking'));
  assert.notEqual(categoryColor('Yield'), categoryColor('Services'));
  assert.notEqual(categoryColor('Yield Aggregator'), categoryColor('Unknown'));
});

test('names match case-insensitively with old spellings; rare ones group as Other', () => {
  assert.equal(categoryColor('dexs'), categoryColor('Dexes'));
  assert.equal(categoryColor('DEXES'), categoryColor('Dexes'));
  assert.equal(categoryColor('Token Locker'), OTHER_COLOR);
  assert.equal(categoryColor('CEX'), OTHER_COLOR);
  assert.equal(categoryColor(''), UNKNOWN_COLOR);
  assert.equal(categoryColor('unknown'), UNKNOWN_COLOR);
  assert.equal(categoryGroup('Token Locker'), 'Other');
  assert.equal(categoryGroup('Lending'), 'Lending');
  assert.deepEqual(categoryLegend(['Unknown', 'CEX', 'Lending', 'Oracle', 'Dexes']), [
    { label: 'Lending', color: categoryColor('Lending'), members: ['Lending'] },
    { label: 'Dexes', color: categoryColor('Dexes'), members: ['Dexes'] },
    { label: 'Other', color: OTHER_COLOR, members: ['CEX', 'Oracle'] },
    { label: 'Unknown', color: UNKNOWN_COLOR, members: ['Unknown'] },
  ]);
});
