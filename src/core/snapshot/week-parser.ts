/**
 * Single-pass parser from one week's JSON bytes (`{"nodes": [...], "links": [...]}`,
 * data-spec §1.1) straight into the columnar WeekData: a JsonCursor (json-cursor.ts)
 * reads the bytes, this module walks the week's structure, and the WeekBuilder
 * (week-builder.ts) applies the validation and repair rules, the same ones
 * `weekFromJson` (week-data.ts) applies to a parsed value. Errors carry the week,
 * record, field and byte offset.
 */
import { COMMA, JsonCursor, keyBytes, LBRACE, LBRACKET, QUOTE, RBRACE, RBRACKET, Within } from './json-cursor';
import { pythonStrOfJsonNumber } from './python-id';
import { EXPECTED, WeekBuilder } from './week-builder';
import type { WeekData } from './week-data';

const K_ID = keyBytes('id');
const K_SIZE = keyBytes('size');
const K_COMPOSITION = keyBytes('composition');
const K_SOURCE = keyBytes('source');
const K_TARGET = keyBytes('target');
const K_NODES = keyBytes('nodes');
const K_LINKS = keyBytes('links');

const enum Key {
  Other,
  Id,
  Size,
  Composition,
  Source,
  Target,
  Nodes,
  Links,
}

function keyOf(k: string): Key {
  switch (k) {
    case 'id':
      return Key.Id;
    case 'size':
      return Key.Size;
    case 'composition':
      return Key.Composition;
    case 'source':
      return Key.Source;
    case 'target':
      return Key.Target;
    case 'nodes':
      return Key.Nodes;
    case 'links':
      return Key.Links;
    default:
      return Key.Other;
  }
}

class WeekParser {
  private readonly c: JsonCursor;
  private readonly w: WeekBuilder;

  constructor(b: Buffer, file: string, week: string, baseOffset: number) {
    this.w = new WeekBuilder(file, week, baseOffset);
    this.c = new JsonCursor(b, { file, week, baseOffset, record: () => this.w.record() });
  }

  /** At a key inside a node or link: the usual keys are matched on their bytes, others read (escapes decoded). */
  private recordKey(a: Uint8Array, ka: Key, b: Uint8Array, kb: Key, c: Uint8Array, kc: Key): Key {
    const cur = this.c;
    cur.atKey(Within.Record);
    if (cur.keyIs(a)) return ka;
    if (cur.keyIs(b)) return kb;
    if (cur.keyIs(c)) return kc;
    return keyOf(cur.key(Within.Record));
  }

  /** At a key inside a link: its three keys and the composition it may carry (skipped) matched on their bytes. */
  private linkKey(): Key {
    const cur = this.c;
    cur.atKey(Within.Record);
    if (cur.keyIs(K_SOURCE)) return Key.Source;
    if (cur.keyIs(K_TARGET)) return Key.Target;
    if (cur.keyIs(K_SIZE)) return Key.Size;
    if (cur.keyIs(K_COMPOSITION)) return Key.Composition;
    return keyOf(cur.key(Within.Record));
  }

  /** A size value (node or link): the number, or undefined for null; anything else throws. */
  private size(field: string): number | undefined {
    const cur = this.c;
    cur.ws();
    const at = cur.i;
    const k = cur.numberOrKind();
    if (k === 'number') return this.w.size(field, cur.num, at);
    if (k === 'null') return undefined;
    return this.w.fail(field, EXPECTED.size, k, at);
  }

  /** An id value: string, number (its Python str(), counted) or null. */
  private idValue(field: string): string | null {
    const cur = this.c;
    const ch = cur.ws();
    const at = cur.i;
    if (ch === QUOTE) return this.w.id(cur.readString(), field, at);
    if (ch === 0x2d || (ch >= 0x30 && ch <= 0x39)) {
      cur.readNumber();
      // the authors apply str() to the value json.loads makes (python-id.ts)
      const literal = cur.b.toString('latin1', at, cur.i);
      return this.w.numericId(pythonStrOfJsonNumber(literal), field, literal, at);
    }
    const k = cur.skipValue();
    if (k !== 'null') this.w.fail(field, field === 'id' ? EXPECTED.id : EXPECTED.endpoint, k, at);
    return null;
  }

  parse(): WeekData {
    const cur = this.c;
    const w = this.w;
    let sawNodes = false;
    let sawLinks = false;
    const weekStart = cur.i;
    if (cur.ws() !== LBRACE) w.fail(undefined, EXPECTED.week, cur.b.toString('latin1', cur.i, Math.min(cur.i + 20, cur.n)), cur.i);
    if (cur.open(RBRACE)) {
      do {
        cur.atKey(Within.Week);
        const key = cur.keyIs(K_NODES) ? Key.Nodes : cur.keyIs(K_LINKS) ? Key.Links : keyOf(cur.key(Within.Week));
        if (key === Key.Nodes || key === Key.Links) {
          const isNodes = key === Key.Nodes;
          const name = isNodes ? 'nodes' : 'links';
          if (isNodes) sawNodes = true;
          else sawLinks = true;
          cur.ws();
          const at = cur.i;
          if (cur.b[at] !== LBRACKET) w.fail(name, isNodes ? EXPECTED.nodes : EXPECTED.links, cur.skipValue(), at);
          if (cur.open(RBRACKET)) {
            let r = 0;
            do {
              if (isNodes) this.node(r++);
              else this.link(r++);
            } while (cur.more(RBRACKET, name));
          }
          w.endRecords();
        } else cur.skipValue();
      } while (cur.more(RBRACE, Within.Week));
    }
    if (cur.ws() !== -1) cur.syntax('the end of the week value');
    if (!sawNodes) w.fail('nodes', EXPECTED.nodes, 'nothing (field missing)', weekStart);
    if (!sawLinks) w.fail('links', EXPECTED.links, 'nothing (field missing)', weekStart);
    return w.build();
  }

  private node(r: number): void {
    const cur = this.c;
    const w = this.w;
    w.beginNode(r);
    cur.ws();
    const at = cur.i;
    if (cur.b[at] !== LBRACE) w.fail(undefined, EXPECTED.node, cur.skipValue(), at);
    let id: string | null = null;
    let size: number | undefined;
    let composition = false;
    if (cur.open(RBRACE)) {
      do {
        const key = this.recordKey(K_ID, Key.Id, K_SIZE, Key.Size, K_COMPOSITION, Key.Composition);
        if (key === Key.Id) id = this.idValue('id');
        else if (key === Key.Size) size = this.size('size');
        else if (key === Key.Composition) composition = this.composition();
        else cur.skipValue();
      } while (cur.more(RBRACE, Within.Record));
    }
    w.endNode(id, size, composition, at);
  }

  /** A node's composition value: true for an object (its entries given to the builder), false for null. */
  private composition(): boolean {
    const cur = this.c;
    const w = this.w;
    const ch = cur.ws();
    const at = cur.i;
    // A repeated key replaces the earlier value (JSON.parse semantics).
    w.clearComposition();
    if (ch !== LBRACE) {
      const k = cur.skipValue();
      if (k !== 'null') w.fail('composition', EXPECTED.composition, k, at);
      return false;
    }
    if (cur.open(RBRACE)) {
      for (;;) {
        const tok = cur.key(Within.Composition);
        const tokStart = cur.strStart;
        const tokEnd = cur.strEnd;
        const tat = cur.i;
        const k = cur.numberOrKind();
        if (k !== 'number') w.fail(`composition[${JSON.stringify(tok)}]`, EXPECTED.usd, k, tat);
        w.token(tok, cur.num, tat, cur.b, tokStart, tokEnd);
        // the usual separator, checked inline (more() handles the rest)
        if (cur.b[cur.i] === COMMA) cur.i++;
        else if (!cur.more(RBRACE, Within.Composition)) break;
      }
    }
    return true;
  }

  private link(r: number): void {
    const cur = this.c;
    const w = this.w;
    w.beginLink(r);
    cur.ws();
    const at = cur.i;
    if (cur.b[at] !== LBRACE) w.fail(undefined, EXPECTED.link, cur.skipValue(), at);
    let s: string | null = null;
    let t: string | null = null;
    let size: number | undefined;
    if (cur.open(RBRACE)) {
      do {
        const key = this.linkKey();
        if (key === Key.Source) s = this.idValue('source');
        else if (key === Key.Target) t = this.idValue('target');
        else if (key === Key.Size) size = this.size('size');
        else cur.skipValue();
      } while (cur.more(RBRACE, Within.Record));
    }
    w.endLink(s, t, size);
  }
}

/** Parse one week's bytes (the value of a week key). */
export function parseWeekBytes(bytes: Buffer, file: string, week: string, baseOffset = 0): WeekData {
  return new WeekParser(bytes, file, week, baseOffset).parse();
}
