/**
 * The display protocol: what the kernel sends and the renderer draws.
 * Pure types and constants, shared by kernel (Node) and renderer (browser).
 *
 * The list of views (name, MIME type, check, fallback) is ./views.ts.
 *
 * Every payload carries `version`; a renderer meeting a newer version says so
 * instead of guessing. Every bundle also carries a `text/markdown` or `text/plain`
 * fallback so notebooks read well where our renderer is absent.
 */

import type { ContagionRound, ProtocolLoss, StressFigures } from '../stress/records';

export const DISPLAY_PROTOCOL_VERSION = 1;

/** A MIME bundle: MIME type -> payload (JSON value for our types, string for text). */
export type MimeBundle = Record<string, unknown>;

export interface GraphNode {
  id: string;
  name: string;
  category: string;
  tvl: number;
  /** Layout position, computed once on the kernel side and saved with the output. */
  x: number;
  y: number;
  sis?: number;
  sisRank?: number;
  pagerank?: number;
}

export interface GraphEdge {
  source: string;
  target: string;
  weight: number;
  /** Present on predicted edges: existence probability in [0, 1]. */
  probability?: number;
  /** 'observed' (default) or 'predicted'. */
  kind?: 'observed' | 'predicted';
}

export interface GraphPayload {
  version: number;
  title?: string;
  week?: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Category -> colour index order, so colours are stable across outputs. */
  categories: string[];
  /** Default number of nodes shown (top-N by TVL); the view can show all. */
  topN?: number;
  /** Where the data came from, shown in the view. */
  source?: string;
}

/** A protocol's loss and the round it became distressed in (src/core/stress/records.ts). */
export type StressLoss = ProtocolLoss;
export type StressRound = ContagionRound;

/** One stress result as the view shows it: the figures, the largest losses, the rounds. */
export interface StressResultPayload extends StressFigures {
  label?: string; // 'observed' | 'predicted' | 'realised' | free text
  week?: string;
  losses: StressLoss[];
  rounds: StressRound[];
}

export interface StressPayload {
  version: number;
  scenario: { name: string; description?: string; shockSize?: number; threshold?: number; targets?: string[] };
  /** The main result, and optionally the same scenario on other graphs. */
  result: StressResultPayload;
  comparison?: StressResultPayload[];
  /** Nodes/edges with layout for the contagion animation (optional). */
  graph?: Pick<GraphPayload, 'nodes' | 'edges' | 'categories'>;
  /** Handle the renderer sends back for what-if reruns (kernel-side registry key). */
  whatIf?: { handle: string; shockSize: number; min?: number; max?: number; step?: number };
}

export interface ChartPayload {
  version: number;
  /** Plotly figure. */
  data: unknown[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
  /** When true the figure keeps its own colours instead of the editor theme. */
  keepTheme?: boolean;
}

export type ColumnKind = 'string' | 'number' | 'integer' | 'percent' | 'usd' | 'date' | 'boolean';

export interface TableColumn {
  /** The field name: CSV headers and lookups use it. */
  name: string;
  /** What the header shows, with the unit (`TVL`, `system loss (%)`); defaults to `name`. */
  label?: string;
  kind: ColumnKind;
  /** Digits after the decimal point for numbers, or a named format. */
  digits?: number;
  description?: string;
}

export interface TablePayload {
  version: number;
  title?: string;
  columns: TableColumn[];
  rows: unknown[][];
  caption?: string;
}

/** Messages the renderer may post to the extension (and through it, the kernel). */
export type RendererMessage =
  | { type: 'whatIf'; handle: string; shockSize?: number; shockProtocol?: string; requestId: string }
  | { type: 'saveImage'; format: 'png' | 'svg'; dataUrl: string; suggestedName: string };

export type ExtensionMessage =
  | { type: 'whatIfResult'; requestId: string; payload: StressPayload }
  | { type: 'whatIfError'; requestId: string; message: string };

/**
 * A value that knows how to display itself: the kernel's `dx.display` and the
 * last-expression display call `value[MIME_BUNDLE]()` when present. `Symbol.for`
 * so every bundle (kernel, library, user scripts) sees the same key.
 */
export const MIME_BUNDLE: unique symbol = Symbol.for('dexposure.mimeBundle') as never;

export interface Displayable {
  [MIME_BUNDLE](): MimeBundle;
}

/**
 * A value that displays as several outputs, e.g. a table and its chart: VS Code
 * shows one MIME type per output, so the views of one result go in separate outputs.
 * `value[MIME_BUNDLES]()` returns one bundle per output, in order; the value's
 * MIME_BUNDLE stays the single-output form (the first view, markdown fallbacks joined).
 */
export const MIME_BUNDLES: unique symbol = Symbol.for('dexposure.mimeBundles') as never;
