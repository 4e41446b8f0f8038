/**
 * What the loader repaired or noticed in a release, with counts, so nothing is
 * dropped silently (data-spec "Decisions": the release's own quirks must load, be
 * counted and be reported). docs/DATA.md lists which quirks are repaired and which
 * problems are fatal.
 */

/** Counts of per-record repairs, summed over weeks (and per week in the cache). */
export interface RepairCounts {
  /** Nodes with `id: null` (or missing), dropped (the authors' FM loader skips them). */
  nullIdNodes: number;
  /** Node ids given as JSON numbers, turned into strings (the authors apply str()). */
  numericIds: number;
  /** Nodes without `size`, read as 0 (the authors use node.get("size", 0.0)). */
  missingNodeSize: number;
  /** Nodes with `composition` missing or null, read as {}. */
  nullComposition: number;
  /** Composition entries with a negative USD value, kept as they are. */
  negativeCompositionValues: number;
  /** Links with a null/missing source or target, dropped. */
  nullEndpointLinks: number;
  /** Links whose source or target is not a node of that week, dropped. */
  unknownEndpointLinks: number;
  /** Links without `size`, read as 0. */
  missingLinkSize: number;
  /** Self-loops (source == target), kept as the authors' FM loader does. */
  selfLoops: number;
  /** Links with weight 0, kept. */
  zeroWeightLinks: number;
  /** Parallel links (same source and target in a week), kept. */
  duplicateLinks: number;
}

export function emptyRepairCounts(): RepairCounts {
  return {
    nullIdNodes: 0,
    numericIds: 0,
    missingNodeSize: 0,
    nullComposition: 0,
    negativeCompositionValues: 0,
    nullEndpointLinks: 0,
    unknownEndpointLinks: 0,
    missingLinkSize: 0,
    selfLoops: 0,
    zeroWeightLinks: 0,
    duplicateLinks: 0,
  };
}

export function addRepairCounts(into: RepairCounts, add: RepairCounts): RepairCounts {
  for (const k of Object.keys(into) as (keyof RepairCounts)[]) into[k] += add[k] ?? 0;
  return into;
}

export interface DuplicateWeek {
  week: string;
  /** The file whose copy was discarded and the file whose copy is used. */
  overriddenFile: string;
  usedFile: string;
}

export interface ReleaseReport {
  /** Release files read, in the order they were applied (later overrides earlier). */
  files: string[];
  repairs: RepairCounts;
  /** Distinct node ids (over all weeks) with no row in meta_df.csv: category "Unknown". */
  idsMissingFromMeta: number;
  /** A few of them, for the user to look at. */
  idsMissingFromMetaSample: string[];
  /** Weeks present in more than one file; the later file (by file name) wins. */
  duplicateWeeks: DuplicateWeek[];
  /** meta_df.csv rows whose id repeats an earlier row (the last row wins, as in pandas). */
  duplicateMetaRows: number;
  /** How the cache was used: built now, reused, rebuilt (with why), or disabled. */
  cache: { status: 'built' | 'reused' | 'rebuilt' | 'memory'; dir?: string; reason?: string };
  /** Other notes (missing meta_df.csv, missing mapping folder, ...). */
  notes: string[];
}

/** Human-readable lines for the CLI and the notebook. */
export function formatReport(r: ReleaseReport): string[] {
  const lines: string[] = [];
  const c = r.repairs;
  const item = (n: number, what: string): void => {
    if (n > 0) lines.push(`${n.toLocaleString('en-US')} ${what}`);
  };
  item(c.nullIdNodes, 'nodes with a null id dropped');
  item(c.numericIds, 'numeric node ids read as strings');
  item(c.missingNodeSize, 'nodes without size read as 0');
  item(c.nullComposition, 'nodes with a null or missing composition read as {}');
  item(c.negativeCompositionValues, 'negative composition values kept');
  item(c.nullEndpointLinks, 'links with a null source or target dropped');
  item(c.unknownEndpointLinks, 'links to an id absent from the week dropped');
  item(c.missingLinkSize, 'links without size read as 0');
  item(c.selfLoops, 'self-loops kept');
  item(c.zeroWeightLinks, 'zero-weight links kept');
  item(c.duplicateLinks, 'parallel links kept');
  if (r.idsMissingFromMeta > 0) {
    const sample = r.idsMissingFromMetaSample.slice(0, 5).join(', ');
    lines.push(`${r.idsMissingFromMeta.toLocaleString('en-US')} ids absent from meta_df.csv get category "Unknown" (e.g. ${sample})`);
  }
  for (const d of r.duplicateWeeks) lines.push(`week ${d.week} is in ${d.overriddenFile} and ${d.usedFile}; using ${d.usedFile}`);
  if (r.duplicateMetaRows > 0) lines.push(`${r.duplicateMetaRows} repeated ids in meta_df.csv (last row wins)`);
  if (r.cache.status === 'rebuilt') lines.push(`cache rebuilt: ${r.cache.reason ?? 'unknown reason'}`);
  if (r.cache.status === 'memory') lines.push(`no cache: ${r.cache.reason ?? 'kept in memory'}`);
  lines.push(...r.notes);
  return lines;
}
