/**
 * The views: one descriptor per rich output type the renderer draws, in the order a
 * bundle prefers them. Everything keyed by view derives from this list: the renderer's
 * payload checks and draw functions (webview/index.ts, typed over `ViewName` so a view
 * without a draw function does not compile), the HTML report's rich MIME types and
 * their order, the markdown fallback of a payload, and package.json's
 * notebookRenderer mimeTypes (test/unit/display/views-catalog.test.ts compares them).
 *
 * Pure (no Node, no DOM): the renderer bundles it. DEVELOPERS.md "Adding things" says
 * how a view is added.
 */
import { chartMarkdown, graphMarkdown, stressMarkdown, tableMarkdown } from './markdown';
import { summaryMarkdown, validateSummary } from './summary-view';
import { validateChart, validateGraph, validateStress, validateTable } from './validate';

export interface ViewDescriptor<N extends string = string, P = unknown> {
  /** Short name: the renderer's key, and the MIME type's middle part. */
  name: N;
  /** `application/vnd.dexposure.<name>+json`. */
  mime: `application/vnd.dexposure.${N}+json`;
  /** What it shows, in a few words (docs, the renderer's "no view" message). */
  summary: string;
  /** The payload checked before drawing; throws a PayloadError naming the first bad field. */
  validate(payload: unknown): P;
  /** The text/markdown fallback of a payload, for front ends without the renderer. */
  markdown(payload: P): string;
}

const view = <const N extends string, P>(d: ViewDescriptor<N, P>): ViewDescriptor<N, P> => d;

export const VIEWS = [
  view({ name: 'graph', mime: 'application/vnd.dexposure.graph+json', summary: 'exposure graph', validate: validateGraph, markdown: (p) => graphMarkdown(p) }),
  view({ name: 'stress', mime: 'application/vnd.dexposure.stress+json', summary: 'stress test', validate: validateStress, markdown: (p) => stressMarkdown(p) }),
  view({ name: 'chart', mime: 'application/vnd.dexposure.chart+json', summary: 'chart', validate: validateChart, markdown: chartMarkdown }),
  view({ name: 'table', mime: 'application/vnd.dexposure.table+json', summary: 'table', validate: validateTable, markdown: (p) => tableMarkdown(p) }),
  view({ name: 'summary', mime: 'application/vnd.dexposure.summary+json', summary: 'key figures', validate: validateSummary, markdown: summaryMarkdown }),
] as const;

export type AnyView = (typeof VIEWS)[number];
export type ViewName = AnyView['name'];
/** The payload type of a view, as its check returns it. */
export type PayloadOf<K extends ViewName> = ReturnType<Extract<AnyView, { name: K }>['validate']>;

/** MIME type by view name (`MIME.table` is 'application/vnd.dexposure.table+json'). */
export const MIME = Object.fromEntries(VIEWS.map((v) => [v.name, v.mime])) as { readonly [V in AnyView as V['name']]: V['mime'] };

export type DexposureMime = AnyView['mime'];

/** The rich MIME types, in the order a bundle prefers them. */
export const VIEW_MIMES: readonly DexposureMime[] = VIEWS.map((v) => v.mime);

export function viewByMime(mime: string): AnyView | undefined {
  return VIEWS.find((v) => v.mime === mime);
}
