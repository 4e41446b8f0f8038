/**
 * Node labels that never overlap: sigma picks labels per grid cell and always draws the
 * ones forced on (the largest protocols, a selection's neighbours, search matches), so
 * around a busy node names were printed over each other. Here every label sigma would
 * draw in a frame is a candidate; the most important ones are placed first (right of
 * the node, else left, above, below; wholly on screen if it can be), and a label that
 * would cover an earlier label or an earlier labelled node's disc is left out. Pure
 * geometry, no DOM, so it is tested directly.
 */

export interface LabelCandidate {
  key: string;
  label: string;
  /** Node centre and radius on screen (CSS px). */
  x: number;
  y: number;
  size: number;
  /** Higher is placed first. */
  priority: number;
}

export interface PlacedLabel {
  key: string;
  label: string;
  /** Where the text starts (left end of its baseline). */
  textX: number;
  textY: number;
  box: Box;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const GAP = 3;
const PAD = 1;

function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/**
 * Chooses the labels to draw and where. `width(text)` measures a label in the label
 * font; `fontSize` is its height in px. Candidates keep their order among equal
 * priorities. Labels entirely off the `view` (when given) are dropped.
 */
export function placeLabels(candidates: readonly LabelCandidate[], width: (text: string) => number, fontSize: number, view?: { width: number; height: number }): PlacedLabel[] {
  const order = candidates.map((c, i) => ({ c, i })).sort((a, b) => b.c.priority - a.c.priority || a.i - b.i);
  const taken: Box[] = [];
  const placed: PlacedLabel[] = [];
  const seen = new Set<string>();
  for (const { c } of order) {
    if (!c.label || seen.has(c.key)) continue;
    seen.add(c.key);
    const w = width(c.label);
    const h = fontSize;
    const r = c.size;
    // Text boxes around the node: right, left, above, below (baseline at 0.8 of the height).
    const options: [number, number][] = [
      [c.x + r + GAP, c.y - h / 2],
      [c.x - r - GAP - w, c.y - h / 2],
      [c.x - w / 2, c.y - r - GAP - h],
      [c.x - w / 2, c.y + r + GAP],
    ];
    const disc: Box = { x0: c.x - r, y0: c.y - r, x1: c.x + r, y1: c.y + r };
    const boxes = options.map(([left, top]) => ({ left, top, box: { x0: left - PAD, y0: top - PAD, x1: left + w + PAD, y1: top + h + PAD } }));
    const inside = (b: Box) => !view || (b.x0 >= 0 && b.y0 >= 0 && b.x1 <= view.width && b.y1 <= view.height);
    const visible = (b: Box) => !view || (b.x1 > 0 && b.y1 > 0 && b.x0 < view.width && b.y0 < view.height);
    // A place wholly on screen first; one cut by the edge only when there is no other.
    const free = boxes.filter((o) => visible(o.box) && !taken.some((t) => overlaps(t, o.box)));
    const best = free.find((o) => inside(o.box)) ?? free[0];
    if (best) {
      placed.push({ key: c.key, label: c.label, textX: best.left, textY: best.top + h * 0.8, box: best.box });
      taken.push(best.box, disc);
    }
  }
  return placed;
}
