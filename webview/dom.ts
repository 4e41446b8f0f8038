/**
 * DOM construction for the views. Text from payloads (protocol names, categories,
 * titles) only ever goes through `textContent` or attribute setters, never innerHTML:
 * output data is untrusted.
 */

export interface ElOptions {
  class?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
  style?: Partial<Record<string, string>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, opts?: ElOptions, children?: (Node | null | undefined)[]): HTMLElementTagNameMap[K];
export function el(tag: string, opts?: ElOptions, children?: (Node | null | undefined)[]): HTMLElement;
export function el(tag: string, opts: ElOptions = {}, children: (Node | null | undefined)[] = []): HTMLElement {
  const e = document.createElement(tag);
  if (opts.class) e.className = opts.class;
  if (opts.text !== undefined) e.textContent = opts.text;
  if (opts.title !== undefined) e.title = opts.title;
  if (opts.attrs) for (const [k, v] of Object.entries(opts.attrs)) e.setAttribute(k, v);
  if (opts.style) for (const [k, v] of Object.entries(opts.style)) if (v !== undefined) e.style.setProperty(k, v);
  for (const c of children) if (c) e.appendChild(c);
  return e;
}

/** A message box inside a view (errors, notes); `role=status` so screen readers hear it. */
export function notice(text: string, kind: 'error' | 'info' | 'warning' = 'info'): HTMLElement {
  return el('div', { class: `dx-notice dx-notice-${kind}`, text, attrs: { role: kind === 'error' ? 'alert' : 'status' } });
}

export function clear(e: Element): void {
  while (e.firstChild) e.removeChild(e.firstChild);
}
