/**
 * One unit of cold conversion: parse a week's JSON bytes (week-parser.ts) and, when a
 * cache folder is given, encode and write its Arrow files there (cache/store.ts). It
 * runs in a conversion worker (convert-worker.ts) or, when workers are unavailable,
 * in the opening thread; either way the same code runs, so repairs, counts and error
 * messages do not depend on where a week was converted.
 */
import { closeSync, openSync, readSync } from 'node:fs';
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
   * Return only the ids this thread has not returned before in the same conversion
   * (jobs carrying the same number): the opening thread keeps the union of all weeks'
   * ids, and most ids repeat week after week. Absent: every id of the week.
   */
  newIdsOf?: number;
}

export type WeekJobCounts = Omit<WeekFileCounts, 'week'>;

/** What crosses back from a worker: plain data only (errors as their fields). */
export type WeekJobResult =
  | { ok: true; counts: WeekJobCounts; repairs: RepairCounts; ids: string[]; data?: WeekData }
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

/** Ids this thread returned in conversion `newIds.of` (WeekJob.newIdsOf). */
const newIds = { of: -1, seen: new Set<string>() };

function idsToReturn(ids: string[], of: number | undefined): string[] {
  if (of === undefined) return ids;
  if (newIds.of !== of) newIds.seen = new Set();
  newIds.of = of;
  const seen = newIds.seen;
  const out: string[] = [];
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return out;
}

/** Never throws: a failure comes back as data, rebuilt by jobError on the opening thread. */
export function runWeekJob(job: WeekJob): WeekJobResult {
  try {
    const d = parseWeekBytes(jobBytes(job), job.file, job.week, job.byteOffset);
    if (job.outDir === undefined) {
      d.tokenUtf8 = undefined; // only the cache writer needs the bytes
      const counts = { nodes: d.ids.length, edges: d.edgeSource.length, entries: d.composition.offsets[d.ids.length], nodesBytes: 0, edgesBytes: 0, compositionBytes: 0, nodesCrc: 0, edgesCrc: 0, compositionCrc: 0 };
      return { ok: true, counts, repairs: d.repairs, ids: d.ids, data: d };
    }
    const { week: _w, ...counts } = writeWeekFiles(job.outDir, d);
    return { ok: true, counts, repairs: d.repairs, ids: idsToReturn(d.ids, job.newIdsOf) };
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
