/**
 * The links of each week: a persistent core of exposures with a stable direction
 * (a protocol steadily building or unwinding a position in another's token) and a
 * periphery of small one-week flows between random protocols, whose direction is a
 * coin flip. The core holds `coreShare` of the week's links, loses few edges a week
 * (so persistence is flat across horizons) and carries nearly all of the link size;
 * its sizes are rescaled per sector cell so that the week's total link size and its
 * 7-sector mix are those of the real week.
 */
import type { ReleaseLink } from '../exposure/network';
import { K, OTHER_SECTOR, TOKEN_SECTOR } from '../realism/sectors';
import { bernoulli, normal, uniformInt, type Rng } from '../random';
import type { WeekTarget } from './calendar';
import type { Population, SynthNode } from './population';
import type { ExposureParams, SynthParams } from './params';

export const EXPOSURES = {
  coreShare: 0.56,
  /** Weekly death rate of a core edge (besides its endpoints dying). */
  coreDeath: 0.004,
  /** A new core position starts this many log units small and grows in over `rampWeeks`. */
  rampLog: 6,
  rampWeeks: 10,
  /** ln size of a new core edge before cell scaling: N(mean, sd). */
  coreLogMean: 0,
  coreLogSd: 2.2,
  /** Week-to-week log-size noise of a core edge (AR(1)). */
  corePhi: 0.7,
  coreSd: 0.12,
  /** ln size of a periphery flow (USD). */
  peripheryLogMean: 3.8,
  peripheryLogSd: 2,
  nullTargetShare: 0.04,
  selfLoopShare: 0.02,
  /** Cells with at least this share of link size always hold a core edge. */
  minCellShare: 0.002,
};

/**
 * One core exposure after a week's step, for research on what the links' sizes can
 * be predicted from (scripts/weight-ceiling.mjs): its persistent log size `b`, AR(1)
 * deviation `v`, `age` in weeks including this one, and the cell's scale factor
 * (0 where the real week leaves the cell empty and the size falls back to a
 * periphery-sized flow). Its size is max(1, exp(b + v - ramp) * scale).
 */
export interface CoreLinkState {
  source: string;
  target: string;
  cell: number;
  b: number;
  v: number;
  age: number;
  scale: number;
  size: number;
}

/** Receives the core of each week (`SynthOptions.onCoreState`); off by default, and reading it draws nothing. */
export type CoreStateObserver = (week: string, core: CoreLinkState[]) => void;

interface CoreEdge {
  s: number;
  t: number;
  cell: number;
  b: number;
  v: number;
  token: string;
  age: number;
}

/** Weighted sampler over a sector's alive nodes (by their endpoint preference). */
class SectorSampler {
  private readonly cum: Float64Array;
  constructor(
    readonly members: number[],
    nodes: SynthNode[],
  ) {
    this.cum = new Float64Array(members.length);
    let c = 0;
    members.forEach((i, k) => {
      c += nodes[i].attract;
      this.cum[k] = c;
    });
  }
  get empty(): boolean {
    return this.members.length === 0;
  }
  weighted(rng: Rng): number {
    const r = rng.next() * this.cum[this.cum.length - 1];
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return this.members[lo];
  }
  uniform(rng: Rng): number {
    return this.members[uniformInt(rng, this.members.length)];
  }
}

/** The token a flow between two nodes moves: the issuer's token. */
function flowToken(s: SynthNode, t: SynthNode): string {
  if (t.kind === 'token' || t.kind === 'class') return t.id;
  if (s.kind === 'token' || s.kind === 'class') return s.id;
  return t.issued ?? s.issued ?? t.holdings[0] ?? s.holdings[0] ?? 'UNKNOWN';
}

export class Exposures {
  private core: CoreEdge[] = [];
  private readonly keys = new Set<number>();

  private readonly e: ExposureParams;
  private readonly flipRate: number;

  constructor(
    private readonly rng: Rng,
    private readonly pop: Population,
    params?: SynthParams,
    private readonly observer?: CoreStateObserver,
  ) {
    this.e = params?.exposures ?? EXPOSURES;
    this.flipRate = params?.flipRate ?? 0;
  }

  private key(s: number, t: number): number {
    return s * 4194304 + t;
  }

  private removeAt(j: number): void {
    const e = this.core[j];
    this.keys.delete(this.key(e.s, e.t));
    this.pop.nodes[e.s].coreEdges--;
    this.pop.nodes[e.t].coreEdges--;
    this.core[j] = this.core[this.core.length - 1];
    this.core.pop();
  }

  private addCore(cell: number, samplers: SectorSampler[]): boolean {
    const a = samplers[Math.floor(cell / K)];
    const b = samplers[cell % K];
    if (a.empty || b.empty) return false;
    for (let tries = 0; tries < 8; tries++) {
      const s = a.weighted(this.rng);
      const t = b.weighted(this.rng);
      if (s === t || this.keys.has(this.key(s, t)) || this.keys.has(this.key(t, s))) continue;
      const nodes = this.pop.nodes;
      this.core.push({ s, t, cell, b: normal(this.rng, this.e.coreLogMean, this.e.coreLogSd), v: 0, token: flowToken(nodes[s], nodes[t]), age: 0 });
      this.keys.add(this.key(s, t));
      nodes[s].coreEdges++;
      nodes[t].coreEdges++;
      return true;
    }
    return false;
  }

  /** The week's links, after the population step of the same week. */
  week(target: WeekTarget): ReleaseLink[] {
    const rng = this.rng;
    const nodes = this.pop.nodes;
    const samplers = this.pop.bySector().map((m) => new SectorSampler(m, nodes));
    for (let j = this.core.length - 1; j >= 0; j--) {
      const e = this.core[j];
      if (!nodes[e.s].alive || !nodes[e.t].alive || bernoulli(rng, this.e.coreDeath)) this.removeAt(j);
    }
    // A position turning around: the holder becomes the issuer's creditor the other way.
    if (this.flipRate > 0) {
      for (const e of this.core) {
        if (!bernoulli(rng, this.flipRate)) continue;
        this.keys.delete(this.key(e.s, e.t));
        [e.s, e.t] = [e.t, e.s];
        this.keys.add(this.key(e.s, e.t));
        e.cell = (e.cell % K) * K + Math.floor(e.cell / K);
        e.token = flowToken(nodes[e.s], nodes[e.t]);
      }
    }
    const shares = target.cellShares;
    const cellWeights = new Float64Array(K * K);
    let cwTotal = 0;
    for (let c = 0; c < K * K; c++) {
      if (samplers[Math.floor(c / K)].empty || samplers[c % K].empty) continue;
      cellWeights[c] = Math.sqrt(shares[c]);
      cwTotal += cellWeights[c];
    }
    const pickCell = (w: Float64Array, total: number): number => {
      let r = rng.next() * total;
      for (let c = 0; c < w.length; c++) {
        r -= w[c];
        if (r <= 0 && w[c] > 0) return c;
      }
      for (let c = w.length - 1; c >= 0; c--) if (w[c] > 0) return c;
      return TOKEN_SECTOR * K + TOKEN_SECTOR;
    };
    const coreTarget = Math.round(this.e.coreShare * target.links);
    const perCell = new Int32Array(K * K);
    for (const e of this.core) perCell[e.cell]++;
    for (let c = 0; c < K * K; c++) {
      if (shares[c] >= this.e.minCellShare && perCell[c] === 0 && this.core.length < coreTarget && this.addCore(c, samplers)) perCell[c]++;
    }
    let guard = 0;
    while (this.core.length < coreTarget && cwTotal > 0 && guard++ < 4 * coreTarget) {
      const c = pickCell(cellWeights, cwTotal);
      if (this.addCore(c, samplers)) perCell[c]++;
    }
    while (this.core.length > coreTarget * 1.02) this.removeAt(uniformInt(rng, this.core.length));

    // Periphery: small one-week flows (plus the release's null targets and self-loops).
    const links: ReleaseLink[] = [];
    const periphery = Math.max(0, target.links - this.core.length);
    const periphCell = new Float64Array(K * K);
    const allAlive = this.pop.alive;
    for (let k = 0; k < periphery; k++) {
      const size = Math.exp(normal(rng, this.e.peripheryLogMean, this.e.peripheryLogSd));
      const u = rng.next();
      if (u < this.e.nullTargetShare) {
        const s = nodes[allAlive[uniformInt(rng, allAlive.length)]];
        links.push({ source: s.id, target: null, size, composition: { [`UNKNOWN (${uniformInt(rng, 1 << 30).toString(16)})`]: size } });
        continue;
      }
      if (u < this.e.nullTargetShare + this.e.selfLoopShare) {
        const s = nodes[allAlive[uniformInt(rng, allAlive.length)]];
        links.push({ source: s.id, target: s.id, size, composition: { [flowToken(s, s)]: size } });
        continue;
      }
      const c = cwTotal > 0 ? pickCell(cellWeights, cwTotal) : OTHER_SECTOR * K + OTHER_SECTOR;
      const a = samplers[Math.floor(c / K)];
      const b = samplers[c % K];
      if (a.empty || b.empty) continue;
      const si = a.uniform(rng);
      const ti = b.uniform(rng);
      if (si === ti) continue;
      periphCell[c] += size;
      links.push({ source: nodes[si].id, target: nodes[ti].id, size, composition: { [flowToken(nodes[si], nodes[ti])]: size } });
    }

    // Core sizes: persistent log-size plus AR noise, rescaled per cell to the real mix.
    const raw = new Float64Array(this.core.length);
    const rawCell = new Float64Array(K * K);
    this.core.forEach((e, j) => {
      e.v = this.e.corePhi * e.v + normal(rng, 0, this.e.coreSd);
      const ramp = this.e.rampLog * Math.max(0, 1 - e.age / this.e.rampWeeks);
      e.age++;
      raw[j] = Math.exp(e.b + e.v - ramp);
      rawCell[e.cell] += raw[j];
    });
    const factor = new Float64Array(K * K);
    for (let c = 0; c < K * K; c++) {
      const want = shares[c] * target.linkSize - periphCell[c];
      factor[c] = rawCell[c] > 0 && want > 0 ? want / rawCell[c] : 0;
    }
    const core: ReleaseLink[] = this.core.map((e, j) => {
      let size = raw[j] * factor[e.cell];
      // A cell the real week leaves empty: its core edges carry periphery-sized flows.
      if (!(size > 0)) size = Math.exp(this.e.peripheryLogMean + e.b);
      // A young position in a cell the periphery nearly fills can come out below a cent,
      // which the release's cents would print as a zero-size link.
      size = Math.max(size, 1);
      return { source: nodes[e.s].id, target: nodes[e.t].id, size, composition: { [e.token]: size } };
    });
    if (this.observer) {
      this.observer(
        target.week,
        this.core.map((e, j) => ({ source: nodes[e.s].id, target: nodes[e.t].id, cell: e.cell, b: e.b, v: e.v, age: e.age, scale: factor[e.cell], size: core[j].size })),
      );
    }
    return core.concat(links);
  }
}
