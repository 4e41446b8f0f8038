/**
 * Shared strings for short ASCII byte runs (protocol ids, token symbols): the same few
 * thousand repeat in every week, so the parser and the cache decoder hand out one
 * string per distinct value instead of a new one per occurrence. Fewer allocations,
 * and a shared string keeps its hash, so the Map lookups that follow (id -> node,
 * id -> metadata) do not hash it again. The table is direct-mapped: a lookup is one
 * array read and a byte compare; a collision just replaces the slot.
 */

const SLOTS = 1 << 16;
const MAX_LEN = 32;
const slots: string[] = new Array<string>(SLOTS).fill('');

/** Node's Buffer has latin1Slice (what toString('latin1') calls) without the argument checks. */
interface LatinSlicer {
  latin1Slice(start: number, end: number): string;
}

/**
 * The string of ASCII bytes b[start, end), whose hash `h` is the caller's running
 * `h = (Math.imul(h, 31) + byte) | 0` over those bytes.
 */
export function internAscii(b: Uint8Array, start: number, end: number, h: number): string {
  const len = end - start;
  if (len > MAX_LEN) return (b as unknown as LatinSlicer).latin1Slice(start, end);
  const slot = (h ^ (h >>> 15) ^ len) & (SLOTS - 1);
  const hit = slots[slot];
  if (hit.length === len) {
    let k = 0;
    while (k < len && hit.charCodeAt(k) === b[start + k]) k++;
    if (k === len) return hit;
  }
  const s = (b as unknown as LatinSlicer).latin1Slice(start, end);
  slots[slot] = s;
  return s;
}

/** The string of UTF-8 bytes b[start, end) of a Buffer: shared when ASCII, decoded otherwise. */
export function internUtf8(b: Buffer, start: number, end: number): string {
  let h = 0;
  for (let j = start; j < end; j++) {
    const c = b[j];
    if (c >= 0x80) return b.toString('utf8', start, end);
    h = (Math.imul(h, 31) + c) | 0;
  }
  return internAscii(b, start, end, h);
}
