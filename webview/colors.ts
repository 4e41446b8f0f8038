/**
 * Category colours, one per DefiLlama category, so a category looks the same in every
 * output, week and legend. The 15 most frequent categories of DefiLlama's protocol
 * list (meta_df.csv: 5,221 protocols in 62 categories; ranked by protocol count) each
 * get their own colour, the most frequent the most distinct: Okabe & Ito's
 * colour-blind-safe set first (distinct under protanopia, deuteranopia and
 * tritanopia), then Paul Tol's muted and light schemes (and one ColorBrewer ochre), chosen to differ in lightness
 * from the first seven. The rare categories share one "Other" colour, and Unknown
 * (a protocol missing from meta_df.csv) is a neutral grey, so it never reads as a
 * sector. Names match case-insensitively; older spellings ("dexs", "dex") map to
 * DefiLlama's current one.
 */

/** Trace colours for charts (Tableau 10): readable on light and dark backgrounds. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** The 15 most frequent categories in meta_df.csv, most frequent first, with their colours. */
export const CATEGORY_COLORS: readonly (readonly [category: string, color: string])[] = [
  ['Dexes', '#56b4e9'], // 1,507 protocols; Okabe-Ito sky blue
  ['Yield', '#e69f00'], // 532; orange
  ['Lending', '#009e73'], // 468; bluish green
  ['Derivatives', '#cc79a7'], // 290; reddish purple
  ['Liquid Staking', '#f0e442'], // 202; yellow
  ['Farm', '#d55e00'], // 188; vermillion
  ['Services', '#0072b2'], // 179; blue
  ['CDP', '#aa4499'], // 167; Tol muted purple
  ['Yield Aggregator', '#44aa99'], // 162; Tol muted teal
  ['Reserve Currency', '#999933'], // 123; Tol muted olive
  ['Algo-Stables', '#cc6677'], // 115; Tol muted rose
  ['Bridge', '#ffaabb'], // 103; Tol light pink
  ['Chain', '#bbcc33'], // 83; Tol light pear
  ['Launchpad', '#a6761d'], // 83; ochre (ColorBrewer Dark2)
  ['RWA', '#882255'], // 73; Tol muted wine
];

/** The rare categories, grouped. */
export const OTHER_COLOR = '#b8ada0';
export const OTHER_LABEL = 'Other';
/** Unknown: not a sector, so neutral. */
export const UNKNOWN_COLOR = '#8c8c8c';

const ALIASES: Record<string, string> = { dexs: 'dexes', dex: 'dexes', bridges: 'bridge', 'liquid-staking': 'liquid staking' };
const BY_NAME = new Map(CATEGORY_COLORS.map(([c, color]) => [c.toLowerCase(), color]));

function key(category: string): string {
  const k = category.trim().toLowerCase();
  return ALIASES[k] ?? k;
}

export function isUnknownCategory(category: string): boolean {
  const k = key(category);
  return k === '' || k === 'unknown';
}

export function categoryColor(category: string): string {
  if (isUnknownCategory(category)) return UNKNOWN_COLOR;
  return BY_NAME.get(key(category)) ?? OTHER_COLOR;
}

/** The legend group of a category: itself when it has its own colour, else Other (or Unknown). */
export function categoryGroup(category: string): string {
  if (isUnknownCategory(category)) return 'Unknown';
  return BY_NAME.has(key(category)) ? category : OTHER_LABEL;
}

/**
 * Legend entries for the categories present, in the order given, one per colour: each
 * frequent category, then "Other" listing the rare ones it stands for, then Unknown.
 */
export function categoryLegend(categories: readonly string[]): { label: string; color: string; members: string[] }[] {
  const own: { label: string; color: string; members: string[] }[] = [];
  const other: string[] = [];
  const unknown: string[] = [];
  for (const c of categories) {
    if (isUnknownCategory(c)) unknown.push(c);
    else if (BY_NAME.has(key(c))) own.push({ label: c, color: categoryColor(c), members: [c] });
    else other.push(c);
  }
  if (other.length) own.push({ label: OTHER_LABEL, color: OTHER_COLOR, members: other });
  if (unknown.length) own.push({ label: 'Unknown', color: UNKNOWN_COLOR, members: unknown });
  return own;
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
