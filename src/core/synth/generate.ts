/**
 * Seeded synthetic DeXposure history in the real release format (data-spec §1),
 * calibrated week by week to the real aggregates shipped in resources/real-aggregates:
 * - calendar.ts: the weeks and what each must reproduce (node and link counts times
 *   the scale, total link size, 7-sector link-size mix, total TVL);
 * - market.ts: the total TVL path (exact in the Terra and FTX event weeks) and each
 *   real protocol's own level;
 * - population.ts: real protocols (official mapping ids and names, only where a real
 *   TVL is known), fictional protocols, token and class nodes; births and deaths;
 * - exposures.ts: a persistent core of directed exposures plus a periphery of small
 *   one-week flows, sized to the real week's total and sector mix.
 * All randomness comes from one xoshiro128** stream: a seed gives byte-identical files.
 * Memory is bounded by the population and one week (the JSON is streamed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../files/atomic-write';
import { join } from 'node:path';
import { guessDefiLlamaCategory } from '../exposure/defillama-category';
import { readMappingFiles } from '../exposure/mapping-files';
import type { ReleaseNode } from '../exposure/network';
import { copyMapping, csvField, ReleaseWriter } from '../exposure/release-writer';
import { rngFromSeed, poisson, lognormal, uniformInt } from '../random';
import { readRealAggregates, resourceDir } from '../realism/real-aggregates';
import { parseCsv } from '../snapshot/csv';
import { addWeeks, isMonday, weekTargets } from './calendar';
import { totalTvlPath } from './market';
import { Population, type NodeStateObserver } from './population';
import { Exposures, type CoreStateObserver } from './exposures';
import { checkSynthParams, type SynthParams } from './params';
import { drawPrior, type PriorDraw, type PriorRegime } from './prior';
import { GENERATOR_VERSION, generatorKey } from './generator-key';

export interface SynthOptions {
  seed: number;
  /** Number of weeks from `start` (default 60; 283 with scale 'full'). */
  weeks?: number;
  /** Nodes at the last week, which sets the scale when `scale` is not a number (default 300). */
  protocols?: number;
  /** First week (a Monday), default 2020-03-23 as the real release. */
  start?: string;
  /** A window of the real calendar (inclusive; YYYY-MM-DD): overrides start/weeks, full scale unless `scale` is a number. */
  from?: string;
  to?: string;
  /** 'full': the real release (283 weeks at the real weeks' counts); a number F in (0, 1]: the real counts times F. */
  scale?: 'small' | 'full' | number;
  crises?: boolean;
  /** Mapping folder (id_to_info.json, rev_map.json, token_to_protocol.json, meta_df.csv);
   *  default: the official mapping shipped in resources/dexposure-mapping, or $DEXPOSURE_MAPPING. */
  mapping?: string;
  /** Generator parameters (default: the calibrated ones, ./params.ts). */
  params?: SynthParams;
  /** Draw protocols, weeks, start, crises and params from the prior (./prior.ts) for this seed instead. */
  prior?: PriorRegime;
  /** Also write network_data/filtered_graph_data.csv. */
  edgesCsv?: boolean;
  onWeek?: (week: string, index: number, total: number, stats: { nodes: number; links: number }) => void;
  /** Research hook: the core exposures' latent state after each week (./exposures.ts CoreLinkState); the files are the same with or without it. */
  onCoreState?: CoreStateObserver;
  /** Research hook: each week's protocol size state (./population.ts NodeLatentState: u, drift, real level); the files are the same with or without it. */
  onNodeState?: NodeStateObserver;
}

export interface SynthSummary {
  outDir: string;
  networkFile: string;
  seed: number;
  weeks: number;
  /** Nodes at the last week. */
  protocols: number;
  /** Counts are the real week's times this factor. */
  scale: number;
  from: string;
  to: string;
  meanNodes: number;
  meanLinks: number;
  /** Mean |V_t ∩ V_t+1| / |V_t| over week pairs. */
  nodeOverlap: number;
  /** Mean share of directed (source, target) pairs of week t present at t+1. */
  edgePersistence: number;
  /** Week-on-week ln(1+TVL) change over ids present in both weeks: mean absolute value and RMS. */
  nodeLogChangeMae: number;
  nodeLogChangeRmse: number;
  totalTvlFirst: number;
  totalTvlLast: number;
  metaRows: number;
  categories: number;
  nodesPerWeek: number[];
  linksPerWeek: number[];
  tvlPerWeek: number[];
  /** The prior draw, when the history was drawn from the prior. */
  prior?: PriorDraw;
}

export const FULL_PROTOCOLS = 10128;
export const FULL_WEEKS = 283;
export const DEFAULT_START = '2020-03-23';
/** Parameters of a generated history, read back by `dexposure realism`. */
export const SYNTH_PARAMS_FILE = 'synth.json';

export function defaultMappingDir(): string {
  return process.env.DEXPOSURE_MAPPING ?? resourceDir('dexposure-mapping', 'token_to_protocol.json');
}

function resolveWeeks(opts: SynthOptions, realWeeks: readonly string[]): string[] {
  if (opts.from !== undefined || opts.to !== undefined) {
    for (const [k, v] of [['from', opts.from], ['to', opts.to]] as const) {
      if (v !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v)))) throw new Error(`synth: ${k} must be a date as YYYY-MM-DD, got "${v}"`);
    }
    const from = opts.from ?? realWeeks[0];
    const to = opts.to ?? realWeeks[realWeeks.length - 1];
    const weeks = realWeeks.filter((w) => w >= from && w <= to);
    if (weeks.length < 2) throw new Error(`synth: the window ${from} .. ${to} holds ${weeks.length} week(s) of the real calendar (${realWeeks[0]} .. ${realWeeks[realWeeks.length - 1]}); need at least 2`);
    return weeks;
  }
  const full = opts.scale === 'full';
  const n = opts.weeks ?? (full ? FULL_WEEKS : 60);
  const start = opts.start ?? DEFAULT_START;
  if (!Number.isInteger(n) || n < 2 || n > 2000) throw new Error(`synth: weeks must be an integer in [2, 2000], got ${n}`);
  if (!isMonday(start)) throw new Error(`synth: start must be a Monday as YYYY-MM-DD, got "${start}"`);
  return Array.from({ length: n }, (_, i) => addWeeks(start, i));
}

function readOfficialMeta(dir: string): { id: string; name: string; category: string }[] {
  const path = join(dir, 'meta_df.csv');
  if (!existsSync(path)) return [];
  const rows = parseCsv(readFileSync(path, 'utf8'));
  const head = rows[0].fields;
  const [ci, ni, ki] = ['id', 'name', 'category'].map((c) => head.indexOf(c));
  if (ci < 0 || ni < 0 || ki < 0) throw new Error(`synth: ${path}: expected a header id,name,category, got ${head.join(',')}`);
  return rows.slice(1).filter((r) => r.fields.length === head.length).map((r) => ({ id: r.fields[ci], name: r.fields[ni], category: r.fields[ki] }));
}

export async function synthesize(options: SynthOptions, outDir: string): Promise<SynthSummary> {
  if (!Number.isSafeInteger(options.seed)) throw new Error(`synth: seed must be an integer, got ${options.seed}`);
  let opts = options;
  let prior: PriorDraw | undefined;
  if (options.prior !== undefined) {
    if (options.params || options.from || options.to || options.weeks !== undefined || options.protocols !== undefined || options.start || options.scale !== undefined) {
      throw new Error('synth: a prior draw sets the weeks, start, scale and parameters itself; leave out weeks, protocols, start, from, to, scale and params');
    }
    prior = drawPrior(options.seed, options.prior);
    opts = { ...options, weeks: prior.weeks, protocols: prior.protocols, start: prior.start, crises: prior.crises, params: prior.params };
  }
  if (opts.params) checkSynthParams(opts.params);
  const real = readRealAggregates();
  const weeks = resolveWeeks(opts, real.weeks.map((w) => w.week));
  const window = opts.from !== undefined || opts.to !== undefined;
  const lastReal = real.weeks.find((w) => w.week === weeks[weeks.length - 1]) ?? real.weeks[real.weeks.length - 1];
  let scale: number;
  if (typeof opts.scale === 'number') {
    if (!(opts.scale > 0 && opts.scale <= 1)) throw new Error(`synth: scale must be a number in (0, 1], got ${opts.scale}`);
    scale = opts.scale;
  } else if (opts.protocols !== undefined || (!window && opts.scale !== 'full')) {
    const p = opts.protocols ?? 300;
    if (!Number.isInteger(p) || p < 3 || p > 200000) throw new Error(`synth: protocols must be an integer in [3, 200000], got ${p}`);
    scale = Math.min(1, p / Math.max(lastReal.nodes, 1));
  } else scale = 1;
  const crises = opts.crises ?? true;

  const mappingDir = opts.mapping ?? defaultMappingDir();
  const mapping = readMappingFiles(mappingDir);
  const rng = rngFromSeed(opts.seed);
  const market = totalTvlPath(real, crises, opts.params?.crisisScale);
  const targets = weekTargets(weeks, real, scale, crises, opts.params?.crisisScale, opts.params?.sectorFactors);
  const pop = new Population(rng, mapping, real, market, opts.params, scale);
  const exposures = new Exposures(rng, pop, opts.params, opts.onCoreState);

  const names = new Map<string, string>();
  const writer = new ReleaseWriter(outDir, weeks[0], opts.edgesCsv ? { edgesCsv: { names } } : {});
  const nodesPerWeek: number[] = [];
  const linksPerWeek: number[] = [];
  const tvlPerWeek: number[] = [];
  let overlapSum = 0;
  let persistSum = 0;
  let pairs = 0;
  let prevIds: Set<string> | undefined;
  let prevEdges: Set<string> | undefined;
  let prevTvl: Map<string, number> | undefined;
  let dAbs = 0;
  let dSq = 0;
  let dN = 0;

  for (let w = 0; w < weeks.length; w++) {
    const t = targets[w];
    const nulls = t.nodes >= 50 ? poisson(rng, 1) : 0;
    pop.step(t.week, t.nodes - nulls, w === 0);
    pop.setSizes(t.week, t.tvl);
    opts.onNodeState?.(t.week, pop.nodeStates(t.week), pop.dynamics());
    const links = exposures.week(t);
    const nodes: ReleaseNode[] = [];
    for (const i of pop.alive) {
      const n = pop.nodes[i];
      names.set(n.id, n.name);
      const composition: Record<string, number> = {};
      if (n.size > 0) n.holdings.forEach((tok, k) => (composition[tok] = n.size * n.holdingShares[k]));
      nodes.push({ id: n.id, size: n.size, composition });
    }
    for (let k = 0; k < nulls; k++) {
      const size = lognormal(rng, 8, 2);
      nodes.push({ id: null, size, composition: { [`UNKNOWN (${uniformInt(rng, 1 << 30).toString(16)})`]: size } });
    }
    await writer.writeWeek(t.week, { nodes, links });

    let tvl = 0;
    const ids = new Set<string>();
    const tvlById = new Map<string, number>();
    for (const n of nodes) {
      tvl += n.size;
      if (n.id === null) continue;
      ids.add(n.id);
      tvlById.set(n.id, n.size);
      const p = prevTvl?.get(n.id);
      if (p !== undefined) {
        const d = Math.log1p(n.size) - Math.log1p(p);
        dAbs += Math.abs(d);
        dSq += d * d;
        dN++;
      }
    }
    const edges = new Set<string>();
    for (const l of links) if (l.source !== null && l.target !== null) edges.add(`${l.source}\u0000${l.target}`);
    if (prevIds && prevEdges) {
      let common = 0;
      for (const id of prevIds) if (ids.has(id)) common++;
      let kept = 0;
      for (const e of prevEdges) if (edges.has(e)) kept++;
      overlapSum += prevIds.size ? common / prevIds.size : 1;
      persistSum += prevEdges.size ? kept / prevEdges.size : 1;
      pairs++;
    }
    prevIds = ids;
    prevEdges = edges;
    prevTvl = tvlById;
    nodesPerWeek.push(nodes.length);
    linksPerWeek.push(links.length);
    tvlPerWeek.push(tvl);
    opts.onWeek?.(t.week, w, weeks.length, { nodes: nodes.length, links: links.length });
  }
  await writer.close();

  // meta_df.csv: the official rows, plus the fictional protocols born with a category.
  const official = readOfficialMeta(mappingDir);
  const metaIds = new Set(official.map((r) => r.id));
  const rows = [...official];
  for (const n of pop.nodes) {
    if (n.kind === 'fictional' && !metaIds.has(n.id) && !n.unknownCategory) {
      rows.push({ id: n.id, name: n.name, category: guessDefiLlamaCategory(n.name, 'Unknown') });
      metaIds.add(n.id);
    } else if (n.kind === 'real' && !metaIds.has(n.id)) {
      const info = mapping.idToInfo.get(n.id)!;
      rows.push({ id: n.id, name: info.name, category: guessDefiLlamaCategory(info.name, info.category) });
      metaIds.add(n.id);
    }
  }
  writeFileAtomic(join(outDir, 'meta_df.csv'), ['id,name,category', ...rows.map((r) => `${csvField(r.id)},${csvField(r.name)},${csvField(r.category)}`)].join('\n') + '\n');
  copyMapping(mappingDir, outDir);
  const record: Record<string, unknown> = {
    generator: 'dexposure synth',
    generatorVersion: GENERATOR_VERSION,
    // what determines these files (./generator-key.ts): a cache of histories reuses this folder only under the same key
    generatorKey: generatorKey(options, mappingDir),
    seed: opts.seed,
    scale,
    crises,
    from: weeks[0],
    to: weeks[weeks.length - 1],
    weeks: weeks.length,
  };
  if (prior) record.prior = { regime: prior.regime, protocols: prior.protocols, drawn: prior.drawn };
  if (opts.params) record.params = opts.params;
  writeFileAtomic(join(outDir, SYNTH_PARAMS_FILE), JSON.stringify(record, null, 2) + '\n');

  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(xs.length, 1);
  return {
    outDir,
    networkFile: writer.path,
    seed: opts.seed,
    weeks: weeks.length,
    protocols: nodesPerWeek[nodesPerWeek.length - 1],
    scale,
    from: weeks[0],
    to: weeks[weeks.length - 1],
    meanNodes: mean(nodesPerWeek),
    meanLinks: mean(linksPerWeek),
    nodeOverlap: pairs ? overlapSum / pairs : 1,
    edgePersistence: pairs ? persistSum / pairs : 1,
    nodeLogChangeMae: dN ? dAbs / dN : 0,
    nodeLogChangeRmse: dN ? Math.sqrt(dSq / dN) : 0,
    totalTvlFirst: tvlPerWeek[0],
    totalTvlLast: tvlPerWeek[tvlPerWeek.length - 1],
    metaRows: rows.length,
    categories: new Set(rows.map((r) => r.category)).size,
    nodesPerWeek,
    linksPerWeek,
    tvlPerWeek,
    ...(prior ? { prior } : {}),
  };
}
