/**
 * Native-looking controls: VS Code-styled web components from @vscode-elements/elements,
 * themed by the editor's --vscode-* variables. Slider: the library has none, so a native
 * range input tinted with the focus colour. Labels set with textContent only.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { el } from './dom';

export function button(label: string, onClick: () => void, opts: { secondary?: boolean; title?: string; name?: string } = {}): HTMLElement {
  const b = el('vscode-button', { text: label, title: opts.title, attrs: opts.name ? { 'data-dx': opts.name } : {} });
  if (opts.secondary) b.setAttribute('secondary', '');
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) onClick();
  });
  return b;
}

export function setDisabled(e: HTMLElement, disabled: boolean, why?: string): void {
  if (disabled) e.setAttribute('disabled', '');
  else e.removeAttribute('disabled');
  if (why !== undefined) e.title = why;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void, name?: string): HTMLElement {
  const c = el('vscode-checkbox', { attrs: { label, ...(name ? { 'data-dx': name } : {}) } }) as HTMLElement & { checked: boolean };
  c.checked = checked;
  if (checked) c.setAttribute('checked', '');
  c.addEventListener('change', () => onChange(Boolean(c.checked)));
  return c;
}

export function textfield(placeholder: string, onInput: (value: string) => void, name?: string): HTMLElement & { value: string } {
  const t = el('vscode-textfield', { attrs: { placeholder, ...(name ? { 'data-dx': name } : {}) } }) as HTMLElement & { value: string };
  t.addEventListener('input', () => onInput(String(t.value ?? '')));
  return t;
}

export function select(options: { value: string; label: string }[], value: string, onChange: (value: string) => void, name?: string): HTMLElement & { value: string } {
  const s = el('vscode-single-select', { attrs: name ? { 'data-dx': name } : {} }) as HTMLElement & { value: string };
  for (const o of options) {
    const opt = el('vscode-option', { text: o.label, attrs: { value: o.value } });
    if (o.value === value) opt.setAttribute('selected', '');
    s.appendChild(opt);
  }
  s.addEventListener('change', () => onChange(String(s.value)));
  return s;
}

export function range(min: number, max: number, step: number, value: number, onChange: (v: number) => void, name?: string): HTMLInputElement {
  const r = el('input', { class: 'dx-range', attrs: { type: 'range', min: String(min), max: String(max), step: String(step), ...(name ? { 'data-dx': name } : {}) } });
  r.value = String(value);
  r.addEventListener('change', () => onChange(Number(r.value)));
  return r;
}

export function labelled(text: string, control: HTMLElement): HTMLElement {
  return el('label', {}, [el('span', { text }), control]);
}
