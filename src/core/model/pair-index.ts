/**
 * Directed node pairs (u, v), 0 <= u, v < n, mapped to an integer: an open-addressing
 * hash table over typed arrays. Candidate generation adds and looks up a few hundred
 * thousand pairs per forecast; a Set or Map keyed by u * n + v was its largest cost
 * (boxed entries, rehashing), this table is flat and grows by doubling.
 */
export class PairIndex {
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  private count = 0;

  constructor(
    private readonly n: number,
    expected = 16,
  ) {
    let cap = 16;
    while (cap < 2 * expected) cap *= 2;
    this.keys = new Float64Array(cap).fill(-1);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  private slot(u: number, v: number, key: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let h = (Math.imul(u, 0x9e3779b1) ^ Math.imul(v, 0x85ebca6b)) & mask;
    for (;;) {
      const k = keys[h];
      if (k === key || k === -1) return h;
      h = (h + 1) & mask;
    }
  }

  /** The value stored for (u, v), or -1. */
  get(u: number, v: number): number {
    const h = this.slot(u, v, u * this.n + v);
    return this.keys[h] === -1 ? -1 : this.vals[h];
  }

  has(u: number, v: number): boolean {
    return this.keys[this.slot(u, v, u * this.n + v)] !== -1;
  }

  /** Stores `value` for (u, v) (replacing an earlier one); returns true when the pair is new. */
  set(u: number, v: number, value: number): boolean {
    const key = u * this.n + v;
    let h = this.slot(u, v, key);
    if (this.keys[h] !== -1) {
      this.vals[h] = value;
      return false;
    }
    if (2 * (this.count + 1) > this.keys.length) {
      this.grow();
      h = this.slot(u, v, key);
    }
    this.keys[h] = key;
    this.vals[h] = value;
    this.count++;
    return true;
  }

  /** Adds (u, v) if absent (value = its insertion rank); returns true when it was new. */
  add(u: number, v: number): boolean {
    const key = u * this.n + v;
    const h = this.slot(u, v, key);
    if (this.keys[h] !== -1) return false;
    this.set(u, v, this.count);
    return true;
  }

  private grow(): void {
    const { keys, vals, n } = this;
    const cap = keys.length * 2;
    this.keys = new Float64Array(cap).fill(-1);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === -1) continue;
      const u = Math.floor(key / n);
      const h = this.slot(u, key - u * n, key);
      this.keys[h] = key;
      this.vals[h] = vals[i];
    }
  }
}

/** A growable Int32Array. */
export class IntList {
  arr = new Int32Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.arr.length) {
      const next = new Int32Array(this.arr.length * 2);
      next.set(this.arr);
      this.arr = next;
    }
    this.arr[this.length++] = x;
  }
  view(): Int32Array {
    return this.arr.subarray(0, this.length);
  }
}
