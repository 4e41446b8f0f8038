/**
 * JSON text helpers for persisted formats: a canonical writer (sorted keys, 2-space
 * indent, so the same value always gives the same bytes) and a locator that names the
 * line and column of a syntax error (V8's JSON.parse message does not always carry one).
 */

import { isUtf8 } from 'node:buffer';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Canonical JSON: keys sorted by code unit, 2-space indent, `[]`/`{}` when empty. */
export function canonicalJson(value: unknown, indent = ''): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} cannot be written as JSON`);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      const inner = `${indent}  `;
      if (Array.isArray(value)) {
        if (value.length === 0) return '[]';
        return `[\n${value.map((v) => inner + canonicalJson(v === undefined ? null : v, inner)).join(',\n')}\n${indent}]`;
      }
      const keys = Object.keys(value)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort(compareCodeUnits);
      if (keys.length === 0) return '{}';
      return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${canonicalJson((value as Record<string, unknown>)[k], inner)}`).join(',\n')}\n${indent}}`;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} cannot be written as JSON`);
  }
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface JsonSyntaxProblem {
  offset: number;
  line: number;
  column: number;
  message: string;
}

/** 1-based line/column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Finds the first JSON syntax error in `text` (RFC 8259), or undefined if it parses.
 * Only called after JSON.parse failed, so it favours clarity over speed.
 */
export function locateJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw Object.assign(new Error(message), { offset: i });
  };
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const describe = (): string => (i >= text.length ? 'the end of the text (is the file truncated?)' : `${JSON.stringify(text[i])}`);
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${describe()}, expected a JSON value`);
  };
  const str = (): void => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) fail('unescaped control character in a string');
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape in a string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          fail(`bad escape ${e === undefined ? 'at the end of the text' : JSON.stringify(`\\${e}`)} in a string`);
        }
      } else i++;
    }
    fail('unterminated string (is the file truncated?)');
  };
  const num = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail(`unexpected ${describe()}, expected a number`);
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 5000) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`unexpected ${describe()}, expected a property name in double quotes`);
        str();
        ws();
        if (text[i] !== ':') fail(`unexpected ${describe()}, expected ':' after a property name`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`unexpected ${describe()}, expected ',' or '}'`);
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`unexpected ${describe()}, expected ',' or ']'`);
      }
    } else if (c === '"') str();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) num();
    else fail(`unexpected ${describe()}, expected a JSON value`);
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail(`unexpected ${describe()} after the end of the JSON value`);
    return undefined;
  } catch (e) {
    const offset = (e as { offset?: number }).offset ?? i;
    return { offset, ...lineColumn(text, offset), message: (e as Error).message };
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of a file's bytes, or the byte offset of the first byte that is not valid
 * UTF-8 (a file is refused rather than silently changed by replacement characters).
 */
export function decodeUtf8Strict(bytes: Uint8Array): { text: string } | { badByte: number } {
  if (isUtf8(bytes)) return { text: utf8.decode(bytes) };
  return { badByte: firstInvalidUtf8(bytes) };
}

/** Offset of the first byte of the first invalid UTF-8 sequence (RFC 3629; no surrogates, no overlongs). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + n >= b.length) return i; // truncated sequence
    if (b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let k = 2; k <= n; k++) if (b[i + k] < 0x80 || b[i + k] > 0xbf) return i;
    i += n + 1;
  }
  return b.length;
}
