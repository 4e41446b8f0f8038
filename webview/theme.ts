/**
 * Editor theme for the views: colours read from VS Code's CSS variables (--vscode-*),
 * with fallbacks for the test page and other hosts, and a watcher that fires when
 * the theme changes (VS Code swaps the body classes `vscode-light`, `vscode-dark`,
 * `vscode-high-contrast` and rewrites the variables on <html>'s style).
 */

export interface ThemeColors {
  kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  foreground: string;
  background: string;
  muted: string;
  border: string;
  accent: string;
  grid: string;
  fontFamily: string;
  fontSize: number;
  error: string;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim() || getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export function themeKind(): ThemeColors['kind'] {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  if (c.contains('vscode-dark')) return 'dark';
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function themeColors(): ThemeColors {
  const kind = themeKind();
  const dark = kind === 'dark' || kind === 'high-contrast';
  const foreground = cssVar('--vscode-editor-foreground', dark ? '#cccccc' : '#333333');
  const background = cssVar('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff');
  return {
    kind,
    foreground,
    background,
    muted: cssVar('--vscode-descriptionForeground', dark ? '#9d9d9d' : '#717171'),
    border: cssVar('--vscode-contrastBorder', '') || cssVar('--vscode-panel-border', dark ? '#3c3c3c' : '#e5e5e5'),
    accent: cssVar('--vscode-focusBorder', dark ? '#3794ff' : '#0066bf'),
    grid: cssVar('--vscode-editorWidget-border', dark ? '#454545' : '#c8c8c8'),
    fontFamily: cssVar('--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: parseFloat(cssVar('--vscode-font-size', '13')) || 13,
    error: cssVar('--vscode-errorForeground', dark ? '#f48771' : '#a1260d'),
  };
}

type Listener = (t: ThemeColors) => void;
const listeners = new Set<Listener>();
let observer: MutationObserver | undefined;
let last = '';

function check(): void {
  const t = themeColors();
  const key = JSON.stringify(t);
  if (key === last) return;
  last = key;
  for (const l of listeners) l(t);
}

/** Calls `fn` whenever the editor theme changes; returns the unsubscribe function. */
export function onThemeChange(fn: Listener): () => void {
  listeners.add(fn);
  if (!observer) {
    last = JSON.stringify(themeColors());
    observer = new MutationObserver(check);
    observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind', 'style'] });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  }
  return () => {
    listeners.delete(fn);
    if (listeners.size === 0 && observer) {
      observer.disconnect();
      observer = undefined;
    }
  };
}
