/**
 * Milliseconds of a fixed one-thread busy loop, the best of three. Benchmarks print it
 * before and after their runs: it tells a slower host (or more load) from slower code.
 */
export function calibrationMs(): number {
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    let x = 0;
    for (let i = 0; i < 5e7; i++) x = (Math.imul(x, 31) + i) | 0;
    if (x === 1) console.error('');
    best = Math.min(best, performance.now() - t);
  }
  return +best.toFixed(1);
}
