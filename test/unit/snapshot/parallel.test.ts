/**
 * Cold conversion on worker threads (week-pool.ts) must give exactly what a
 * one-thread conversion gives: the same weeks, columns, repairs, report and cache
 * bytes, and for bad input the same first error. Each case runs both ways.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRelease, type Release } from '../../../src/core/snapshot/release';
import { ReleaseFormatError } from '../../../src/core/snapshot/errors';
import { IdDictionaries } from '../../../src/core/cache/store';
import { decodeWeek } from '../../../src/core/cache/week-arrow';
import type { CacheManifest } from '../../../src/core/cache/manifest';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'release');
const FILE = 'historical-network_week_2020-03-30.json';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'dx-parallel-'));
}

async function columns(r: Release): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const s of r.snapshots()) {
    out.push([s.week, s.ids, Array.from(s.tvl), Array.from(s.edgeSource), Array.from(s.edgeTarget), Array.from(s.edgeWeight), Array.from(s.composition!.offsets), s.composition!.tokens, Array.from(s.composition!.values)]);
  }
  return out;
}

/**
 * The cache's files: composition files as their bytes; week files (`<week>.arrow`)
 * as the bytes of what they decode to, their node ids looked up in the week's id
 * dictionary. Each thread numbers the ids it meets in its own dictionary
 * (cache/manifest.ts), so the stored indices depend on which thread wrote a week;
 * everything they stand for must not.
 */
function cacheFiles(root: string): Map<string, Buffer> {
  const dir = join(root, readdirSync(root).filter((f) => !f.endsWith('.json'))[0]);
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as CacheManifest;
  const dicts = new IdDictionaries(m);
  const out = new Map<string, Buffer>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.arrow'))) {
    const bytes = readFileSync(join(dir, f));
    if (f.endsWith('.composition.arrow')) {
      out.set(f, bytes);
      continue;
    }
    const w = m.weeks.find((x) => `${x.week}.arrow` === f)!;
    const d = decodeWeek(bytes, w, dicts.get(w.dict));
    const cols = [Buffer.from(JSON.stringify(d.ids)), ...[d.tvl, d.edgeSource, d.edgeTarget, d.edgeWeight].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))];
    out.set(f, Buffer.concat(cols));
  }
  return out;
}

test('fixture release: two worker threads give the same weeks, report and cache files as one thread', async () => {
  const dir = tmp();
  const roots = [tmp(), tmp()];
  try {
    cpSync(FIXTURE, dir, { recursive: true });
    const one = await openRelease(dir, { cacheDir: roots[0], threads: 0 });
    const two = await openRelease(dir, { cacheDir: roots[1], threads: 2 });
    assert.deepEqual(two.weeks, one.weeks);
    assert.ok(one.weeks.length >= 3, 'the fixture has several weeks');
    assert.deepEqual(two.summaries, one.summaries);
    const strip = (r: Release) => ({ ...r.report, cache: r.report.cache.status });
    assert.deepEqual(strip(two), strip(one));
    assert.equal(two.report.duplicateWeeks.length, 1, 'the fixture overrides one week from a later file');
    assert.deepEqual(await columns(two), await columns(one));
    const a = cacheFiles(roots[0]);
    const b = cacheFiles(roots[1]);
    assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
    for (const [f, bytes] of a) assert.ok(bytes.equals(b.get(f)!), `${f} differs`);
    const dictsOf = (root: string): number => (JSON.parse(readFileSync(join(two.report.cache.dir!.replace(roots[1], root), 'manifest.json'), 'utf8')) as CacheManifest).dicts.length;
    assert.equal(dictsOf(roots[0]), 1, 'one thread: one id dictionary');
    assert.equal(dictsOf(roots[1]), 2, 'each worker numbered the ids it met in a dictionary of its own');
    // One worker with this thread converting beside it (the default for a release under 128 MiB).
    const roots3 = tmp();
    try {
      const beside = await openRelease(dir, { cacheDir: roots3, threads: 1, convertHere: true });
      assert.deepEqual(beside.summaries, one.summaries);
      assert.deepEqual({ ...beside.report, cache: beside.report.cache.status }, strip(one));
      assert.deepEqual(await columns(beside), await columns(one));
      for (const [f, bytes] of cacheFiles(roots3)) assert.ok(bytes.equals(a.get(f)!), `${f} differs (one worker and this thread)`);
    } finally {
      rmSync(roots3, { recursive: true, force: true });
    }
    // Memory mode (no cache) through the workers too.
    const mem = await openRelease(dir, { cacheDir: false, threads: 2 });
    assert.deepEqual(await columns(mem), await columns(one));
  } finally {
    for (const d of [dir, ...roots]) rmSync(d, { recursive: true, force: true });
  }
});

const OK = JSON.stringify({ nodes: [{ id: 'a', size: 1, composition: {} }], links: [] });
const bad = (size: number) => JSON.stringify({ nodes: [{ id: 'a', size }], links: [] });

async function firstError(text: string, threads: number, strict = false): Promise<ReleaseFormatError> {
  const dir = tmp();
  try {
    writeFileSync(join(dir, FILE), text);
    await openRelease(dir, { cacheDir: join(dir, 'cache'), threads, strict });
  } catch (e) {
    assert.ok(e instanceof ReleaseFormatError, `expected a ReleaseFormatError, got ${String(e)}`);
    assert.deepEqual(readdirSync(join(dir, 'cache')).filter((f) => f.includes('.tmp-')), [], 'no temporary cache folder is left');
    return e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.fail('expected the open to fail');
}

test('bad input: the first error in file order, with file, line, week, record and field, whatever thread hit it', async () => {
  // Many good weeks, then two bad ones: the earlier one is reported.
  const good = Array.from({ length: 12 }, (_, i) => `"2021-0${1 + Math.floor(i / 4)}-0${1 + (i % 4)}": ${OK}`);
  const cases: [string, boolean][] = [
    [`{"data": {\n${good.join(',\n')},\n"2021-06-07": ${bad(-1)},\n"2021-06-14": ${bad(-2)}\n}}`, false],
    // A scan failure after a bad week in the same read chunk: the scan failure, as one thread reports it.
    [`{"data": {\n${good.join(',\n')},\n"2021-06-07": ${bad(-1)},\n"2021-06-14": ${OK} "2021-06-21": ${OK}}}`, false],
    // A scan failure alone (truncated file).
    [`{"data": {\n${good.join(',\n')},\n"2021-06-07": ${OK}`, false],
    // Malformed JSON inside a week (the parser's message, with the line).
    [`{"data": {\n${good.join(',\n')},\n"2021-06-07": {"nodes": [{"id": "a" "size": 1}], "links": []}}}`, false],
    // Strict mode: the first week with a repair.
    [`{"data": {\n${good.join(',\n')},\n"2021-06-07": ${JSON.stringify({ nodes: [{ id: null, size: 1 }], links: [] })},\n"2021-06-14": ${JSON.stringify({ nodes: [{ id: 5, size: 1 }], links: [] })}}}`, true],
  ];
  for (const [text, strict] of cases) {
    const one = await firstError(text, 0, strict);
    const two = await firstError(text, 2, strict);
    assert.equal(two.message, one.message);
    assert.deepEqual({ ...two }, { ...one });
  }
  assert.match((await firstError(cases[0][0], 2)).message, /line 14 \(byte \d+\), week 2021-06-07, nodes\[0\]\.size: expected a finite number >= 0, got -1/);
  assert.match((await firstError(cases[1][0], 2)).message, /expected ',' or '}' after week 2021-06-14, got '"'/);
  assert.match((await firstError(cases[2][0], 2)).message, /truncated file\?/);
  assert.match((await firstError(cases[4][0], 2, true)).message, /week 2021-06-07: expected no repairs \(strict mode\), got 1 nodes with a null id/);
});

test('a cancelled conversion on worker threads stops and leaves no temporary files', async () => {
  const dir = tmp();
  try {
    const weeks = Array.from({ length: 40 }, (_, i) => `"2021-${String(1 + Math.floor(i / 4)).padStart(2, '0')}-0${1 + (i % 4)}": ${OK}`);
    writeFileSync(join(dir, FILE), `{"data": {${weeks.join(', ')}}}`);
    const ac = new AbortController();
    ac.abort(new Error('user cancelled'));
    await assert.rejects(openRelease(dir, { cacheDir: join(dir, 'cache'), threads: 2, signal: ac.signal }), /user cancelled/);
    assert.deepEqual(readdirSync(join(dir, 'cache')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad mapping file, read while the workers convert the first weeks: its error, before any week error, in every thread setup, and no cache left', async () => {
  // A bad second week among good ones: the workers have it in hand when the metadata is read.
  const good = Array.from({ length: 12 }, (_, i) => `"2021-0${2 + Math.floor(i / 4)}-0${1 + (i % 4)}": ${OK}`);
  const text = `{"data": {\n"2021-01-04": ${OK},\n"2021-01-11": ${bad(-1)},\n${good.join(',\n')}}}`;
  for (const threads of [0, 1, 2]) {
    for (const convertHere of [false, true]) {
      const dir = tmp();
      try {
        writeFileSync(join(dir, FILE), text);
        mkdirSync(join(dir, 'mapping'));
        writeFileSync(join(dir, 'mapping', 'id_to_info.json'), '{"a": {"name": "A", "category": "CEX"}}');
        writeFileSync(join(dir, 'mapping', 'rev_map.json'), '{"USDT": "1');
        await assert.rejects(
          openRelease(dir, { cacheDir: join(dir, 'cache'), threads, convertHere }),
          (e: unknown) => e instanceof ReleaseFormatError && /rev_map\.json, line 1 \(byte 11\): expected valid JSON: unterminated string/.test(e.message),
          `threads ${threads}, convertHere ${convertHere}`,
        );
        assert.deepEqual(existsSync(join(dir, 'cache')) ? readdirSync(join(dir, 'cache')) : [], [], 'no cache folder, finished or temporary');
        // Repaired, the release opens and the bad week is the error.
        writeFileSync(join(dir, 'mapping', 'rev_map.json'), '{"USDT": "1"}');
        await assert.rejects(openRelease(dir, { cacheDir: join(dir, 'cache'), threads, convertHere }), /week 2021-01-11, nodes\[0\]\.size: expected a finite number >= 0, got -1/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
});
