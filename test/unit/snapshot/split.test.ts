/**
 * The fast week splitter (week-split.ts) guesses week boundaries by searching for the
 * separator bytes; where it applies, its slices must be the exact scanner's, for every
 * read-chunk size; where its guess is wrong, opening the release must still give the
 * exact result (the release converts again with the exact scanner).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRelease } from '../../../src/core/snapshot/release';
import { scanWeeks } from '../../../src/core/snapshot/week-scanner';
import { splitWeeks } from '../../../src/core/snapshot/week-split';

const FILE = 'historical-network_week_2021-01-04.json';

type Slice = { week: string; text: string; byteOffset: number };

async function exact(file: string): Promise<Slice[]> {
  const out: Slice[] = [];
  for await (const s of scanWeeks(file)) out.push({ week: s.week, text: s.bytes.toString('utf8'), byteOffset: s.byteOffset });
  return out;
}

/** The splitter's slices, or undefined where it does not apply; also checks the bytes it reports. */
async function split(file: string, chunkBytes: number, whole: Buffer): Promise<Slice[] | undefined> {
  const fh = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    const it = await splitWeeks(fh, { chunkBytes, onChunk: (c) => chunks.push(Buffer.from(c)) });
    if (!it) return undefined;
    const out: Slice[] = [];
    for await (const s of it) out.push({ week: s.week, text: s.bytes.toString('utf8'), byteOffset: s.byteOffset });
    assert.ok(Buffer.concat(chunks).equals(whole), `chunkBytes ${chunkBytes}: the chunks reported are the file, once, in order`);
    return out;
  } finally {
    await fh.close();
  }
}

function week(k: number, name: string, sep: { colon: string; comma: string }): string {
  const { colon: c, comma: m } = sep;
  return `{"nodes"${c}[{"id"${c}"${name}"${m}"size"${c}${k}${m}"composition"${c}{"${name}"${c}1.5}}]${m}"links"${c}[{"source"${c}"${name}"${m}"target"${c}"${name}"${m}"size"${c}2}]}`;
}

test('where the layout is {"data": {week: ...}}, the split is the exact scanner\'s for every chunk size and spacing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dx-split-'));
  try {
    // names with braces, quotes, backslashes and a decoy date inside strings
    const names = ['a}b', 'q\\"}', 'back\\\\', '}, \\"2021-02-01\\": {\\"nodes\\": [', 'é{', 'x\\u005c'];
    const layouts = [
      { pre: '{"data": {', colon: ': ', comma: ', ', between: ', ', post: '}}' }, // Python's json.dump
      { pre: '{"data":{', colon: ':', comma: ',', between: ',', post: '}}' }, // compact
      { pre: '\ufeff \n{ "data" :\n {\n  ', colon: ': ', comma: ', ', between: '\n ,\n  ', post: '\n }\n}\n' }, // BOM, indented
    ];
    for (const l of layouts) {
      const file = join(dir, FILE);
      const body = names.map((n, k) => `"2021-01-${String(4 + k).padStart(2, '0')}"${l.colon}${week(k, n, l)}`).join(l.between);
      writeFileSync(file, `${l.pre}${body}${l.post}`);
      const want = await exact(file);
      assert.equal(want.length, names.length);
      const whole = Buffer.from(`${l.pre}${body}${l.post}`);
      for (const chunk of [1, 2, 3, 7, 16, 64, 1000, 1 << 20]) assert.deepEqual(await split(file, chunk, whole), want, `${JSON.stringify(l.pre)} chunkBytes ${chunk}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('other layouts (no "data" wrapper, a non-date first key) are left to the exact scanner', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dx-split-'));
  try {
    const file = join(dir, FILE);
    const w = week(0, 'a', { colon: ': ', comma: ', ' });
    for (const text of [`{"2021-01-04": ${w}}`, `{"meta": 1, "data": {"2021-01-04": ${w}}}`, `{"data": {"x": 1, "2021-01-04": ${w}}}`, `{"data": {"2021\\u002d01-04": ${w}}}`, `{"data": {}}`]) {
      writeFileSync(file, text);
      assert.equal(await split(file, 64, Buffer.from(text)), undefined, text.slice(0, 30));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a wrong guess (a separator-like object inside a week, keys after "data") still opens as the exact scanner reads it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dx-split-'));
  try {
    // An unknown node field holding an object whose keys look like the next week:
    // the search finds `}, "2021-01-11": {"nodes": [` inside week 2021-01-04.
    const decoy = `{"nodes": [{"id": "a", "size": 3, "composition": {"T": 3}, "extra": {"x": {}, "2021-01-11": {"nodes": [1]}}}, {"id": "b", "size": 1, "composition": {}}], "links": [{"source": "a", "target": "b", "size": 2}]}`;
    const plain = `{"nodes": [{"id": "c", "size": 5, "composition": {}}], "links": []}`;
    const cases = [`{"data": {"2021-01-04": ${decoy}, "2021-01-18": ${plain}}}`, `{"data": {"2021-01-04": ${plain}}, "note": {"a": {}}}`];
    const expected = [
      [
        { week: '2021-01-04', nodes: 2, edges: 1 },
        { week: '2021-01-18', nodes: 1, edges: 0 },
      ],
      [{ week: '2021-01-04', nodes: 1, edges: 0 }],
    ];
    for (const [k, text] of cases.entries()) {
      const file = join(dir, FILE);
      writeFileSync(file, text);
      for (const threads of [0, 2]) {
        const r = await openRelease(file, { cacheDir: join(dir, `cache-${k}-${threads}`), threads });
        assert.deepEqual(
          r.summaries.map((s) => ({ week: s.week, nodes: s.nodes, edges: s.edges })),
          expected[k],
          `case ${k}, threads ${threads}`,
        );
      }
    }
    const notes = (await openRelease(join(dir, FILE), { cacheDir: false })).report.notes;
    assert.ok(notes.some((n) => n.includes('top-level key "note" is not a week')), notes.join('; '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('weeks of a few KiB (the separator found through the dates\' "-"): the exact scanner\'s split, decoys and negative numbers included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dx-split-'));
  try {
    // Weeks of ~10 KiB, so '-' is rare where the first chunk is sampled; later weeks
    // hold '-' in negative values, in a date-like id and a separator-like token inside
    // strings, none of which may end a week.
    const nodes = (k: number, extra: string): string =>
      Array.from({ length: 200 }, (_, i) => `{"id": "p${i}", "size": ${i + k}, "composition": {"T${i}": ${k > 1 && i % 7 === 0 ? -1.5 : 1.5}}}`).join(', ') + extra;
    const decoys = [', {"id": "2021-01-25", "size": 1, "composition": {}}', ', {"id": "x", "size": 1, "composition": {"}, \\"2021-02-01\\": {\\"nodes\\": [": 2}}', ''];
    const weeks = Array.from({ length: 6 }, (_, k) => `"2021-01-${String(4 + 7 * (k % 4)).padStart(2, '0')}"`.replace('2021-01', `2021-0${1 + Math.floor(k / 4)}`) + `: {"nodes": [${nodes(k, k === 0 ? '' : decoys[k % 3])}], "links": [{"source": "p1", "target": "p2", "size": 3}]}`);
    const text = `{"data": {${weeks.join(', ')}}}`;
    const file = join(dir, FILE);
    writeFileSync(file, text);
    const firstWeek = text.slice(0, text.indexOf('"2021-01-11"'));
    assert.ok(firstWeek.length > 8192 && !firstWeek.slice(20).includes('-'), 'the first week is long and holds no "-"');
    assert.ok((text.match(/-/g) ?? []).length > 30, 'later weeks hold "-"');
    const want = await exact(file);
    assert.equal(want.length, 6);
    for (const chunk of [7, 1000, 5000, 1 << 20]) assert.deepEqual(await split(file, chunk, Buffer.from(text)), want, `chunkBytes ${chunk}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
