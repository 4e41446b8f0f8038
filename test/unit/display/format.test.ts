import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareCells, displaySource, formatCell, formatNumber, formatPercent, formatUsd } from '../../../src/core/display/format';
import { escapeMarkdown, markdownTable } from '../../../src/core/display/markdown';

test('formatUsd compacts by magnitude and rounds across unit boundaries', () => {
  assert.equal(formatUsd(1_234_000_000), '$1.23B');
  assert.equal(formatUsd(456_700_000), '$456.70M');
  assert.equal(formatUsd(12_300), '$12.30K');
  assert.equal(formatUsd(999), '$999.00');
  assert.equal(formatUsd(999_999), '$1.00M');
  assert.equal(formatUsd(-2_500_000), '-$2.50M');
  assert.equal(formatUsd(2e12), '$2.00T');
  assert.equal(formatUsd(Number.NaN), '');
});

test('formatNumber and formatPercent', () => {
  assert.equal(formatNumber(1234567.891, 2), '1,234,567.89');
  assert.equal(formatNumber(-0.0001, 2), '0.00');
  assert.equal(formatPercent(12.5), '12.50%');
  assert.equal(formatPercent(Infinity), '');
});

test('formatCell by kind; missing values are empty', () => {
  assert.equal(formatCell(3, { kind: 'integer' }), '3');
  assert.equal(formatCell(0.123456, { kind: 'number' }), '0.1235');
  assert.equal(formatCell(0.5, { kind: 'number', digits: 1 }), '0.5');
  assert.equal(formatCell(true, { kind: 'boolean' }), 'yes');
  assert.equal(formatCell(Date.UTC(2024, 0, 8), { kind: 'date' }), '2024-01-08');
  assert.equal(formatCell(null, { kind: 'usd' }), '');
  assert.equal(formatCell('n/a', { kind: 'usd' }), 'n/a');
});

test('compareCells sorts numbers numerically and puts missing last', () => {
  const xs = [10, null, 2, Number.NaN, 33];
  assert.deepEqual([...xs].sort(compareCells).slice(0, 3), [2, 10, 33]);
  assert.equal(compareCells('b', 'a'), 1);
  assert.equal(compareCells(null, 1), 1);
});

test('escapeMarkdown neutralises HTML and table syntax', () => {
  const s = escapeMarkdown('<img src=x onerror=alert(1)> | a\nb');
  assert.ok(!s.includes('<'));
  assert.ok(!/[^\\]\|/.test(s), 'pipes are escaped');
  assert.ok(!s.includes('\n'));
  assert.equal(escapeMarkdown('a_b*c'), 'a\\_b\\*c');
});

test('escapeMarkdown leaves plain text plain and escapes block markers only where they would start one', () => {
  // What the text output of `dexposure run` shows: no backslashes before ordinary signs.
  assert.equal(escapeMarkdown('+50.0% (h = 4) #1 of 3!'), '+50.0% (h = 4) #1 of 3!');
  assert.equal(escapeMarkdown('-5.00%'), '-5.00%');
  assert.equal(escapeMarkdown('2022-01-03'), '2022-01-03');
  // At the start of a line these would become a heading, list items or a rule.
  assert.equal(escapeMarkdown('# Aave'), '\\# Aave');
  assert.equal(escapeMarkdown('- x'), '\\- x');
  assert.equal(escapeMarkdown('+ x'), '\\+ x');
  assert.equal(escapeMarkdown('---'), '\\---');
  assert.equal(escapeMarkdown('12. x'), '12\\. x');
  assert.equal(escapeMarkdown('3) x'), '3\\) x');
  // Link syntax cannot form: its brackets are escaped.
  assert.equal(escapeMarkdown('[a](http://x)'), '\\[a\\](http://x)');
});

test('markdownTable aligns numeric columns right and notes the rows left out', () => {
  const md = markdownTable([{ name: 'name', kind: 'string' }, { name: 'tvl', kind: 'usd' }], [['A', 1e9], ['B', 2e6], ['C', 5]], 2);
  const lines = md.split('\n');
  assert.equal(lines[0], '| name | TVL |', 'the header is the label, not the field name');
  assert.equal(lines[1], '| --- | ---: |');
  assert.equal(lines[2], '| A | $1.00B |');
  assert.equal(lines.length, 6);
  assert.match(md, /_\.\.\. 1 more row \(3 in all\)_$/);
});

test('compareCells sorts names case-insensitively, digits by value, ties in a fixed order', () => {
  const names = ['curve', 'Aave V3', 'aave V2', 'Balancer', 'Aave V10', 'aave v3'];
  assert.deepEqual([...names].sort(compareCells), ['aave V2', 'Aave V3', 'aave v3', 'Aave V10', 'Balancer', 'curve']);
  assert.equal(compareCells('Lido', 'lido') !== 0, true, 'a total order: equal-looking names still order');
});

test('displaySource shows the folder a path names, not the machine\'s folders', () => {
  const cases: [source: string, shown: string][] = [
    ['/work/data/synth-full-42 (synthetic, full scale)', 'synth-full-42 (synthetic, full scale)'],
    ['/home/ana/My DeFi data/', 'My DeFi data'],
    ['C:\\Users\\ana\\weeks', 'weeks'],
    ['~/releases/2025 (real)', '2025 (real)'],
    ['the bundled sample', 'the bundled sample'],
    ['data', 'data'],
  ];
  for (const [source, shown] of cases) assert.equal(displaySource(source), shown, source);
});
