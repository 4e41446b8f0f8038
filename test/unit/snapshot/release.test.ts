import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRelease } from '../../../src/core/snapshot/release';
import { protocols, exposures } from '../../../src/core/snapshot/access';
import type { Snapshot } from '../../../src/core/snapshot/types';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'release');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'dx-snapshot-'));
}

function copyFixture(): string {
  const d = tmp();
  cpSync(FIXTURE, d, { recursive: true });
  return d;
}

function edgeList(s: Snapshot): string[] {
  return exposures(s).map((e) => `${e.source}>${e.target}:${e.weight}`);
}

test('opens the fixture release: weeks sorted, later file wins, quirks repaired and counted', async () => {
  const dir = copyFixture();
  try {
    const r = await openRelease(dir);
    assert.deepEqual(r.weeks, ['2025-01-06', '2025-01-13', '2025-01-20', '2025-01-27']);
    assert.deepEqual(r.files, ['historical-network_week_2025-01-06.json', 'historical-network_week_2025-07-01.json']);
    const w1 = await r.snapshot('2025-01-06');
    assert.deepEqual(w1.ids, ['2269', '182', 'ETH']);
    assert.deepEqual(Array.from(w1.tvl), [15200000000, 24000000000, 0]);
    assert.deepEqual(edgeList(w1), ['2269>182:35000000', '182>ETH:120.4']);
    assert.deepEqual(protocols(w1)[0].composition, { BTC: 9100000000, USDT: 6100000000 });

    // links before nodes, self-loop, unknown endpoint, zero weight, parallel links, numeric id.
    const w2 = await r.snapshot('2025-01-13');
    assert.deepEqual(w2.ids, ['182', '2269', '4088', '3777']);
    assert.deepEqual(Array.from(w2.tvl), [25000000000.5, 15000000000, 0, 10]);
    assert.deepEqual(edgeList(w2), ['182>182:5.5', '4088>182:0', '2269>182:1000', '2269>182:0.25']);
    assert.deepEqual(protocols(w2)[1].composition, { BTC: 9000000000, USDT: 6000000000, 'ST\u00c9TH': -1.5 });
    assert.deepEqual(protocols(w2)[0].composition, {});

    // 2025-01-20 comes from the later (unwrapped) file.
    const w3 = await r.snapshot('2025-01-20');
    assert.deepEqual(w3.ids, ['2269', '182', '1599']);
    assert.deepEqual(edgeList(w3), ['2269>182:36000000', '1599>2269:1000000']);
    const w4 = await r.snapshot('2025-01-27');
    assert.equal(w4.ids.length, 0);
    assert.equal(w4.edgeSource.length, 0);

    assert.deepEqual(r.report.repairs, {
      nullIdNodes: 1,
      numericIds: 1,
      missingNodeSize: 1,
      nullComposition: 1,
      negativeCompositionValues: 1,
      nullEndpointLinks: 1,
      unknownEndpointLinks: 1,
      missingLinkSize: 0,
      selfLoops: 1,
      zeroWeightLinks: 1,
      duplicateLinks: 1,
    });
    assert.deepEqual(r.report.duplicateWeeks, [
      { week: '2025-01-20', overriddenFile: 'historical-network_week_2025-01-06.json', usedFile: 'historical-network_week_2025-07-01.json' },
    ]);
    assert.equal(r.report.idsMissingFromMeta, 2);
    assert.deepEqual(new Set(r.report.idsMissingFromMetaSample), new Set(['ETH', '4088']));
    assert.equal(r.report.cache.status, 'built');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('names, categories and sectors: meta_df first, then id_to_info, then the id', async () => {
  const dir = copyFixture();
  try {
    const r = await openRelease(dir);
    const w2 = await r.snapshot('2025-01-13');
    const p = Object.fromEntries(protocols(w2).map((x) => [x.id, x]));
    assert.equal(p['182'].name, 'Lido');
    assert.equal(p['182'].category, 'Liquid Staking');
    assert.equal(p['182'].sector, 'Asset Management');
    assert.equal(p['4088'].name, 'Ethena USDe'); // id_to_info only
    assert.equal(p['4088'].category, 'Unknown');
    assert.equal(p['4088'].sector, 'Asset Management');
    assert.equal(p['3777'].category, 'Bridge');
    assert.equal(p['3777'].sector, 'Unknown');
    const w3 = await r.snapshot('2025-01-20');
    assert.equal(w3.names[2], 'AAVE V3, "the" lender'); // quoted CSV cell with comma and quotes
    const w1 = await r.snapshot('2025-01-06');
    assert.equal(w1.names[2], 'ETH');
    assert.equal(r.meta.get('1599')?.category, 'Lending');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stats: Table-1 fields computed by hand for the fixture', async () => {
  const dir = copyFixture();
  try {
    const s = await (await openRelease(dir)).stats();
    assert.equal(s.weeks, 4);
    assert.equal(s.from, '2025-01-06');
    assert.equal(s.to, '2025-01-27');
    assert.equal(s.meanNodes, (3 + 4 + 3 + 0) / 4);
    assert.equal(s.meanEdges, (2 + 4 + 2 + 0) / 4);
    // |V_t ∩ V_t+1| / |V_t|: 2/3, 2/4, 0/3.
    assert.ok(Math.abs(s.meanNodeOverlap - (2 / 3 + 0.5 + 0) / 3) < 1e-12);
    // distinct directed id pairs kept: 1/2, 1/3, 0/2.
    assert.ok(Math.abs(s.meanEdgeOverlap - (0.5 + 1 / 3 + 0) / 3) < 1e-12);
    assert.equal(s.categories, 5); // CEX, Liquid Staking, Unknown, Bridge, Lending
    assert.equal(s.distinctIds, 6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cache: reused when fresh; rebuilt with a reason when stale, partial or damaged', async () => {
  const dir = copyFixture();
  try {
    const first = await openRelease(dir);
    const w2 = await first.snapshot('2025-01-13');
    const again = await openRelease(dir);
    assert.equal(again.report.cache.status, 'reused');
    const w2b = await again.snapshot('2025-01-13');
    assert.deepEqual(w2b.ids, w2.ids);
    assert.deepEqual(Array.from(w2b.edgeWeight), Array.from(w2.edgeWeight));
    assert.deepEqual(w2b.composition?.tokens, w2.composition?.tokens);
    assert.deepEqual(again.report.repairs, first.report.repairs);

    // Source changed: same size is not enough, content and mtime are checked.
    const f = join(dir, 'historical-network_week_2025-07-01.json');
    writeFileSync(f, readFileSync(f, 'utf8').replace('1000000.0, "composition": {"BNB"', '2000000.0, "composition": {"BNB"'));
    const stale = await openRelease(dir);
    assert.equal(stale.report.cache.status, 'rebuilt');
    assert.match(stale.report.cache.reason ?? '', /historical-network_week_2025-07-01\.json (changed|was modified)/);
    assert.equal((await stale.snapshot('2025-01-20')).edgeWeight[1], 2000000);

    // Damaged week file: detected on open (size) and rebuilt.
    const cacheDir = stale.report.cache.dir!;
    const weekFile = join(cacheDir, '2025-01-13.arrow');
    appendFileSync(weekFile, 'garbage');
    const damaged = await openRelease(dir);
    assert.equal(damaged.report.cache.status, 'rebuilt');
    assert.match(damaged.report.cache.reason ?? '', /2025-01-13\.arrow has \d+ bytes/);

    // Damaged content with the right size: detected on read (checksum), rebuilt, read retried.
    const bytes = readFileSync(weekFile);
    bytes.fill(0x41, 0, 6);
    writeFileSync(weekFile, bytes);
    const r = await openRelease(dir);
    assert.equal(r.report.cache.status, 'reused');
    const w = await r.snapshot('2025-01-13');
    assert.deepEqual(w.ids, ['182', '2269', '4088', '3777']);
    assert.equal(r.report.cache.status, 'rebuilt');
    assert.match(r.report.cache.reason ?? '', /damaged.*2025-01-13\.arrow does not match its checksum/);

    // Partial cache (no manifest): rebuilt.
    rmSync(join(r.report.cache.dir!, 'manifest.json'));
    const partial = await openRelease(dir);
    assert.equal(partial.report.cache.status, 'rebuilt');
    assert.match(partial.report.cache.reason ?? '', /no manifest/);

    // Touching the file (mtime) reads it in full: same content, so the cache is kept;
    // a change with the mtime put back is caught (cache-corruption.test.ts).
    utimesSync(f, new Date(), new Date(Date.now() + 5000));
    assert.equal((await openRelease(dir)).report.cache.status, 'reused');
    appendFileSync(f, ' ');
    assert.equal((await openRelease(dir)).report.cache.status, 'rebuilt');
    // Newer cache format: refused, rebuilt.
    const m = join(partial.report.cache.dir!, 'manifest.json');
    const latest = await openRelease(dir);
    assert.equal(latest.report.cache.status, 'reused');
    writeFileSync(m, JSON.stringify({ ...JSON.parse(readFileSync(m, 'utf8')), version: 99 }));
    const newer = await openRelease(dir);
    assert.match(newer.report.cache.reason ?? '', /newer version/);
    // No temporary folders are left behind.
    assert.deepEqual(readdirSync(join(dir, '.dexposure-cache')).filter((x) => x.includes('.tmp-') || x.includes('.old-')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cacheDir option, rebuild option, memory mode and a single file path', async () => {
  const dir = copyFixture();
  const cacheRoot = tmp();
  try {
    const r = await openRelease(dir, { cacheDir: cacheRoot });
    assert.ok(r.report.cache.dir?.startsWith(cacheRoot));
    assert.equal(existsSync(join(dir, '.dexposure-cache')), false);
    const rb = await openRelease(dir, { cacheDir: cacheRoot, rebuild: true });
    assert.equal(rb.report.cache.status, 'rebuilt');
    assert.equal(rb.report.cache.reason, 'rebuild requested');
    const mem = await openRelease(dir, { cacheDir: false });
    assert.equal(mem.report.cache.status, 'memory');
    assert.deepEqual((await mem.snapshot('2025-01-13')).ids, ['182', '2269', '4088', '3777']);
    const single = await openRelease(join(dir, 'historical-network_week_2025-01-06.json'), { cacheDir: cacheRoot });
    assert.deepEqual(single.weeks, ['2025-01-06', '2025-01-13', '2025-01-20']);
    assert.deepEqual((await single.snapshot('2025-01-20')).ids, ['2269']);
    const got: string[] = [];
    for await (const s of single.snapshots('2025-01-10', '2025-01-20')) got.push(s.week);
    assert.deepEqual(got, ['2025-01-13', '2025-01-20']);
    await assert.rejects(single.snapshot('2024-01-01'), /week 2024-01-01 is not in the release \(3 weeks, 2025-01-06 .. 2025-01-20; nearest 2025-01-06\)/);
    await assert.rejects(single.snapshot('2025-01-15'), /; nearest 2025-01-13 or 2025-01-20\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheRoot, { recursive: true, force: true });
  }
});

test('strict mode refuses repairs, naming file and week', async () => {
  const dir = copyFixture();
  try {
    await assert.rejects(openRelease(dir, { cacheDir: false, strict: true }), (e: Error) => {
      assert.match(e.message, /historical-network_week_2025-01-06\.json, week 2025-01-06: expected no repairs \(strict mode\), got 1 nodes with a null id/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('progress is reported and an aborted conversion leaves no temporary files', async () => {
  const dir = copyFixture();
  try {
    const phases: string[] = [];
    let last = 0;
    await openRelease(dir, {
      onProgress: (p) => {
        phases.push(p.phase);
        if (p.fraction !== undefined) {
          assert.ok(p.fraction >= last && p.fraction <= 1);
          last = p.fraction;
        }
      },
    });
    assert.ok(phases.includes('convert'));
    assert.equal(last, 1);
    const ac = new AbortController();
    ac.abort(new Error('user cancelled'));
    await assert.rejects(openRelease(dir, { rebuild: true, signal: ac.signal }), /user cancelled/);
    assert.deepEqual(readdirSync(join(dir, '.dexposure-cache')).filter((x) => x.includes('.tmp-')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the examples/data sample release loads and matches the synthetic generator summary shape', async () => {
  const ex = join(__dirname, '..', '..', '..', 'examples', 'data');
  const cacheRoot = tmp();
  try {
    const r = await openRelease(ex, { cacheDir: cacheRoot });
    assert.ok(r.weeks.length > 10);
    const s = await r.snapshot(r.weeks[0]);
    assert.equal(s.ids.length, new Set(s.ids).size);
    for (let e = 0; e < s.edgeSource.length; e++) assert.ok(s.edgeSource[e] < s.ids.length && s.edgeTarget[e] < s.ids.length);
  } finally {
    rmSync(cacheRoot, { recursive: true, force: true });
  }
});

test('warm opens read the metadata sidecar while the mapping files are unchanged, and the files again when one changes', async () => {
  const dir = copyFixture();
  try {
    const first = await openRelease(dir);
    const sidecars = readdirSync(join(dir, '.dexposure-cache')).filter((f) => f.endsWith('.meta.json'));
    assert.equal(sidecars.length, 1);
    const sidecar = join(dir, '.dexposure-cache', sidecars[0]);
    const again = await openRelease(dir);
    assert.deepEqual([...again.meta], [...first.meta]);
    assert.deepEqual(again.report, { ...first.report, cache: again.report.cache });
    assert.equal(again.meta.get('182')?.sector, 'Asset Management');

    // The sidecar is what a warm open reads: a name changed in it (files untouched) shows.
    const body = JSON.parse(readFileSync(sidecar, 'utf8')) as { entries: [string, string | null, string | null, string | null][] };
    for (const e of body.entries) if (e[0] === '182') e[1] = 'Lido (from the sidecar)';
    writeFileSync(sidecar, JSON.stringify(body));
    assert.equal((await openRelease(dir)).meta.get('182')?.name, 'Lido (from the sidecar)');

    // The entries are decoded on first use: damaged there (the rest of the sidecar
    // intact), the names come from the files, which are unchanged.
    const text = readFileSync(sidecar, 'utf8');
    const at = text.indexOf(',"entries":');
    assert.ok(at > 0 && text.indexOf('"metaIds"') < at, 'the entries are written last');
    writeFileSync(sidecar, `${text.slice(0, at)},"entries":[["182",`);
    const damaged = await openRelease(dir);
    assert.equal(damaged.meta.get('182')?.name, first.meta.get('182')?.name);
    assert.deepEqual([...damaged.meta], [...first.meta]);
    // A sidecar with its keys in another order (entries first) is read whole.
    const { entries, ...rest } = body;
    const reordered = { entries, ...rest };
    writeFileSync(sidecar, JSON.stringify(reordered));
    assert.ok(readFileSync(sidecar, 'utf8').startsWith('{"entries":'));
    assert.equal((await openRelease(dir)).meta.get('182')?.name, 'Lido (from the sidecar)');
    // its snapshots' names come from the same entries
    const names182: string[] = [];
    for await (const snap of (await openRelease(dir)).snapshots()) {
      const k = snap.ids.indexOf('182');
      if (k >= 0) names182.push(snap.names[k]);
    }
    assert.ok(names182.length > 0, 'some week holds 182');
    assert.deepEqual(new Set(names182), new Set(['Lido (from the sidecar)']));

    // Any write to a mapping file (here: same size, same mtime put back) reads the files again.
    const info = join(dir, 'mapping', 'id_to_info.json');
    const infoText = readFileSync(info, 'utf8');
    const { atime, mtime } = statSync(info);
    writeFileSync(info, infoText.replace('"Asset Management"}', '"Asset Managers"}  '));
    utimesSync(info, atime, mtime);
    const moved = await openRelease(dir);
    assert.equal(moved.meta.get('182')?.sector, 'Asset Managers');
    assert.equal(moved.meta.get('182')?.name, first.meta.get('182')?.name);

    // A mapping file broken after the sidecar was written is refused, as on a first open.
    writeFileSync(join(dir, 'mapping', 'rev_map.json'), '{"USDT": "1');
    await assert.rejects(openRelease(dir), /rev_map\.json, line 1 \(byte 11\): expected valid JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the metadata sidecar: the ids meta_df.csv knows are read from it when the report first asks, from the files when that part is damaged; an older sidecar is rewritten', async () => {
  const dir = copyFixture();
  try {
    const first = await openRelease(dir);
    const want = [first.report.idsMissingFromMeta, first.report.idsMissingFromMetaSample];
    const sidecar = join(dir, '.dexposure-cache', readdirSync(join(dir, '.dexposure-cache')).find((f) => f.endsWith('.meta.json'))!);
    const text = readFileSync(sidecar, 'utf8');
    const body = JSON.parse(text) as { version: number; metaIds: string[]; entries: unknown[] };
    assert.ok(text.indexOf(',"metaIds":') < text.indexOf(',"entries":') && text.indexOf(',"notes":') < text.indexOf(',"metaIds":'), 'metaIds and entries written last');
    // an id dropped from the sidecar's metaIds (files untouched): the report counts it missing
    const some = first.weeks.length > 0 ? (await first.snapshot(first.weeks[0])).ids.find((id) => body.metaIds.includes(id))! : '';
    writeFileSync(sidecar, JSON.stringify({ ...body, metaIds: body.metaIds.filter((id) => id !== some) }));
    const fromSidecar = await openRelease(dir);
    assert.equal(fromSidecar.report.idsMissingFromMeta, (want[0] as number) + 1);
    assert.ok(fromSidecar.report.idsMissingFromMetaSample.includes(some));
    // damaged metaIds (the rest intact): the files say which ids meta_df.csv has
    const at = text.indexOf(',"metaIds":');
    writeFileSync(sidecar, `${text.slice(0, at)},"metaIds":["1",,]${text.slice(text.indexOf(',"entries":'))}`);
    const damaged = await openRelease(dir);
    assert.deepEqual([damaged.report.idsMissingFromMeta, damaged.report.idsMissingFromMetaSample], want);
    assert.deepEqual([...damaged.meta], [...first.meta]);
    // a sidecar of the previous version is not used, and is written again
    writeFileSync(sidecar, JSON.stringify({ ...body, version: 1, metaIds: [] }));
    const older = await openRelease(dir);
    assert.deepEqual([older.report.idsMissingFromMeta, older.report.idsMissingFromMetaSample], want);
    assert.equal((JSON.parse(readFileSync(sidecar, 'utf8')) as { version: number }).version, body.version);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
