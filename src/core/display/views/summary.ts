/**
 * `summaryView(items, opts)`: key figures (application/vnd.dexposure.summary+json),
 * each a labelled number with its unit and what it means, drawn as large figures
 * (webview/summary.ts) and as a two-column table in markdown. `dx.measures` shows a
 * week's network measures this way; `dx.summary` makes one from any numbers.
 * Pure: the renderer bundles this module (the view's descriptor, `view`).
 */
import { makeView, type View } from '../displayable';
import { formatCell } from '../format';
import { escapeMarkdown, markdownTable } from '../markdown';
import { DISPLAY_PROTOCOL_VERSION } from '../protocol';
import { arr, fail, num, obj, str, versioned } from '../validate';
import { defineView } from '../view-descriptor';

export type FigureKind = 'number' | 'integer' | 'percent' | 'usd';
const KINDS: readonly FigureKind[] = ['number', 'integer', 'percent', 'usd'];

export interface KeyFigure {
  label: string;
  /** null when the figure is undefined for this input (a ratio over nothing). */
  value: number | null;
  /** 'percent' values are percentages (12.5 means 12.5%). */
  kind: FigureKind;
  digits?: number;
  /** What the figure means; the renderer shows it on hover. */
  description?: string;
}

export interface SummaryPayload {
  version: number;
  title?: string;
  caption?: string;
  items: KeyFigure[];
}

export interface SummaryViewOptions {
  title?: string;
  caption?: string;
}

export function summaryPayload(items: readonly KeyFigure[], opts: SummaryViewOptions = {}): SummaryPayload {
  if (!Array.isArray(items)) throw new Error('display/summary: expected an array of { label, value, kind } figures');
  const p: SummaryPayload = {
    version: DISPLAY_PROTOCOL_VERSION,
    items: items.map((it, i) => {
      if (typeof it?.label !== 'string') throw new Error(`display/summary: figure ${i} needs a label (a string)`);
      if (!KINDS.includes(it.kind)) throw new Error(`display/summary: figure ${i} (${it.label}) has kind ${JSON.stringify(it.kind)}; expected one of ${KINDS.join(', ')}`);
      const out: KeyFigure = { label: it.label, value: typeof it.value === 'number' && Number.isFinite(it.value) ? it.value : null, kind: it.kind };
      if (it.digits !== undefined) out.digits = it.digits;
      if (it.description) out.description = it.description;
      return out;
    }),
  };
  if (opts.title) p.title = opts.title;
  if (opts.caption) p.caption = opts.caption;
  return p;
}

/** A figure's value as text: formatted by its kind, "n/a" when undefined. */
export function figureText(f: Pick<KeyFigure, 'value' | 'kind' | 'digits'>): string {
  return f.value === null ? 'n/a' : formatCell(f.value, f);
}

export function validateSummary(x: unknown): SummaryPayload {
  const p = versioned(x);
  if (p.title !== undefined) str(p.title, 'title');
  arr(p.items, 'items').forEach((it, i) => {
    const o = obj(it, `items[${i}]`);
    str(o.label, `items[${i}].label`);
    if (o.value !== null) num(o.value, `items[${i}].value`);
    if (!KINDS.includes(o.kind as FigureKind)) fail(`items[${i}].kind`, `one of ${KINDS.join(', ')}`, o.kind);
  });
  return p as unknown as SummaryPayload;
}

export function summaryMarkdown(p: SummaryPayload): string {
  const parts: string[] = [];
  if (p.title) parts.push(`**${escapeMarkdown(p.title)}**`, '');
  parts.push(markdownTable([{ name: 'figure', kind: 'string' }, { name: 'value', kind: 'number' }], p.items.map((f) => [f.label, figureText(f)]), p.items.length));
  if (p.caption) parts.push('', `_${escapeMarkdown(p.caption)}_`);
  return parts.join('\n');
}

export const view = defineView({ name: 'summary', summary: 'key figures', validate: validateSummary, markdown: summaryMarkdown });

/** Key figures: large labelled numbers with their units, descriptions on hover. */
export function summaryView(items: readonly KeyFigure[], opts: SummaryViewOptions = {}): View<SummaryPayload> {
  const p = summaryPayload(items, opts);
  return makeView(view.mime, p, summaryMarkdown(p));
}
