/**
 * The rules that turn one week's records into columnar WeekData (data-spec §2,
 * RFE:build_snapshot), in one place for both readers: the byte parser of the loader
 * (week-parser.ts) and the reader of an already parsed value (weekFromJson,
 * week-data.ts). Node order is JSON order; a null-id node is skipped; a link with a
 * null or unknown endpoint is dropped; self-loops, zero-weight and parallel links are
 * kept; a missing size is 0; a number used as an id is an id. Everything repaired is
 * counted in RepairCounts; what cannot be repaired (an empty or repeated id, a size
 * that is not a finite number >= 0, a composition value that is not finite) throws a
 * ReleaseFormatError naming file, week, record and field.
 *
 * A reader reports what it found (a JSON kind it cannot use is named in `got`);
 * offsets are the reader's byte positions (the byte parser's), absent otherwise.
 */
import { ReleaseFormatError } from './errors';
import { emptyRepairCounts } from './report';
import type { WeekData } from './week-data';

/** What each place of a week must hold (the messages' "expected"). */
export const EXPECTED = {
  week: 'an object {"nodes": [...], "links": [...]}',
  nodes: 'an array of nodes',
  links: 'an array of links',
  node: 'an object {id, size, composition}',
  link: 'an object {source, target, size}',
  id: 'a non-empty string (or null)',
  endpoint: 'a protocol id string (or null)',
  size: 'a finite number >= 0',
  composition: 'an object {token: USD}',
  usd: 'a finite number (USD)',
} as const;

class Growable<T extends Float64Array | Int32Array | Uint8Array> {
  arr: T;
  len = 0;
  constructor(private readonly make: (n: number) => T) {
    this.arr = make(1024);
  }
  push(x: number): void {
    if (this.len === this.arr.length) this.grow(1);
    this.arr[this.len++] = x;
  }
  /** Room for k more without growing. */
  reserve(k: number): void {
    if (this.len + k > this.arr.length) this.grow(k);
  }
  private grow(k: number): void {
    const next = this.make(Math.max(this.arr.length * 2, this.len + k));
    next.set(this.arr);
    this.arr = next;
  }
  take(): T {
    return this.arr.slice(0, this.len) as T;
  }
}

const enum Records {
  None,
  Nodes,
  Links,
}

export class WeekBuilder {
  readonly repairs = emptyRepairCounts();
  private records = Records.None;
  private recordIndex = 0;
  private readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly firstRecord = new Map<string, number>();
  private readonly tvl = new Growable((k) => new Float64Array(k));
  private readonly offsets = new Growable((k) => new Int32Array(k));
  private readonly tokens: string[] = [];
  private readonly values = new Growable((k) => new Float64Array(k));
  // The tokens' UTF-8 bytes as an Arrow Utf8 column (ends of each), so the cache
  // writer does not encode the strings again.
  private readonly tokenBytes = new Growable((k) => new Uint8Array(k));
  private readonly tokenEnds = new Growable((k) => new Int32Array(k));
  // Links are resolved in build(), after both arrays are read (JSON key order is free).
  private readonly linkSrc: string[] = [];
  private readonly linkDst: string[] = [];
  private readonly linkW = new Growable((k) => new Float64Array(k));
  // The node being read.
  private tokStart = 0;
  private valStart = 0;
  private bytesStart = 0;
  private negatives = 0;

  constructor(
    readonly file: string,
    readonly week: string,
    /** File offset of the reader's position 0. */
    readonly baseOffset = 0,
  ) {
    this.offsets.push(0);
  }

  /** The record being read, e.g. "nodes[3]" (made only for messages). */
  record(): string | undefined {
    return this.records === Records.None ? undefined : `${this.records === Records.Nodes ? 'nodes' : 'links'}[${this.recordIndex}]`;
  }

  fail(field: string | undefined, expected: string, got: string, at?: number): never {
    throw new ReleaseFormatError({ file: this.file, week: this.week, record: this.record(), field, expected, got, byteOffset: at === undefined ? undefined : this.baseOffset + at });
  }

  /** Records read next are not nodes or links (between and after the two arrays). */
  endRecords(): void {
    this.records = Records.None;
  }

  /** An id read as a string: the empty string is refused. */
  id(s: string, field: string, at?: number): string {
    if (s === '') this.fail(field, field === 'id' ? EXPECTED.id : EXPECTED.endpoint, '""', at);
    return s;
  }

  /** An id that was a JSON number, turned into its text by the reader (undefined: no text for it, such as 1e999). */
  numericId(s: string | undefined, field: string, got: string, at?: number): string {
    if (s === undefined) this.fail(field, field === 'id' ? EXPECTED.id : EXPECTED.endpoint, got, at);
    this.repairs.numericIds++;
    return s;
  }

  /** A size (node or link) that is a number. */
  size(field: string, x: number, at?: number): number {
    if (!Number.isFinite(x) || x < 0) this.fail(field, EXPECTED.size, String(x), at);
    return x;
  }

  beginNode(r: number): void {
    this.records = Records.Nodes;
    this.recordIndex = r;
    this.tokStart = this.tokens.length;
    this.valStart = this.values.len;
    this.bytesStart = this.tokenBytes.len;
    this.negatives = 0;
  }

  /** Drops the node's composition read so far (a repeated key replaces the earlier value). */
  clearComposition(): void {
    if (this.tokens.length !== this.tokStart) this.tokens.length = this.tokStart;
    this.values.len = this.valStart;
    this.tokenEnds.len = this.valStart;
    this.tokenBytes.len = this.bytesStart;
    this.negatives = 0;
  }

  /**
   * One composition entry of the node, its value a number. `src[start, end)` are the
   * token's UTF-8 bytes when the reader has them (start -1: encoded here).
   */
  token(tok: string, x: number, at?: number, src?: Uint8Array, start = -1, end = 0): void {
    if (!Number.isFinite(x)) this.fail(`composition[${JSON.stringify(tok)}]`, EXPECTED.usd, String(x), at);
    if (x < 0) this.negatives++;
    this.tokens.push(tok);
    this.values.push(x);
    const bytes = this.tokenBytes;
    if (src === undefined || start < 0) {
      src = Buffer.from(tok, 'utf8');
      start = 0;
      end = src.length;
    }
    bytes.reserve(end - start);
    const arr = bytes.arr;
    let o = bytes.len;
    for (let k = start; k < end; k++) arr[o++] = src[k];
    bytes.len = o;
    this.tokenEnds.push(o);
  }

  /**
   * The node is complete: `id` null skips it; `size` undefined (absent or null) is 0;
   * `composition` false when absent or null. `at` is the node's offset, for a repeated id.
   */
  endNode(id: string | null, size: number | undefined, composition: boolean, at?: number): void {
    const repairs = this.repairs;
    if (id === null) {
      repairs.nullIdNodes++;
      this.clearComposition();
      return;
    }
    const prev = this.firstRecord.get(id);
    if (prev !== undefined) this.fail('id', `an id unique within the week (also nodes[${prev}])`, JSON.stringify(id), at);
    if (size === undefined) repairs.missingNodeSize++;
    if (!composition) repairs.nullComposition++;
    repairs.negativeCompositionValues += this.negatives;
    this.firstRecord.set(id, this.recordIndex);
    this.index.set(id, this.ids.length);
    this.ids.push(id);
    this.tvl.push(size ?? 0);
    this.offsets.push(this.tokens.length);
  }

  beginLink(r: number): void {
    this.records = Records.Links;
    this.recordIndex = r;
  }

  /** The link is complete: a null endpoint drops it; `size` undefined (absent or null) is 0. */
  endLink(source: string | null, target: string | null, size: number | undefined): void {
    if (source === null || target === null) {
      this.repairs.nullEndpointLinks++;
      return;
    }
    if (size === undefined) this.repairs.missingLinkSize++;
    this.linkSrc.push(source);
    this.linkDst.push(target);
    this.linkW.push(size ?? 0);
  }

  /** Resolves the links against the nodes and returns the week. */
  build(): WeekData {
    const repairs = this.repairs;
    const ids = this.ids;
    const index = this.index;
    const n = ids.length;
    const linkSrc = this.linkSrc;
    const linkDst = this.linkDst;
    const lw = this.linkW.arr;
    const m = linkSrc.length;
    const src = new Int32Array(m);
    const dst = new Int32Array(m);
    const w = new Float64Array(m);
    // (source, target) pairs seen: an open-addressing table (-1 empty), faster than a Set
    let cap = 16;
    while (cap < 2 * m) cap *= 2;
    const seen = new Float64Array(cap).fill(-1);
    const mask = cap - 1;
    let e = 0;
    for (let k = 0; k < m; k++) {
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
      let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) & mask;
      for (;;) {
        const at = seen[h];
        if (at === -1) {
          seen[h] = key;
          break;
        }
        if (at === key) {
          repairs.duplicateLinks++;
          break;
        }
        h = (h + 1) & mask;
      }
      src[e] = a;
      dst[e] = b;
      w[e] = x;
      e++;
    }
    const off = this.offsets.take();
    const ends = this.tokenEnds;
    const tokenOffsets = new Int32Array(ends.len + 1);
    tokenOffsets.set(ends.arr.subarray(0, ends.len), 1);
    return {
      week: this.week,
      ids,
      tvl: this.tvl.take(),
      composition: { offsets: new Uint32Array(off.buffer, off.byteOffset, off.length), tokens: this.tokens, values: this.values.take() },
      edgeSource: e === m ? src : src.slice(0, e),
      edgeTarget: e === m ? dst : dst.slice(0, e),
      edgeWeight: e === m ? w : w.slice(0, e),
      tokenUtf8: { offsets: tokenOffsets, bytes: this.tokenBytes.take() },
      repairs,
    };
  }
}
