/**
 * A minimal reader for releases written by this project's own writer
 * (exposure/release-writer.ts puts each week on its own line), so the training-set
 * export and the tests can run before and independently of the general streaming
 * loader (`openRelease` in src/core/snapshot/release.ts), which handles any
 * formatting and the real 1 GB file. It turns each week into the columnar Snapshot
 * following data-spec §2: null-id nodes skipped, links with a null or unknown
 * endpoint dropped, self-loops / zero weights / duplicates kept, categories from
 * meta_df.csv ("Unknown" when absent), names from meta_df.csv then
 * mapping/id_to_info.json, sectors from id_to_info.
 */
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type { ReleaseLink, ReleaseNode, WeekNetwork } from '../exposure/network';
import { splitCsvLine } from '../exposure/holdings-file';
import { UNKNOWN_CATEGORY, type Snapshot } from '../snapshot/types';
import type { SnapshotSource } from './export';

export interface ProtocolMeta {
  name?: string;
  category?: string;
  sector?: string;
}

export function networkToSnapshot(week: string, net: WeekNetwork, meta: ReadonlyMap<string, ProtocolMeta> = new Map()): Snapshot {
  const nodes = net.nodes.filter((n: ReleaseNode) => n.id !== null && n.id !== undefined);
  const ids = nodes.map((n) => String(n.id));
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  const tvl = new Float64Array(nodes.length);
  const offsets = new Uint32Array(nodes.length + 1);
  const tokens: string[] = [];
  const values: number[] = [];
  nodes.forEach((n, i) => {
    const size = Number(n.size ?? 0);
    tvl[i] = Number.isFinite(size) && size > 0 ? size : 0;
    for (const [k, v] of Object.entries(n.composition ?? {})) {
      tokens.push(k);
      values.push(Number(v));
    }
    offsets[i + 1] = tokens.length;
  });
  const src: number[] = [];
  const dst: number[] = [];
  const w: number[] = [];
  for (const l of net.links as ReleaseLink[]) {
    if (l.source === null || l.target === null) continue;
    const a = index.get(String(l.source));
    const b = index.get(String(l.target));
    if (a === undefined || b === undefined) continue;
    src.push(a);
    dst.push(b);
    const s = Number(l.size ?? 0);
    w.push(Number.isFinite(s) && s > 0 ? s : 0);
  }
  return {
    week,
    kind: 'observed',
    ids,
    names: ids.map((id) => meta.get(id)?.name ?? id),
    categories: ids.map((id) => meta.get(id)?.category ?? UNKNOWN_CATEGORY),
    sectors: ids.map((id) => meta.get(id)?.sector ?? UNKNOWN_CATEGORY),
    tvl,
    composition: { offsets, tokens, values: Float64Array.from(values) },
    edgeSource: Int32Array.from(src),
    edgeTarget: Int32Array.from(dst),
    edgeWeight: Float64Array.from(w),
  };
}

export function readReleaseMeta(dir: string): Map<string, ProtocolMeta> {
  const meta = new Map<string, ProtocolMeta>();
  const info = join(dir, 'mapping', 'id_to_info.json');
  if (existsSync(info)) {
    for (const [id, v] of Object.entries(JSON.parse(readFileSync(info, 'utf8')) as Record<string, { name?: string; category?: string }>)) {
      meta.set(id, { name: v.name, sector: v.category });
    }
  }
  const csv = join(dir, 'meta_df.csv');
  if (existsSync(csv)) {
    const lines = readFileSync(csv, 'utf8').split(/\r?\n/);
    const head = splitCsvLine(lines[0] ?? '');
    const [ci, ni, ki] = ['id', 'name', 'category'].map((c) => head.indexOf(c));
    if (ci < 0 || ki < 0) throw new Error(`trainingset/line-release: ${csv}: expected a header with id,name,category`);
    for (let i = 1; i < lines.length; i++) {
      if (!lines[i].trim()) continue;
      const f = splitCsvLine(lines[i]);
      const id = f[ci];
      const m = meta.get(id) ?? {};
      if (ni >= 0 && f[ni]) m.name = f[ni];
      if (f[ki]) m.category = f[ki];
      meta.set(id, m);
    }
  }
  return meta;
}

const WEEK_LINE = /^"(\d{4}-\d{2}-\d{2})":(\{.*\}),?$/;

/** Open a release written one week per line. Snapshots are read on demand in one
 *  forward pass; asking for weeks out of order restarts the scan. */
export async function openLineRelease(dir: string): Promise<SnapshotSource & { files: string[] }> {
  const files = readdirSync(dir).filter((f) => /^historical-network_week_\d{4}-\d{2}-\d{2}\.json$/.test(f)).sort();
  if (files.length === 0) throw new Error(`trainingset/line-release: no historical-network_week_*.json in ${dir}`);
  const meta = readReleaseMeta(dir);
  // First pass: the week keys (cheap: a regex on each line's head).
  const weeks: string[] = [];
  for (const f of files) {
    const rl = createInterface({ input: createReadStream(join(dir, f), 'utf8'), crlfDelay: Infinity });
    let lineNo = 0;
    for await (const line of rl) {
      lineNo++;
      const m = /^"(\d{4}-\d{2}-\d{2})":\{/.exec(line);
      if (m) weeks.push(m[1]);
      else if (lineNo > 1 && line.length > 200) {
        rl.close();
        throw new Error(`trainingset/line-release: ${join(dir, f)} line ${lineNo}: not one week per line; open it with openRelease (src/core/snapshot/release.ts)`);
      }
    }
  }
  const unique = [...new Set(weeks)].sort();
  let iter: AsyncIterator<string> | undefined;
  let fileIdx = 0;
  const nextLine = async (): Promise<string | undefined> => {
    for (;;) {
      if (!iter) {
        if (fileIdx >= files.length) return undefined;
        iter = createInterface({ input: createReadStream(join(dir, files[fileIdx++]), 'utf8'), crlfDelay: Infinity })[Symbol.asyncIterator]();
      }
      const r = await iter.next();
      if (!r.done) return r.value;
      iter = undefined;
    }
  };
  let lastWeek = '';
  return {
    files,
    weeks: unique,
    async snapshot(week: string): Promise<Snapshot> {
      if (week <= lastWeek) {
        iter = undefined;
        fileIdx = 0;
      }
      for (;;) {
        const line = await nextLine();
        if (line === undefined) throw new Error(`trainingset/line-release: week ${week} not found in ${dir}`);
        const m = WEEK_LINE.exec(line);
        if (!m || m[1] !== week) continue;
        lastWeek = week;
        let net: WeekNetwork;
        try {
          net = JSON.parse(m[2]) as WeekNetwork;
        } catch (e) {
          throw new Error(`trainingset/line-release: ${dir}: week ${week}: invalid JSON: ${(e as Error).message}`, { cause: e });
        }
        if (!Array.isArray(net.nodes) || !Array.isArray(net.links)) {
          throw new Error(`trainingset/line-release: ${dir}: week ${week}: expected {nodes: [...], links: [...]}`);
        }
        return networkToSnapshot(week, net, meta);
      }
    },
  };
}
