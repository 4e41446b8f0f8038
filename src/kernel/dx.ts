/**
 * The `dx` object predefined in every cell. It is assembled from "dx modules": plain
 * objects of functions merged into one namespace. The display functions below are the
 * kernel's own module; domain modules (data, measures, stress, forecast, views) are
 * listed in ./dx-modules.ts, one import line each.
 */
import { randomUUID } from 'node:crypto';
import type { MimeBundle } from '../core/display/protocol';
import { NO_DISPLAY, toMimeBundle, toMimeBundles } from './display';
import { dxModules } from './dx-modules';
import { guardMembers } from './dx-members';
import { registerInvokeHandler } from './invoke';
import { emitOutput } from './output-sink';

/** A dx module: functions (or constants) merged into `dx` under their own names. */
export type DxModule = Readonly<Record<string, unknown>>;

export interface DisplayOptions {
  /** Stable id for later `update`s; generated when absent. */
  id?: string;
}

export interface DisplayHandle {
  readonly id: string;
  update(value: unknown): void;
}

export interface DisplayFunction {
  (value: unknown, opts?: DisplayOptions): DisplayHandle;
  /** Replaces the display created with `id` by the rendering of `value`. */
  update(id: string, value: unknown): void;
}

function bundleOf(value: unknown): MimeBundle {
  return toMimeBundle(value) ?? { 'text/plain': 'undefined' };
}

const display: DisplayFunction = Object.assign(
  (value: unknown, opts: DisplayOptions = {}): DisplayHandle => {
    const id = opts.id ?? `dx-${randomUUID()}`;
    // A value with several views shows them all; one with an id the caller will
    // update stays a single (combined) output so the update has one target.
    const parts = opts.id === undefined ? (toMimeBundles(value) ?? []) : [];
    for (const b of parts.slice(0, -1)) emitOutput({ kind: 'display', bundle: b });
    emitOutput({ kind: 'display', bundle: parts.length ? parts[parts.length - 1] : bundleOf(value), displayId: id });
    return { id, update: (v: unknown) => display.update(id, v), [NO_DISPLAY]: true } as DisplayHandle;
  },
  {
    update(id: string, value: unknown): void {
      emitOutput({ kind: 'display', bundle: bundleOf(value), displayId: id, update: true });
    },
  },
);

let progressCounter = 0;

/** The kernel's own dx module: display, progress, and what-if handlers. */
export const kernelDxModule = {
  display,
  /** Turns a value into its MIME bundle without displaying it. */
  toMimeBundle,
  /** Reports progress of long work; returns a reporter for later steps. */
  progress(message: string, fraction?: number): { update(message: string, fraction?: number): void; done(message?: string): void } {
    const id = `progress-${++progressCounter}`;
    emitOutput({ kind: 'progress', id, message, fraction });
    return {
      update: (m, f) => emitOutput({ kind: 'progress', id, message: m, fraction: f }),
      done: (m) => emitOutput({ kind: 'progress', id, message: m ?? message, fraction: 1, done: true }),
    };
  },
  registerInvokeHandler,
};

export type Dx = typeof kernelDxModule & Record<string, unknown>;

/** Merges dx modules; a name defined by two modules is an error (naming both). */
export function buildDx(modules: readonly { name: string; module: DxModule }[] = dxModules): Dx {
  const dx: Record<string, unknown> = {};
  const owner = new Map<string, string>();
  for (const { name, module } of [{ name: 'kernel', module: kernelDxModule as DxModule }, ...modules]) {
    for (const [key, value] of Object.entries(module)) {
      const prev = owner.get(key);
      if (prev !== undefined) throw new Error(`dx: "${key}" is defined by both the ${prev} and the ${name} dx modules`);
      owner.set(key, name);
      dx[key] = value;
    }
  }
  return guardMembers(Object.freeze(dx)) as Dx;
}
