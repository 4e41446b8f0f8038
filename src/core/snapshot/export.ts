/**
 * Exporting snapshots as files other tools read: CSV (RFC 4180, numbers in shortest
 * round-trip form, so pandas/R get the exact doubles back) or Arrow IPC files.
 * nodes: id,name,category,tvl; edges: source,target,weight (ids, not indices). Several
 * weeks go into one pair of files with a leading `week` column.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeVector, Table, tableToIPC, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { AtomicFile, writeFileAtomic } from '../files/atomic-write';
import { csvField, csvNumber } from './csv';
import type { Snapshot } from './types';

export type ExportFormat = 'csv' | 'arrow';

export interface ExportResult {
  files: string[];
  nodes: number;
  edges: number;
}

function writeLines(path: string, lines: Iterable<string>): void {
  const out = new AtomicFile(path);
  try {
    let buf = '';
    for (const l of lines) {
      buf += l;
      if (buf.length > 1 << 20) {
        out.write(buf);
        buf = '';
      }
    }
    out.write(buf);
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
}

/** Write one snapshot, or several (adding a `week` column), to outDir. */
export async function exportSnapshot(snapshots: Snapshot | Snapshot[], outDir: string, format: ExportFormat = 'csv'): Promise<ExportResult> {
  const list = Array.isArray(snapshots) ? snapshots : [snapshots];
  const withWeek = Array.isArray(snapshots);
  if (format !== 'csv' && format !== 'arrow') throw new Error(`snapshot/export: format must be "csv" or "arrow", got ${JSON.stringify(format)}`);
  mkdirSync(outDir, { recursive: true });
  let nodes = 0;
  let edges = 0;
  for (const s of list) {
    nodes += s.ids.length;
    edges += s.edgeSource.length;
  }
  if (format === 'csv') {
    const nf = join(outDir, 'nodes.csv');
    const ef = join(outDir, 'edges.csv');
    const w = (s: Snapshot): string => (withWeek ? `${s.week},` : '');
    writeLines(nf, (function* () {
      yield `${withWeek ? 'week,' : ''}id,name,category,tvl\n`;
      for (const s of list) for (let i = 0; i < s.ids.length; i++) yield `${w(s)}${csvField(s.ids[i])},${csvField(s.names[i])},${csvField(s.categories[i])},${csvNumber(s.tvl[i])}\n`;
    })());
    writeLines(ef, (function* () {
      yield `${withWeek ? 'week,' : ''}source,target,weight\n`;
      for (const s of list) for (let e = 0; e < s.edgeSource.length; e++) yield `${w(s)}${csvField(s.ids[s.edgeSource[e]])},${csvField(s.ids[s.edgeTarget[e]])},${csvNumber(s.edgeWeight[e])}\n`;
    })());
    return { files: [nf, ef], nodes, edges };
  }
  const nodeCols: Record<string, Vector> = {};
  const edgeCols: Record<string, Vector> = {};
  const utf8 = (xs: string[]): Vector => vectorFromArray(xs, new Utf8());
  const f64 = (xs: Float64Array): Vector => makeVector(xs);
  const concatF = (get: (s: Snapshot) => Float64Array, total: number): Float64Array => {
    const out = new Float64Array(total);
    let o = 0;
    for (const s of list) {
      out.set(get(s), o);
      o += get(s).length;
    }
    return out;
  };
  if (withWeek) {
    nodeCols.week = utf8(list.flatMap((s) => s.ids.map(() => s.week)));
    edgeCols.week = utf8(list.flatMap((s) => Array.from(s.edgeSource, () => s.week)));
  }
  nodeCols.id = utf8(list.flatMap((s) => s.ids));
  nodeCols.name = utf8(list.flatMap((s) => s.names));
  nodeCols.category = utf8(list.flatMap((s) => s.categories));
  nodeCols.tvl = f64(concatF((s) => s.tvl, nodes));
  edgeCols.source = utf8(list.flatMap((s) => Array.from(s.edgeSource, (i) => s.ids[i])));
  edgeCols.target = utf8(list.flatMap((s) => Array.from(s.edgeTarget, (i) => s.ids[i])));
  edgeCols.weight = f64(concatF((s) => s.edgeWeight, edges));
  const nf = join(outDir, 'nodes.arrow');
  const ef = join(outDir, 'edges.arrow');
  writeFileAtomic(nf, tableToIPC(new Table(nodeCols), 'file'));
  writeFileAtomic(ef, tableToIPC(new Table(edgeCols), 'file'));
  return { files: [nf, ef], nodes, edges };
}
