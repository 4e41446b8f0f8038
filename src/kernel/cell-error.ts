/**
 * Errors thrown by cells -> CellError: the stack's positions in rewritten cell scripts
 * are mapped back to the user's source (1-based line:column), and frames of the kernel
 * itself and of Node internals are removed.
 */
import { inspect } from 'node:util';
import type { CellError } from './session';

export type PositionMapper = (line: number, column: number) => { line: number; column: number } | undefined;

/** Cell script file names look like `cell-3.ts` / `cell-3.js` (3 = kernel execution count). */
const CELL_FRAME = /(cell-\d+\.(?:ts|js)):(\d+):(\d+)/g;
const HAS_CELL_FRAME = /cell-\d+\.(?:ts|js):\d+:\d+/;

export function cellFileName(count: number, language: 'typescript' | 'javascript'): string {
  return `cell-${count}.${language === 'typescript' ? 'ts' : 'js'}`;
}

/** Frames from these places are the kernel's, not the user's. */
function isInternalFrame(line: string, internalFiles: readonly string[]): boolean {
  if (/\(node:|\bat node:|\(internal\/|processTicksAndRejections/.test(line)) return true;
  return internalFiles.some((f) => f && line.includes(f));
}

export function mapStack(stack: string, mappers: ReadonlyMap<string, PositionMapper>, internalFiles: readonly string[]): string {
  const lines = stack.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const isFrame = /^\s+at /.test(line);
    if (!isFrame) {
      out.push(line);
      continue;
    }
    if (!HAS_CELL_FRAME.test(line)) {
      if (!isInternalFrame(line, internalFiles)) out.push(line);
      continue;
    }
    // A frame at the kernel's wrapper around the cell is the kernel's, not the user's.
    let wrapper = false;
    const mapped = line.replace(CELL_FRAME, (whole, file: string, l: string, c: string) => {
      const m = mappers.get(file);
      if (!m) return whole;
      const p = m(Number(l), Number(c));
      if (!p) {
        wrapper = true;
        return whole;
      }
      return `${file}:${p.line}:${p.column}`;
    });
    if (!wrapper) out.push(mapped);
  }
  return out.join('\n');
}

/** `read()`, or `fallback` when reading throws (a throwing getter, a hostile Proxy). */
function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/**
 * Never throws, whatever was thrown: an error whose `message` or `stack` getter throws,
 * or a Proxy whose every trap throws, still becomes a CellError (the cell must end).
 */
export function toCellError(thrown: unknown, mappers: ReadonlyMap<string, PositionMapper>, internalFiles: readonly string[]): CellError {
  const isErr = safely(() => thrown instanceof Error || Object.prototype.toString.call(thrown) === '[object Error]', false);
  if (!isErr) {
    const text = typeof thrown === 'string' ? thrown : safely(() => inspect(thrown, { depth: 2, colors: false }), '(a value that cannot be displayed)');
    return { name: 'Uncaught', message: text, stack: `Uncaught ${text}` };
  }
  const e = thrown as Error;
  const name = safely(() => String(e.name || 'Error'), 'Error');
  const message = safely(() => String(e.message ?? ''), '(the error has a message that cannot be read: reading it threw)');
  const stack = safely(() => (typeof e.stack === 'string' ? e.stack : ''), '');
  const raw = stack || `${name}: ${message}`;
  return { name, message, stack: safely(() => mapStack(raw, mappers, internalFiles), raw) };
}
