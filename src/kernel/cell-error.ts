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

export function toCellError(thrown: unknown, mappers: ReadonlyMap<string, PositionMapper>, internalFiles: readonly string[]): CellError {
  const isErr = thrown instanceof Error || Object.prototype.toString.call(thrown) === '[object Error]';
  if (!isErr) {
    const text = typeof thrown === 'string' ? thrown : inspect(thrown, { depth: 2, colors: false });
    return { name: 'Uncaught', message: text, stack: `Uncaught ${text}` };
  }
  const e = thrown as Error;
  const name = String(e.name || 'Error');
  const message = String(e.message ?? '');
  const raw = typeof e.stack === 'string' && e.stack ? e.stack : `${name}: ${message}`;
  return { name, message, stack: mapStack(raw, mappers, internalFiles) };
}
