/**
 * Running a model set's three ONNX graphs (docs/MODEL.md): the encoder once per
 * week, the link head on any list of candidate pairs (in chunks, so memory stays
 * bounded), the node head once per week. Inputs follow data-spec §6.3:
 * features [N,F] f32 (raw; standardisation is inside the graph), edge_index [2,E]
 * i64, edge_lw [E] f32 = ln(1+w), pairs [2,P] i64, base_lw [P] f32.
 */
import * as ort from 'onnxruntime-node';
import type { Snapshot } from '../snapshot/types';
import { nodeFeatures, NUM_FEATURES } from '../features';
import { ModelError } from './card';
import type { ModelSet } from './model-set';

/** One week as the graphs see it. */
export interface GraphInput {
  numNodes: number;
  features: Float32Array; // N * F
  edgeIndex: BigInt64Array; // 2 * E: sources then targets
  edgeLw: Float32Array; // E
}

/** The encoder's outputs for one week. */
export interface Encoding {
  numNodes: number;
  /** Node embeddings [N, d]. */
  h: ort.Tensor;
  /** Per-node parts of the link head's first layer, source role W_a h and target role W_b h, [N, H]. */
  linkSrc: ort.Tensor;
  linkDst: ort.Tensor;
  d: number;
  hidden: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * 32-bit words over an int64 array, for writing non-negative indices below 2^31
 * without a BigInt per value (the low word of element i is words[2i] on a
 * little-endian machine; the high words stay 0 from allocation).
 */
function int64Words(a: BigInt64Array): Int32Array {
  if (!LITTLE_ENDIAN) throw new ModelError('model/inference: int64 tensors are written for little-endian machines');
  return new Int32Array(a.buffer, a.byteOffset, a.length * 2);
}

export function graphInput(snapshot: Snapshot, previous?: Snapshot): GraphInput {
  const n = snapshot.ids.length;
  const e = snapshot.edgeSource.length;
  const edgeIndex = new BigInt64Array(2 * e);
  const words = int64Words(edgeIndex);
  const edgeLw = new Float32Array(e);
  for (let k = 0; k < e; k++) {
    words[2 * k] = snapshot.edgeSource[k];
    words[2 * (e + k)] = snapshot.edgeTarget[k];
    edgeLw[k] = Math.log1p(Math.max(snapshot.edgeWeight[k], 0));
  }
  return { numNodes: n, features: nodeFeatures(snapshot, previous), edgeIndex, edgeLw };
}

function edgeTensors(g: GraphInput): { edge_index: ort.Tensor; edge_lw: ort.Tensor } {
  const e = g.edgeLw.length;
  return { edge_index: new ort.Tensor('int64', g.edgeIndex, [2, e]), edge_lw: new ort.Tensor('float32', g.edgeLw, [e]) };
}

export async function encode(set: ModelSet, g: GraphInput): Promise<Encoding> {
  const f = NUM_FEATURES;
  if (g.features.length !== g.numNodes * f) throw new ModelError(`model/inference: features hold ${g.features.length} values, expected ${g.numNodes} x ${f}`);
  if (g.numNodes === 0) throw new ModelError('model/inference: cannot forecast from a week with no protocols');
  const out = await set.sessions.encoder.run({ x: new ort.Tensor('float32', g.features, [g.numNodes, f]), ...edgeTensors(g) });
  const { d, linkHidden } = set.cards.encoder.dims;
  const enc: Encoding = { numNodes: g.numNodes, h: out.h, linkSrc: out.link_src, linkDst: out.link_dst, d, hidden: linkHidden };
  const want: [string, ort.Tensor, number][] = [
    ['h', enc.h, d],
    ['link_src', enc.linkSrc, linkHidden],
    ['link_dst', enc.linkDst, linkHidden],
  ];
  for (const [name, t, width] of want) {
    if (t.dims.length !== 2 || t.dims[0] !== g.numNodes || t.dims[1] !== width) {
      throw new ModelError(`model/inference: ${set.dir}/encoder.onnx output ${name} has shape [${t.dims.join(',')}], card says [${g.numNodes},${width}]`);
    }
  }
  return enc;
}

export interface PairPredictions {
  /** Existence logits; sigmoid gives the probability. */
  logit: Float32Array;
  /** Predicted ln(1 + weight) = base_lw + residual. */
  predLw: Float32Array;
}

/**
 * Score pairs (pairs[0..P) sources, pairs[P..2P) targets, anchor index space).
 * `pairX` [P, K]: the pair features (src/core/features/pair-features.ts), required
 * when the link card has "pairFeatures" and ignored otherwise.
 */
export async function scorePairs(set: ModelSet, enc: Encoding, pairs: Int32Array, baseLw: Float32Array, chunk = 8192, pairX?: Float32Array): Promise<PairPredictions> {
  const P = pairs.length / 2;
  if (!Number.isInteger(P) || baseLw.length !== P) throw new ModelError(`model/inference: ${P} pairs but ${baseLw.length} base log-weights`);
  const K = set.cards.link.pairFeatures?.names.length ?? 0;
  if (K > 0 && !pairX) throw new ModelError(`model/inference: ${set.dir}/link.onnx takes pair features (pair_x) and none were given`);
  if (K > 0 && pairX!.length !== P * K) throw new ModelError(`model/inference: pair_x holds ${pairX!.length} values, expected ${P} pairs x ${K} features`);
  const bad = firstOutside(pairs, enc.numNodes);
  if (bad >= 0) throw new ModelError(`model/inference: pair node index ${pairs[bad]} outside [0, ${enc.numNodes})`);
  const logit = new Float32Array(P);
  const predLw = new Float32Array(P);
  for (let start = 0; start < P; start += chunk) {
    const m = Math.min(chunk, P - start);
    const idx = chunkIndex(pairs, start, m);
    const out = await set.sessions.link.run({
      h: enc.h,
      link_src: enc.linkSrc,
      link_dst: enc.linkDst,
      pairs: new ort.Tensor('int64', idx, [2, m]),
      base_lw: new ort.Tensor('float32', baseLw.subarray(start, start + m), [m]),
      ...(K > 0 ? { pair_x: new ort.Tensor('float32', pairX!.subarray(start * K, (start + m) * K), [m, K]) } : {}),
    });
    logit.set(out.logit.data as Float32Array, start);
    predLw.set(out.pred_lw.data as Float32Array, start);
  }
  return { logit, predLw };
}

/** The index of the first entry outside [0, n), or -1. */
function firstOutside(a: Int32Array, n: number): number {
  for (let i = 0; i < a.length; i++) if (a[i] < 0 || a[i] >= n) return i;
  return -1;
}

/** Pairs start .. start + m as a [2, m] int64 index. */
function chunkIndex(pairs: Int32Array, start: number, m: number): BigInt64Array {
  const P = pairs.length / 2;
  const idx = new BigInt64Array(2 * m);
  const words = int64Words(idx);
  for (let i = 0; i < m; i++) {
    words[2 * i] = pairs[start + i];
    words[2 * (m + i)] = pairs[P + start + i];
  }
  return idx;
}

/** Predicted ln(1+TVL_{t+h}) - ln(1+TVL_t) per node. */
export async function predictNodeChange(set: ModelSet, enc: Encoding, g: GraphInput): Promise<Float32Array> {
  const out = await set.sessions.node.run({ h: enc.h, ...edgeTensors(g) });
  const v = out.node_dlog.data as Float32Array;
  if (v.length !== g.numNodes) throw new ModelError(`model/inference: ${set.dir}/node.onnx returned ${v.length} values for ${g.numNodes} nodes`);
  return v;
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}
