/**
 * One unit of cold conversion: parse a week's JSON bytes (week-parser.ts) and, when a
 * cache folder is given, encode and write its Arrow files there (cache/store.ts). It
 * runs in a conversion worker (convert-worker.ts) or, when workers are unavailable,
 * in the opening thread; either way the same code runs, so repairs, counts and error
 * messages do not depend on where a week was converted.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { writeWeekFiles, type WeekFileCounts } from '../cache/store';
import { ReleaseFormatError, type ReleaseFormatErrorInit } from './errors';
import type { RepairCounts } from './report';
import type { WeekData } from './week-data';
import { parseWeekBytes } from './week-parser';

export interface WeekJob {
  /**
   * The week's value bytes. Sent to a worker, a whole ArrayBuffer of its own (moved,
   * not copied); absent when the worker reads them itself from `path`.
   */
  bytes?: Uint8Array;
  /** The source file, when a worker reads the week's bytes itself (at byteOffset, byteLength of them). */
  path?: string;
  byteLength?: number;
  file: string;
  week: string;
  byteOffset: number;
  /** Folder to write the week's Arrow files into; absent: return the columns instead. */
  outDir?: string;
  /**
   * The conversion (a number per conversion) whose id dictionary this thread numbers
   * the week's ids in: the week file stores each node's index in it, and the job
   * returns only the ids new to it (most ids repeat week after week; the opening
   * thread keeps the union and each thread's dictionary: cache/manifest.ts). Absent:
   * the week's ids are a dictionary of their own, all returned.
   */
  newIdsOf?: number;
}

export type WeekJobCounts = Omit<WeekFileCounts, 'week'>;

/**
 * What crosses back from a worker: plain data only (errors as their fields). `ids`
 * are numbered `dict.base`, `dict.base + 1`, ... in thread `dict.thread`'s dictionary
 * of the conversion, or 0, 1, ... in a dictionary of the week's own when `dict` is absent.
 */
export type WeekJobResult =
  | { ok: true; counts: WeekJobCounts; repairs: RepairCounts; ids: string[]; dict?: { thread: number; base: number }; data?: WeekData }
  | { ok: false; release?: ReleaseFormatErrorInit; message: string };

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** A buffer kept for the weeks this thread reads itself (no fresh memory, and its page faults, per week). */
let scratch = Buffer.alloc(0);

/** The job's bytes: given, or read from its file into `scratch`. */
function jobBytes(job: WeekJob): Buffer {
  if (job.bytes) return asBuffer(job.bytes);
  const length = job.byteLength!;
  if (scratch.length < length) scratch = Buffer.allocUnsafeSlow(Math.max(length, Math.min(2 * scratch.length, length + (64 << 20))));
  const fd = openSync(job.path!, 'r');
  try {
    let got = 0;
    while (got < length) {
      const n = readSync(fd, scratch, got, length - got, job.byteOffset + got);
      if (n === 0) throw new Error(`snapshot/week-job: ${job.path} ended at byte ${job.byteOffset + got} while reading week ${job.week} (changed during the conversion?)`);
      got += n;
    }
  } finally {
    closeSync(fd);
  }
  return scratch.subarray(0, length);
}

/**
 * This thread's id dictionary in each conversion (WeekJob.newIdsOf) it converts weeks
 * of: every id it met, numbered in the order met. One per conversion, as the opening
 * thread may convert weeks of two releases opened at once, turn about.
 */
const dictionaries = new Map<number, Map<string, number>>();

/** Forgets this thread's dictionary of conversion `of` (the conversion is over). */
export function endConversion(of: number): void {
  dictionaries.delete(of);
}

/** Each node's index in this thread's dictionary of conversion `of`, and the ids new to it (numbered from `base`). */
function numberIds(ids: string[], of: number): { idIndex: Int32Array; base: number; fresh: string[] } {
  let index = dictionaries.get(of);
  if (index === undefined) dictionaries.set(of, (index = new Map()));
  const base = index.size;
  const idIndex = new Int32Array(ids.length);
  const fresh: string[] = [];
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    let j = index.get(id);
    if (j === undefined) {
      j = index.size;
      index.set(id, j);
      fresh.push(id);
    }
    idIndex[k] = j;
  }
  return { idIndex, base, fresh };
}

/** A week's ids as a dictionary of its own. */
function ownIndex(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let k = 0; k < n; k++) a[k] = k;
  return a;
}

/** Never throws: a failure comes back as data, rebuilt by jobError on the opening thread. */
export function runWeekJob(job: WeekJob): WeekJobResult {
  try {
    const d = parseWeekBytes(jobBytes(job), job.file, job.week, job.byteOffset);
    if (job.outDir === undefined) {
      d.tokenUtf8 = undefined; // only the cache writer needs the bytes
      const counts = { nodes: d.ids.length, edges: d.edgeSource.length, entries: d.composition.offsets[d.ids.length], weekBytes: 0, compositionBytes: 0, weekCrc: 0, compositionCrc: 0 };
      return { ok: true, counts, repairs: d.repairs, ids: d.ids, data: d };
    }
    if (job.newIdsOf === undefined) {
      const { week: _w, ...counts } = writeWeekFiles(job.outDir, d, ownIndex(d.ids.length));
      return { ok: true, counts, repairs: d.repairs, ids: d.ids };
    }
    const { idIndex, base, fresh } = numberIds(d.ids, job.newIdsOf);
    const { week: _w, ...counts } = writeWeekFiles(job.outDir, d, idIndex);
    return { ok: true, counts, repairs: d.repairs, ids: fresh, dict: { thread: threadId, base } };
  } catch (e) {
    if (e instanceof ReleaseFormatError) {
      const { file, week, record, field, expected, got, byteOffset, line } = e;
      return { ok: false, release: { file, week, record, field, expected, got, byteOffset, line }, message: e.message };
    }
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

export function jobError(r: Extract<WeekJobResult, { ok: false }>): Error {
  return r.release ? new ReleaseFormatError(r.release) : new Error(r.message);
}

/** Typed arrays of a result that can be moved (not copied) across threads. */
export function transferables(r: WeekJobResult): ArrayBuffer[] {
  if (!r.ok || !r.data) return [];
  const d = r.data;
  return [d.tvl.buffer, d.composition.offsets.buffer, d.composition.values.buffer, d.edgeSource.buffer, d.edgeTarget.buffer, d.edgeWeight.buffer].filter((b, i, all): b is ArrayBuffer => b instanceof ArrayBuffer && all.indexOf(b) === i);
}
