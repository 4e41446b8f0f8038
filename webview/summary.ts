/**
 * Key figures view (application/vnd.dexposure.summary+json): one large number per
 * figure with its label under it, formatted as in the markdown fallback
 * (src/core/display/summary-view.ts); what a figure means shows on hover and is read
 * out with it. Static: nothing to dispose.
 */
import { figureText, type SummaryPayload } from '../src/core/display/views/summary';
import { el } from './dom';

export function renderSummary(root: HTMLElement, p: SummaryPayload): () => void {
  if (p.title) root.appendChild(el('div', { class: 'dx-title', text: p.title }));
  const figures = p.items.map((f) =>
    el('div', { class: 'dx-figure', title: f.description, attrs: { role: 'group', 'aria-label': `${f.label}: ${figureText(f)}` } }, [
      el('span', { class: 'dx-figure-value', text: figureText(f), attrs: { 'data-dx': 'figure-value' } }),
      el('span', { class: 'dx-figure-label', text: f.label }),
    ]),
  );
  root.appendChild(el('div', { class: 'dx-headline', attrs: { 'data-dx': 'summary' } }, figures));
  if (p.caption) root.appendChild(el('div', { class: 'dx-sub', text: p.caption }));
  return () => {};
}
