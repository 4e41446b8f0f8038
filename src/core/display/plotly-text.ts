/**
 * Plotly reads a subset of HTML in every text it draws (titles, tick labels, legend
 * entries, hover text): `<a href>` becomes a live link, `<b>`, `<br>`, `<span style>`
 * apply. Names that come from data (protocol names, sectors, ids, tokens) must show as
 * written, so every chart built from data passes them through `plotlyText`, which
 * writes `&`, `<` and `>` as the entities Plotly turns back into those characters.
 */
export function plotlyText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** plotlyText on the strings of an axis (numbers and dates pass unchanged). */
export function plotlyValues<T>(values: ArrayLike<T>): (T | string)[] {
  return Array.from(values, (v) => (typeof v === 'string' ? plotlyText(v) : v));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/**
 * What Plotly would show for a text, as plain text: line breaks become spaces, other
 * tags go, entities become their characters. For a chart title shown outside the plot
 * (as the view's heading, set as text), where Plotly's markup would show literally.
 */
export function plotlyPlainText(s: string): string {
  return s
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[a-z][^<>]*>/gi, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}
