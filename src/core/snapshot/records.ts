/**
 * Building a Snapshot from plain records (tests, users, small hand-made graphs), and
 * checking any Snapshot against the contract in types.ts. Strict: nothing is
 * repaired here, every problem throws naming the record and field.
 */
import { describeValue } from './errors';
import { UNKNOWN_CATEGORY, type Exposure, type Protocol, type Snapshot, type SnapshotKind } from './types';
import { isValidDateKey } from './week-data';

export interface SnapshotRecords {
  week: string;
  kind?: SnapshotKind;
  protocols: Protocol[];
  exposures: Exposure[];
}

function fail(path: string, expected: string, got: unknown): never {
  throw new Error(`snapshot/records: ${path}: expected ${expected}, got ${describeValue(got)}`);
}

function checkWeight(path: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) fail(path, 'a finite number >= 0', x);
  return x as number;
}

/** A Snapshot from protocol and exposure records; ids must be unique, edges must name known ids. */
export function snapshotFromRecords(r: SnapshotRecords): Snapshot {
  if (typeof r.week !== 'string' || !isValidDateKey(r.week)) fail('week', 'a date YYYY-MM-DD', r.week);
  if (!Array.isArray(r.protocols)) fail('protocols', 'an array', r.protocols);
  if (!Array.isArray(r.exposures)) fail('exposures', 'an array', r.exposures);
  const n = r.protocols.length;
  const index = new Map<string, number>();
  const ids: string[] = [];
  const names: string[] = [];
  const categories: string[] = [];
  const sectors: string[] = [];
  const tvl = new Float64Array(n);
  const anySector = r.protocols.some((p) => p?.sector !== undefined);
  const anyComp = r.protocols.some((p) => p?.composition !== undefined);
  const anyChains = r.protocols.some((p) => p?.chains !== undefined);
  const offsets = new Uint32Array(n + 1);
  const tokens: string[] = [];
  const values: number[] = [];
  const chains: (string[] | undefined)[] = [];
  r.protocols.forEach((p, i) => {
    const at = `protocols[${i}]`;
    if (typeof p !== 'object' || p === null) fail(at, 'an object {id, name, category, tvl}', p);
    if (typeof p.id !== 'string' || p.id === '') fail(`${at}.id`, 'a non-empty string', p.id);
    if (index.has(p.id)) fail(`${at}.id`, `an id not already used (protocols[${index.get(p.id)}])`, p.id);
    index.set(p.id, i);
    ids.push(p.id);
    names.push(typeof p.name === 'string' ? p.name : p.id);
    categories.push(typeof p.category === 'string' && p.category !== '' ? p.category : UNKNOWN_CATEGORY);
    sectors.push(typeof p.sector === 'string' && p.sector !== '' ? p.sector : UNKNOWN_CATEGORY);
    tvl[i] = checkWeight(`${at}.tvl`, p.tvl);
    if (p.composition !== undefined) {
      if (typeof p.composition !== 'object' || p.composition === null) fail(`${at}.composition`, 'an object {token: USD}', p.composition);
      for (const [tok, v] of Object.entries(p.composition)) {
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${at}.composition[${JSON.stringify(tok)}]`, 'a finite number', v);
        tokens.push(tok);
        values.push(v);
      }
    }
    offsets[i + 1] = tokens.length;
    chains.push(p.chains);
  });
  const e = r.exposures.length;
  const edgeSource = new Int32Array(e);
  const edgeTarget = new Int32Array(e);
  const edgeWeight = new Float64Array(e);
  const anyProb = r.exposures.some((x) => x?.probability !== undefined);
  const edgeProbability = anyProb ? new Float64Array(e) : undefined;
  r.exposures.forEach((x, k) => {
    const at = `exposures[${k}]`;
    if (typeof x !== 'object' || x === null) fail(at, 'an object {source, target, weight}', x);
    const a = index.get(x.source);
    const b = index.get(x.target);
    if (a === undefined) fail(`${at}.source`, 'the id of one of the protocols', x.source);
    if (b === undefined) fail(`${at}.target`, 'the id of one of the protocols', x.target);
    edgeSource[k] = a as number;
    edgeTarget[k] = b as number;
    edgeWeight[k] = checkWeight(`${at}.weight`, x.weight);
    if (edgeProbability) {
      const p = x.probability;
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) fail(`${at}.probability`, 'a probability in [0, 1]', p);
      edgeProbability[k] = p as number;
    }
  });
  const s: Snapshot = { week: r.week, kind: r.kind ?? 'observed', ids, names, categories, tvl, edgeSource, edgeTarget, edgeWeight };
  if (anySector) s.sectors = sectors;
  if (anyChains) s.chains = chains;
  if (anyComp) s.composition = { offsets, tokens, values: Float64Array.from(values) };
  if (edgeProbability) s.edgeProbability = edgeProbability;
  return s;
}

/** Check a Snapshot's invariants (column lengths, index ranges, weights); throws on the first problem. */
export function validateSnapshot(s: Snapshot): void {
  const where = `snapshot/records: week ${s.week}`;
  const n = s.ids.length;
  const cols: [string, { length: number } | undefined][] = [
    ['names', s.names],
    ['categories', s.categories],
    ['tvl', s.tvl],
    ['sectors', s.sectors],
    ['chains', s.chains],
  ];
  for (const [name, col] of cols) if (col && col.length !== n) throw new Error(`${where}: ${name} has ${col.length} entries, expected ${n} (one per id)`);
  const e = s.edgeSource.length;
  for (const [name, col] of [['edgeTarget', s.edgeTarget], ['edgeWeight', s.edgeWeight], ['edgeProbability', s.edgeProbability]] as const) {
    if (col && col.length !== e) throw new Error(`${where}: ${name} has ${col.length} entries, expected ${e} (one per edge)`);
  }
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (seen.has(s.ids[i])) throw new Error(`${where}: ids[${i}] ${JSON.stringify(s.ids[i])} is a duplicate`);
    seen.add(s.ids[i]);
    const t = s.tvl[i];
    if (!(Number.isFinite(t) && t >= 0)) throw new Error(`${where}: tvl[${i}] (${s.ids[i]}): expected a finite number >= 0, got ${t}`);
  }
  for (let k = 0; k < e; k++) {
    const a = s.edgeSource[k];
    const b = s.edgeTarget[k];
    if (a < 0 || a >= n || b < 0 || b >= n) throw new Error(`${where}: edge ${k}: endpoint index out of range 0..${n - 1} (${a} -> ${b})`);
    const w = s.edgeWeight[k];
    if (!(Number.isFinite(w) && w >= 0)) throw new Error(`${where}: edgeWeight[${k}]: expected a finite number >= 0, got ${w}`);
  }
  const c = s.composition;
  if (c) {
    if (c.offsets.length !== n + 1 || c.offsets[0] !== 0) throw new Error(`${where}: composition.offsets must have ${n + 1} entries starting at 0`);
    for (let i = 0; i < n; i++) if (c.offsets[i + 1] < c.offsets[i]) throw new Error(`${where}: composition.offsets decrease at node ${i}`);
    if (c.tokens.length !== c.offsets[n] || c.values.length !== c.offsets[n]) throw new Error(`${where}: composition has ${c.tokens.length} tokens / ${c.values.length} values, offsets say ${c.offsets[n]}`);
  }
}
