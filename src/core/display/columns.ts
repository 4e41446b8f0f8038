/**
 * Column headers for table views: what a reader sees instead of a field name
 * (`tvl` -> "TVL", `tailExposure` -> "tail exposure"), and the unit a field name
 * states (`systemLossPct` holds percentages). Shared by the kernel's table builder and
 * the renderer (which labels saved outputs made before columns carried labels).
 */
import type { ColumnKind, TableColumn } from './protocol';

/** Headers and descriptions for the field names our results use. */
export const KNOWN_FIELDS: Record<string, { label: string; description?: string }> = {
  tvl: { label: 'TVL', description: 'total value locked (USD)' },
  totalTvl: { label: 'total TVL', description: 'total value locked (USD)' },
  sis: { label: 'SIS', description: 'systemic importance score: a weighted blend of TVL share, PageRank and tail exposure (docs/MEASURES.md)' },
  sisRank: { label: 'SIS rank' },
  pagerank: { label: 'PageRank', description: 'PageRank on the exposure graph (damping 0.85)' },
  tailExposure: { label: 'tail exposure', description: 'share of the largest exposures (docs/MEASURES.md)' },
  systemLossPct: { label: 'system loss', description: 'loss as a share of total TVL' },
  tvlHHI: { label: 'TVL HHI', description: 'Herfindahl-Hirschman index of TVL shares (0-1)' },
  edgeHHI: { label: 'edge HHI' },
  meanSIS: { label: 'mean SIS' },
  giniTVL: { label: 'TVL Gini' },
};

const ABBREVIATIONS: Record<string, string> = { tvl: 'TVL', sis: 'SIS', hhi: 'HHI', usd: 'USD', id: 'id', mae: 'MAE', rmse: 'RMSE', auroc: 'AUROC', auprc: 'AUPRC', mrr: 'MRR', ece: 'ECE' };

/**
 * A reader's header for a field name: known fields by name (`tvl` -> "TVL"),
 * camelCase split into words (`tailExposure` -> "tail exposure") with a unit suffix
 * dropped when the cells show it (`lossPct` -> "loss", printed as 12.5%). Names that
 * are already prose ("ΔTVL %", "mean nodes") stay as they are (undefined).
 */
export function fieldLabel(name: string): string | undefined {
  const known = KNOWN_FIELDS[name];
  if (known) return known.label;
  if (ABBREVIATIONS[name]) return ABBREVIATIONS[name];
  if (!/^[a-z][a-z0-9]*([A-Z][a-z0-9]*)+$/.test(name)) return undefined;
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(' ');
  if (words.length > 1 && /^(pct|usd)$/i.test(words.at(-1)!)) words.pop();
  return words.map((w) => ABBREVIATIONS[w.toLowerCase()] ?? w.toLowerCase()).join(' ');
}

/**
 * The unit a numeric column's name states: `...Pct`, "... %" or "... (%)" hold
 * percentages (12.5 means 12.5%), `tvl`, `loss`, `...Tvl`, `...Loss` and `...Usd` hold
 * dollars. A "%" inside a name ("ΔMAE worst 20%") does not count.
 */
export function kindFromName(name: string): ColumnKind | undefined {
  if (/(^pct|[a-z0-9]Pct)$|\s%$|\(%\)$/.test(name)) return 'percent';
  if (/^(tvl|loss|usd)$/i.test(name) || /[a-z0-9](Tvl|Loss|Usd)$/.test(name)) return 'usd';
  return undefined;
}

/** The header a column shows. */
export function columnLabel(c: Pick<TableColumn, 'name' | 'label'>): string {
  return c.label ?? fieldLabel(c.name) ?? c.name;
}
