/**
 * Which items a display output carries, in which order. VS Code shows the first item
 * it has a renderer for, so our rich types go first and text/plain last; and every
 * output gets a text fallback so a .ipynb opened in another front end still says what
 * the output was. Pure (no `vscode`), unit-tested.
 */

/** Preferred order of a bundle's MIME types (stable within a rank). */
export function orderBundleMimes(mimes: readonly string[]): string[] {
  const rank = (m: string): number => {
    if (m.startsWith('application/vnd.dexposure.')) return 0;
    if (m === 'text/html' || m.startsWith('image/')) return 1;
    if (m === 'application/json') return 2;
    if (m === 'text/markdown') return 3;
    if (m === 'text/plain') return 5;
    return 4;
  };
  return mimes
    .map((m, i) => ({ m, i }))
    .sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i)
    .map((x) => x.m);
}

/** True when a bundle has a fallback every notebook front end can show. */
export function hasTextFallback(bundle: Record<string, unknown>): boolean {
  return typeof bundle['text/plain'] === 'string' || typeof bundle['text/markdown'] === 'string';
}

/** The bundle, with a text/plain line added when it has no text fallback. */
export function withTextFallback(bundle: Record<string, unknown>): Record<string, unknown> {
  if (hasTextFallback(bundle)) return bundle;
  const kinds = Object.keys(bundle).join(', ') || 'empty';
  return { ...bundle, 'text/plain': `[DeXposure output: ${kinds}]` };
}
