/**
 * One unit of cold conversion: parse a week's JSON bytes (week-parser.ts) and, when a
 * cache folder is given, encode and write its Arrow files there (cache/store.ts). It
 * runs in a conversion worker (convert-worker.ts) or, when workers are unavailable,
 * in the opening thread; either way the same code runs, so repairs, counts and error
 * messages do not depend on where a week was converted.
 */
import { writeWeekFiles, type WeekFileCounts } from '../cache/store';
import { ReleaseFormatError, type ReleaseFormatErrorInit } from './errors';
import type { RepairCounts } from './report';
import type { WeekData } from './week-data';
import { parseWeekBytes } from './week-parser';

export interface WeekJob {
  /** The week's value bytes; a whole ArrayBuffer of its own, so it can be transferred. */
  bytes: Uint8Array;
  file: string;
  week: string;
  byteOffset: number;
  /** Folder to write the week's Arrow files into; absent: return the columns instead. */
  outDir?: string;
}

export type WeekJobCounts = Omit<WeekFileCounts, 'week'>;

/** What crosses back from a worker: plain data only (errors as their fields). */
export type WeekJobResult =
  | { ok: true; counts: WeekJobCounts; repairs: RepairCounts; ids: string[]; data?: WeekData }
  | { ok: false; release?: ReleaseFormatErrorInit; message: string };

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** Never throws: a failure comes back as data, rebuilt by jobError on the opening thread. */
export function runWeekJob(job: WeekJob): WeekJobResult {
  try {
    const d = parseWeekBytes(asBuffer(job.bytes), job.file, job.week, job.byteOffset);
    if (job.outDir === undefined) {
      d.tokenUtf8 = undefined; // only the cache writer needs the bytes
      const counts = { nodes: d.ids.length, edges: d.edgeSource.length, entries: d.composition.offsets[d.ids.length], nodesBytes: 0, edgesBytes: 0, compositionBytes: 0, nodesCrc: 0, edgesCrc: 0, compositionCrc: 0 };
      return { ok: true, counts, repairs: d.repairs, ids: d.ids, data: d };
    }
    const { week: _w, ...counts } = writeWeekFiles(job.outDir, d);
    return { ok: true, counts, repairs: d.repairs, ids: d.ids };
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
