/**
 * Writer for the DeXposure release layout (data-spec §1): the weekly network JSON
 * `historical-network_week_<first-week>.json` = {"data": {"YYYY-MM-DD": {"nodes",
 * "links"}}}, `meta_df.csv` (id,name,category), `mapping/` (copies of the three
 * mapping JSON files) and optionally `network_data/filtered_graph_data.csv`.
 *
 * The network file is streamed week by week (a full-scale history is > 1 GB) with
 * back-pressure, so memory stays bounded by one week. Output is byte-for-byte
 * deterministic: fixed key order (id,size,composition / source,target,size,
 * composition), USD rounded to cents and printed with JavaScript's shortest
 * round-trip number formatting (specified by ECMA-262, identical on every platform).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AtomicFile, writeFileAtomic } from '../files/atomic-write';
import type { ReleaseLink, ReleaseNode, WeekNetwork } from './network';

export function networkFileName(firstWeek: string): string {
  return `historical-network_week_${firstWeek}.json`;
}

/** USD to cents, as a JSON number literal ("-0" printed as "0"). */
export function formatUsd(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`exposure/release-writer: non-finite amount ${x}`);
  const r = Math.round(x * 100) / 100;
  return r === 0 ? '0' : String(r);
}

function composition(c: Record<string, number>): string {
  let s = '{';
  let first = true;
  for (const k in c) {
    s += (first ? '' : ',') + JSON.stringify(k) + ':' + formatUsd(c[k]);
    first = false;
  }
  return s + '}';
}

export function nodeJson(n: ReleaseNode): string {
  return `{"id":${n.id === null ? 'null' : JSON.stringify(n.id)},"size":${formatUsd(n.size)},"composition":${composition(n.composition)}}`;
}

export function linkJson(l: ReleaseLink): string {
  const id = (x: string | null) => (x === null ? 'null' : JSON.stringify(x));
  return `{"source":${id(l.source)},"target":${id(l.target)},"size":${formatUsd(l.size)},"composition":${composition(l.composition)}}`;
}

/** Quote a CSV field when it needs it (RFC 4180). */
export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface MetaRow {
  id: string;
  name: string;
  category: string;
}

export class ReleaseWriter {
  readonly dir: string;
  readonly path: string;
  private out: AtomicFile;
  private buf: string[] = [];
  private bufLen = 0;
  private weeks = 0;
  private lastWeek = '';
  private edgesCsv?: AtomicFile;
  private names?: ReadonlyMap<string, string>;
  private closed = false;

  constructor(dir: string, firstWeek: string, opts: { edgesCsv?: { names: ReadonlyMap<string, string> } } = {}) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, networkFileName(firstWeek));
    this.out = new AtomicFile(this.path);
    this.push('{"data":{');
    if (opts.edgesCsv) {
      mkdirSync(join(dir, 'network_data'), { recursive: true });
      this.edgesCsv = new AtomicFile(join(dir, 'network_data', 'filtered_graph_data.csv'));
      this.edgesCsv.write('time,source,target,size\n');
      this.names = opts.edgesCsv.names;
    }
  }

  private push(s: string): void {
    this.buf.push(s);
    this.bufLen += s.length;
  }

  private async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const chunk = this.buf.join('');
    this.buf = [];
    this.bufLen = 0;
    this.out.write(chunk);
    // let other work (progress output, cancellation) run between chunks
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Append one week; weeks must come in strictly increasing date order. */
  async writeWeek(week: string, net: WeekNetwork): Promise<void> {
    if (this.closed) throw new Error('exposure/release-writer: writeWeek after close');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(week)) throw new Error(`exposure/release-writer: week "${week}" is not YYYY-MM-DD`);
    if (week <= this.lastWeek) throw new Error(`exposure/release-writer: week ${week} does not follow ${this.lastWeek}`);
    this.lastWeek = week;
    this.push(`${this.weeks > 0 ? ',' : ''}\n${JSON.stringify(week)}:{"nodes":[`);
    for (let i = 0; i < net.nodes.length; i++) {
      this.push((i ? ',' : '') + nodeJson(net.nodes[i]));
      if (this.bufLen > 1 << 20) await this.flush();
    }
    this.push('],"links":[');
    for (let i = 0; i < net.links.length; i++) {
      this.push((i ? ',' : '') + linkJson(net.links[i]));
      if (this.bufLen > 1 << 20) await this.flush();
    }
    this.push(']}');
    await this.flush();
    this.weeks++;
    if (this.edgesCsv) {
      const name = (id: string | null) => (id === null ? '' : csvField(this.names!.get(id) ?? id));
      const rows: string[] = [];
      for (const l of net.links) {
        if (l.size > 0) rows.push(`${week},${name(l.source)},${name(l.target)},${formatUsd(l.size)}\n`);
      }
      this.edgesCsv.write(rows.join(''));
    }
  }

  get weeksWritten(): number {
    return this.weeks;
  }

  /** Drop what was written (the files keep their previous content, if any). */
  abort(): void {
    this.closed = true;
    this.out.abort();
    this.edgesCsv?.abort();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.push('\n}}\n');
    await this.flush();
    this.out.commit();
    this.edgesCsv?.commit();
  }
}

export function writeMetaDf(dir: string, rows: readonly MetaRow[]): void {
  const lines = ['id,name,category'];
  for (const r of rows) lines.push(`${csvField(r.id)},${csvField(r.name)},${csvField(r.category)}`);
  writeFileAtomic(join(dir, 'meta_df.csv'), lines.join('\n') + '\n');
}

/** Copy id_to_info.json, rev_map.json and token_to_protocol.json (when present). */
export function copyMapping(fromDir: string, releaseDir: string): void {
  const to = join(releaseDir, 'mapping');
  // Regenerating the shipped sample writes into the folder it reads the mapping from.
  if (resolve(fromDir) === resolve(to)) return;
  mkdirSync(to, { recursive: true });
  for (const f of ['id_to_info.json', 'rev_map.json', 'token_to_protocol.json']) {
    const src = join(fromDir, f);
    if (existsSync(src)) writeFileAtomic(join(to, f), readFileSync(src));
  }
}
