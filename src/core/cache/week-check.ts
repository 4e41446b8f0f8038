/**
 * The one-pass check of a decoded week (week-arrow.ts checkDecoded): every size
 * finite and >= 0 (-0 aside), every edge index in [0, n), every weight finite and
 * >= 0, in 32-bit integers without a branch per row. A value v in [0, L] leaves no
 * sign bit in v | (L - v), one outside it does; a double is judged by its high word
 * (finite and >= 0: sign bit clear, exponent not all ones, so in [0, 0x7FEFFFFF]).
 *
 * It runs as a small WebAssembly function over a copy of the week file: a warm open
 * reads a small release's weeks before V8 has optimised a JavaScript loop (the
 * interpreter ran most of the quick release's 312,000 edges, 3-10 ms depending on the
 * machine's load), while WebAssembly is compiled before its first call. The
 * JavaScript loop (usableJs) is the reference the tests hold it to, and the fallback
 * where WebAssembly is not available.
 *
 * Reference: WebAssembly core specification 2.0, binary format (webassembly.github.io/spec).
 */

/** The high word of a finite double >= 0 lies in [0, FINITE_HIGH]. */
export const FINITE_HIGH = 0x7fefffff;

/** The week's columns the check reads: each double is judged by its high word (32-bit word 2k + 1 of its column, little-endian), the edge indices as they are. */
export interface WeekWords {
  tvl: Float64Array;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  edgeWeight: Float64Array;
}

function highWords(a: Float64Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, 2 * a.length);
}

/** The check in JavaScript: the reference, and the fallback. */
export function usableJs(w: WeekWords, n: number): boolean {
  const tvlWords = highWords(w.tvl);
  const weightWords = highWords(w.edgeWeight);
  const { edgeSource: s, edgeTarget: t } = w;
  let bits = 0;
  for (let k = 1; k < tvlWords.length; k += 2) {
    const h = tvlWords[k];
    bits |= h | (FINITE_HIGH - h);
  }
  const last = n - 1;
  for (let e = 0; e < s.length; e++) {
    const a = s[e];
    const b = t[e];
    const h = weightWords[2 * e + 1];
    bits |= a | b | (last - a) | (last - b) | h | (FINITE_HIGH - h);
  }
  return bits >= 0;
}

// --- the WebAssembly module, assembled here (its text form in the comments) ---

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'latin1')];

const I32 = 0x7f;
const OP = { block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, get: 0x20, set: 0x21, tee: 0x22, load: 0x28, const: 0x41, geS: 0x4e, geU: 0x4f, add: 0x6a, sub: 0x6b, or: 0x72, shl: 0x74 } as const;
/** i32.load with alignment 2^2 and a byte offset. */
const load = (offset: number): number[] => [OP.load, 2, ...uleb(offset)];
const get = (i: number): number[] => [OP.get, i];
const set = (i: number): number[] => [OP.set, i];
const konst = (x: number): number[] => [OP.const, ...sleb(x)];

/**
 * (func (export "usable") (param $tvl $nTvl $s $t $w $m $n i32) (result i32)
 *   (local $bits $p $h $a $b $last $end i32)
 *   ;; sizes: for p in [tvl, tvl + 8 nTvl) step 8: h = load(p + 4); bits |= h | (FINITE_HIGH - h)
 *   ;; edges: s, t step 4 and w step 8 until s reaches s + 4m: a = load(s), b = load(t),
 *   ;;   h = load(w + 4); bits |= a | b | (last - a) | (last - b) | h | (FINITE_HIGH - h)
 *   (i32.ge_s (local.get $bits) (i32.const 0)))
 * Addresses are byte offsets into the module's memory (wrapping i32 arithmetic: an
 * operand outside its range has set the sign bit already). The parameters s, t and
 * w serve as the edge loop's moving pointers.
 */
function usableBody(): number[] {
  const [tvl, nTvl, s, t, w, m, n, bits, p, h, a, b, last, end] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  const step = (ptr: number, by: number): number[] => [...get(ptr), ...konst(by), OP.add, ...set(ptr)];
  const code = [
    ...get(tvl), ...set(p),
    ...get(tvl), ...get(nTvl), ...konst(3), OP.shl, OP.add, ...set(end),
    OP.block, 0x40, OP.loop, 0x40,
    ...get(p), ...get(end), OP.geU, OP.brIf, 1,
    ...get(p), ...load(4), OP.tee, h,
    ...konst(FINITE_HIGH), ...get(h), OP.sub, OP.or,
    ...get(bits), OP.or, ...set(bits),
    ...step(p, 8),
    OP.br, 0, OP.end, OP.end,
    ...get(n), ...konst(1), OP.sub, ...set(last),
    ...get(s), ...get(m), ...konst(2), OP.shl, OP.add, ...set(end),
    OP.block, 0x40, OP.loop, 0x40,
    ...get(s), ...get(end), OP.geU, OP.brIf, 1,
    ...get(s), ...load(0), OP.tee, a,
    ...get(t), ...load(0), OP.tee, b, OP.or,
    ...get(w), ...load(4), OP.tee, h, OP.or,
    ...get(last), ...get(a), OP.sub, OP.or,
    ...get(last), ...get(b), OP.sub, OP.or,
    ...konst(FINITE_HIGH), ...get(h), OP.sub, OP.or,
    ...get(bits), OP.or, ...set(bits),
    ...step(s, 4), ...step(t, 4), ...step(w, 8),
    OP.br, 0, OP.end, OP.end,
    ...get(bits), ...konst(0), OP.geS,
    OP.end,
  ];
  const locals = vec([[7, I32]]);
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function moduleBytes(): Uint8Array {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, vec([[0x60, ...vec(Array.from({ length: 7 }, () => [I32])), ...vec([[I32]])]])), // type: (7 x i32) -> i32
    ...section(3, vec([[0]])), // function 0 has type 0
    ...section(5, vec([[0x00, 1]])), // memory: 1 page at first, no maximum
    ...section(7, vec([[...name('usable'), 0x00, 0], [...name('memory'), 0x02, 0]])),
    ...section(10, vec([usableBody()])),
  ]);
}

/** The part of the WebAssembly API used here (the project's type libraries do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

interface Checker {
  usable: (tvl: number, nTvl: number, s: number, t: number, w: number, m: number, n: number) => number;
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
}

let checker: Checker | null | undefined;

function wasmChecker(): Checker | null {
  if (checker === undefined) {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    try {
      checker = wasm ? (new wasm.Instance(new wasm.Module(moduleBytes())).exports as Checker) : null;
    } catch {
      checker = null;
    }
  }
  return checker;
}

/** Whether the check runs as WebAssembly here (else usableJs). */
export function checksInWebAssembly(): boolean {
  return wasmChecker() !== null;
}

/**
 * The one-pass check of a week whose columns are views into `file` (the week file's
 * bytes): the file is copied into the WebAssembly memory and checked there. Columns
 * elsewhere (a misaligned buffer was copied), or no WebAssembly: usableJs.
 */
export function usable(file: Uint8Array, w: WeekWords, n: number): boolean {
  const c = wasmChecker();
  const cols = [w.tvl, w.edgeSource, w.edgeTarget, w.edgeWeight];
  if (!c || cols.some((a) => a.buffer !== file.buffer)) return usableJs(w, n);
  const mem = c.memory;
  if (mem.buffer.byteLength < file.byteLength) mem.grow(Math.ceil((file.byteLength - mem.buffer.byteLength) / 65536));
  new Uint8Array(mem.buffer, 0, file.byteLength).set(file);
  const at = (a: ArrayBufferView): number => a.byteOffset - file.byteOffset;
  return c.usable(at(w.tvl), w.tvl.length, at(w.edgeSource), at(w.edgeTarget), at(w.edgeWeight), w.edgeSource.length, n) === 1;
}
