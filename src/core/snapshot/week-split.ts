/**
 * Fast week splitter for the usual release layout `{"data": {"YYYY-MM-DD": {...}, ...}}`:
 * instead of following every string and bracket (week-scanner.ts, ~250 MB/s in one
 * thread, a third of a cold conversion's CPU time), it searches (natively: memchr for
 * the dates' '-' where that byte is rare, else Buffer.indexOf) for the bytes that open
 * every week after the first: the end of a date key and the start of the week's value,
 * e.g. `": {"nodes": [`, learnt from the first week. A hit counts as a boundary when
 * it is preceded by `} , "YYYY-MM-DD` (whitespace allowed where JSON allows it).
 *
 * The split is a guess until checked: every slice must then parse as exactly one
 * complete JSON object (the week parser refuses anything before or after the value).
 * The prefix, the separators and the end being the grammar's, and every slice a
 * complete value, the split is the only parse of the file, i.e. the one the exact
 * scanner finds. Whenever a check fails (including a file that is really malformed),
 * the caller converts again with the exact scanner, whose errors name the problem.
 * Files of another shape (no "data" wrapper, other root keys, escaped keys) return
 * `undefined` from the first check and take the exact scanner directly.
 */
import type { FileHandle } from 'node:fs/promises';
import type { ScanOptions, WeekSlice } from './week-scanner';

/** Thrown when the guessed split does not hold; the caller converts with the exact scanner. */
export class SplitMismatch extends Error {}

const isWs = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** Bytes of a date key's value between its quotes, `dddd-dd-dd`. */
const DATE_LEN = 10;
/** Bytes of the week value kept in the needle: `{` through its first key's closing quote and at most a few more. */
const VALUE_PREFIX_MAX = 12;

const DASH = 0x2d;
/** From a date key's first '-' to its closing quote, where the needle starts. */
const DASH_TO_NEEDLE = DATE_LEN - 4;

/** Whether `byte` occurs in b[from, to) less than once per 4 KiB. */
function rareByte(b: Buffer, byte: number, from: number, to: number): boolean {
  const allowed = Math.floor((to - from) / 4096);
  let n = 0;
  for (let p = b.indexOf(byte, from); p >= 0 && p < to; p = b.indexOf(byte, p + 1)) if (++n > allowed) return false;
  return true;
}

function isDateAt(b: Uint8Array, i: number): boolean {
  return isDigit(b[i]) && isDigit(b[i + 1]) && isDigit(b[i + 2]) && isDigit(b[i + 3]) && b[i + 4] === 0x2d && isDigit(b[i + 5]) && isDigit(b[i + 6]) && b[i + 7] === 0x2d && isDigit(b[i + 8]) && isDigit(b[i + 9]);
}

interface Head {
  /** Offset of the first week's date key (after its opening quote). */
  keyAt: number;
  /** Offset of the first week's value `{`. */
  valueAt: number;
  /** The needle: from the closing quote of a date key to the first bytes of the week value. */
  needle: Buffer;
  /** Where the '{' lies in the needle. */
  braceInNeedle: number;
}

/** Reads `{ "data" : { "YYYY-MM-DD" : {` at the start; undefined when the file starts otherwise. */
function head(b: Buffer, n: number): Head | undefined {
  let i = 0;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
  const ws = (): void => {
    while (i < n && isWs(b[i])) i++;
  };
  const lit = (s: string): boolean => {
    for (let k = 0; k < s.length; k++) if (b[i + k] !== s.charCodeAt(k)) return false;
    i += s.length;
    return true;
  };
  ws();
  if (!lit('{')) return undefined;
  ws();
  if (!lit('"data"')) return undefined;
  ws();
  if (!lit(':')) return undefined;
  ws();
  if (!lit('{')) return undefined;
  ws();
  if (!lit('"')) return undefined;
  const keyAt = i;
  if (i + DATE_LEN >= n || !isDateAt(b, i) || b[i + DATE_LEN] !== 0x22) return undefined;
  i += DATE_LEN;
  const closeQuote = i;
  i++;
  ws();
  if (!lit(':')) return undefined;
  ws();
  if (b[i] !== 0x7b) return undefined;
  const valueAt = i;
  // `{`, whitespace, then the first key through its closing quote
  let j = i + 1;
  while (j < n && isWs(b[j])) j++;
  if (b[j] !== 0x22) return undefined;
  j++;
  while (j < n && j - valueAt < VALUE_PREFIX_MAX && b[j] !== 0x22 && b[j] !== 0x5c) j++;
  if (b[j] !== 0x22) return undefined;
  return { keyAt, valueAt, needle: Buffer.from(b.subarray(closeQuote, j + 1)), braceInNeedle: valueAt - closeQuote };
}

/**
 * Weeks of one release file split by the separator search (see above), as
 * scanWeeks yields them. Returns undefined when the file does not start as the usual
 * layout; throws SplitMismatch where the layout stops holding (the caller then uses
 * the exact scanner); the slices still need the parser's check. A slice's bytes are a
 * view into the read buffer, valid until the next slice is asked for (a conversion
 * worker reads the week from the file itself; this thread parses it at once).
 */
export async function splitWeeks(fh: FileHandle, opts: ScanOptions = {}): Promise<AsyncGenerator<WeekSlice> | undefined> {
  const total = (await fh.stat()).size;
  const chunkBytes = opts.chunkBytes ?? 8 << 20;
  let buf = Buffer.allocUnsafe(Math.max(2 * chunkBytes, 1 << 16));
  let fill = 0;
  /** File offset of buf[0]. */
  let base = 0;
  let pos = 0;
  const read = async (): Promise<number> => {
    if (buf.length - fill < chunkBytes) {
      const grown = Buffer.allocUnsafe(Math.max(buf.length * 2, fill + chunkBytes));
      buf.copy(grown, 0, 0, fill);
      buf = grown;
    }
    const { bytesRead } = await fh.read(buf, fill, chunkBytes, pos);
    fill += bytesRead;
    pos += bytesRead;
    return bytesRead;
  };
  const reported = (from: number): void => {
    opts.onChunk?.(buf.subarray(from, fill));
    opts.onBytes?.(pos, total);
  };
  while (fill < 4096 && pos < total && (await read()) > 0);
  const h = head(buf, fill);
  if (!h) return undefined;
  // the caller sees the bytes read so far only once the layout is known
  reported(0);

  async function* weeks(): AsyncGenerator<WeekSlice> {
    const { needle, braceInNeedle } = h!;
    let keyAt = h!.keyAt;
    let start = h!.valueAt;
    let from = start + 1;
    // Where '-' is rare in the weeks (sampled in what is read so far), the needle is
    // found through the dates' first '-' (memchr: a few hits a week) instead of
    // searching for the needle itself, whose frequent bytes ('"', ':') make Buffer's
    // Boyer-Moore-Horspool advance a few bytes a step (~0.4 GB/s, a quarter of this
    // thread's work on the full-scale file).
    const byDash = rareByte(buf, DASH, start, fill);
    const search = (at: number): number => {
      const region = buf.subarray(0, fill);
      if (!byDash) return region.indexOf(needle, at);
      // a boundary's needle follows a date: its first '-' lies DASH_TO_NEEDLE bytes before the needle
      for (let p = Math.max(0, at - DASH_TO_NEEDLE); ; p++) {
        p = region.indexOf(DASH, p);
        if (p < 0 || p + DASH_TO_NEEDLE + needle.length > fill) return -1;
        const hit = p + DASH_TO_NEEDLE;
        if (isDateAt(region, p - 4) && region.compare(needle, 0, needle.length, hit, hit + needle.length) === 0) return hit;
      }
    };
    // a view into the read buffer, not a copy: valid until the next slice is asked for
    const slice = (end: number): WeekSlice => ({ week: buf.toString('latin1', keyAt, keyAt + DATE_LEN), bytes: buf.subarray(start, end), byteOffset: base + start });
    for (;;) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
      const hit = search(from);
      if (hit < 0) {
        if (pos >= total) break;
        // keep the current week (from its key) at the front, read on
        if (buf.length - fill < chunkBytes && keyAt > 0) {
          const keep = keyAt - 1;
          buf.copy(buf, 0, keep, fill);
          fill -= keep;
          base += keep;
          start -= keep;
          keyAt -= keep;
        }
        // a needle (and the date before it) across the end is looked for again
        from = Math.max(start + 1, fill - needle.length - DASH_TO_NEEDLE + 1);
        const at = fill;
        if ((await read()) === 0) break;
        reported(at);
        continue;
      }
      from = hit + 1;
      // `}` ws `,` ws `"` date before the needle's closing quote
      const k = hit - DATE_LEN;
      if (k - 1 <= start || buf[k - 1] !== 0x22 || !isDateAt(buf, k)) continue;
      let j = k - 2;
      while (j > start && isWs(buf[j])) j--;
      if (buf[j] !== 0x2c) continue;
      j--;
      while (j > start && isWs(buf[j])) j--;
      if (buf[j] !== 0x7d) continue;
      yield slice(j + 1);
      keyAt = k;
      start = hit + braceInNeedle;
      from = start + 1;
    }
    // the last week: its value, then `}` closing "data" and `}` closing the root
    let j = fill - 1;
    while (j > start && isWs(buf[j])) j--;
    if (buf[j] !== 0x7d) throw new SplitMismatch('no closing brace of the root object');
    j--;
    while (j > start && isWs(buf[j])) j--;
    if (buf[j] !== 0x7d) throw new SplitMismatch('no closing brace of "data"');
    j--;
    while (j > start && isWs(buf[j])) j--;
    if (buf[j] !== 0x7d) throw new SplitMismatch('no closing brace of the last week');
    yield slice(j + 1);
  }
  return weeks();
}
