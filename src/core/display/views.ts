/**
 * The views: one descriptor per rich output type the renderer draws. A view is a module
 * in ./views/ exporting `view` (./view-descriptor.ts) and a draw function in webview/;
 * the build lists them (scripts/views.mjs writes ./view-list.generated.ts,
 * webview/renderers.generated.ts and package.json's notebookRenderer mimeTypes, and
 * `npm run lint` fails while any of them is stale). Everything keyed by view derives
 * from this list: the renderer's payload checks and draw functions, the HTML report's
 * rich MIME types, and the markdown fallback of a payload.
 *
 * Pure (no Node, no DOM): the renderer bundles it. DEVELOPERS.md "Adding things" says
 * how a view is added.
 */
import { VIEWS } from './view-list.generated';

export { VIEWS };
export { defineView, type ViewDescriptor } from './view-descriptor';

export type AnyView = (typeof VIEWS)[number];
export type ViewName = AnyView['name'];
/** The payload type of a view, as its check returns it. */
export type PayloadOf<K extends ViewName> = ReturnType<Extract<AnyView, { name: K }>['validate']>;

/** MIME type by view name (`MIME.table` is 'application/vnd.dexposure.table+json'). */
export const MIME = Object.fromEntries(VIEWS.map((v) => [v.name, v.mime])) as { readonly [V in AnyView as V['name']]: V['mime'] };

export type DexposureMime = AnyView['mime'];

/** The rich MIME types, in the list's order (a bundle carries one of them). */
export const VIEW_MIMES: readonly DexposureMime[] = VIEWS.map((v) => v.mime);

export function viewByMime(mime: string): AnyView | undefined {
  return VIEWS.find((v) => v.mime === mime);
}
