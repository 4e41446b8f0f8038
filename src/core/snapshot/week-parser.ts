/**
 * Single-pass parser from one week's JSON bytes (`{"nodes": [...], "links": [...]}`,
 * data-spec §1.1) straight into the columnar WeekData, with the same validation,
 * repairs and counts as `weekFromJson` (week-data.ts), which stays as the readable
 * reference implementation (the tests check that both agree).
 *
 * Why hand-written: JSON.parse on the release is slow (~45 MB/s measured on a
 * synthetic full-scale file, slower than Python's json.load) because every
 * `composition` is an object with its own token keys, which sends V8 through a new
 * hidden class or dictionary object per node. Parsing into typed arrays directly
 * avoids building those objects at all (numbers: Clinger's fast path, exact for
 * <= 15 significant digits without exponent; others via Number()). JSON grammar is
 * checked strictly; errors carry the week, record, field and byte offset.
 */
import { ReleaseFormatError } from './errors';
import { hasLoneSurrogate, pythonStrOfJsonNumber } from './python-id';
import { emptyRepairCounts } from './report';
import type { WeekData } from './week-data';

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

const QUOTE = 0x22;
/** Deepest nesting of an unknown field's value (see skipValue). */
const MAX_DEPTH = 1000;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

/** A JSON value type, for "got ..." in messages without materialising the value. */
type Kind = 'string' | 'number' | 'object' | 'array' | 'true' | 'false' | 'null';

const INTERN_MAX = 1 << 18;
let internTable = new Map<number, string>();

/** The string for ASCII bytes b[start, end) with hash h, shared when seen before. */
function intern(b: Buffer, start: number, end: number, h: number): string {
  const len = end - start;
  if (len > 32) return (b as unknown as LatinSlicer).latin1Slice(start, end);
  const key = (h ^ (len << 24)) | 0;
  const hit = internTable.get(key);
  if (hit !== undefined && hit.length === len) {
    let k = 0;
    while (k < len && hit.charCodeAt(k) === b[start + k]) k++;
    if (k === len) return hit;
  }
  const s = (b as unknown as LatinSlicer).latin1Slice(start, end);
  if (hit === undefined) {
    if (internTable.size >= INTERN_MAX) internTable = new Map();
    internTable.set(key, s);
  }
  return s;
}

/** Node's Buffer has latin1Slice (what toString('latin1') calls) without the argument checks. */
interface LatinSlicer {
  latin1Slice(start: number, end: number): string;
}

class Growable<T extends Float64Array | Int32Array> {
  arr: T;
  len = 0;
  constructor(private readonly make: (n: number) => T) {
    this.arr = make(1024);
  }
  push(x: number): void {
    if (this.len === this.arr.length) {
      const next = this.make(this.arr.length * 2);
      next.set(this.arr);
      this.arr = next;
    }
    this.arr[this.len++] = x;
  }
  take(): T {
    return this.arr.slice(0, this.len) as T;
  }
}

export class WeekParser {
  private i = 0;
  private readonly n: number;
  private record: string | undefined;
  /** Set by readNumber: the number, and by value(): the kind of the last value. */
  private num = 0;

  constructor(
    private readonly b: Buffer,
    private readonly file: string,
    private readonly week: string,
    private readonly baseOffset: number,
  ) {
    this.n = b.length;
  }

  private syntax(expected: string): never {
    const c = this.i < this.n ? this.b[this.i] : -1;
    const got = c < 0 ? 'end of the week' : c < 0x20 || c > 0x7e ? `byte 0x${c.toString(16)}` : `'${String.fromCharCode(c)}'`;
    throw new ReleaseFormatError({ file: this.file, week: this.week, record: this.record, byteOffset: this.baseOffset + this.i, expected: `valid JSON: ${expected}`, got });
  }

  private fail(field: string | undefined, expected: string, got: string, at = this.i): never {
    throw new ReleaseFormatError({ file: this.file, week: this.week, record: this.record, field, expected, got, byteOffset: this.baseOffset + at });
  }

  private ws(): number {
    const b = this.b;
    let i = this.i;
    let c = b[i];
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++i];
    this.i = i;
    return i < this.n ? c : -1;
  }

  private expect(ch: number, what: string): void {
    if (this.ws() !== ch) this.syntax(what);
    this.i++;
  }

  /** Reads a string at b[i] === '"'; returns it and leaves i after the closing quote.
   *  ASCII strings without escapes (nearly all ids and token symbols) are interned
   *  by a hash of their bytes: the same few thousand symbols repeat in every week. */
  private readString(): string {
    const b = this.b;
    const start = this.i + 1;
    let j = start;
    let h = 0;
    for (;;) {
      const c = b[j];
      if (c === QUOTE) {
        this.i = j + 1;
        return intern(b, start, j, h);
      }
      if (c === BACKSLASH || c >= 0x80 || c < 0x20 || j >= this.n) break;
      h = (Math.imul(h, 31) + c) | 0;
      j++;
    }
    // Slow path: escapes or non-ASCII. Find the end, let JSON.parse decode it exactly.
    let esc = false;
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

  /** Reads a JSON number at b[i] into this.num (grammar checked strictly). */
  private readNumber(): void {
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
  private skipValue(depth = 0): Kind {
    const c = this.ws();
    // Python's json.load stops near 1000 levels too (RecursionError); deeper input is
    // refused with a message instead of overflowing the stack.
    if (depth >= MAX_DEPTH && (c === LBRACE || c === LBRACKET)) this.fail(undefined, `values nested at most ${MAX_DEPTH} levels deep`, 'deeper nesting');
    if (c === QUOTE) {
      this.readString();
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
        this.readString();
        this.expect(COLON, "':' after a key");
        this.skipValue(depth + 1);
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
  private numberOrKind(): Kind {
    const c = this.ws();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      this.readNumber();
      return 'number';
    }
    return this.skipValue();
  }

  /** At '{' or '[': steps inside; returns false when it is empty (and steps past the close). */
  private open(close: number): boolean {
    this.i++;
    if (this.ws() === close) {
      this.i++;
      return false;
    }
    return true;
  }

  /** After a member or element: true on ',' (more follow), false on the closing bracket. */
  private more(close: number, what: string): boolean {
    const d = this.ws();
    if (d === COMMA) {
      this.i++;
      return true;
    }
    if (d === close) {
      this.i++;
      return false;
    }
    return this.syntax(`',' or '${close === RBRACE ? '}' : ']'}' in ${what}`);
  }

  /** Reads `"key":` and returns the key. */
  private key(what: string): string {
    if (this.ws() !== QUOTE) this.syntax(`a quoted key in ${what}`);
    const k = this.readString();
    if (this.ws() !== COLON) this.syntax(`':' after key ${JSON.stringify(k)}`);
    this.i++;
    return k;
  }

  /** A number field value: returns the number, or undefined for null; throws on anything else. */
  private weight(field: string): number | undefined {
    const at = this.ws() < 0 ? this.i : this.i;
    const k = this.numberOrKind();
    if (k === 'null') return undefined;
    if (k !== 'number' || !Number.isFinite(this.num) || this.num < 0) {
      this.fail(field, 'a finite number >= 0', k === 'number' ? String(this.num) : k, at);
    }
    return this.num;
  }

  /** An id value: string, number (stringified, counted) or null. */
  private idValue(field: string, expected: string): string | null {
    const c = this.ws();
    const at = this.i;
    if (c === QUOTE) {
      const id = this.readString();
      if (id === '') this.fail(field, expected, '""', at);
      return id;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      this.readNumber();
      // the authors apply str() to the value json.loads makes (python-id.ts)
      const literal = this.b.toString('latin1', at, this.i);
      const id = pythonStrOfJsonNumber(literal);
      if (id === undefined) this.fail(field, expected, literal, at);
      this.repairs.numericIds++;
      return id;
    }
    const k = this.skipValue();
    if (k !== 'null') this.fail(field, expected, k, at);
    return null;
  }

  private readonly repairs = emptyRepairCounts();
  private readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly firstRecord = new Map<string, number>();
  private readonly tvl = new Growable((k) => new Float64Array(k));
  private readonly offsets = new Growable((k) => new Int32Array(k));
  private readonly tokens: string[] = [];
  private readonly values = new Growable((k) => new Float64Array(k));
  // Links are resolved after both arrays are read (JSON key order is free).
  private readonly linkSrc: string[] = [];
  private readonly linkDst: string[] = [];
  private readonly linkW = new Growable((k) => new Float64Array(k));

  parse(): WeekData {
    const repairs = this.repairs;
    this.offsets.push(0);
    let sawNodes = false;
    let sawLinks = false;
    const weekStart = this.i;
    if (this.ws() !== LBRACE) {
      this.fail(undefined, 'an object {"nodes": [...], "links": [...]}', this.b.toString('latin1', this.i, Math.min(this.i + 20, this.n)));
    }
    if (this.open(RBRACE)) {
      do {
        const key = this.key('the week object');
        if (key === 'nodes' || key === 'links') {
          const isNodes = key === 'nodes';
          if (isNodes) sawNodes = true;
          else sawLinks = true;
          const at = this.ws() < 0 ? this.i : this.i;
          if (this.b[at] !== LBRACKET) this.fail(key, `an array of ${key}`, this.skipValue(), at);
          if (this.open(RBRACKET)) {
            let r = 0;
            do {
              if (isNodes) this.node(r++);
              else this.link(r++);
            } while (this.more(RBRACKET, key));
          }
          this.record = undefined;
        } else this.skipValue();
      } while (this.more(RBRACE, 'the week object'));
    }
    if (this.ws() !== -1) this.syntax('the end of the week value');
    if (!sawNodes) this.fail('nodes', 'an array of nodes', 'nothing (field missing)', weekStart);
    if (!sawLinks) this.fail('links', 'an array of links', 'nothing (field missing)', weekStart);

    const src = new Growable((k) => new Int32Array(k));
    const dst = new Growable((k) => new Int32Array(k));
    const w = new Growable((k) => new Float64Array(k));
    const ids = this.ids;
    const index = this.index;
    const n = ids.length;
    const seen = new Set<number>();
    const lw = this.linkW.arr;
    const linkSrc = this.linkSrc;
    const linkDst = this.linkDst;
    for (let k = 0; k < linkSrc.length; k++) {
      const a = index.get(linkSrc[k]);
      const b = index.get(linkDst[k]);
      if (a === undefined || b === undefined) {
        repairs.unknownEndpointLinks++;
        continue;
      }
      const x = lw[k];
      if (a === b) repairs.selfLoops++;
      if (x === 0) repairs.zeroWeightLinks++;
      const key = a * n + b;
      if (seen.has(key)) repairs.duplicateLinks++;
      else seen.add(key);
      src.push(a);
      dst.push(b);
      w.push(x);
    }
    const off = this.offsets.take();
    return {
      week: this.week,
      ids,
      tvl: this.tvl.take(),
      composition: { offsets: new Uint32Array(off.buffer, off.byteOffset, off.length), tokens: this.tokens, values: this.values.take() },
      edgeSource: src.take(),
      edgeTarget: dst.take(),
      edgeWeight: w.take(),
      repairs,
    };
  }

  private node(r: number): void {
    this.record = `nodes[${r}]`;
    const tokens = this.tokens;
    const values = this.values;
    const repairs = this.repairs;
    const at = this.ws() < 0 ? this.i : this.i;
    if (this.b[at] !== LBRACE) this.fail(undefined, 'an object {id, size, composition}', this.skipValue(), at);
    const tokStart = tokens.length;
    const valStart = values.len;
    let id: string | null = null;
    let size: number | undefined;
    let compSeen = false;
    let negatives = 0;
    if (this.open(RBRACE)) {
      do {
        const key = this.key(this.record);
        if (key === 'id') id = this.idValue('id', 'a non-empty string (or null)');
        else if (key === 'size') size = this.weight('size');
        else if (key === 'composition') {
          const c = this.ws();
          const vat = this.i;
          // A repeated key replaces the earlier value (JSON.parse semantics).
          if (tokens.length !== tokStart) tokens.length = tokStart;
          values.len = valStart;
          negatives = 0;
          if (c === LBRACE) {
            compSeen = true;
            if (this.open(RBRACE)) {
              do {
                const tok = this.key(`${this.record}.composition`);
                const tat = this.i;
                const kk = this.numberOrKind();
                if (kk !== 'number' || !Number.isFinite(this.num)) {
                  this.fail(`composition[${JSON.stringify(tok)}]`, 'a finite number (USD)', kk === 'number' ? String(this.num) : kk, tat);
                }
                if (this.num < 0) negatives++;
                tokens.push(tok);
                values.push(this.num);
              } while (this.more(RBRACE, `${this.record}.composition`));
            }
          } else {
            compSeen = false;
            const k = this.skipValue();
            if (k !== 'null') this.fail('composition', 'an object {token: USD}', k, vat);
          }
        } else this.skipValue();
      } while (this.more(RBRACE, this.record));
    }
    if (id === null) {
      repairs.nullIdNodes++;
      if (tokens.length !== tokStart) tokens.length = tokStart;
      values.len = valStart;
      return;
    }
    const prev = this.firstRecord.get(id);
    if (prev !== undefined) this.fail('id', `an id unique within the week (also nodes[${prev}])`, JSON.stringify(id), at);
    if (size === undefined) repairs.missingNodeSize++;
    if (!compSeen) repairs.nullComposition++;
    repairs.negativeCompositionValues += negatives;
    this.firstRecord.set(id, r);
    this.index.set(id, this.ids.length);
    this.ids.push(id);
    this.tvl.push(size ?? 0);
    this.offsets.push(tokens.length);
  }

  private link(r: number): void {
    this.record = `links[${r}]`;
    const at = this.ws() < 0 ? this.i : this.i;
    if (this.b[at] !== LBRACE) this.fail(undefined, 'an object {source, target, size}', this.skipValue(), at);
    let s: string | null = null;
    let t: string | null = null;
    let size: number | undefined;
    if (this.open(RBRACE)) {
      do {
        const key = this.key(this.record);
        if (key === 'source') s = this.idValue('source', 'a protocol id string (or null)');
        else if (key === 'target') t = this.idValue('target', 'a protocol id string (or null)');
        else if (key === 'size') size = this.weight('size');
        else this.skipValue();
      } while (this.more(RBRACE, this.record));
    }
    if (s === null || t === null) {
      this.repairs.nullEndpointLinks++;
      return;
    }
    if (size === undefined) this.repairs.missingLinkSize++;
    this.linkSrc.push(s);
    this.linkDst.push(t);
    this.linkW.push(size ?? 0);
  }
}

/** Parse one week's bytes (the value of a week key). */
export function parseWeekBytes(bytes: Buffer, file: string, week: string, baseOffset = 0): WeekData {
  return new WeekParser(bytes, file, week, baseOffset).parse();
}
