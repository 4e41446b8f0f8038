/**
 * Markdown fallbacks for the display bundles: what a notebook shows where our
 * renderer is absent (GitHub, Jupyter, a text diff). Untrusted strings (protocol
 * names, categories) are escaped so they can neither break the table nor inject HTML
 * into a markdown renderer that allows it.
 */
import { columnLabel } from './columns';
import { displaySource, formatCell, formatPercent, formatUsd } from './format';
import type { ChartPayload, GraphPayload, StressPayload, TableColumn, TablePayload } from './protocol';

/**
 * Escapes markdown and HTML specials; newlines become spaces so a cell stays one line.
 * Only characters that can start markup are escaped (inline everywhere, block markers
 * at the start), so text output reads "+50.0%" rather than "\\+50.0%".
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/^(\s*)(#{1,6}(?=\s|$)|[+=-](?=\s|$|[+=-])|\d+(?=[.)](?:\s|$)))/, (_m, space: string, mark: string) => (/^\d/.test(mark) ? `${space}${mark}\\` : `${space}\\${mark}`));
}

/** A GitHub-flavoured markdown table of at most `maxRows` rows, with a "... n more" line. */
export function markdownTable(columns: Pick<TableColumn, 'name' | 'label' | 'kind' | 'digits'>[], rows: readonly (readonly unknown[])[], maxRows = 20): string {
  if (columns.length === 0) return '_(no columns)_';
  const numeric = (c: Pick<TableColumn, 'kind'>) => c.kind !== 'string' && c.kind !== 'date' && c.kind !== 'boolean';
  const head = `| ${columns.map((c) => escapeMarkdown(columnLabel(c))).join(' | ')} |`;
  const rule = `| ${columns.map((c) => (numeric(c) ? '---:' : '---')).join(' | ')} |`;
  const body = rows.slice(0, maxRows).map((r) => `| ${columns.map((c, j) => escapeMarkdown(formatCell(r[j], c))).join(' | ')} |`);
  const lines = [head, rule, ...body];
  if (rows.length > maxRows) lines.push('', `_... ${rows.length - maxRows} more row${rows.length - maxRows === 1 ? '' : 's'} (${rows.length} in all)_`);
  if (rows.length === 0) lines.push('', '_(no rows)_');
  return lines.join('\n');
}

// ---- each view's fallback, from its payload (src/core/display/views.ts lists them) ----

export function tableMarkdown(p: TablePayload, maxRows = 20): string {
  const parts: string[] = [];
  if (p.title) parts.push(`**${escapeMarkdown(p.title)}**`, '');
  parts.push(markdownTable(p.columns, p.rows, maxRows));
  if (p.caption) parts.push('', `_${escapeMarkdown(p.caption)}_`);
  return parts.join('\n');
}

export function graphMarkdown(p: GraphPayload, rows = 10): string {
  const predicted = p.edges.filter((e) => e.kind === 'predicted').length;
  const totalTvl = p.nodes.reduce((a, nd) => a + nd.tvl, 0);
  const out = new Map<string, number>();
  for (const e of p.edges) if (e.kind !== 'predicted') out.set(e.source, (out.get(e.source) ?? 0) + e.weight);
  const head = `**${escapeMarkdown(p.title ?? 'Exposure graph')}**${p.week ? ` (week ${escapeMarkdown(p.week)})` : ''}: ${p.nodes.length} protocols, ${p.edges.length - predicted} exposures${predicted ? `, ${predicted} predicted` : ''}, total TVL ${escapeMarkdown(formatUsd(totalTvl))}.`;
  const table = markdownTable(
    [
      { name: 'protocol', kind: 'string' },
      { name: 'category', kind: 'string' },
      { name: 'TVL', kind: 'usd' },
      { name: 'SIS rank', kind: 'integer' },
      { name: 'exposure held', kind: 'usd' },
    ],
    p.nodes.slice(0, rows).map((nd) => [nd.name, nd.category, nd.tvl, nd.sisRank ?? null, out.get(nd.id) ?? 0]),
    rows,
  );
  return `${head}\n\nLargest protocols by TVL:\n\n${table}${p.source ? `\n\n_Source: ${escapeMarkdown(displaySource(p.source))}_` : ''}`;
}

function titleOf(layout: Record<string, unknown> | undefined): string | undefined {
  const t = layout?.title;
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string') return (t as { text: string }).text;
  return undefined;
}

export function chartMarkdown(p: ChartPayload): string {
  const title = titleOf(p.layout);
  const rows = p.data.map((t, i) => {
    const tr = t as Record<string, unknown>;
    const pts = Array.isArray(tr.y) ? tr.y.length : Array.isArray(tr.x) ? tr.x.length : Array.isArray(tr.values) ? tr.values.length : 0;
    return [typeof tr.name === 'string' ? tr.name : `trace ${i + 1}`, typeof tr.type === 'string' ? tr.type : 'scatter', pts];
  });
  const head = `**Chart${title ? `: ${escapeMarkdown(title)}` : ''}** (${p.data.length} trace${p.data.length === 1 ? '' : 's'}; open in VS Code with DeXposure Notebooks to see it)`;
  return `${head}\n\n${markdownTable([{ name: 'trace', kind: 'string' }, { name: 'type', kind: 'string' }, { name: 'points', kind: 'integer' }], rows)}`;
}

export function stressMarkdown(p: StressPayload, rows = 10): string {
  const r = p.result;
  const lines = [
    `**Stress test: ${escapeMarkdown(p.scenario.name)}**${r.week ? ` (week ${escapeMarkdown(r.week)})` : ''}${p.scenario.description ? ` — ${escapeMarkdown(p.scenario.description)}` : ''}`,
    '',
    `System loss ${formatPercent(r.systemLossPct)} (${escapeMarkdown(formatUsd(r.totalLoss))} of ${escapeMarkdown(formatUsd(r.totalTvl))} TVL); depth ${r.depth} rounds; ${r.affected} affected, ${r.distressed} distressed.`,
  ];
  const all = [r, ...(p.comparison ?? [])];
  if (all.length > 1) {
    lines.push('', markdownTable(
      [{ name: 'graph', kind: 'string' }, { name: 'system loss', kind: 'percent' }, { name: 'depth', kind: 'integer' }, { name: 'affected', kind: 'integer' }, { name: 'distressed', kind: 'integer' }],
      all.map((x, i) => [x.label ?? `result ${i + 1}`, x.systemLossPct, x.depth, x.affected, x.distressed]),
    ));
  }
  lines.push('', 'Largest losses:', '', markdownTable(
    [{ name: 'protocol', kind: 'string' }, { name: 'category', kind: 'string' }, { name: 'loss', kind: 'usd' }, { name: 'TVL', kind: 'usd' }, { name: 'distressed in round', kind: 'integer' }],
    r.losses.map((l) => [l.name, l.category, l.loss, l.tvl, l.distressedRound ?? null]),
    rows,
  ));
  return lines.join('\n');
}
