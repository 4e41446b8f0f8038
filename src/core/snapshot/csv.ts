/**
 * RFC 4180 CSV: a reader for small metadata files (meta_df.csv, with quoted names
 * that may hold commas, quotes or newlines) and a field formatter for exports.
 */

export interface CsvRow {
  fields: string[];
  /** 1-based line where the row starts. */
  line: number;
}

/**
 * Parse CSV text into rows. Throws `Error` with the line on an unterminated quote or
 * a stray quote inside an unquoted field; callers wrap it with the file name.
 */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  let quoted = false;
  let fieldStarted = false;
  const endRow = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '' && !quoted)) rows.push({ fields, line: rowLine });
    fields = [];
    field = '';
    fieldStarted = false;
    quoted = false;
  };
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const d = text[i];
        if (i < n && d !== ',' && d !== '\n' && d !== '\r') throw new Error(`line ${line}: expected ',' or end of line after a closing quote, got '${d}'`);
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      fieldStarted = false;
      i++;
    } else if (c === '\r' || c === '\n') {
      endRow();
      if (c === '\r' && text[i + 1] === '\n') i++;
      i++;
      line++;
      rowLine = line;
    } else if (c === '"') {
      if (fieldStarted) throw new Error(`line ${line}: a quote inside an unquoted field`);
      quoted = true;
      fieldStarted = true;
      i++;
    } else {
      field += c;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) throw new Error(`line ${rowLine}: unterminated quoted field`);
  if (fieldStarted || fields.length > 0) endRow();
  return rows;
}

/** One CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A number with full precision: shortest round-trip text (JS `String`), '' for NaN. */
export function csvNumber(x: number): string {
  return Number.isFinite(x) ? String(x) : '';
}
