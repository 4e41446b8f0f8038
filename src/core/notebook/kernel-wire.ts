/**
 * The wire types between a kernel process and its hosts (the VS Code extension, the
 * headless CLI runner) and the notebook format that stores what a kernel produced.
 * They live in core so that every layer above can speak them without importing the
 * kernel's implementation.
 */
import type { MimeBundle } from '../display/protocol';

export type CellLanguage = 'typescript' | 'javascript';

export type KernelOutput =
  | { kind: 'stream'; name: 'stdout' | 'stderr'; text: string }
  /** A rich display. `displayId` lets a later output with `update: true` replace it. */
  | { kind: 'display'; bundle: MimeBundle; displayId?: string; update?: boolean }
  /** Progress of long work inside the cell (e.g. cache conversion). */
  | { kind: 'progress'; id: string; message: string; fraction?: number; done?: boolean };

export interface CellError {
  name: string;
  message: string;
  /** Stack with line numbers mapped into the cell (1-based), internal frames removed. */
  stack: string;
}

export type ExecuteStatus = 'ok' | 'error' | 'interrupted' | 'died';

export interface ExecuteResult {
  status: ExecuteStatus;
  /** The last expression's value, as a display bundle; absent when undefined. */
  result?: MimeBundle;
  error?: CellError;
  startTime: number;
  endTime: number;
}

export type KernelState = 'idle' | 'starting' | 'busy' | 'interrupting' | 'restarting' | 'dead' | 'disposed';
