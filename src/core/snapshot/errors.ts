/**
 * Validation errors for release files, carrying where the problem is (file, week,
 * record path, field) and what was expected, so a user can open the file at the
 * right place (STYLE.md "tldraw store/validate": path-precise errors).
 */

export interface ReleaseFormatErrorInit {
  /** File name (basename for release files, as the user sees it in the folder). */
  file: string;
  /** Week key the problem is in, when inside a week. */
  week?: string;
  /** Record path inside the week, e.g. `nodes[17]`, or `line 42` for CSV files. */
  record?: string;
  /** Field of the record, e.g. `size`. */
  field?: string;
  expected: string;
  /** What was found, already rendered (JSON for values). */
  got?: string;
  /** Byte offset in the file, when known (malformed JSON, truncation). */
  byteOffset?: number;
  /** 1-based line in the file, when known. */
  line?: number;
}

/** Render a found value for an error message: short JSON, never the whole object. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing (field missing)';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    // nested too deep to print (or a cycle): say what it is
    s = Array.isArray(v) ? 'an array (nested too deep to show)' : typeof v === 'object' && v !== null ? 'an object (nested too deep to show)' : typeof v;
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export class ReleaseFormatError extends Error {
  /** The CLI prints the message alone (no stack): it already says file, place and what was expected. */
  readonly userFacing = true;
  readonly file: string;
  readonly week?: string;
  readonly record?: string;
  readonly field?: string;
  readonly expected: string;
  readonly got?: string;
  readonly byteOffset?: number;
  readonly line?: number;

  constructor(init: ReleaseFormatErrorInit, options?: { cause?: unknown }) {
    super(ReleaseFormatError.format(init), options);
    this.name = 'ReleaseFormatError';
    this.file = init.file;
    this.week = init.week;
    this.record = init.record;
    this.field = init.field;
    this.expected = init.expected;
    this.got = init.got;
    this.byteOffset = init.byteOffset;
    this.line = init.line;
  }

  /** `file, week W, nodes[17].size: expected ..., got ...` */
  static format(e: ReleaseFormatErrorInit): string {
    const where: string[] = [e.file];
    if (e.line !== undefined && e.byteOffset !== undefined) where.push(`line ${e.line} (byte ${e.byteOffset})`);
    else if (e.line !== undefined) where.push(`line ${e.line}`);
    else if (e.byteOffset !== undefined) where.push(`byte ${e.byteOffset}`);
    if (e.week !== undefined) where.push(`week ${e.week}`);
    const path = [e.record, e.field].filter((x) => x !== undefined && x !== '').join('.');
    const head = path ? `${where.join(', ')}, ${path}` : where.join(', ');
    return `${head}: expected ${e.expected}${e.got !== undefined ? `, got ${e.got}` : ''}`;
  }
}
