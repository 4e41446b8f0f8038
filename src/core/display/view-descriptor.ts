/**
 * What a view is to everything but its drawing: one descriptor per rich output type,
 * exported as `view` by its module in ./views/ (the build lists those modules in
 * ./view-list.generated.ts). Pure (no Node, no DOM): the renderer bundles it.
 */
export interface ViewDescriptor<N extends string = string, P = unknown> {
  /** Short name: the module's file name, the renderer's key, and the MIME type's middle part. */
  name: N;
  /** `application/vnd.dexposure.<name>+json`. */
  mime: `application/vnd.dexposure.${N}+json`;
  /** What it shows, in a few words (docs, the renderer's display name in package.json). */
  summary: string;
  /** The payload checked before drawing; throws a PayloadError naming the first bad field. */
  validate(payload: unknown): P;
  /** The text/markdown fallback of a payload, for front ends without the renderer. */
  markdown(payload: P): string;
}

/** A view's descriptor, its MIME type made from its name. */
export function defineView<const N extends string, P>(d: Omit<ViewDescriptor<N, P>, 'mime'>): ViewDescriptor<N, P> {
  return { ...d, mime: `application/vnd.dexposure.${d.name}+json` };
}
