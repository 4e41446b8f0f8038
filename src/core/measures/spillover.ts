/**
 * Sector spillover matrix and spillover index.
 *
 * Paper (PAPER-NOTES): S_ij = total exposure from sector i to sector j (K x K, sectors =
 * the protocols' categories); SpilloverIndex = HHI of the off-diagonal entries.
 * Authors' code (data-spec §5.2, `compute_sector_spillover_index` + `spillover_hhi`):
 * S[src_sector][dst_sector] += w over w > 0 rows with src_sector != dst_sector (the
 * diagonal is never stored); index = sum over cells of (cell / total)^2, 0 if total <= 0.
 * Default mode keeps the diagonal in the matrix (within-sector exposure is useful to
 * see) and drops self-loops; the index is the same off-diagonal HHI in both modes.
 * "From i to j" follows the edge direction: sector i's protocols hold sector j's tokens.
 */
import type { Snapshot } from '../snapshot/types';
import { ensureValid } from './adjacency';
import type { SpilloverMatrix, SpilloverOptions } from './types';

export function spilloverMatrix(s: Snapshot, opts: SpilloverOptions = {}): SpilloverMatrix {
  ensureValid(s, 'measures/spillover');
  const mode = opts.mode ?? 'default';
  const by = opts.by ?? 'category';
  let labels: string[];
  if (by === 'sector') {
    if (!s.sectors) throw new Error(`measures/spillover: snapshot ${s.week} has no sectors column; use by: 'category'`);
    labels = s.sectors;
  } else labels = s.categories;
  const sectors = [...new Set(labels)].sort();
  const k = sectors.length;
  const idx = new Map<string, number>();
  sectors.forEach((c, i) => idx.set(c, i));
  const nodeSector = new Int32Array(s.ids.length);
  for (let i = 0; i < s.ids.length; i++) nodeSector[i] = idx.get(labels[i])!;
  const cells = new Float64Array(k * k);
  for (let e = 0; e < s.edgeSource.length; e++) {
    const w = s.edgeWeight[e];
    if (!(w > 0)) continue;
    const a = s.edgeSource[e];
    const b = s.edgeTarget[e];
    if (a === b) continue; // same sector: parity skips it; default: not an exposure
    const i = nodeSector[a];
    const j = nodeSector[b];
    if (i === j && mode === 'parity') continue;
    cells[i * k + j] += w;
  }
  let total = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i !== j) total += cells[i * k + j];
  let index = 0;
  if (total > 0) {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        if (i === j) continue;
        const sh = cells[i * k + j] / total;
        index += sh * sh;
      }
    }
  }
  const matrix: number[][] = [];
  for (let i = 0; i < k; i++) matrix.push(Array.from(cells.subarray(i * k, (i + 1) * k)));
  return { sectors, matrix, total, index };
}
