/**
 * Makes a result display itself: attaches a non-enumerable MIME_BUNDLE method
 * (src/core/display/protocol.ts), so `dx.measures(s)` as a cell's last expression
 * shows a table while the value stays a plain object for code (JSON.stringify,
 * destructuring and spreading ignore the hidden method).
 */
import { MIME_BUNDLE, MIME_BUNDLES, type Displayable, type MimeBundle } from '../display/protocol';

export function withDisplay<T extends object>(value: T, bundle: () => MimeBundle): T & Displayable {
  Object.defineProperty(value, MIME_BUNDLE, { value: bundle, enumerable: false, configurable: true });
  return value as T & Displayable;
}

/** A bundle made of several views: the first view's rich MIME wins, markdown fallbacks are joined. */
export function combineBundles(...bundles: MimeBundle[]): MimeBundle {
  const out: MimeBundle = {};
  const md: string[] = [];
  for (const b of bundles) {
    for (const [mime, data] of Object.entries(b)) {
      if (mime === 'text/markdown') md.push(String(data));
      else if (!(mime in out)) out[mime] = data;
    }
  }
  if (md.length) out['text/markdown'] = md.join('\n\n');
  return out;
}

/**
 * Makes a result display itself as several outputs (one per bundle, in order; see
 * MIME_BUNDLES), with the combined bundle as its single-output form.
 */
export function withDisplays<T extends object>(value: T, bundles: () => MimeBundle[]): T & Displayable {
  Object.defineProperty(value, MIME_BUNDLES, { value: bundles, enumerable: false, configurable: true });
  return withDisplay(value, () => combineBundles(...bundles()));
}
