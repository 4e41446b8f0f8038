/**
 * Guards the `dx` object against misspelled members: reading a name `dx` does not have
 * throws "dx has no member "stres". Did you mean dx.stress?" (like Python's
 * AttributeError) instead of handing back `undefined`, which would only fail later as
 * "dx.stres is not a function" or, worse, as a silent wrong value.
 */
import { didYouMean } from '../core/suggest';

/** Names that libraries and the runtime probe on any object; absent, they read as undefined. */
const PROBES = new Set(['then', 'toJSON', 'inspect', 'nodeType', 'asymmetricMatch', '$$typeof', 'length', 'prototype', 'default', '__esModule']);

export class DxMemberError extends Error {
  constructor(readonly member: string, readonly suggestions: string) {
    super(`dx has no member "${member}".${suggestions || ' Type "dx." to list its members (docs/API.md).'}`);
    this.name = 'DxMemberError';
  }
}

export function guardMembers<T extends object>(dx: T): T {
  return new Proxy(dx, {
    get(target, key, receiver) {
      if (typeof key !== 'string' || key in target || PROBES.has(key) || key.startsWith('@@')) return Reflect.get(target, key, receiver) as unknown;
      throw new DxMemberError(key, didYouMean(key, Object.keys(target), (c) => `dx.${c}`));
    },
  });
}
