/**
 * How output items travel between a kernel MIME bundle, VS Code's byte-valued
 * NotebookCellOutputItem, and the saved notebook file. Pure: no `vscode` import, so
 * the rules are unit-tested. Conventions (same as Jupyter's nbformat):
 *   - JSON MIME types (application/json, anything ending +json) are JSON values;
 *   - text MIME types (text/*, image/svg+xml, stdout/stderr) are strings;
 *   - other binary types (image/png, ...) are base64 strings.
 */

export const STDOUT_MIME = 'application/vnd.code.notebook.stdout';
export const STDERR_MIME = 'application/vnd.code.notebook.stderr';
export const ERROR_MIME = 'application/vnd.code.notebook.error';

export type ItemEncoding = 'json' | 'text' | 'base64';

export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json') || mime === ERROR_MIME;
}

export function itemEncoding(mime: string): ItemEncoding {
  if (isJsonMime(mime)) return 'json';
  if (
    mime.startsWith('text/') ||
    mime === STDOUT_MIME ||
    mime === STDERR_MIME ||
    mime === 'image/svg+xml' ||
    mime === 'application/javascript'
  ) {
    return 'text';
  }
  return 'base64';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Bytes VS Code stores for an item whose saved/kernel value is `data`. */
export function encodeItemData(mime: string, data: unknown): Uint8Array {
  switch (itemEncoding(mime)) {
    case 'json':
      return encoder.encode(JSON.stringify(data === undefined ? null : data));
    case 'text':
      return encoder.encode(typeof data === 'string' ? data : Array.isArray(data) ? data.join('') : String(data));
    case 'base64':
      if (typeof data !== 'string') {
        throw new Error(`output-codec: ${mime} output must be a base64 string, got ${typeof data}`);
      }
      return new Uint8Array(Buffer.from(data, 'base64'));
  }
}

/** The value saved in the notebook file for an item's bytes. */
export function decodeItemData(mime: string, bytes: Uint8Array): unknown {
  switch (itemEncoding(mime)) {
    case 'json': {
      const text = decoder.decode(bytes);
      try {
        return JSON.parse(text);
      } catch {
        // A producer wrote non-JSON under a JSON type: keep the text rather than lose it.
        return text;
      }
    }
    case 'text':
      return decoder.decode(bytes);
    case 'base64':
      return Buffer.from(bytes).toString('base64');
  }
}

/**
 * Preferred order of a bundle's items: our rich types first (VS Code picks the first
 * item it has a renderer for), then HTML/images, markdown, and plain text last.
 */
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

/** The bundle, with a text/plain line added when it has no text fallback (a .ipynb
 *  opened elsewhere then still says what the output was). */
export function withTextFallback(bundle: Record<string, unknown>): Record<string, unknown> {
  if (hasTextFallback(bundle)) return bundle;
  const kinds = Object.keys(bundle).join(', ') || 'empty';
  return { ...bundle, 'text/plain': `[DeXposure output: ${kinds}]` };
}
