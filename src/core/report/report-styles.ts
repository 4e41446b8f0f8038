/**
 * The report page's stylesheet. The renderer's views take every colour from the
 * --vscode-* variables an editor webview provides; here they come from Light+ / Dark+
 * values, switched by prefers-color-scheme, so a report reads like the notebook did.
 */
import { DARK_PALETTE, LIGHT_PALETTE } from './editor-palette';

export const REPORT_CSS = `
:root { color-scheme: light dark;${LIGHT_PALETTE}
}
@media (prefers-color-scheme: dark) { :root {${DARK_PALETTE}
} }
html, body { background: var(--vscode-editor-background); color: var(--vscode-editor-foreground); }
body { margin: 0; font-family: var(--vscode-font-family); font-size: 14px; line-height: 1.5; }
main { max-width: 1040px; margin: 0 auto; padding: 16px 24px 48px; }
header.dx-report-header { border-bottom: 1px solid var(--vscode-panel-border); margin-bottom: 16px; padding-bottom: 8px; }
.dx-report-title { font-size: 1.1em; font-weight: 600; }
.dx-report-meta, .dx-report-note { color: var(--vscode-descriptionForeground); font-size: 0.92em; }
a { color: var(--vscode-textLink-foreground); }
code, pre { font-family: var(--vscode-editor-font-family); font-size: 12.5px; }
:not(pre) > code { background: var(--vscode-textCodeBlock-background); padding: 1px 4px; border-radius: 3px; }
.dx-cell { margin: 12px 0; }
.dx-markdown table { border-collapse: collapse; }
.dx-markdown th, .dx-markdown td { border: 1px solid var(--vscode-panel-border); padding: 3px 8px; }
.dx-markdown blockquote { margin: 0; padding: 2px 12px; border-left: 3px solid var(--vscode-focusBorder); background: var(--vscode-textBlockQuote-background); }
.dx-markdown pre { background: var(--vscode-textCodeBlock-background); padding: 8px 10px; overflow: auto; }
.dx-code { display: grid; grid-template-columns: 44px minmax(0, 1fr); column-gap: 6px; }
.dx-count { color: var(--vscode-descriptionForeground); font-family: var(--vscode-editor-font-family); font-size: 12px; text-align: right; padding-top: 8px; }
.dx-source { margin: 0; padding: 8px 10px; background: var(--dx-cell-background); border: 1px solid var(--vscode-panel-border); border-radius: 4px; overflow: auto; white-space: pre; }
.dx-outputs { grid-column: 2; }
.dx-outputs > * { margin-top: 6px; }
.dx-stream, .dx-text, .dx-error { margin: 0; padding: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.dx-stderr { color: var(--vscode-editorWarning-foreground); }
.dx-error { color: var(--vscode-errorForeground); }
.dx-not-run { color: var(--vscode-descriptionForeground); font-style: italic; }
.dx-image { max-width: 100%; }
.dx-missing-image { color: var(--vscode-descriptionForeground); font-style: italic; }
.dx-report-failure { color: var(--vscode-errorForeground); }
`;
