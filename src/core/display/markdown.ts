/**
 * Markdown fallbacks for the display bundles: what a notebook shows where our
 * renderer is absent (GitHub, Jupyter, a text diff). Untrusted strings (protocol
 * names, categories) are escaped so they can neither break the table nor inject HTML
 * into a markdown renderer that allows it.
 */
import { columnLabel } from './columns';
import { formatCell } from './format';
import type { TableColumn } from './protocol';

/** Escapes markdown and HTML specials; newlines become spaces so a cell stays one line. */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1');
}

/** A GitHub-flavoured markdown table of at most `maxRows` rows, with a "... n more" line. */
export function markdownTable(columns: Pick<TableColumn, 'name' | 'label' | 'kind' | 'digits'>[], rows: readonly (readonly unknown[])[], maxRows = 20): string {
  if (columns.length === 0) return '_(no columns)_';
  const numeric = (c: Pick<TableColumn, 'kind'>) => c.kind !== 'string' && c.kind !== 'date' && c.kind !== 'boolean';
  const head = `| ${columns.map((c) => escapeMarkdown(columnLabel(c))).join(' | ')} |`;
  const rule = `| ${columns.map((c) => (numeric(c) ? '---:' : '---')).join(' | ')} |`;
  const body = rows.slice(0, maxRows).map((r) => `| ${columns.map((c, j) => escapeMarkdown(formatCell(r[j], c))).join(' | ')} |`);
  const lines = [head, rule, ...body];
  if (rows.length > maxRows) lines.push('', `_... ${rows.length - maxRows} more rows (${rows.length} in all)_`);
  if (rows.length === 0) lines.push('', '_(no rows)_');
  return lines.join('\n');
}
