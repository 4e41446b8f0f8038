/**
 * xoshiro128** 1.1: a small, fast 32-bit PRNG (Blackman & Vigna, "Scrambled linear
 * pseudorandom number generators", 2018; reference C code at prng.di.unimi.it).
 *
 * Why this one: 128 bits of state, all arithmetic in 32-bit integers via Math.imul
 * and >>> so the stream is bit-identical on every platform and Node version, unlike
 * Math.random. Seeding goes through splitmix32 so that nearby integer seeds give
 * unrelated streams, and the all-zero state (a fixed point) cannot occur.
 */
import { createHash } from 'node:crypto';

export interface Rng {
  /** Next raw 32-bit output as an unsigned integer. */
  nextUint32(): number;
  /** Uniform double in [0, 1) with 32 bits of randomness. */
  next(): number;
}

const TWO_POW_32 = 4294967296;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export class Xoshiro128 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seed with four 32-bit words (not all zero). */
  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    if ((this.a | this.b | this.c | this.d) === 0) {
      throw new Error('random/xoshiro: the all-zero state is not a valid seed');
    }
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result >>> 0;
  }

  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** An independent generator derived from this one (for sub-streams). */
  fork(): Xoshiro128 {
    return seedFromWords(this.nextUint32(), this.nextUint32());
  }
}

/** splitmix32 step (a 32-bit variant of Vigna's splitmix64), used only to seed. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function seedFromWords(w0: number, w1: number): Xoshiro128 {
  const st = { s: (w0 ^ Math.imul(w1, 0x27d4eb2d)) | 0 };
  const a = splitmix32(st);
  const b = splitmix32(st);
  const c = splitmix32(st);
  const d = splitmix32(st);
  return new Xoshiro128(a, b, c, d | ((a | b | c | d) === 0 ? 1 : 0));
}

/** A generator from an integer seed (any safe integer; negative allowed). */
export function rngFromSeed(seed: number): Xoshiro128 {
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`random/xoshiro: seed must be a safe integer, got ${seed}`);
  }
  const lo = seed % TWO_POW_32 >>> 0;
  const hi = Math.floor(seed / TWO_POW_32) >>> 0;
  return seedFromWords(lo, hi);
}

/**
 * A generator keyed by a string: the first 16 bytes of SHA-256(key) as four
 * little-endian uint32 words (docs/TRAINING-SET.md fixes this for the negative
 * sampler, keyed "<seed>|<anchor>|<horizon>").
 */
export function rngFromKey(key: string): Xoshiro128 {
  const h = createHash('sha256').update(key, 'utf8').digest();
  const w = [h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12)];
  if ((w[0] | w[1] | w[2] | w[3]) === 0) w[3] = 1;
  return new Xoshiro128(w[0], w[1], w[2], w[3]);
}
