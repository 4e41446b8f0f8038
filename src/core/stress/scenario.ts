/**
 * Stress scenarios: validation of user-written scenario objects, the preset library,
 * and resolution of a scenario's shocks against one snapshot.
 *
 * Presets follow the authors' code (data-spec §5.5 and §5.8):
 * - top1 / top5: the 1 / 5 largest protocols by TVL lose 50% / 30% (FM
 *   `DEFAULT_SHOCK_SCENARIOS`).
 * - bridge: every protocol whose category contains "bridge", case-insensitive (FM's
 *   definition: `"bridge" in category.lower()`, which also catches "Canonical Bridge"
 *   and "Cross Chain Bridge"), 100% loss. Names are not used: they are unreliable.
 * - stablecoin: de-peg of stablecoin issuers, categories Algo-Stables, Decentralized
 *   Stablecoin and CDP (CLAW S3), 50% loss.
 * - lending: categories Lending, Uncollateralized Lending, RWA Lending, NFT Lending
 *   (CLAW S4), 30% loss.
 * Several shocks on one protocol: the largest loss ratio applies, token-holding losses
 * add on top, and the initial loss is capped at TVL.
 */
import { idIndex } from '../snapshot/access';
import type { Snapshot } from '../snapshot/types';
import type { ResolvedShock, Scenario, Shock } from './types';

export const scenarios = {
  top1: { name: 'top1', description: 'Largest protocol by TVL loses 50%', shocks: [{ kind: 'top', n: 1, loss: 0.5 }] },
  top5: { name: 'top5', description: 'Five largest protocols by TVL lose 30% each', shocks: [{ kind: 'top', n: 5, loss: 0.3 }] },
  bridge: {
    name: 'bridge',
    description: 'Every bridge (category contains "bridge") loses 100%',
    shocks: [{ kind: 'categories', categories: ['bridge'], match: 'substring', loss: 1 }],
  },
  stablecoin: {
    name: 'stablecoin',
    description: 'Stablecoin de-peg: Algo-Stables, Decentralized Stablecoin and CDP issuers lose 50%',
    shocks: [{ kind: 'categories', categories: ['Algo-Stables', 'Decentralized Stablecoin', 'CDP'], match: 'exact', loss: 0.5 }],
  },
  lending: {
    name: 'lending',
    description: 'Lending-sector shock: Lending, Uncollateralized, RWA and NFT Lending lose 30%',
    shocks: [{ kind: 'categories', categories: ['Lending', 'Uncollateralized Lending', 'RWA Lending', 'NFT Lending'], match: 'exact', loss: 0.3 }],
  },
} satisfies Record<string, Scenario>;

export type PresetName = keyof typeof scenarios;

export function isPresetName(x: string): x is PresetName {
  return Object.prototype.hasOwnProperty.call(scenarios, x);
}

const M = 'stress/scenario';

function fail(path: string, msg: string): never {
  throw new Error(`${M}: at ${path}: ${msg}`);
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'an array' : typeof v;
}

function checkKeys(o: Record<string, unknown>, allowed: string[], path: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(`${path}.${k}`, `unknown property (allowed: ${allowed.join(', ')})`);
}

function lossAt(o: Record<string, unknown>, path: string): number {
  const v = o.loss;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) fail(`${path}.loss`, `expected a loss ratio in [0, 1], got ${show(v)}`);
  return v;
}

function stringsAt(o: Record<string, unknown>, key: string, path: string): string[] {
  const v = o[key];
  if (!Array.isArray(v) || v.length === 0) fail(`${path}.${key}`, `expected a non-empty array of strings, got ${show(v)}`);
  v.forEach((x, i) => {
    if (typeof x !== 'string' || x.length === 0) fail(`${path}.${key}[${i}]`, `expected a non-empty string, got ${show(x)}`);
  });
  return v as string[];
}

/** Validate a scenario written by a user (or read from JSON); throws with the path of the first problem. */
export function validateScenario(x: unknown): Scenario {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) fail('scenario', `expected an object { name, shocks: [...] }, got ${show(x)}`);
  const o = x as Record<string, unknown>;
  checkKeys(o, ['name', 'description', 'shocks'], 'scenario');
  if (typeof o.name !== 'string' || o.name.length === 0) fail('scenario.name', `expected a non-empty string, got ${show(o.name)}`);
  if (o.description !== undefined && typeof o.description !== 'string') fail('scenario.description', `expected a string, got ${show(o.description)}`);
  if (!Array.isArray(o.shocks) || o.shocks.length === 0) fail('scenario.shocks', `expected a non-empty array of shocks, got ${show(o.shocks)}`);
  const shocks: Shock[] = o.shocks.map((sh: unknown, i: number): Shock => {
    const path = `scenario.shocks[${i}]`;
    if (typeof sh !== 'object' || sh === null || Array.isArray(sh)) fail(path, `expected an object, got ${show(sh)}`);
    const s = sh as Record<string, unknown>;
    switch (s.kind) {
      case 'protocols':
        checkKeys(s, ['kind', 'ids', 'loss'], path);
        return { kind: 'protocols', ids: stringsAt(s, 'ids', path), loss: lossAt(s, path) };
      case 'top': {
        checkKeys(s, ['kind', 'n', 'loss'], path);
        if (typeof s.n !== 'number' || !Number.isInteger(s.n) || s.n < 1) fail(`${path}.n`, `expected an integer >= 1, got ${show(s.n)}`);
        return { kind: 'top', n: s.n, loss: lossAt(s, path) };
      }
      case 'categories': {
        checkKeys(s, ['kind', 'categories', 'match', 'loss'], path);
        if (s.match !== undefined && s.match !== 'exact' && s.match !== 'substring') fail(`${path}.match`, `expected "exact" or "substring", got ${show(s.match)}`);
        return { kind: 'categories', categories: stringsAt(s, 'categories', path), match: (s.match as 'exact' | 'substring' | undefined) ?? 'exact', loss: lossAt(s, path) };
      }
      case 'tokens':
        checkKeys(s, ['kind', 'tokens', 'loss'], path);
        return { kind: 'tokens', tokens: stringsAt(s, 'tokens', path), loss: lossAt(s, path) };
      default:
        return fail(`${path}.kind`, `expected "protocols", "top", "categories" or "tokens", got ${show(s.kind)}`);
    }
  });
  return { name: o.name, ...(o.description !== undefined ? { description: o.description as string } : {}), shocks };
}

/** The scenario with every loss ratio replaced by `loss` (for shock-size sweeps). */
export function withLoss(sc: Scenario, loss: number): Scenario {
  return { ...sc, shocks: sc.shocks.map((sh) => ({ ...sh, loss })) };
}

/** Node indices of the n largest protocols by TVL (ties by id ascending), TVL > 0 only. */
export function topByTvl(s: Snapshot, n: number): number[] {
  const cmp = (a: number, b: number): number => s.tvl[b] - s.tvl[a] || (s.ids[a] < s.ids[b] ? -1 : s.ids[a] > s.ids[b] ? 1 : 0);
  // A few largest (the presets, each what-if rerun): keep a sorted list of n by
  // insertion, O(N n) instead of sorting all N. Same order as the stable full sort:
  // a node joins only ahead of nodes it strictly beats, so ties keep index order.
  if (n <= TOP_BY_INSERTION) {
    const top: number[] = [];
    if (n <= 0) return top;
    for (let i = 0; i < s.ids.length; i++) {
      if (!(s.tvl[i] > 0)) continue;
      if (top.length === n && !(cmp(i, top[n - 1]) < 0)) continue;
      let at = top.length;
      while (at > 0 && cmp(i, top[at - 1]) < 0) at--;
      top.splice(at, 0, i);
      if (top.length > n) top.pop();
    }
    return top;
  }
  const idx: number[] = [];
  for (let i = 0; i < s.ids.length; i++) if (s.tvl[i] > 0) idx.push(i);
  idx.sort(cmp);
  return idx.slice(0, n);
}

const TOP_BY_INSERTION = 32;

/** Resolve a (validated) scenario's shocks on one snapshot. */
export function resolveScenario(s: Snapshot, sc: Scenario): ResolvedShock {
  const n = s.ids.length;
  const ratio = new Float64Array(n).fill(-1); // -1: not hit by a ratio shock
  const tokenLoss = new Float64Array(n);
  const hit = new Uint8Array(n);
  const ignored: string[] = [];
  let byId: ReadonlyMap<string, number> | undefined;
  sc.shocks.forEach((sh, si) => {
    const mark = (i: number): void => {
      hit[i] = 1;
      if (sh.loss > ratio[i]) ratio[i] = sh.loss;
    };
    switch (sh.kind) {
      case 'protocols': {
        byId ??= idIndex(s);
        for (const id of sh.ids) {
          const i = byId.get(id);
          if (i === undefined || !(s.tvl[i] > 0)) ignored.push(id);
          else mark(i);
        }
        break;
      }
      case 'top':
        for (const i of topByTvl(s, sh.n)) mark(i);
        break;
      case 'categories': {
        const wanted = sh.categories.map((c) => c.trim().toLowerCase());
        const sub = sh.match === 'substring';
        for (let i = 0; i < n; i++) {
          if (!(s.tvl[i] > 0)) continue;
          const c = s.categories[i].trim().toLowerCase();
          if (sub ? wanted.some((w) => c.includes(w)) : wanted.includes(c)) mark(i);
        }
        break;
      }
      case 'tokens': {
        const comp = s.composition;
        if (!comp) throw new Error(`${M}: at scenario.shocks[${si}]: a token shock needs the snapshot's composition table, and week ${s.week} has none`);
        const wanted = new Set(sh.tokens);
        for (let i = 0; i < n; i++) {
          if (!(s.tvl[i] > 0)) continue;
          let held = 0;
          for (let k = comp.offsets[i]; k < comp.offsets[i + 1]; k++) if (wanted.has(comp.tokens[k])) held += comp.values[k];
          if (held > 0) {
            hit[i] = 1;
            tokenLoss[i] += sh.loss * held;
          }
        }
        break;
      }
    }
  });
  const targets: number[] = [];
  const loss: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!hit[i]) continue;
    targets.push(i);
    loss.push(Math.min(s.tvl[i], Math.max(ratio[i], 0) * s.tvl[i] + tokenLoss[i]));
  }
  return { targets: Int32Array.from(targets), initialLoss: Float64Array.from(loss), ignored: [...new Set(ignored)].sort() };
}

/** A preset name or a scenario object, validated. */
export function toScenario(x: PresetName | Scenario | unknown): Scenario {
  if (typeof x === 'string') {
    if (isPresetName(x)) return scenarios[x] as Scenario;
    throw new Error(`${M}: unknown preset "${x}" (presets: ${Object.keys(scenarios).join(', ')})`);
  }
  return validateScenario(x);
}
