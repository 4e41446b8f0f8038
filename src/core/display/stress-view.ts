/**
 * `stressView(result, opts)`: the stress-test view (application/vnd.dexposure.stress+json)
 * from a src/core/stress result (one result, or a comparison of observed / predicted /
 * realised graphs). With `snapshot` the payload carries the affected subgraph, laid out
 * by ./graph-layout, for the contagion stepper; with `snapshot` and `scenario` it also
 * registers a what-if rerun (./what-if) so the renderer's shock slider and "shock this
 * protocol" action rerun the simulator in the kernel.
 */
import { contagionRounds, stressFigures, toScenario } from '../stress';
import { runStressListing } from '../stress/run';
import type { PresetName, Scenario, StressComparison, StressOptions, StressResult } from '../stress';
import { idIndex } from '../snapshot/access';
import type { Snapshot } from '../snapshot/types';
import { stressMarkdown } from './markdown';
import { makeView, type View } from './displayable';
import { layoutGraph } from './graph-layout';
import { DISPLAY_PROTOCOL_VERSION, type GraphEdge, type GraphNode, type StressPayload, type StressResultPayload } from './protocol';
import { MIME } from './views';
import { registerWhatIf } from './what-if';

export interface StressViewOptions {
  /** The graph the main result ran on: enables the contagion stepper. */
  snapshot?: Snapshot;
  /** The scenario the result ran (enables what-if reruns together with `snapshot`). */
  scenario?: PresetName | Scenario;
  stressOptions?: StressOptions;
  /** Losses listed per result (default 200, largest first). */
  maxLosses?: number;
  /** Nodes in the contagion subgraph (default 150: shocked, then largest losses). */
  graphNodes?: number;
  /** Slider range for what-if shock sizes. */
  shockRange?: { min?: number; max?: number; step?: number };
}

const DEFAULT_MAX_LOSSES = 200;

/** The JSON-safe part of a stress result (drops the typed per-node columns). */
export function stressResultPayload(r: StressResult | StressResultPayload, maxLosses = DEFAULT_MAX_LOSSES): StressResultPayload {
  const out: StressResultPayload = {
    ...stressFigures(r),
    losses: r.losses.slice(0, maxLosses).map((l) => {
      const x: StressResultPayload['losses'][number] = { id: l.id, name: l.name, category: l.category, tvl: l.tvl, loss: l.loss };
      if (l.distressedRound !== undefined && l.distressedRound >= 0) x.distressedRound = l.distressedRound;
      return x;
    }),
    rounds: contagionRounds(r.rounds),
  };
  if (r.label !== undefined) out.label = r.label;
  if (r.week !== undefined) out.week = r.week;
  return out;
}

function isComparison(x: unknown): x is StressComparison {
  return typeof x === 'object' && x !== null && Array.isArray((x as StressComparison).results);
}

/** Node positions of laid-out node sets, by the set (what-if reruns of one view share it). */
type LayoutMemo = Map<string, { x: Float64Array; y: Float64Array }>;
const LAYOUT_MEMO_SETS = 16;

/**
 * The affected subgraph: shocked protocols first, then the largest losses, then the
 * shocked protocols' direct neighbours (their creditors, then what they hold, largest
 * exposure first), then edges among them. The neighbours matter when the shock does
 * not spread: the panel then shows whom the shocked protocol is connected to rather
 * than a lone dot. The layout runs on the node set in snapshot order, so it depends
 * on the set only, not on the loss order: a what-if rerun whose set is unchanged
 * (most slider steps) reuses the positions from `memo` instead of running
 * ForceAtlas2 again.
 */
function contagionGraph(s: Snapshot, r: StressResultPayload, limit: number, memo?: LayoutMemo): NonNullable<StressPayload['graph']> {
  const index = idIndex(s);
  const keep: number[] = [];
  const inKeep = new Uint8Array(s.ids.length);
  const add = (id: string) => {
    const i = index.get(id);
    if (i !== undefined && !inKeep[i] && keep.length < limit) {
      inKeep[i] = 1;
      keep.push(i);
    }
  };
  const shocked: number[] = [];
  for (const rd of r.rounds) if (rd.round === 0) for (const id of rd.newlyDistressed) {
    const i = index.get(id);
    if (i !== undefined) shocked.push(i);
    add(id);
  }
  for (const l of r.losses) add(l.id);
  // Edge p -> q: p holds q's tokens, so p is q's creditor. (Only while there is room:
  // the losses alone often fill the panel.)
  if (keep.length < limit) {
    const isShocked = new Uint8Array(s.ids.length);
    for (const i of shocked) isShocked[i] = 1;
    const creditors: [number, number][] = [];
    const holdings: [number, number][] = [];
    for (let e = 0; e < s.edgeSource.length; e++) {
      const a = s.edgeSource[e]!;
      const b = s.edgeTarget[e]!;
      if (a === b) continue;
      if (isShocked[b]) creditors.push([a, s.edgeWeight[e]!]);
      if (isShocked[a]) holdings.push([b, s.edgeWeight[e]!]);
    }
    for (const list of [creditors, holdings]) for (const [i] of list.sort((x, y) => y[1] - x[1])) add(s.ids[i]!);
  }
  const sorted = [...keep].sort((a, b) => a - b);
  // position of each kept node in `sorted`, -1 elsewhere
  const localOf = new Int32Array(s.ids.length).fill(-1);
  sorted.forEach((i, k) => (localOf[i] = k));
  const es: number[] = [];
  for (let e = 0; e < s.edgeSource.length; e++) if (localOf[s.edgeSource[e]!]! >= 0 && localOf[s.edgeTarget[e]!]! >= 0) es.push(e);
  const key = sorted.join(',');
  let lay = memo?.get(key);
  if (!lay) {
    lay = layoutGraph(
      {
        n: sorted.length,
        ids: sorted.map((i) => s.ids[i]!),
        tvl: sorted.map((i) => s.tvl[i]!),
        edgeSource: es.map((e) => localOf[s.edgeSource[e]!]!),
        edgeTarget: es.map((e) => localOf[s.edgeTarget[e]!]!),
        edgeWeight: es.map((e) => s.edgeWeight[e]!),
      },
      { iterations: 150 },
    );
    if (memo) {
      if (memo.size >= LAYOUT_MEMO_SETS) memo.delete(memo.keys().next().value!);
      memo.set(key, lay);
    }
  }
  const at = lay;
  const nodes: GraphNode[] = keep.map((i) => {
    const k = localOf[i]!;
    return { id: s.ids[i]!, name: s.names[i]!, category: s.categories[i]!, tvl: s.tvl[i]!, x: Math.round(at.x[k]! * 10) / 10, y: Math.round(at.y[k]! * 10) / 10 };
  });
  const edges: GraphEdge[] = es.map((e) => ({ source: s.ids[s.edgeSource[e]!]!, target: s.ids[s.edgeTarget[e]!]!, weight: s.edgeWeight[e]! }));
  const categories = [...new Set(nodes.map((nd) => nd.category))].sort();
  return { nodes, edges, categories };
}

function firstLoss(sc: Scenario): number | undefined {
  return sc.shocks[0]?.loss;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/**
 * The scenario's description with its shock size changed from `from` to `to`: every
 * "50%" that states the old size becomes the new one ("Largest protocol by TVL loses
 * 50%" -> "... loses 80%"); a description that does not state it gets the new size
 * appended, so the subtitle never contradicts the slider.
 */
export function resizedDescription(description: string | undefined, from: number | undefined, to: number): string {
  if (!description) return `Shock size ${pct(to)}`;
  if (from !== undefined) {
    const old = new RegExp(`(^|[^\\d.])${Math.round(from * 100)}%`, 'g');
    if (old.test(description)) return description.replace(old, (_m, pre: string) => `${pre}${pct(to)}`);
  }
  return `${description} (shock size ${pct(to)})`;
}

export function stressPayload(input: StressResult | StressComparison | StressResultPayload, opts: StressViewOptions = {}): StressPayload {
  return buildStressPayload(input, opts, undefined, new Map());
}

/**
 * `whatIfHandle`: a what-if rerun answers under its view's handle instead of registering
 * another; `memo`: layouts shared by a view and its reruns.
 */
function buildStressPayload(input: StressResult | StressComparison | StressResultPayload, opts: StressViewOptions, whatIfHandle: string | undefined, memo: LayoutMemo): StressPayload {
  const results: (StressResult | StressResultPayload)[] = isComparison(input) ? input.results : [input];
  if (results.length === 0) throw new Error('display/stress: the comparison holds no results');
  const main = results[0]!;
  const full = main as Partial<StressResult>;
  const sc = opts.scenario !== undefined ? toScenario(opts.scenario) : undefined;
  const scenarioName = sc?.name ?? (isComparison(input) ? input.scenario : full.scenario) ?? 'stress test';
  const payload: StressPayload = {
    version: DISPLAY_PROTOCOL_VERSION,
    scenario: { name: scenarioName },
    result: stressResultPayload(main, opts.maxLosses),
  };
  if (sc?.description) payload.scenario.description = sc.description;
  const shockSize = sc ? firstLoss(sc) : undefined;
  if (shockSize !== undefined) payload.scenario.shockSize = shockSize;
  if (full.threshold !== undefined) payload.scenario.threshold = full.threshold;
  const shocked = isComparison(input) ? input.shocked : full.shocked;
  if (shocked) payload.scenario.targets = [...shocked];
  if (results.length > 1) payload.comparison = results.slice(1).map((r) => stressResultPayload(r, opts.maxLosses));
  if (opts.snapshot) payload.graph = contagionGraph(opts.snapshot, payload.result, opts.graphNodes ?? 150, memo);

  if (opts.snapshot && sc) {
    const snap = opts.snapshot;
    const stressOpts = opts.stressOptions ?? {};
    const base = shockSize ?? 0.5;
    const rerunOpts = { ...opts };
    const handle: string = whatIfHandle ?? registerWhatIf((req): StressPayload => {
      const size = req.shockSize ?? base;
      const scenario: Scenario = req.shockProtocol
        ? { name: `shock ${req.shockProtocol}`, description: `${req.shockProtocol} loses ${Math.round(size * 100)}%`, shocks: [{ kind: 'protocols', ids: [req.shockProtocol], loss: size }] }
        : { ...sc, description: resizedDescription(sc.description, shockSize, size), shocks: sc.shocks.map((s) => ({ ...s, loss: size })) };
      // The payload lists opts.maxLosses losses: a rerun builds no more rows than that.
      const result = runStressListing(snap, scenario, stressOpts, opts.maxLosses ?? DEFAULT_MAX_LOSSES);
      // The rerun answers under the original handle so the view keeps one identity.
      return buildStressPayload(result, { ...rerunOpts, scenario, shockRange: opts.shockRange, snapshot: snap }, handle, memo);
    });
    payload.whatIf = { handle, shockSize: base, min: opts.shockRange?.min ?? 0, max: opts.shockRange?.max ?? 1, step: opts.shockRange?.step ?? 0.05 };
  }
  return payload;
}

/** Headline figures, contagion stepper, loss bars, comparison, what-if controls. */
export function stressView(input: StressResult | StressComparison | StressResultPayload, opts: StressViewOptions = {}): View<StressPayload> {
  const p = stressPayload(input, opts);
  return makeView(MIME.stress, p, stressMarkdown(p));
}
