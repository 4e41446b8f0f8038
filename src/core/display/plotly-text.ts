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
