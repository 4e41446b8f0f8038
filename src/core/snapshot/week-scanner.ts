/**
 * Streaming splitter for `historical-network_week_*.json` (data-spec §1.1): reads the
 * file in chunks and yields each week as `{week, bytes}` where `bytes` is that week's
 * `{"nodes": [...], "links": [...]}` JSON, which the caller parses on its own.
 * The file is never held whole (the real one is 1.1 GB; one week is a few MB).
 *
 * The fast path is week-split.ts (a separator search); this scanner is the exact
 * fallback whose errors are reported.
 *
 * Why not stream-json: its token-per-object pipeline (v3 parser + pick + streamObject)
 * allocates an object per JSON token and ran several times slower than Python's
 * json.load on the same file, missing the benchmark target (bench/convert.ts). A byte
 * scanner that only tracks strings, escapes and nesting depth finds week boundaries
 * without making a token, and week-parser.ts parses each week's slice.
 *
 * Grammar accepted: a root object; its key "data" (the wrapper) holds the weeks;
 * without the wrapper, root keys that start with a digit are weeks (the CLAW loader's
 * `payload.get("data", payload)`); other root keys are skipped and reported. Inside
 * "data" every key must be a week. Structural errors and truncation throw a
 * ReleaseFormatError with the byte offset (and line, computed on error only).
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { ReleaseFormatError } from './errors';

export interface WeekSlice {
  week: string;
  /** The week's value, `{"nodes": ..., "links": ...}`, as UTF-8 JSON bytes. */
  bytes: Buffer;
  /** Byte offset of the value's `{` in the file. */
  byteOffset: number;
}

export interface ScanOptions {
  chunkBytes?: number;
  signal?: AbortSignal;
  /** Called after each chunk with bytes read so far. */
  onBytes?: (bytesRead: number, totalBytes: number) => void;
  /** Root keys that were skipped (not "data", not a week). */
  onSkippedKey?: (key: string) => void;
  /** Every chunk as read, in file order (the cache's whole-file CRC-32 without a second read). */
  onChunk?: (chunk: Buffer) => void;
}

const enum St {
  Start,
  KeyOrEnd,
  Key,
  Colon,
  Value,
  CommaOrEnd,
  Capture,
  SkipScalar,
  Done,
}

const enum Ch {
  Quote = 0x22,
  Backslash = 0x5c,
  LBrace = 0x7b,
  RBrace = 0x7d,
  LBracket = 0x5b,
  RBracket = 0x5d,
  Colon = 0x3a,
  Comma = 0x2c,
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Level of the object whose keys the scanner is reading. */
const enum Lvl {
  Root = 1,
  Data = 2,
}

interface CaptureState {
  depth: number;
  inStr: boolean;
  esc: boolean;
}

/** Bytes that matter outside strings: 1 opens, 2 closes, 3 starts a string. */
const OUTSIDE = new Uint8Array(256);
OUTSIDE[Ch.LBrace] = OUTSIDE[Ch.LBracket] = 1;
OUTSIDE[Ch.RBrace] = OUTSIDE[Ch.RBracket] = 2;
OUTSIDE[Ch.Quote] = 3;

/** Advances through a value's bytes from i; stops after the byte that closes depth 1 -> 0. */
function scanValue(buf: Buffer, i: number, len: number, st: CaptureState): number {
  let d = st.depth;
  let s = st.inStr;
  let e = st.esc;
  for (;;) {
    if (s) {
      // inside a string only '"' and '\' matter: a tight loop over the rest
      if (e) {
        if (i >= len) break;
        e = false;
        i++;
      }
      let c = 0;
      while (i < len && (c = buf[i]) !== Ch.Quote && c !== Ch.Backslash) i++;
      if (i >= len) break;
      if (c === Ch.Backslash) e = true;
      else s = false;
      i++;
      continue;
    }
    let t = 0;
    while (i < len && (t = OUTSIDE[buf[i]]) === 0) i++;
    if (i >= len) break;
    i++;
    if (t === 3) s = true;
    else if (t === 1) d++;
    else if (--d === 0) break;
  }
  st.depth = d;
  st.inStr = s;
  st.esc = e;
  return i < len ? i : len;
}

export async function* scanWeeks(path: string, opts: ScanOptions = {}): AsyncGenerator<WeekSlice> {
  const file = basename(path);
  const fh = await open(path, 'r');
  try {
    const total = (await fh.stat()).size;
    const chunkBytes = opts.chunkBytes ?? 8 << 20;
    let st = St.Start as St;
    let lvl: Lvl = Lvl.Root;
    let key = '';
    let keyParts: Buffer[] = [];
    let valueStart = 0;
    // Capture state (week values and skipped values).
    let capturing = false; // true: keep bytes (a week); false: skip
    let depth = 0;
    let inStr = false;
    let esc = false;
    let parts: Buffer[] = [];
    let pos = 0; // file offset of buf[0]
    const cap: CaptureState = { depth: 0, inStr: false, esc: false };
    let sawData = false;
    const bad = (at: number, expected: string, got: string): never => {
      throw new ReleaseFormatError({ file, byteOffset: at, expected, got });
    };
    const gotByte = (c: number): string => (c < 0x20 || c > 0x7e ? `byte 0x${c.toString(16)}` : `'${String.fromCharCode(c)}'`);

    for (;;) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
      const buf = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await fh.read(buf, 0, chunkBytes, pos);
      if (bytesRead === 0) break;
      const len = bytesRead;
      opts.onChunk?.(buf.subarray(0, len));
      const out: WeekSlice[] = [];
      let i = 0;
      // Start of the retained region of this chunk for the current capture/key.
      let captureFrom = st === St.Capture ? 0 : -1;
      let keyFrom = st === St.Key ? 0 : -1;
      while (i < len) {
        if (st === St.Capture) {
          // Hot loop (a plain function, so V8 optimises it apart from the generator).
          cap.depth = depth;
          cap.inStr = inStr;
          cap.esc = esc;
          i = scanValue(buf, i, len, cap);
          depth = cap.depth;
          inStr = cap.inStr;
          esc = cap.esc;
          if (depth === 0) {
            if (capturing) {
              parts.push(buf.subarray(captureFrom, i));
              const whole = parts.length === 1 ? parts[0] : Buffer.concat(parts);
              out.push({ week: key, bytes: whole, byteOffset: valueStart });
            }
            parts = [];
            captureFrom = -1;
            st = St.CommaOrEnd;
          }
          continue;
        }
        const c = buf[i];
        switch (st) {
          case St.Start:
            if (isWs(c) || (pos + i < 3 && (c === 0xef || c === 0xbb || c === 0xbf))) break;
            if (c !== Ch.LBrace) bad(pos + i, 'a JSON object {"data": {...}} at the start of the file', gotByte(c));
            st = St.KeyOrEnd;
            lvl = Lvl.Root;
            break;
          case St.KeyOrEnd:
          case St.CommaOrEnd:
            if (isWs(c)) break;
            if (c === Ch.RBrace) {
              if (lvl === Lvl.Data) {
                lvl = Lvl.Root;
                st = St.CommaOrEnd;
              } else st = St.Done;
              break;
            }
            if (st === St.CommaOrEnd) {
              if (c !== Ch.Comma) bad(pos + i, `',' or '}' after ${key ? `week ${key}` : 'a value'}`, gotByte(c));
              st = St.KeyOrEnd;
              // A key must follow a comma.
              i++;
              while (i < len && isWs(buf[i])) i++;
              if (i < len && buf[i] !== Ch.Quote) bad(pos + i, 'a quoted key after \',\'', gotByte(buf[i]));
              continue;
            }
            if (c !== Ch.Quote) bad(pos + i, lvl === Lvl.Data ? 'a quoted week key "YYYY-MM-DD"' : 'a quoted key', gotByte(c));
            st = St.Key;
            keyParts = [];
            keyFrom = i + 1;
            esc = false;
            break;
          case St.Key: {
            // Keys are short; find the closing quote.
            let j = i;
            for (; j < len; j++) {
              const k = buf[j];
              if (esc) esc = false;
              else if (k === Ch.Backslash) esc = true;
              else if (k === Ch.Quote) break;
            }
            if (j === len) {
              i = len;
              continue;
            }
            keyParts.push(buf.subarray(keyFrom, j));
            keyFrom = -1;
            const raw = Buffer.concat(keyParts).toString('utf8');
            key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
            st = St.Colon;
            i = j + 1;
            continue;
          }
          case St.Colon:
            if (isWs(c)) break;
            if (c !== Ch.Colon) bad(pos + i, `':' after key ${JSON.stringify(key)}`, gotByte(c));
            st = St.Value;
            break;
          case St.Value: {
            if (isWs(c)) break;
            valueStart = pos + i;
            if (lvl === Lvl.Root && key === 'data' && !sawData) {
              if (c !== Ch.LBrace) bad(pos + i, 'the "data" value to be an object of weeks {"YYYY-MM-DD": {...}}', gotByte(c));
              sawData = true;
              lvl = Lvl.Data;
              st = St.KeyOrEnd;
              break;
            }
            const isWeek = lvl === Lvl.Data || /^\d/.test(key);
            if (isWeek) {
              if (c !== Ch.LBrace) {
                throw new ReleaseFormatError({ file, byteOffset: pos + i, week: key, expected: 'the week value to be an object {"nodes": [...], "links": [...]}', got: gotByte(c) });
              }
              capturing = true;
            } else {
              capturing = false;
              opts.onSkippedKey?.(key);
              if (c !== Ch.LBrace && c !== Ch.LBracket) {
                if (c === Ch.Quote) {
                  // A string scalar: capture as a depth-0 string via the hot loop's rules.
                  st = St.SkipScalar;
                  inStr = true;
                  esc = false;
                  break;
                }
                st = St.SkipScalar;
                inStr = false;
                break;
              }
            }
            st = St.Capture;
            depth = 0;
            inStr = false;
            esc = false;
            parts = [];
            captureFrom = i;
            continue; // the hot loop counts this brace
          }
          case St.SkipScalar:
            if (inStr) {
              if (esc) esc = false;
              else if (c === Ch.Backslash) esc = true;
              else if (c === Ch.Quote) inStr = false;
              break;
            }
            if (c === Ch.Comma || c === Ch.RBrace || isWs(c)) {
              st = St.CommaOrEnd;
              continue;
            }
            break;
          case St.Done:
            if (!isWs(c)) bad(pos + i, 'nothing after the end of the root object', gotByte(c));
            break;
        }
        i++;
      }
      if (st === St.Capture && capturing && captureFrom >= 0) parts.push(buf.subarray(captureFrom, len));
      if (st === St.Key && keyFrom >= 0) keyParts.push(buf.subarray(keyFrom, len));
      pos += len;
      opts.onBytes?.(pos, total);
      for (const w of out) yield w;
    }
    if (st !== St.Done) {
      const where = st === St.Capture && capturing ? ` inside week ${key} (which starts at byte ${valueStart})` : '';
      throw new ReleaseFormatError({
        file,
        byteOffset: pos,
        expected: `the file to end with the closing '}' of the root object${where}`,
        got: `end of file at byte ${pos} (truncated file?)`,
      });
    }
  } finally {
    await fh.close();
  }
}

/** 1-based line number of a byte offset (read on error paths only). */
export async function lineAtOffset(path: string, byteOffset: number): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let line = 1;
    let pos = 0;
    while (pos < byteOffset) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, byteOffset - pos), pos);
      if (bytesRead === 0) break;
      for (let k = 0; k < bytesRead; k++) if (buf[k] === 0x0a) line++;
      pos += bytesRead;
    }
    return line;
  } finally {
    await fh.close();
  }
}
