/**
 * Checks a payload before drawing it: the protocol version (a newer one is its own
 * error, not a guess) and the fields each view reads, with the path of the first
 * problem (`nodes[3].tvl: expected a finite number, got "abc"`). Pure: the renderer
 * runs these in the browser (src/core/display/views.ts lists one per view).
 */
import { DISPLAY_PROTOCOL_VERSION, type ChartPayload, type GraphPayload, type StressPayload, type TablePayload } from './protocol';

export class PayloadError extends Error {}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export function fail(path: string, expected: string, got: unknown): never {
  throw new PayloadError(`${path}: expected ${expected}, got ${show(got)}`);
}

export const obj = (v: unknown, path: string): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(path, 'an object', v));
export const arr = (v: unknown, path: string): unknown[] => (Array.isArray(v) ? v : fail(path, 'an array', v));
export const str = (v: unknown, path: string): string => (typeof v === 'string' ? v : fail(path, 'a string', v));
export const num = (v: unknown, path: string): number => (typeof v === 'number' && Number.isFinite(v) ? v : fail(path, 'a finite number', v));

/** The payload as an object whose `version` this renderer reads. */
export function versioned(x: unknown): Record<string, unknown> {
  const p = obj(x, 'payload');
  version(p);
  return p;
}

function version(p: Record<string, unknown>): void {
  const v = num(p.version, 'version');
  if (v > DISPLAY_PROTOCOL_VERSION) throw new PayloadError(`this output was written by a newer DeXposure (display protocol ${v}; this renderer reads up to ${DISPLAY_PROTOCOL_VERSION}). Update the extension to see it.`);
}

export function validateTable(x: unknown): TablePayload {
  const p = versioned(x);
  const cols = arr(p.columns, 'columns');
  cols.forEach((c, j) => (str(obj(c, `columns[${j}]`).name, `columns[${j}].name`), str((c as Record<string, unknown>).kind, `columns[${j}].kind`)));
  arr(p.rows, 'rows').forEach((r, i) => {
    if (arr(r, `rows[${i}]`).length !== cols.length) fail(`rows[${i}]`, `${cols.length} cells`, `${(r as unknown[]).length} cells`);
  });
  return p as unknown as TablePayload;
}

export function validateChart(x: unknown): ChartPayload {
  const p = versioned(x);
  arr(p.data, 'data').forEach((t, i) => obj(t, `data[${i}]`));
  if (p.layout !== undefined) obj(p.layout, 'layout');
  return p as unknown as ChartPayload;
}

function graphPart(p: Record<string, unknown>, at: string): void {
  const ids = new Set<string>();
  arr(p.nodes, `${at}nodes`).forEach((n, i) => {
    const o = obj(n, `${at}nodes[${i}]`);
    ids.add(str(o.id, `${at}nodes[${i}].id`));
    str(o.name, `${at}nodes[${i}].name`);
    str(o.category, `${at}nodes[${i}].category`);
    num(o.tvl, `${at}nodes[${i}].tvl`);
    num(o.x, `${at}nodes[${i}].x`);
    num(o.y, `${at}nodes[${i}].y`);
  });
  arr(p.edges, `${at}edges`).forEach((e, i) => {
    const o = obj(e, `${at}edges[${i}]`);
    if (!ids.has(str(o.source, `${at}edges[${i}].source`))) fail(`${at}edges[${i}].source`, 'the id of a node', o.source);
    if (!ids.has(str(o.target, `${at}edges[${i}].target`))) fail(`${at}edges[${i}].target`, 'the id of a node', o.target);
    num(o.weight, `${at}edges[${i}].weight`);
  });
  arr(p.categories, `${at}categories`);
}

export function validateGraph(x: unknown): GraphPayload {
  const p = versioned(x);
  graphPart(p, '');
  return p as unknown as GraphPayload;
}

function stressResult(r: unknown, at: string): void {
  const o = obj(r, at);
  for (const k of ['systemLossPct', 'totalLoss', 'totalTvl', 'depth', 'affected', 'distressed']) num(o[k], `${at}.${k}`);
  arr(o.losses, `${at}.losses`).forEach((l, i) => {
    const lo = obj(l, `${at}.losses[${i}]`);
    str(lo.name, `${at}.losses[${i}].name`);
    num(lo.loss, `${at}.losses[${i}].loss`);
  });
  arr(o.rounds, `${at}.rounds`).forEach((rd, i) => arr(obj(rd, `${at}.rounds[${i}]`).newlyDistressed, `${at}.rounds[${i}].newlyDistressed`));
}

export function validateStress(x: unknown): StressPayload {
  const p = versioned(x);
  str(obj(p.scenario, 'scenario').name, 'scenario.name');
  stressResult(p.result, 'result');
  if (p.comparison !== undefined) arr(p.comparison, 'comparison').forEach((r, i) => stressResult(r, `comparison[${i}]`));
  if (p.graph !== undefined) graphPart(obj(p.graph, 'graph'), 'graph.');
  return p as unknown as StressPayload;
}
