/**
 * Ordering by a float64 key, largest first, without comparator calls: a stable LSD
 * radix sort (16-bit digits) of the keys' bit patterns mapped to unsigned integers in
 * the same order, complemented so that larger keys come first. Used where a comparator
 * sort of tens of thousands of items was a visible part of a forecast or a what-if
 * rerun.
 */

/** Index of the high 32-bit word of a float64 in a Uint32Array over it. */
const HIGH_WORD = new Uint32Array(new Float64Array([1]).buffer)[1] === 0x3ff00000 ? 1 : 0;

/**
 * `items` (indices into `keys`) reordered by descending keys[item]; items with equal
 * keys keep their order in `items` (stable). Keys must not be NaN; -0 counts as +0.
 */
export function byDescendingKey(keys: ArrayLike<number>, items: Int32Array): Int32Array {
  const c = items.length;
  let idx = Int32Array.from(items);
  let hi = new Uint32Array(c);
  let lo = new Uint32Array(c);
  const f = new Float64Array(1);
  const w = new Uint32Array(f.buffer);
  for (let j = 0; j < c; j++) {
    f[0] = keys[items[j]] + 0; // -0 as +0
    let h = w[HIGH_WORD];
    let l = w[1 - HIGH_WORD];
    // negative keys: all bits flipped; others: the sign bit set (unsigned order = numeric order)
    if (h & 0x80000000) {
      h = ~h;
      l = ~l;
    } else h ^= 0x80000000;
    hi[j] = ~h >>> 0;
    lo[j] = ~l >>> 0;
  }
  let idx2 = new Int32Array(c);
  let hi2 = new Uint32Array(c);
  let lo2 = new Uint32Array(c);
  const count = new Int32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let j = 0; j < c; j++) count[(word[j] >>> shift) & 0xffff]++;
    if (c === 0 || count[(word[0] >>> shift) & 0xffff] === c) continue; // one digit: nothing moves
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const t = count[d];
      count[d] = sum;
      sum += t;
    }
    for (let j = 0; j < c; j++) {
      const at = count[(word[j] >>> shift) & 0xffff]++;
      idx2[at] = idx[j];
      hi2[at] = hi[j];
      lo2[at] = lo[j];
    }
    [idx, idx2] = [idx2, idx];
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
  }
  return idx;
}
