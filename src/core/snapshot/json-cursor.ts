/**
 * A cursor over JSON bytes: whitespace, strings, numbers, literals and skipped values,
 * with the grammar checked strictly and every error a ReleaseFormatError naming the
 * file, week, record and byte offset. It knows nothing of weeks: week-parser.ts walks
 * a week with it and hands what it reads to the WeekBuilder (week-builder.ts).
 *
 * Why hand-written: JSON.parse on the release is slow (~45 MB/s measured on a
 * synthetic full-scale file, slower than Python's json.load) because every
 * `composition` is an object with its own token keys, which sends V8 through a new
 * hidden class or dictionary object per node. Reading into typed arrays directly
 * avoids building those objects at all (numbers: Clinger's fast path, exact for
 * <= 15 significant digits without exponent; others via Number()).
 */
import { ReleaseFormatError } from './errors';
import { internAscii } from './intern';
import { hasLoneSurrogate } from './python-id';

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
const BACKSLASH = 0x5c;
/** Deepest nesting of a skipped value (see skipValue). */
const MAX_DEPTH = 1000;

/** A JSON value type, for "got ..." in messages without materialising the value. */
export type Kind = 'string' | 'number' | 'object' | 'array' | 'true' | 'false' | 'null';

/** Where the bytes come from, for messages: the record is asked for only when an error is thrown. */
export interface CursorPlace {
  readonly file: string;
  readonly week: string;
  /** File offset of the cursor's byte 0. */
  readonly baseOffset: number;
  record(): string | undefined;
}

/** What a container is, named in "',' or '}' in ..." messages; built only on error. */
export const enum Within {
  Week,
  Record,
  Composition,
}

/** The bytes of an ASCII key, for JsonCursor.keyIs. */
export function keyBytes(key: string): Uint8Array {
  return Uint8Array.from(key, (c) => c.charCodeAt(0));
}

export class JsonCursor {
  /** Position of the next byte to read. */
  i = 0;
  readonly n: number;
  /** The number readNumber read. */
  num = 0;
  /** Where the last string readString read lies in the bytes, without its quotes, when it had no escapes (else strStart is -1). */
  strStart = -1;
  strEnd = 0;

  constructor(
    readonly b: Buffer,
    private readonly place: CursorPlace,
  ) {
    this.n = b.length;
  }

  syntax(expected: string): never {
    const c = this.i < this.n ? this.b[this.i] : -1;
    const got = c < 0 ? 'end of the week' : c < 0x20 || c > 0x7e ? `byte 0x${c.toString(16)}` : `'${String.fromCharCode(c)}'`;
    const p = this.place;
    throw new ReleaseFormatError({ file: p.file, week: p.week, record: p.record(), byteOffset: p.baseOffset + this.i, expected: `valid JSON: ${expected}`, got });
  }

  fail(field: string | undefined, expected: string, got: string, at = this.i): never {
    const p = this.place;
    throw new ReleaseFormatError({ file: p.file, week: p.week, record: p.record(), field, expected, got, byteOffset: p.baseOffset + at });
  }

  /** Skips whitespace; returns the next byte (-1 at the end). */
  ws(): number {
    const b = this.b;
    let i = this.i;
    let c = b[i];
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++i];
    this.i = i;
    return i < this.n ? c : -1;
  }

  expect(ch: number, what: string): void {
    if (this.ws() !== ch) this.syntax(what);
    this.i++;
  }

  /** Reads a string at b[i] === '"'; returns it and leaves i after the closing quote.
   *  ASCII strings without escapes (nearly all ids and token symbols) are shared
   *  (intern.ts): the same few thousand symbols repeat in every week. */
  readString(): string {
    const b = this.b;
    const start = this.i + 1;
    let j = start;
    let h = 0;
    for (;;) {
      const c = b[j];
      if (c === QUOTE) {
        this.i = j + 1;
        this.strStart = start;
        this.strEnd = j;
        return internAscii(b, start, j, h);
      }
      if (c === BACKSLASH || c >= 0x80 || c < 0x20 || j >= this.n) break;
      h = (Math.imul(h, 31) + c) | 0;
      j++;
    }
    return this.slowString(start);
  }

  /** A string with escapes or non-ASCII bytes: find the end, let JSON.parse decode it exactly. */
  private slowString(start: number): string {
    const b = this.b;
    this.strStart = -1;
    let esc = false;
    let j: number;
    for (j = start; j < this.n; j++) {
      const c = b[j];
      if (esc) esc = false;
      else if (c === BACKSLASH) esc = true;
      else if (c === QUOTE) break;
      else if (c < 0x20) {
        this.i = j;
        this.syntax('no control characters inside a string');
      }
    }
    if (j >= this.n) {
      this.i = j;
      this.syntax('a closing quote');
    }
    let s: string;
    try {
      s = JSON.parse(b.toString('utf8', start - 1, j + 1)) as string;
    } catch {
      this.i = start - 1;
      this.syntax('a valid string escape');
    }
    // A lone surrogate (\ud800) cannot be stored as UTF-8 (the cache): two different
    // ones would come back as the same U+FFFD. Refused rather than merged.
    if (hasLoneSurrogate(s)) this.fail(undefined, 'a string that is valid Unicode (a \\uD800-\\uDFFF escape without its pair is not)', JSON.stringify(s).slice(0, 60), start - 1);
    this.i = j + 1;
    return s;
  }

  /** Steps over a string at b[i] === '"' without making it (checked as readString checks it). */
  skipString(): void {
    const b = this.b;
    const start = this.i + 1;
    for (let j = start; ; j++) {
      const c = b[j];
      if (c === QUOTE) {
        this.i = j + 1;
        return;
      }
      if (c === BACKSLASH || c < 0x20 || j >= this.n) break;
    }
    this.slowString(start);
  }

  /**
   * At a key's opening quote: when the key is exactly `key` (no escapes), steps past
   * it and its ':' and returns true; otherwise leaves the cursor where it was.
   */
  keyIs(key: Uint8Array): boolean {
    const b = this.b;
    const at = this.i + 1;
    const len = key.length;
    if (b[at + len] !== QUOTE) return false;
    for (let k = 0; k < len; k++) if (b[at + k] !== key[k]) return false;
    this.i = at + len + 1;
    if (this.ws() !== COLON) this.syntax(`':' after key ${JSON.stringify(String.fromCharCode(...key))}`);
    this.i++;
    return true;
  }

  /** Reads a JSON number at b[i] into this.num (grammar checked strictly). */
  readNumber(): void {
    const b = this.b;
    const start = this.i;
    let j = start;
    let neg = false;
    if (b[j] === 0x2d) {
      neg = true;
      j++;
    }
    let m = 0;
    let digits = 0;
    let c = b[j];
    if (c === 0x30) {
      j++;
      c = b[j];
    } else if (c >= 0x31 && c <= 0x39) {
      while (c >= 0x30 && c <= 0x39) {
        m = m * 10 + (c - 0x30);
        digits++;
        c = b[++j];
      }
    } else {
      this.i = j;
      this.syntax('a digit');
    }
    let frac = 0;
    if (c === 0x2e) {
      c = b[++j];
      if (!(c >= 0x30 && c <= 0x39)) {
        this.i = j;
        this.syntax('a digit after the decimal point');
      }
      while (c >= 0x30 && c <= 0x39) {
        m = m * 10 + (c - 0x30);
        digits++;
        frac++;
        c = b[++j];
      }
    }
    let exp = false;
    if (c === 0x65 || c === 0x45) {
      exp = true;
      c = b[++j];
      if (c === 0x2b || c === 0x2d) c = b[++j];
      if (!(c >= 0x30 && c <= 0x39)) {
        this.i = j;
        this.syntax('a digit in the exponent');
      }
      while (c >= 0x30 && c <= 0x39) c = b[++j];
    }
    this.i = j;
    if (!exp && digits <= 15) {
      const v = frac === 0 ? m : m / POW10[frac];
      this.num = neg ? -v : v;
    } else this.num = Number(b.toString('latin1', start, j));
  }

  private literal(word: string, kind: Kind): Kind {
    for (let k = 0; k < word.length; k++) {
      if (this.b[this.i + k] !== word.charCodeAt(k)) this.syntax(`a JSON value (${word}?)`);
    }
    this.i += word.length;
    return kind;
  }

  /** Skips any value, returning its kind. */
  skipValue(depth = 0): Kind {
    const c = this.ws();
    // Python's json.load stops near 1000 levels too (RecursionError); deeper input is
    // refused with a message instead of overflowing the stack.
    if (depth >= MAX_DEPTH && (c === LBRACE || c === LBRACKET)) this.fail(undefined, `values nested at most ${MAX_DEPTH} levels deep`, 'deeper nesting');
    if (c === QUOTE) {
      this.skipString();
      return 'string';
    }
    if (c === LBRACE) {
      this.i++;
      if (this.ws() === RBRACE) {
        this.i++;
        return 'object';
      }
      for (;;) {
        if (this.ws() !== QUOTE) this.syntax('a quoted key');
        this.skipString();
        this.expect(COLON, "':' after a key");
        // a number (the usual member of a skipped composition) read here, as skipValue would
        const v = this.ws();
        if (v === 0x2d || (v >= 0x30 && v <= 0x39)) this.readNumber();
        else this.skipValue(depth + 1);
        const d = this.ws();
        this.i++;
        if (d === RBRACE) return 'object';
        if (d !== COMMA) {
          this.i--;
          this.syntax("',' or '}'");
        }
      }
    }
    if (c === LBRACKET) {
      this.i++;
      if (this.ws() === RBRACKET) {
        this.i++;
        return 'array';
      }
      for (;;) {
        this.skipValue(depth + 1);
        const d = this.ws();
        this.i++;
        if (d === RBRACKET) return 'array';
        if (d !== COMMA) {
          this.i--;
          this.syntax("',' or ']'");
        }
      }
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      this.readNumber();
      return 'number';
    }
    if (c === 0x74) return this.literal('true', 'true');
    if (c === 0x66) return this.literal('false', 'false');
    if (c === 0x6e) return this.literal('null', 'null');
    return this.syntax('a JSON value');
  }

  /** Reads a value that should be a number (or null); returns its kind, the number in this.num. */
  numberOrKind(): Kind {
    const c = this.ws();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      this.readNumber();
      return 'number';
    }
    return this.skipValue();
  }

  /** At '{' or '[': steps inside; returns false when it is empty (and steps past the close). */
  open(close: number): boolean {
    this.i++;
    if (this.ws() === close) {
      this.i++;
      return false;
    }
    return true;
  }

  /** After a member or element: true on ',' (more follow), false on the closing bracket. */
  more(close: number, within: Within | string): boolean {
    const d = this.ws();
    if (d === COMMA) {
      this.i++;
      return true;
    }
    if (d === close) {
      this.i++;
      return false;
    }
    return this.syntax(`',' or '${close === RBRACE ? '}' : ']'}' in ${this.name(within)}`);
  }

  /** At a key's opening quote (checked): reads `"key":` and returns the key. */
  key(within: Within): string {
    if (this.ws() !== QUOTE) this.syntax(`a quoted key in ${this.name(within)}`);
    const k = this.readString();
    if (this.ws() !== COLON) this.syntax(`':' after key ${JSON.stringify(k)}`);
    this.i++;
    return k;
  }

  /** Checks that a key starts here (for keyIs). */
  atKey(within: Within): void {
    if (this.ws() !== QUOTE) this.syntax(`a quoted key in ${this.name(within)}`);
  }

  private name(within: Within | string): string {
    if (typeof within === 'string') return within;
    if (within === Within.Week) return 'the week object';
    const r = this.place.record();
    return within === Within.Composition ? `${r}.composition` : String(r);
  }
}
