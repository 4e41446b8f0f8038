/**
 * The nodes of the synthetic history and their TVL, week by week:
 * - real protocols: ids and names of the official mapping, only those whose real TVL
 *   is known (a monthly trajectory in protocol-monthly-tvl-2020-2023.csv or a
 *   December-2025 level in protocols-tvl-2025-12.csv), each entering around its
 *   DefiLlama listing date and carrying its real level (market.ts);
 * - fictional protocols (fresh ids, invented names) for the rest of the protocol
 *   count: their TVL is drawn from the heavy-tailed real cross-section and fills the
 *   part of the total TVL path the real protocols leave;
 * - token nodes (PRIMARY tokens without an issuing protocol: their own node, size 0)
 *   and the LP / UNKNOWN / OTHER class nodes.
 * Node count per week follows the real count; nodes that carry persistent exposures
 * rarely die, peripheral ones churn (the real week-to-week id overlap is ~98.5%).
 */
import type { MappingFiles } from '../exposure/mapping-files';
import type { RealAggregates } from '../realism/real-aggregates';
import { OTHER_SECTOR, sectorOfBroad, TOKEN_SECTOR, K } from '../realism/sectors';
import { AliasTable, bernoulli, lognormal, normal, poisson, uniformInt, type Rng } from '../random';
import { dayNumber } from './calendar';
import { protocolLevel } from './market';
import { syntheticName } from './names';
import type { PopulationParams, SynthParams } from './params';

export type NodeKind = 'real' | 'fictional' | 'token' | 'class';

export interface SynthNode {
  id: string;
  name: string;
  kind: NodeKind;
  sector: number;
  alive: boolean;
  monthly?: ReadonlyMap<string, number>;
  level2025?: number;
  /** Real protocols: listing day (dayNumber), from which one known only in 2025 grows. */
  listed?: number;
  /** Real protocols: the largest real level it ever reaches (USD). */
  peak?: number;
  /** Fictional protocols: relative size within the fictional remainder. */
  weight: number;
  /** Persistent log-deviation from the node's level and its drift. */
  u: number;
  drift: number;
  /** Preference as an exposure endpoint. */
  attract: number;
  holdings: string[];
  holdingShares: number[];
  /** A token this protocol issues (for link compositions). */
  issued?: string;
  /** Persistent exposures that touch this node. */
  coreEdges: number;
  /** No meta_df.csv category (the loader calls it "Unknown"): token and class nodes,
   *  and the fictional protocols drawn so (see POPULATION.unknownShare). */
  unknownCategory: boolean;
  /** TVL this week (USD). */
  size: number;
}

/** A real or fictional protocol's latent size state after a week's step (`SynthOptions.onNodeState`). */
export interface NodeLatentState {
  id: string;
  kind: 'real' | 'fictional';
  /** Log deviation from the level, after this week's step, and its drift. */
  u: number;
  drift: number;
  /** Real protocols: the real level this week (USD, before the week's common rescaling); 0 for fictional ones. */
  level: number;
  /** What u is multiplied by in ln size: 1 / (1 + level / realDampLevel) for a real protocol, 1 otherwise. */
  uScale: number;
  /** TVL this week (USD), as written. */
  size: number;
}

/** The laws of u and its drift (POPULATION's, or a prior's), for whoever reads the latent state. */
export interface NodeDynamics {
  levelPhi: number;
  levelSd: number;
  driftPhi: number;
  driftSd: number;
  uMax: number;
  jumpRate: number;
  jumpSd: number;
}

/** Receives each week's protocol states; off by default, and reading them draws nothing. */
export type NodeStateObserver = (week: string, nodes: NodeLatentState[], dynamics: NodeDynamics) => void;

export const POPULATION = {
  /** Share of nodes that are token nodes. */
  tokenShare: 0.46,
  /** Share of protocol births that are real protocols while eligible ones remain. */
  realShare: 0.8,
  /** The same in a reduced history: its real protocols (the largest alive, never dying at
   *  random) cover only part of the real total TVL, and the fictional ones hold the rest.
   *  More fictional births would spread it thinner, but at 0.45 the model's candidate pairs
   *  missed more of the sample's first-week top new pairs (recall 0.88 < 0.9), at 0.3 the
   *  links' persistence and AUROC left realism's bands (realism 28 of 41 rows). */
  realShareReduced: 0.5,
  deathCore: 0.0015,
  deathPeriphery: 0.03,
  /** Log-deviation from the level: u = phi u + d + N(0, sd), with a momentum drift
   *  d = dPhi d + N(0, dSd) (growth and decline last for weeks), kept within ±uMax.
   *  The drift's persistence sets how the persistence baseline's dTVL error grows with
   *  the horizon (paper 0.057 / 0.138 / 0.213 / 0.272 at h = 1 / 4 / 8 / 12; with a
   *  drift of 0.9 / 0.012 the full-scale history gave 0.049 / 0.102 / 0.145 / 0.177). */
  levelPhi: 0.985,
  levelSd: 0.11,
  driftPhi: 0.95,
  driftSd: 0.016,
  uMax: 1.5,
  /** A real protocol below this level (USD) is not alive that week. */
  minLevel: 1e4,
  /** A real protocol whose real level ever reaches this (USD) does not die at random: it
   *  exists while its real level says so (random deaths took Lido and Binance CEX out of 2025). */
  realKeepLevel: 1e8,
  /** A real protocol's deviation from its level shrinks with the level: u times
   *  1 / (1 + level / realDampLevel). A giant is a diversified book that tracks its real
   *  trajectory (AAVE V3 at e^-1.04 of its $33B left the 10 largest nodes with 20% of
   *  TVL against the real 40%); a $100M protocol moves almost freely. */
  realDampLevel: 3e9,
  /** A real protocol whose real level ever reaches this (USD; divided by the scale in a
   *  reduced history) enters as soon as it is listed and alive, instead of waiting for a
   *  random birth (Lido, drawn late or never, was missing from whole histories). */
  realEnterLevel: 1e9,
  /** Fictional protocols drawn above this quantile of the fictional sizes always have a
   *  meta_df.csv row (a name and category): in the release the ids without one are small
   *  protocols, so a week's largest nodes are named, not bare numeric ids. */
  namedQuantile: 0.8,
  /** Reduced histories: the fictional protocols share what the real ones leave in proportion
   *  to weight^fictionalSpread x exp(u) (1: their drawn sizes; 0: equally, each on its own
   *  weekly course). A 2% sample's dozens
   *  of fictional protocols hold over half of 2022's real total: in proportion to sizes drawn
   *  from the 2025 tail, most reached the cap below (at one value, on the largest real
   *  protocol's course); compressed, they hold it side by side, each on its own course. */
  fictionalSpread: 0.1,
  /** Reduced histories: largest size of a fictional protocol relative to the largest real one. */
  fictionalCapOfReal: 0.8,
  /** Reduced histories: largest share of the week's total TVL a fictional protocol may hold
   *  when the real ones, raised POPULATION.realUpscale times, still leave too much. */
  fictionalCap: 0.1,
  /** The same for a fictional protocol without a category (reduced histories). */
  unnamedCap: 0.01,
  /** Most a real protocol's level is raised to fill a week's total (reduced histories only). */
  realUpscale: 3,
  /** Share of alive nodes without a meta_df.csv category, as in the release (~58%: the
   *  token and class nodes plus protocols DefiLlama does not list). A fictional protocol
   *  is born without one more often while the alive share is below this, less often
   *  above, so the share holds whatever the mix of real and fictional protocols (the
   *  fictional ones churn, so over a long history most protocols ever born are fictional). */
  unknownShare: 0.58,
};

/** How strongly a fictional birth leans against the gap between the alive share without a
 *  category and POPULATION.unknownShare (50: a gap of 1% moves its chance by half). */
const UNKNOWN_GAIN = 50;

/** Protocols DefiLlama renamed between the release's mapping and the December-2025
 *  cross-section (mapping name -> 2025 name): their 2025 level is known under the new name. */
export const RENAMED_BY_2025: Readonly<Record<string, string>> = {
  EigenLayer: 'EigenCloud',
  Ethena: 'Ethena USDe',
  MakerDAO: 'Sky Lending',
  Spark: 'SparkLend',
  'Morpho Blue': 'Morpho V1',
};

/** Approximate DefiLlama listing date of a protocol id (ids grow with time). */
const ID_DATES: readonly [number, string][] = [
  [0, '2019-12-01'], [500, '2021-03-01'], [1000, '2021-10-01'], [1500, '2022-02-01'], [2000, '2022-07-01'],
  [2500, '2023-01-01'], [3000, '2023-06-01'], [3500, '2023-10-01'], [4000, '2024-03-01'], [4500, '2024-09-01'], [5000, '2025-03-01'],
];

export function listingDay(id: string): number {
  const x = Number(id);
  if (!Number.isFinite(x)) return dayNumber(ID_DATES[0][1]);
  for (let i = 1; i < ID_DATES.length; i++) {
    if (x <= ID_DATES[i][0]) {
      const [x0, d0] = ID_DATES[i - 1];
      const [x1, d1] = ID_DATES[i];
      return dayNumber(d0) + ((x - x0) / (x1 - x0)) * (dayNumber(d1) - dayNumber(d0));
    }
  }
  return dayNumber(ID_DATES[ID_DATES.length - 1][1]);
}

interface RealCandidate {
  id: string;
  name: string;
  sector: number;
  from: number;
  weight: number;
  /** Chance of being the next real protocol born (relative). */
  pick: number;
  /** Largest real level (USD) it ever reaches. */
  peak: number;
  monthly?: ReadonlyMap<string, number>;
  level2025?: number;
}

export class Population {
  readonly nodes: SynthNode[] = [];
  alive: number[] = [];
  private readonly candidates: RealCandidate[] = [];
  private readonly tokens: { symbol: string; frequency: number }[];
  private nextToken = 0;
  private nextFictional = 100001;
  private readonly takenNames = new Set<string>();
  private readonly holdingTable: AliasTable;
  private readonly holdingTokens: string[];
  private readonly issuedBy = new Map<string, string>();
  private readonly fictionalWeights: number[];
  /** Fictional draws at or above this size always get a category (POPULATION.namedQuantile). */
  private readonly namedWeight: number;
  private readonly p: PopulationParams;
  private readonly jumpRate: number;
  private readonly jumpSd: number;
  private readonly tailPower: number;
  /** Real candidates' levels in `levelWeek` (reduced histories pick the largest). */
  private readonly levels = new Map<RealCandidate, number>();
  private levelWeek = '';
  /** Alive nodes with unknownCategory (kept in step with `alive`). */
  private aliveUnknown = 0;
  /** Sum of the December-2025 cross-section (USD): a protocol known only from then holds
   *  its share of it times the week's real total in a reduced history (realLevel). */
  private readonly total2025: number;

  constructor(
    private readonly rng: Rng,
    mapping: MappingFiles,
    real: RealAggregates,
    private readonly market: (week: string) => number,
    params?: SynthParams,
    /** Counts are the real weeks' times this: a reduced history keeps the largest real
     *  protocols and caps its fictional ones below the largest real one (drawn as at full
     *  scale, a 2% sample left fictional protocols $100B+ each). */
    private readonly scale = 1,
  ) {
    this.p = params?.population ?? POPULATION;
    this.total2025 = real.tvl2025.reduce((t, p) => t + (p.tvl > 0 ? p.tvl : 0), 0);
    this.jumpRate = params?.jumpRate ?? 0;
    this.jumpSd = params?.jumpSd ?? 0;
    this.tailPower = params?.tailPower ?? 1;
    const pickPower = Math.min(4, 0.7 / Math.pow(scale, 0.25));
    const by2025 = new Map<string, number>();
    for (const p of real.tvl2025) if (p.tvl > 0) by2025.set(p.name.toLowerCase(), Math.max(by2025.get(p.name.toLowerCase()) ?? 0, p.tvl));
    for (const [id, info] of mapping.idToInfo) {
      this.takenNames.add(info.name);
      const monthly = real.monthly.get(id);
      const level2025 = by2025.get(info.name.toLowerCase()) ?? by2025.get(RENAMED_BY_2025[info.name]?.toLowerCase() ?? '');
      if (!monthly && level2025 === undefined) continue; // no real level: never used under its real name
      let from = listingDay(id);
      let peak = level2025 ?? 0;
      if (monthly) {
        const months = [...monthly].filter(([, v]) => v > this.p.minLevel).sort((a, b) => (a[0] < b[0] ? -1 : 1));
        if (months.length) from = dayNumber(`${months[0][0]}-01`);
        for (const [, v] of monthly) peak = Math.max(peak, v);
      }
      const candidate: RealCandidate = { id, name: info.name, sector: sectorOfBroad(info.category), from, weight: Math.pow(Math.max(peak, 1), 0.7), pick: Math.pow(Math.max(peak, 1), pickPower), peak, monthly, level2025 };
      this.candidates.push(candidate);
    }
    // A token node's id is its symbol: leave out symbols that are also protocol ids ("911"), so ids stay unique within a week.
    const primary = [...(mapping.tokenToProtocol.get('PRIMARY') ?? [])].filter(([s, e]) => e.id === s && !['LP', 'UNKNOWN', 'OTHER'].includes(s) && !mapping.idToInfo.has(s) && !/^\d+$/.test(s));
    this.tokens = primary.map(([symbol, e]) => ({ symbol, frequency: e.frequency })).sort((a, b) => b.frequency - a.frequency || (a.symbol < b.symbol ? -1 : 1));
    if (this.tokens.length === 0) throw new Error('synth/population: the mapping has no PRIMARY tokens (token_to_protocol.json missing or empty)');
    const held: [string, number][] = [];
    for (const cls of ['PRIMARY', 'MAP'] as const) for (const [s, e] of mapping.tokenToProtocol.get(cls) ?? []) held.push([s, e.frequency]);
    held.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    this.holdingTokens = held.slice(0, 400).map(([s]) => s);
    this.holdingTable = new AliasTable(held.slice(0, 400).map(([, f]) => Math.sqrt(f)));
    for (const [s, e] of mapping.tokenToProtocol.get('MAP') ?? []) if (!this.issuedBy.has(e.id)) this.issuedBy.set(e.id, s);
    // Fictional protocols are the long tail: sizes from the cross-section below its top 1%.
    const sizes = real.tvl2025.map((p) => p.tvl).filter((x) => x > 0).sort((a, b) => a - b);
    this.fictionalWeights = sizes.slice(0, Math.floor(0.99 * sizes.length));
    // A reduced history has few fictional protocols, and they share what its few real ones
    // leave (a 2% sample: ~15 of them, most at the cap): more of them are named.
    const q = this.p.namedQuantile * Math.min(1, Math.sqrt(scale / 0.1));
    this.namedWeight = this.fictionalWeights[Math.min(this.fictionalWeights.length - 1, Math.floor(q * this.fictionalWeights.length))] ?? Infinity;
    for (const id of ['LP', 'UNKNOWN', 'OTHER']) this.add({ id, name: id, kind: 'class', sector: OTHER_SECTOR, weight: 0, attract: 30 });
  }

  private add(n: Pick<SynthNode, 'id' | 'name' | 'kind' | 'sector' | 'weight' | 'attract'> & Partial<SynthNode>): SynthNode {
    const node: SynthNode = { alive: true, u: 0, drift: 0, holdings: [], holdingShares: [], coreEdges: 0, size: 0, unknownCategory: n.kind === 'token' || n.kind === 'class', ...n };
    if (node.kind === 'real' || node.kind === 'fictional') {
      const k = 1 + Math.min(5, poisson(this.rng, 1.5));
      const seen = new Set<string>();
      let total = 0;
      for (let i = 0; i < k; i++) {
        const s = this.holdingTokens[this.holdingTable.sample(this.rng)];
        if (seen.has(s)) continue;
        seen.add(s);
        const w = lognormal(this.rng, 0, 1);
        node.holdings.push(s);
        node.holdingShares.push(w);
        total += w;
      }
      node.holdingShares = node.holdingShares.map((w) => w / total);
      node.issued = this.issuedBy.get(node.id);
    }
    this.nodes.push(node);
    this.alive.push(this.nodes.length - 1);
    if (node.unknownCategory) this.aliveUnknown++;
    return node;
  }

  private birthProtocol(day: number, week: string): void {
    if (bernoulli(this.rng, this.scale < 1 ? this.p.realShareReduced : this.p.realShare)) {
      if (this.scale < 1) {
        const c = this.largestCandidate(day, week);
        if (c) {
          this.addReal(c);
          return;
        }
      }
      let total = 0;
      for (const c of this.candidates) if (c.from <= day) total += c.pick;
      if (total > 0) {
        let r = this.rng.next() * total;
        for (let i = 0; i < this.candidates.length; i++) {
          const c = this.candidates[i];
          if (c.from > day) continue;
          r -= c.pick;
          if (r <= 0 || i === this.candidates.length - 1) {
            this.candidates.splice(i, 1);
            if (this.realLevel(week, c.monthly, c.level2025, c.from) < this.p.minLevel) return; // not alive at this date
            this.addReal(c);
            return;
          }
        }
      }
    }
    const w = this.fictionalWeights[uniformInt(this.rng, this.fictionalWeights.length)];
    // tailPower != 1 stretches the log sizes (another tail index); attraction stays on the drawn size
    const weight = this.tailPower === 1 ? w : Math.pow(w, this.tailPower);
    const gap = this.p.unknownShare - this.aliveUnknown / Math.max(this.alive.length, 1);
    const unknownCategory = w < this.namedWeight && bernoulli(this.rng, Math.min(1, Math.max(0, 0.5 + UNKNOWN_GAIN * gap)));
    this.add({ id: String(this.nextFictional++), name: syntheticName(this.rng, this.takenNames), kind: 'fictional', sector: OTHER_SECTOR, weight, attract: Math.pow(w, 0.3), unknownCategory });
  }

  /** A reduced history's next real protocol: the largest one listed and alive this week,
   *  so its few real protocols are the real giants at their real level and hold most of
   *  the total TVL (drawn at random, even weighted by size, a 2% sample's real protocols
   *  held a third of 2022's TVL and fictional ones of $25B each the rest). */
  private largestCandidate(day: number, week: string): RealCandidate | undefined {
    if (this.levelWeek !== week) {
      this.levelWeek = week;
      this.levels.clear();
    }
    let best = -1;
    let bestLevel = this.p.minLevel;
    for (let i = 0; i < this.candidates.length; i++) {
      const c = this.candidates[i];
      if (c.from > day) continue;
      let level = this.levels.get(c);
      if (level === undefined) {
        level = this.realLevel(week, c.monthly, c.level2025, c.from);
        this.levels.set(c, level);
      }
      if (level > bestLevel) {
        best = i;
        bestLevel = level;
      }
    }
    return best < 0 ? undefined : this.candidates.splice(best, 1)[0];
  }

  /** Real protocols whose level ever reaches POPULATION.realEnterLevel / scale enter as
   *  soon as they are listed and alive (a dead one is checked again each week: cheap, few). */
  private enterGiants(day: number, week: string): void {
    const enter = this.p.realEnterLevel / this.scale;
    for (let i = 0; i < this.candidates.length; i++) {
      const c = this.candidates[i];
      if (c.peak < enter || c.from > day || this.realLevel(week, c.monthly, c.level2025, c.from) < this.p.minLevel) continue;
      this.candidates.splice(i--, 1);
      this.addReal(c);
    }
  }

  private addReal(c: RealCandidate): void {
    this.add({ id: c.id, name: c.name, kind: 'real', sector: c.sector, weight: 0, attract: Math.pow(c.weight, 0.45), monthly: c.monthly, level2025: c.level2025, listed: c.from, peak: c.peak });
  }

  private birthToken(): void {
    // Popular tokens first, with some of the long tail.
    let i = this.nextToken;
    if (bernoulli(this.rng, 0.3)) i += uniformInt(this.rng, Math.min(5000, this.tokens.length - i));
    if (i >= this.tokens.length) return;
    const t = this.tokens[i];
    [this.tokens[i], this.tokens[this.nextToken]] = [this.tokens[this.nextToken], this.tokens[i]];
    this.nextToken++;
    this.add({ id: t.symbol, name: t.symbol, kind: 'token', sector: TOKEN_SECTOR, weight: 0, attract: Math.pow(t.frequency, 0.3) });
  }

  private level(n: SynthNode, week: string): number {
    return this.realLevel(week, n.monthly, n.level2025, n.listed);
  }

  /**
   * Real level of a protocol at `week`. In a reduced history, a protocol known only from
   * December 2025 (no monthly trajectory: Curve DEX, Convex, Lido, MakerDAO) holds, from its
   * listing, its December-2025 share of the real cross-section times the week's real total.
   * Grown back from its 2025 level since its listing (protocolLevel) it read 30x below its
   * real 2022 level (Curve DEX $0.6B in May 2022, real ~$16B); a share level still
   * understates the protocols that lost share since 2022 (Curve, Convex) and overstates
   * those that gained it, but by the ratio of shares, not by the growth ramp on top of it.
   * Full-scale histories keep protocolLevel.
   */
  private realLevel(week: string, monthly: ReadonlyMap<string, number> | undefined, level2025: number | undefined, listed: number | undefined): number {
    if (this.scale < 1 && !monthly?.size && level2025 !== undefined && level2025 > 0 && this.total2025 > 0) {
      return listed !== undefined && listed > dayNumber(week) ? 0 : (level2025 / this.total2025) * this.market(week);
    }
    return protocolLevel(week, monthly, level2025, this.market, listed);
  }

  /** Deaths, then births or culls until `target` nodes are alive. */
  step(week: string, target: number, first: boolean): void {
    const day = dayNumber(week);
    for (const i of this.alive) {
      const n = this.nodes[i];
      if (n.kind === 'class') continue;
      if (n.kind === 'real' && this.level(n, week) < this.p.minLevel) n.alive = false;
      else if (!first && !(n.kind === 'real' && n.peak! >= this.p.realKeepLevel) && bernoulli(this.rng, n.coreEdges > 0 ? this.p.deathCore : this.p.deathPeriphery)) n.alive = false;
    }
    this.alive = this.alive.filter((i) => this.nodes[i].alive);
    this.aliveUnknown = this.alive.reduce((c, i) => c + (this.nodes[i].unknownCategory ? 1 : 0), 0);
    this.enterGiants(day, week);
    let tokens = 0;
    for (const i of this.alive) if (this.nodes[i].kind === 'token') tokens++;
    let guard = 0;
    while (this.alive.length < target && guard++ < 10 * target + 100) {
      if (tokens < this.p.tokenShare * (this.alive.length + 1) && this.nextToken < this.tokens.length) {
        this.birthToken();
        tokens++;
      } else this.birthProtocol(day, week);
    }
    if (this.alive.length > target) {
      // Culls (the real count falls): peripheral nodes go first.
      const peripheral = this.alive.filter((i) => this.nodes[i].coreEdges === 0 && this.nodes[i].kind !== 'class');
      for (let r = 0; r < this.alive.length - target && peripheral.length; r++) {
        const j = uniformInt(this.rng, peripheral.length);
        this.nodes[peripheral[j]].alive = false;
        peripheral[j] = peripheral[peripheral.length - 1];
        peripheral.pop();
      }
      this.alive = this.alive.filter((i) => this.nodes[i].alive);
      this.aliveUnknown = this.alive.reduce((c, i) => c + (this.nodes[i].unknownCategory ? 1 : 0), 0);
    }
  }

  /** The alive protocols' latent size state (after setSizes); draws nothing. */
  nodeStates(week: string): NodeLatentState[] {
    const out: NodeLatentState[] = [];
    // Read as optional: scripts/node-ceiling.mjs --generator copies this method into older
    // generators, some from before realDampLevel, whose setSizes applied u undamped (1).
    const damp = (this.p as { realDampLevel?: number }).realDampLevel;
    for (const i of this.alive) {
      const n = this.nodes[i];
      if (n.kind !== 'real' && n.kind !== 'fictional') continue;
      const level = n.kind === 'real' ? this.level(n, week) : 0;
      const uScale = n.kind === 'real' && damp ? 1 / (1 + level / damp) : 1;
      out.push({ id: n.id, kind: n.kind, u: n.u, drift: n.drift, level, uScale, size: n.size });
    }
    return out;
  }

  /** The laws of u and its drift in this history. */
  dynamics(): NodeDynamics {
    const { levelPhi, levelSd, driftPhi, driftSd, uMax } = this.p;
    return { levelPhi, levelSd, driftPhi, driftSd, uMax, jumpRate: this.jumpRate, jumpSd: this.jumpSd };
  }

  /** Set each alive node's TVL so that the total follows `totalTvl`. */
  setSizes(week: string, totalTvl: number): void {
    let realSum = 0;
    let fictionalSum = 0;
    for (const i of this.alive) {
      const n = this.nodes[i];
      if (n.kind !== 'real' && n.kind !== 'fictional') continue;
      n.drift = this.p.driftPhi * n.drift + normal(this.rng, 0, this.p.driftSd);
      let u = this.p.levelPhi * n.u + n.drift + normal(this.rng, 0, this.p.levelSd);
      if (this.jumpRate > 0 && bernoulli(this.rng, this.jumpRate)) u += normal(this.rng, 0, this.jumpSd);
      n.u = Math.max(-this.p.uMax, Math.min(this.p.uMax, u));
      if (n.kind === 'real') {
        const level = this.level(n, week);
        n.size = level * Math.exp(n.u / (1 + level / this.p.realDampLevel));
        realSum += n.size;
      } else {
        n.size = n.weight * Math.exp(n.u);
        fictionalSum += n.size;
      }
    }
    // Real protocols keep their real level unless they alone exceed the total.
    const realScale = realSum > 0.9 * totalTvl ? (0.9 * totalTvl) / realSum : 1;
    const fictional = this.alive.filter((i) => this.nodes[i].kind === 'fictional');
    if (this.scale >= 1) {
      // At full scale thousands of fictional protocols share the rest and their largest carry
      // the real concentration (the 10 largest nodes hold ~40% of TVL): no cap there.
      const rest = totalTvl - realSum * realScale;
      const fictionalScale = fictionalSum > 0 ? rest / fictionalSum : 0;
      for (const i of fictional) this.nodes[i].size *= fictionalScale;
    } else this.fillReduced(fictional, fictionalSum, realSum * realScale, totalTvl, realScale);
    for (const i of this.alive) {
      const n = this.nodes[i];
      if (n.kind === 'real') n.size *= this.realFactor(realScale);
      else if (n.kind !== 'fictional') n.size = 0;
    }
  }

  private reducedUp = 1;

  private realFactor(realScale: number): number {
    return this.scale < 1 ? realScale * this.reducedUp : realScale;
  }

  /**
   * A reduced history's few fictional protocols share what its real ones leave, and none
   * holds more than POPULATION.fictionalCapOfReal times the largest real protocol (one
   * without a category at most POPULATION.unnamedCap of the week; each cap lower when its
   * own level is down, so capped ones do not all look alike): the largest nodes are the real
   * giants, which carry the links (a fictional protocol at a tenth of the week was a $25B
   * node without creditors). What they cannot hold raises the real protocols' levels, at
   * most POPULATION.realUpscale times (the real levels known for 2022 are mostly
   * December-2025 levels grown back, below the real 2022 ones); only beyond that does a
   * fictional protocol grow past the largest real one, up to fictionalCap of the week.
   * Sets this.reducedUp and the fictional sizes.
   */
  private fillReduced(fictional: number[], fictionalSum: number, realHeld: number, totalTvl: number, realScale: number): void {
    let largestReal = 0;
    for (const i of this.alive) if (this.nodes[i].kind === 'real') largestReal = Math.max(largestReal, this.nodes[i].size * realScale);
    const fill = (up: number, loose: boolean): number => {
      const rest = Math.max(0, totalTvl - realHeld * up);
      const cap = loose ? Math.max(this.p.fictionalCapOfReal * largestReal * up, this.p.fictionalCap * totalTvl) : this.p.fictionalCapOfReal * largestReal * up;
      // Each cap on the protocol's own course: exp(u - uMax) for one without a category (at
      // most unnamedCap of the week), exp((u - uMax) / 2) for a named one (with a common cap,
      // a 2% sample had several fictional protocols at one value, on the largest real one's
      // course; with the full exp(u - uMax), the real ones were raised ~1.9x, Lido $42B in May 2022).
      const capOf = (n: SynthNode) => (n.unknownCategory ? Math.min(cap, this.p.unnamedCap * totalTvl * Math.exp(n.u - this.p.uMax)) : cap * Math.exp((n.u - this.p.uMax) / 2));
      return compressFill(fictional.map((i) => ({ node: this.nodes[i], size: fictionalSum > 0 ? Math.pow(this.nodes[i].weight, this.p.fictionalSpread) * Math.exp(this.nodes[i].u) : 0 })), rest, capOf);
    };
    let up = 1;
    // The smallest raise that lets the fictional protocols hold the rest (bisection: the
    // shortfall falls as the raise grows, since the cap grows with it).
    if (fill(up, false) > 0 && realHeld > 0) {
      let lo = 1;
      let hi = this.p.realUpscale;
      if (fill(hi, false) > 0) {
        up = hi;
        fill(up, true);
      } else {
        for (let k = 0; k < 30; k++) {
          const mid = (lo + hi) / 2;
          if (fill(mid, false) > 0) lo = mid;
          else hi = mid;
        }
        up = hi;
        fill(up, false);
      }
    } else if (realHeld <= 0) fill(up, true);
    this.reducedUp = up;
  }

  /** Alive node indices per sector. */
  bySector(): number[][] {
    const out: number[][] = Array.from({ length: K }, () => []);
    for (const i of this.alive) out[this.nodes[i].sector].push(i);
    return out;
  }
}

/**
 * Shares `rest` among the entries in proportion to their sizes (for fictional protocols
 * weight^fictionalSpread x exp(u): drawn sizes compressed toward each other, weekly
 * deviations kept), then water-fills the caps. Sets each node's size and returns the part
 * no one could hold.
 */
function compressFill(entries: { node: SynthNode; size: number }[], rest: number, capOf: (n: SynthNode) => number): number {
  if (entries.length === 0) return rest;
  const sum = entries.reduce((t, e) => t + e.size, 0);
  return waterFill(entries.map((e) => ({ node: e.node, size: sum > 0 ? (rest * e.size) / sum : 0 })), capOf);
}

/**
 * Water-filling: each entry keeps its size up to its cap; what the capped ones lose goes to
 * the others in proportion to their size. Sets each node's size and returns the part no
 * one could hold.
 */
function waterFill(entries: { node: SynthNode; size: number }[], capOf: (n: SynthNode) => number): number {
  for (const e of entries) e.node.size = e.size;
  for (let free = entries.map((e) => e.node); free.length; ) {
    let excess = 0;
    const below: SynthNode[] = [];
    for (const n of free) {
      if (n.size > capOf(n)) {
        excess += n.size - capOf(n);
        n.size = capOf(n);
      } else below.push(n);
    }
    if (excess === 0) return 0;
    let room = 0;
    let held = 0;
    for (const n of below) {
      room += capOf(n) - n.size;
      held += n.size;
    }
    if (held <= 0 || room <= excess) {
      for (const n of below) if (held > 0) n.size = capOf(n);
      return held > 0 ? excess - room : excess;
    }
    const up = 1 + excess / held;
    for (const n of below) n.size *= up;
    free = below;
  }
  return 0;
}
