// Each way a cache can go wrong without its size changing is caught: the damaged cache
// is rebuilt and the right numbers come back (never the damaged ones, never a failure
// inside a measure later).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRelease } from '../../../src/core/snapshot/release';
import { encodeWeek } from '../../../src/core/cache/week-arrow';
import { crc32 } from '../../../src/core/files/checksum';
import type { CacheManifest } from '../../../src/core/cache/manifest';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'release');

function copyFixture(): string {
  const d = mkdtempSync(join(tmpdir(), 'dx-cache-corrupt-'));
  cpSync(FIXTURE, d, { recursive: true });
  return d;
}

function f64le(x: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return b;
}

test('checksum: a TVL double overwritten in place (same size) is detected on read; the week is rebuilt with the right value', async () => {
  const dir = copyFixture();
  try {
    const r0 = await openRelease(dir);
    const file = join(r0.report.cache.dir!, '2025-01-13.arrow');
    const bytes = readFileSync(file);
    const at = bytes.indexOf(f64le(25000000000.5));
    assert.ok(at > 0, 'the fixture TVL is in the file');
    f64le(9e15).copy(bytes, at);
    writeFileSync(file, bytes);
    const r = await openRelease(dir);
    assert.equal(r.report.cache.status, 'reused'); // the size is unchanged
    const w = await r.snapshot('2025-01-13');
    assert.deepEqual(Array.from(w.tvl), [25000000000.5, 15000000000, 0, 10]);
    assert.equal(r.report.cache.status, 'rebuilt');
    assert.match(r.report.cache.reason ?? '', /^damaged: .*2025-01-13\.arrow does not match its checksum/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('checksum: a damaged composition file, read only when a reader asks for it, is read from the source instead; the next open rebuilds', async () => {
  const dir = copyFixture();
  try {
    const r0 = await openRelease(dir);
    const want = (await r0.snapshot('2025-01-13')).composition!;
    assert.deepEqual(want.tokens, ['BTC', 'USDT', 'ST\u00c9TH', 'ARB']);
    const file = join(r0.report.cache.dir!, '2025-01-13.composition.arrow');
    const bytes = readFileSync(file);
    const at = bytes.indexOf(f64le(9000000000));
    assert.ok(at > 0, 'the fixture composition value is in the file');
    f64le(1).copy(bytes, at);
    writeFileSync(file, bytes);

    const r = await openRelease(dir);
    assert.equal(r.report.cache.status, 'reused'); // sizes unchanged
    const w = await r.snapshot('2025-01-13');
    assert.deepEqual(Array.from(w.tvl), [25000000000.5, 15000000000, 0, 10]); // nodes and edges files are intact
    assert.equal(r.report.cache.reason, undefined); // the composition file is not read yet
    const c = w.composition!;
    assert.deepEqual(Array.from(c.offsets), Array.from(want.offsets));
    assert.deepEqual(c.tokens, want.tokens);
    assert.deepEqual(Array.from(c.values), [9000000000, 6000000000, -1.5, 10]);
    assert.match(r.report.cache.reason ?? '', /^damaged: .*2025-01-13\.composition\.arrow does not match its checksum.*read from the source/);
    assert.ok(r.report.notes.some((n) => n.includes('2025-01-13.composition.arrow')));

    const r2 = await openRelease(dir);
    assert.equal(r2.report.cache.status, 'rebuilt');
    assert.match(r2.report.cache.reason ?? '', /^damaged: .*2025-01-13\.composition\.arrow/);
    assert.deepEqual(Array.from((await r2.snapshot('2025-01-13')).composition!.values), [9000000000, 6000000000, -1.5, 10]);
    assert.equal((await openRelease(dir)).report.cache.status, 'reused');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('checksum: a damaged composition file whose source changed since the open is not patched from the new source', async () => {
  const dir = copyFixture();
  try {
    const r0 = await openRelease(dir);
    const file = join(r0.report.cache.dir!, '2025-01-13.composition.arrow');
    const bytes = readFileSync(file);
    f64le(1).copy(bytes, bytes.indexOf(f64le(9000000000)));
    writeFileSync(file, bytes);
    const r = await openRelease(dir);
    const w = await r.snapshot('2025-01-13');
    const src = join(dir, 'historical-network_week_2025-01-06.json');
    writeFileSync(src, readFileSync(src, 'utf8').replace('"BTC": 9000000000.0', '"BTC": 8000000000.0'));
    assert.throws(() => w.composition, /2025-01-13\.composition\.arrow does not match its checksum.*changed since the release was opened: open the release again/);
    const again = await openRelease(dir);
    assert.equal(again.report.cache.status, 'rebuilt');
    assert.equal((await again.snapshot('2025-01-13')).composition!.values[0], 8000000000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Replace a week's cache files with `edit`ed columns and a manifest that matches them (a writer bug, not bit rot). */
async function plantWeek(dir: string, week: string, edit: (w: { ids: string[]; tvl: Float64Array; edgeSource: Int32Array; edgeTarget: Int32Array; edgeWeight: Float64Array }) => void): Promise<void> {
  const r = await openRelease(dir);
  const s = await r.snapshot(week);
  const cols = { ids: [...s.ids], tvl: Float64Array.from(s.tvl), composition: s.composition!, edgeSource: Int32Array.from(s.edgeSource), edgeTarget: Int32Array.from(s.edgeTarget), edgeWeight: Float64Array.from(s.edgeWeight) };
  edit(cols);
  const cache = r.report.cache.dir!;
  const mpath = join(cache, 'manifest.json');
  const m = JSON.parse(readFileSync(mpath, 'utf8')) as CacheManifest;
  const e = m.weeks.find((x) => x.week === week)!;
  const dict = m.dicts[e.dict].map((g) => m.ids[g]);
  const { week: bytes } = encodeWeek(cols, Int32Array.from(cols.ids, (id) => dict.indexOf(id)));
  writeFileSync(join(cache, `${week}.arrow`), bytes);
  Object.assign(e, { weekBytes: bytes.length, weekCrc: crc32(bytes) });
  writeFileSync(mpath, JSON.stringify(m));
}

test('validation: an edge index out of range in the cache is caught on read and rebuilt (measures never see it)', async () => {
  const dir = copyFixture();
  try {
    await plantWeek(dir, '2025-01-13', (w) => {
      w.edgeTarget[1] = 99;
    });
    const r = await openRelease(dir);
    assert.equal(r.report.cache.status, 'reused');
    const w = await r.snapshot('2025-01-13');
    assert.deepEqual(Array.from(w.edgeTarget), [0, 0, 0, 0]);
    assert.equal(r.report.cache.status, 'rebuilt');
    assert.match(r.report.cache.reason ?? '', /edges: row 1 joins nodes 2 -> 99, expected indices in \[0, 4\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('validation: a negative edge index in the cache is caught on read and rebuilt', async () => {
  for (const bad of [-1, -2147483648]) {
    const dir = copyFixture();
    try {
      await plantWeek(dir, '2025-01-13', (w) => {
        w.edgeSource[2] = bad;
      });
      const r = await openRelease(dir);
      const w = await r.snapshot('2025-01-13');
      assert.ok(Array.from(w.edgeSource).every((x) => x >= 0 && x < 4));
      assert.equal(r.report.cache.status, 'rebuilt');
      assert.match(r.report.cache.reason ?? '', new RegExp(`edges: row 2 joins nodes ${bad} -> \\d+, expected indices in \\[0, 4\\)`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('validation: a non-finite or negative size in the cache is caught on read and rebuilt', async () => {
  for (const bad of [NaN, Infinity, -1]) {
    const dir = copyFixture();
    try {
      await plantWeek(dir, '2025-01-13', (w) => {
        w.tvl[3] = bad;
      });
      const r = await openRelease(dir);
      const w = await r.snapshot('2025-01-13');
      assert.equal(w.tvl[3], 10);
      assert.match(r.report.cache.reason ?? '', new RegExp(`tvl of row 3 is ${String(bad).replace('-', '\\-')}`));
      await plantWeek(dir, '2025-01-13', (x) => {
        x.edgeWeight[0] = bad;
      });
      const r2 = await openRelease(dir);
      assert.equal((await r2.snapshot('2025-01-13')).edgeWeight[0], 5.5);
      assert.match(r2.report.cache.reason ?? '', /weight of row 0 is/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

/** A release file of ~4 MiB whose middle week lies outside the first and last MiB. */
function bigRelease(dir: string): string {
  const week = (w: string, size: string) => `"${w}": {"nodes": [{"id": "A", "size": ${size}}, {"id": "B", "size": 1.0}], "links": [{"source": "A", "target": "B", "size": 2.0}]}`;
  const pad = ' '.repeat(3 << 19); // 1.5 MiB
  const text = `{"data": {${week('2025-01-06', '1000.0')},${pad}${week('2025-01-13', '5000.0')},${pad}${week('2025-01-20', '7000.0')}}}\n`;
  mkdirSync(dir, { recursive: true });
  const f = join(dir, 'historical-network_week_2025-01-06.json');
  writeFileSync(f, text);
  return f;
}

test('sources: an edit in the middle of a large file with its mtime put back is caught; a touch alone keeps the cache', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dx-cache-src-'));
  try {
    const f = bigRelease(dir);
    assert.ok(statSync(f).size > 3 << 20);
    const r0 = await openRelease(dir);
    assert.equal((await r0.snapshot('2025-01-13')).tvl[0], 5000);

    // touch: mtime moves, content is the same -> full-content check passes, cache kept
    const later = new Date(Date.now() + 60_000);
    utimesSync(f, later, later);
    const touched = await openRelease(dir);
    assert.equal(touched.report.cache.status, 'reused');
    // the new status was recorded: the next open does not read the file again
    const m = JSON.parse(readFileSync(join(touched.report.cache.dir!, 'manifest.json'), 'utf8')) as CacheManifest;
    assert.equal(m.sources[0].mtimeMs, statSync(f).mtimeMs);

    // same-size edit of the middle week, mtime restored
    const st = statSync(f);
    const text = readFileSync(f, 'utf8');
    writeFileSync(f, text.replace('"size": 5000.0', '"size": 6000.0'));
    utimesSync(f, st.atime, st.mtime);
    assert.equal(statSync(f).mtimeMs, st.mtimeMs);
    assert.equal(statSync(f).size, st.size);
    const r = await openRelease(dir);
    assert.equal(r.report.cache.status, 'rebuilt');
    assert.match(r.report.cache.reason ?? '', /historical-network_week_2025-01-06\.json was modified \(ctime changed; its content differs/);
    assert.equal((await r.snapshot('2025-01-13')).tvl[0], 6000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('temporary folders left by a killed conversion are removed by the next build; a live one is kept', async () => {
  const dir = copyFixture();
  try {
    const r0 = await openRelease(dir);
    const root = join(dir, '.dexposure-cache');
    const key = r0.report.cache.dir!.split('/').pop()!;
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // exited: its pid is free
    const hour = new Date(Date.now() - 3600_000);
    const stale = join(root, `${key}.tmp-${dead}-0badc0de`);
    const staleOld = join(root, `${key}.old-${dead}-0badc0df`);
    const live = join(root, `${key}.tmp-${process.ppid}-00000001`); // our parent is alive
    const fresh = join(root, `${key}.tmp-${dead}-00000002`); // dead pid but written to just now
    for (const d of [stale, staleOld, live, fresh]) {
      mkdirSync(d);
      writeFileSync(join(d, '2025-01-06.arrow'), 'partial');
    }
    for (const d of [stale, staleOld, live]) utimesSync(d, hour, hour);
    const r = await openRelease(dir, { rebuild: true });
    assert.equal(r.report.cache.status, 'rebuilt');
    assert.equal(existsSync(stale), false);
    assert.equal(existsSync(staleOld), false);
    assert.equal(existsSync(live), true);
    assert.equal(existsSync(fresh), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('format: a cache of the previous format (version 3, three files a week, ids as strings) is rebuilt, never read as the new one', async () => {
  const dir = copyFixture();
  try {
    const r0 = await openRelease(dir);
    const cache = r0.report.cache.dir!;
    // the previous layout's files beside a version-3 manifest (what a cache left by an older build holds)
    const mpath = join(cache, 'manifest.json');
    const m = JSON.parse(readFileSync(mpath, 'utf8')) as Record<string, unknown>;
    writeFileSync(mpath, JSON.stringify({ ...m, version: 3, dicts: undefined }));
    for (const t of ['nodes', 'edges']) writeFileSync(join(cache, `2025-01-13.${t}.arrow`), 'ARROW1');
    const r = await openRelease(dir);
    assert.equal(r.report.cache.status, 'rebuilt');
    assert.equal(r.report.cache.reason, 'cache format 3 is older than 4');
    assert.deepEqual(Array.from((await r.snapshot('2025-01-13')).tvl), [25000000000.5, 15000000000, 0, 10]);
    assert.equal(existsSync(join(cache, '2025-01-13.nodes.arrow')), false, 'the old files went with the old folder');
    assert.equal((await openRelease(dir)).report.cache.status, 'reused');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dictionaries: a week naming a dictionary that is not there is caught on open; an entry that is not an id index, on read; both rebuilt', async () => {
  const dir = copyFixture();
  try {
    const r0 = await openRelease(dir);
    const mpath = join(r0.report.cache.dir!, 'manifest.json');
    const good = readFileSync(mpath, 'utf8');
    const m = JSON.parse(good) as CacheManifest;
    const e = m.weeks.find((x) => x.week === '2025-01-13')!;
    e.dict = m.dicts.length;
    writeFileSync(mpath, JSON.stringify(m));
    const r1 = await openRelease(dir);
    assert.equal(r1.report.cache.status, 'rebuilt');
    assert.equal(r1.report.cache.reason, `manifest.json: week 2025-01-13 names id dictionary ${m.dicts.length}, there are ${m.dicts.length}`);

    for (const bad of [m.ids.length, -1, 0.5, '0']) {
      const m2 = JSON.parse(readFileSync(mpath, 'utf8')) as CacheManifest;
      const w = m2.weeks.find((x) => x.week === '2025-01-13')!;
      (m2.dicts[w.dict] as unknown[])[1] = bad;
      writeFileSync(mpath, JSON.stringify(m2));
      const r = await openRelease(dir);
      assert.equal(r.report.cache.status, 'reused');
      const s = await r.snapshot('2025-01-13');
      assert.deepEqual(s.ids, ['182', '2269', '4088', '3777']);
      assert.equal(r.report.cache.status, 'rebuilt');
      assert.match(r.report.cache.reason ?? '', new RegExp(`damaged: .*entry 1 of id dictionary ${w.dict} is ${JSON.stringify(JSON.stringify(bad)).slice(1, -1)}, not the index of an id`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('open: only the week files are sized; a missing or cut composition file is caught when read, read from the source, and the next open rebuilds', async () => {
  for (const harm of ['missing', 'cut'] as const) {
    const dir = copyFixture();
    try {
      const r0 = await openRelease(dir);
      const want = (await r0.snapshot('2025-01-13')).composition!;
      const file = join(r0.report.cache.dir!, '2025-01-13.composition.arrow');
      if (harm === 'missing') rmSync(file);
      else writeFileSync(file, readFileSync(file).subarray(0, 100));
      const r = await openRelease(dir);
      assert.equal(r.report.cache.status, 'reused', harm);
      const w = await r.snapshot('2025-01-13');
      assert.equal(r.report.cache.reason, undefined, harm);
      const c = w.composition!;
      assert.deepEqual(c.tokens, want.tokens);
      assert.deepEqual(Array.from(c.values), [9000000000, 6000000000, -1.5, 10]);
      const why = harm === 'missing' ? /^damaged: .*2025-01-13\.composition\.arrow is missing.*read from the source/ : /^damaged: .*2025-01-13\.composition\.arrow does not match its checksum.*read from the source/;
      assert.match(r.report.cache.reason ?? '', why);
      const r2 = await openRelease(dir);
      assert.equal(r2.report.cache.status, 'rebuilt', harm);
      assert.deepEqual(Array.from((await r2.snapshot('2025-01-13')).composition!.values), [9000000000, 6000000000, -1.5, 10]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('open: a missing or cut week file is found at open (its size) and the cache rebuilt', async () => {
  for (const harm of ['missing', 'cut'] as const) {
    const dir = copyFixture();
    try {
      const r0 = await openRelease(dir);
      const file = join(r0.report.cache.dir!, '2025-01-13.arrow');
      const size = statSync(file).size;
      if (harm === 'missing') rmSync(file);
      else writeFileSync(file, readFileSync(file).subarray(0, 100));
      const r = await openRelease(dir);
      assert.equal(r.report.cache.status, 'rebuilt', harm);
      assert.equal(r.report.cache.reason, harm === 'missing' ? '2025-01-13.arrow is missing' : `2025-01-13.arrow has 100 bytes, the manifest says ${size}`);
      assert.deepEqual(Array.from((await r.snapshot('2025-01-13')).tvl), [25000000000.5, 15000000000, 0, 10]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
