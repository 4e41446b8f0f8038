/**
 * Guards against numbers that overflow: every size the loader accepts is finite, but
 * sums of them need not be (two sizes of 1e308 add to Infinity, and Infinity / Infinity
 * is NaN). Measures and stress tests check their inputs' sums and their results and
 * refuse with a message rather than report Infinity or NaN.
 */
import type { Snapshot } from './types';

/** A result would not be a finite number; the message says where and why. */
export class NonFiniteError extends Error {
  /** The CLI prints the message alone (no stack). */
  readonly userFacing = true;
  constructor(message: string) {
    super(message);
    this.name = 'NonFiniteError';
  }
}

function largest(values: ArrayLike<number>): { i: number; v: number } {
  let i = -1;
  let v = -Infinity;
  for (let k = 0; k < values.length; k++) {
    if (values[k] > v) {
      v = values[k];
      i = k;
    }
  }
  return { i, v };
}

function allFinite(values: ArrayLike<number>): boolean {
  for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k])) return false;
  return true;
}

/**
 * Throws NonFiniteError when the week's sizes or exposures, each finite, add up to
 * Infinity. (A value that is itself not finite is the snapshot validation's to report,
 * with the node or edge named.)
 */
export function checkSumsFinite(s: Snapshot, what: string): void {
  let tvl = 0;
  for (let i = 0; i < s.tvl.length; i++) tvl += s.tvl[i];
  if (!Number.isFinite(tvl) && allFinite(s.tvl)) {
    const m = largest(s.tvl);
    throw new NonFiniteError(`${what}: week ${s.week}: the node sizes add up to ${tvl} (the largest, ${s.ids[m.i]}, is ${m.v}); sizes this large cannot be aggregated`);
  }
  let w = 0;
  for (let e = 0; e < s.edgeWeight.length; e++) w += s.edgeWeight[e];
  if (!Number.isFinite(w) && allFinite(s.edgeWeight)) {
    const m = largest(s.edgeWeight);
    throw new NonFiniteError(`${what}: week ${s.week}: the exposures add up to ${w} (the largest, ${s.ids[s.edgeSource[m.i]]} -> ${s.ids[s.edgeTarget[m.i]]}, is ${m.v}); weights this large cannot be aggregated`);
  }
}

/** Path of the first number in `value` (objects, arrays, typed arrays) that is NaN or infinite. */
export function firstNonFinite(value: unknown, path = ''): string | undefined {
  // The path is built only for the value found (a what-if rerun checks ~10^4 numbers
  // per result; making every element's path string was most of the check).
  const at = nonFiniteAt(value);
  if (!at) return undefined;
  if (at.length === 0) return path || '(value)';
  let out = path;
  for (let i = at.length - 1; i >= 0; i--) {
    const step = at[i];
    out = typeof step === 'number' ? `${out}[${step}]` : out ? `${out}.${step}` : step;
  }
  return out;
}

/** The steps to the first non-finite number, innermost first ([] for `value` itself), or undefined. */
function nonFiniteAt(value: unknown): (string | number)[] | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : [];
  if (value instanceof Float64Array || value instanceof Float32Array) {
    for (let i = 0; i < value.length; i++) if (!Number.isFinite(value[i])) return [i];
    return undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) return [i];
        continue;
      }
      if (v === null || typeof v !== 'object') continue;
      const p = nonFiniteAt(v);
      if (p) {
        p.push(i);
        return p;
      }
    }
    return undefined;
  }
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    // Object.keys, not Object.entries: the same fields in the same order, without an
    // array per field (a stress result holds thousands of loss rows).
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    for (let j = 0; j < keys.length; j++) {
      const v = obj[keys[j]];
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) return [keys[j]];
        continue;
      }
      if (v === null || typeof v !== 'object') continue;
      const p = nonFiniteAt(v);
      if (p) {
        p.push(keys[j]);
        return p;
      }
    }
  }
  return undefined;
}

/** Throws NonFiniteError naming the first field of `result` that is not a finite number. */
export function checkResultFinite(result: unknown, what: string, week: string): void {
  const p = firstNonFinite(result);
  if (p) throw new NonFiniteError(`${what}: week ${week}: ${p} is not a finite number; the inputs are too large to aggregate`);
}
