/**
 * Output items: how each MIME type's data is held in memory and in files.
 *   JSON MIME types (application/json, *+json, VS Code's error type) -> a JSON value
 *   text MIME types (text/*, stdout/stderr, svg, xml, javascript)     -> a string
 *   anything else (image/png, ...)                                     -> bytes (Uint8Array),
 *                                                                        base64 in files
 * and conversions to and from the bytes an editor API (vscode.NotebookCellOutputItem) holds.
 */
import type { JsonValue } from './json-text';

export interface OutputItem {
  mime: string;
  data: JsonValue | Uint8Array;
  /** Unknown properties read from a file, written back unchanged. */
  extra?: { [key: string]: JsonValue };
}

export const STDOUT_MIME = 'application/vnd.code.notebook.stdout';
export const STDERR_MIME = 'application/vnd.code.notebook.stderr';
export const ERROR_MIME = 'application/vnd.code.notebook.error';

export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json') || mime === ERROR_MIME;
}

export function isTextMime(mime: string): boolean {
  return (
    mime.startsWith('text/') ||
    mime === STDOUT_MIME ||
    mime === STDERR_MIME ||
    mime === 'image/svg+xml' ||
    mime === 'application/javascript' ||
    mime === 'application/xml' ||
    mime.endsWith('+xml')
  );
}

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The item's bytes as an editor stores them (JSON text, UTF-8 text, or raw bytes). */
export function outputItemToBytes(item: OutputItem): Uint8Array {
  if (item.data instanceof Uint8Array) return item.data;
  if (isJsonMime(item.mime)) return encoder.encode(JSON.stringify(item.data));
  return encoder.encode(typeof item.data === 'string' ? item.data : JSON.stringify(item.data));
}

/** An item from an editor's bytes: parsed JSON, text, or (when neither fits) bytes. */
export function outputItemFromBytes(mime: string, bytes: Uint8Array): OutputItem {
  if (isJsonMime(mime) || isTextMime(mime)) {
    let text: string | undefined;
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      if (!isJsonMime(mime)) return { mime, data: text };
      try {
        return { mime, data: JSON.parse(text) as JsonValue };
      } catch {
        // Not JSON after all: keep the exact bytes rather than guess.
      }
    }
  }
  return { mime, data: new Uint8Array(bytes) };
}

/** A JS value (e.g. a kernel MimeBundle entry) as an output item. Binary types arrive as base64 strings. */
export function outputItemFromBundleValue(mime: string, value: unknown): OutputItem {
  if (isJsonMime(mime)) return { mime, data: JSON.parse(JSON.stringify(value ?? null)) as JsonValue };
  if (isTextMime(mime)) return { mime, data: typeof value === 'string' ? value : JSON.stringify(value) };
  if (typeof value === 'string' && isCanonicalBase64(value)) return { mime, data: new Uint8Array(Buffer.from(value, 'base64')) };
  if (value instanceof Uint8Array) return { mime, data: new Uint8Array(value) };
  return { mime, data: typeof value === 'string' ? value : (JSON.parse(JSON.stringify(value ?? null)) as JsonValue) };
}

export function isCanonicalBase64(s: string): boolean {
  return s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function fromBase64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64'));
}
