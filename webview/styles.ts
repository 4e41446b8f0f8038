/**
 * The views' stylesheet, injected once per document. Every colour comes from the
 * editor's CSS variables so light, dark and high-contrast themes all read, with
 * fallbacks for hosts without them.
 */
export const STYLES = `
.dx-view { font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px);
  color: var(--vscode-editor-foreground, #333); padding: 4px 0; position: relative; }
.dx-title { font-weight: 600; margin: 2px 0 6px; }
.dx-sub { color: var(--vscode-descriptionForeground, #717171); font-size: 0.92em; }
.dx-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; margin: 4px 0 8px; }
.dx-toolbar label { display: inline-flex; align-items: center; gap: 4px; }
.dx-spacer { flex: 1 1 auto; }
.dx-notice { padding: 4px 8px; margin: 4px 0; border-left: 3px solid var(--vscode-focusBorder, #0066bf);
  background: var(--vscode-textBlockQuote-background, rgba(127,127,127,0.1)); }
.dx-notice-error { border-left-color: var(--vscode-errorForeground, #a1260d); color: var(--vscode-errorForeground, #a1260d); }
.dx-notice-warning { border-left-color: var(--vscode-editorWarning-foreground, #bf8803); }
.dx-table-wrap { max-height: 420px; overflow: auto; border: 1px solid var(--vscode-panel-border, rgba(127,127,127,0.35)); }
table.dx-table { border-collapse: collapse; min-width: 100%; font-variant-numeric: tabular-nums; }
.dx-table th, .dx-table td { padding: 3px 8px; border-bottom: 1px solid var(--vscode-panel-border, rgba(127,127,127,0.25)); text-align: left; white-space: nowrap; }
.dx-table th { white-space: normal; min-width: 4em; vertical-align: bottom; }
.dx-table th { position: sticky; top: 0; background: var(--vscode-editor-background, #fff); cursor: pointer; user-select: none;
  border-bottom: 1px solid var(--vscode-focusBorder, #0066bf); }
.dx-table th:focus-visible { outline: 1px solid var(--vscode-focusBorder, #0066bf); outline-offset: -1px; }
.dx-table td.dx-num, .dx-table th.dx-num { text-align: right; }
.dx-table tbody tr:hover { background: var(--vscode-list-hoverBackground, rgba(127,127,127,0.1)); }
.dx-sort { opacity: 0.7; margin-left: 4px; }
.dx-chart { width: 100%; min-height: 360px; }
.dx-graph-host { position: relative; width: 100%; height: 520px; border: 1px solid var(--vscode-panel-border, rgba(127,127,127,0.35));
  background: var(--vscode-editor-background, #fff); }
.dx-graph-host.dx-active { outline: 1px solid var(--vscode-focusBorder, #0066bf); }
.dx-graph-canvas { position: absolute; inset: 0; }
.dx-graph-placeholder { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  color: var(--vscode-descriptionForeground, #717171); }
.dx-tooltip { position: absolute; pointer-events: none; z-index: 5; max-width: 320px; padding: 6px 8px;
  background: var(--vscode-editorHoverWidget-background, #f3f3f3); color: var(--vscode-editorHoverWidget-foreground, inherit);
  border: 1px solid var(--vscode-editorHoverWidget-border, #c8c8c8); box-shadow: 0 2px 8px rgba(0,0,0,0.16); }
.dx-tooltip .dx-tt-name { font-weight: 600; }
.dx-tooltip ul { margin: 2px 0 0; padding-left: 16px; }
.dx-legend { display: flex; flex-wrap: wrap; gap: 4px 12px; margin: 6px 0; }
.dx-legend-item { display: inline-flex; align-items: center; gap: 4px; cursor: pointer; }
.dx-legend-item.dx-off { opacity: 0.4; }
.dx-swatch { width: 10px; height: 10px; border-radius: 50%; display: inline-block; }
.dx-swatch-line { width: 18px; height: 0; border-top: 2px solid currentColor; display: inline-block; }
.dx-swatch-dash { border-top-style: dashed; }
.dx-details { margin-top: 6px; }
.dx-headline { display: flex; flex-wrap: wrap; gap: 8px 24px; margin: 6px 0 10px; }
.dx-figure { display: flex; flex-direction: column; }
.dx-figure-value { font-size: 1.6em; font-weight: 600; font-variant-numeric: tabular-nums; }
.dx-figure-label { color: var(--vscode-descriptionForeground, #717171); }
.dx-compare { margin: 6px 0; }
.dx-stepper { display: flex; align-items: center; gap: 8px; margin: 6px 0; }
.dx-range { accent-color: var(--vscode-focusBorder, #0066bf); width: 180px; }
.dx-status { color: var(--vscode-descriptionForeground, #717171); }
.dx-status.dx-error { color: var(--vscode-errorForeground, #a1260d); }
.dx-matches { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; margin: 2px 0; }
.dx-match { font: inherit; padding: 1px 6px; cursor: pointer; color: var(--vscode-textLink-foreground, #0066bf); background: none;
  border: 1px solid var(--vscode-panel-border, rgba(127,127,127,0.35)); border-radius: 3px; }
.dx-match:hover { background: var(--vscode-list-hoverBackground, rgba(127,127,127,0.1)); }
.dx-match.dx-match-on { border-color: var(--vscode-focusBorder, #0066bf); font-weight: 600; }
.dx-grid-2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 12px; }
@media (max-width: 720px) { .dx-grid-2 { grid-template-columns: minmax(0, 1fr); } }
body.vscode-high-contrast .dx-table th, body.vscode-high-contrast .dx-table td { border-color: var(--vscode-contrastBorder, #6fc3df); }
`;

let injected = false;

export function ensureStyles(doc: Document = document): void {
  if (injected && doc.getElementById('dexposure-styles')) return;
  if (!doc.getElementById('dexposure-styles')) {
    const s = doc.createElement('style');
    s.id = 'dexposure-styles';
    s.textContent = STYLES;
    doc.head.appendChild(s);
  }
  injected = true;
}
