/**
 * Category colours: a fixed colour for the common DefiLlama categories, so one
 * category looks the same in every output and every week, and a stable hash into the
 * palette for the rest. Palette: Tableau 10 (Stone & Tableau), readable on light and
 * dark backgrounds.
 */

export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const KNOWN: Record<string, number> = {
  lending: 0,
  dexs: 1,
  dex: 1,
  'liquid staking': 4,
  cdp: 2,
  bridge: 6,
  yield: 3,
  derivatives: 7,
  rwa: 8,
  restaking: 5,
  unknown: 9,
};

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function categoryColor(category: string): string {
  const k = KNOWN[category.toLowerCase()];
  return PALETTE[k ?? hash(category) % PALETTE.length]!;
}

/** Parses #rgb, #rrggbb, #rrggbbaa and rgb()/rgba() to [r, g, b]; undefined otherwise. */
export function parseRgb(c: string): [number, number, number] | undefined {
  const s = c.trim();
  let m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) return [0, 1, 2].map((i) => parseInt(m![1]![i]! + m![1]![i]!, 16)) as [number, number, number];
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(s);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1]!.slice(i, i + 2), 16)) as [number, number, number];
  m = /^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)/i.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return undefined;
}

/**
 * `fg` at opacity `t` over `bg`, as an opaque colour. sigma blends WebGL colours as if
 * premultiplied, so a dark rgba() over a light background comes out white; mixing
 * against the editor background ourselves reads right in every theme.
 */
export function mixColors(fg: string, bg: string, t: number): string {
  const a = parseRgb(fg) ?? [128, 128, 128];
  const b = parseRgb(bg) ?? [255, 255, 255];
  const k = Math.max(0, Math.min(1, t));
  const h = (i: number) => Math.round(a[i]! * k + b[i]! * (1 - k)).toString(16).padStart(2, '0');
  return `#${h(0)}${h(1)}${h(2)}`;
}
