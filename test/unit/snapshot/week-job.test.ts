/**
 * One conversion job (week-job.ts): a worker may read the week's bytes from the source
 * itself, and returns each id once per conversion, so the opening thread's union of
 * the weeks' ids is the same as when every week returns all of its ids.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { endConversion, runWeekJob, type WeekJob } from '../../../src/core/snapshot/week-job';
import { readArrowFile } from '../../../src/core/cache/arrow-file';

const week = (ids: string[]) => JSON.stringify({ nodes: ids.map((id, i) => ({ id, size: i + 1, composition: { T: 1 } })), links: [] });

test('a job reads its week from the file at the byte range given, as from the bytes; a short file is an error naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dx-job-'));
  try {
    const pre = '{"data": {"2021-01-04": ';
    const value = week(['a', 'b', 'é']);
    const path = join(dir, 'w.json');
    writeFileSync(path, `${pre}${value}}}`);
    const byteOffset = Buffer.byteLength(pre);
    const base = { file: 'w.json', week: '2021-01-04', byteOffset, outDir: undefined };
    const fromFile = runWeekJob({ ...base, path, byteLength: Buffer.byteLength(value) });
    const fromBytes = runWeekJob({ ...base, bytes: Buffer.from(value) });
    assert.ok(fromFile.ok && fromBytes.ok);
    assert.deepEqual(fromFile.ids, ['a', 'b', 'é']);
    assert.deepEqual(fromFile.data, fromBytes.data);
    const short = runWeekJob({ ...base, path, byteLength: 10_000 });
    assert.ok(!short.ok);
    assert.match(short.message, /w\.json ended at byte \d+ while reading week 2021-01-04/);
    // an error inside the week names the file and the byte where it is
    const bad = runWeekJob({ ...base, path, byteLength: Buffer.byteLength(value) - 1 });
    assert.ok(!bad.ok && bad.release?.file === 'w.json' && bad.release.week === '2021-01-04');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('newIdsOf: each id returned once per conversion, in first-seen order and numbered in the thread\'s dictionary; a new conversion starts again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dx-job-'));
  try {
    const job = (ids: string[], newIdsOf?: number): WeekJob => ({ bytes: Buffer.from(week(ids)), file: 'w.json', week: '2021-01-04', byteOffset: 0, outDir: dir, newIdsOf });
    const run = (j: WeekJob): [string[], number | undefined, number[]] => {
      const r = runWeekJob(j);
      assert.ok(r.ok, r.ok ? '' : r.message);
      // the week file's id column: each node's number in the dictionary
      const f = readArrowFile(readFileSync(join(dir, '2021-01-04.arrow')));
      const c = f.columns[f.names.indexOf('id')];
      return [r.ids, r.dict?.base, Array.from((c.child!.values as Int32Array).subarray(0, c.offsets![1]))];
    };
    assert.deepEqual(run(job(['a', 'b'], 7)), [['a', 'b'], 0, [0, 1]]);
    assert.deepEqual(run(job(['c', 'b', 'a', 'd'], 7)), [['c', 'd'], 2, [2, 1, 0, 3]]);
    assert.deepEqual(run(job(['b', 'a'], 7)), [[], 4, [1, 0]]);
    assert.deepEqual(run(job(['b', 'e'], 8)), [['b', 'e'], 0, [0, 1]]);
    const here = runWeekJob(job(['a'], 8));
    assert.ok(here.ok && here.dict?.thread === threadId && here.dict.base === 2, 'numbered in this thread\'s dictionary');
    assert.deepEqual(run(job(['b', 'e', 'f'], undefined)), [['b', 'e', 'f'], undefined, [0, 1, 2]], 'without newIdsOf: every id, a dictionary of the week\'s own');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('newIdsOf: two conversions whose weeks this thread converts turn about (two releases opened at once) keep their own dictionaries; endConversion forgets one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dx-job-'));
  try {
    const job = (ids: string[], newIdsOf: number): WeekJob => ({ bytes: Buffer.from(week(ids)), file: 'w.json', week: '2021-01-04', byteOffset: 0, outDir: dir, newIdsOf });
    const run = (j: WeekJob): [string[], number | undefined] => {
      const r = runWeekJob(j);
      assert.ok(r.ok, r.ok ? '' : r.message);
      return [r.ids, r.dict?.base];
    };
    assert.deepEqual(run(job(['a', 'b'], 21)), [['a', 'b'], 0]);
    assert.deepEqual(run(job(['x', 'y', 'z'], 22)), [['x', 'y', 'z'], 0]);
    // conversion 21 goes on from its own numbering, not from 22's nor from 0
    assert.deepEqual(run(job(['b', 'c'], 21)), [['c'], 2]);
    assert.deepEqual(run(job(['z', 'a'], 22)), [['a'], 3]);
    endConversion(21);
    assert.deepEqual(run(job(['a', 'b'], 21)), [['a', 'b'], 0], 'a forgotten conversion starts again');
    assert.deepEqual(run(job(['x'], 22)), [[], 4], 'the other conversion is kept');
    endConversion(21);
    endConversion(22);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
