/**
 * The report page's stylesheet. The renderer's views take every colour from the
 * --vscode-* variables an editor webview provides; here they come from Light+ / Dark+
 * values, switched by prefers-color-scheme, so a report reads like the notebook did.
 */

const LIGHT = `
  --vscode-font-family: -apple-system, "Segoe UI", "Ubuntu", "Droid Sans", sans-serif;
  --vscode-font-size: 13px;
  --vscode-editor-font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace;
  --vscode-editor-foreground: #3b3b3b;
  --vscode-editor-background: #ffffff;
  --vscode-descriptionForeground: #717171;
  --vscode-focusBorder: #005fb8;
  --vscode-panel-border: #e5e5e5;
  --vscode-editorWidget-border: #c8c8c8;
  --vscode-errorForeground: #a1260d;
  --vscode-editorWarning-foreground: #bf8803;
  --vscode-editorHoverWidget-background: #f8f8f8;
  --vscode-editorHoverWidget-foreground: #3b3b3b;
  --vscode-editorHoverWidget-border: #c8c8c8;
  --vscode-list-hoverBackground: #f2f2f2;
  --vscode-textBlockQuote-background: #f8f8f8;
  --vscode-textCodeBlock-background: #f3f3f3;
  --vscode-textLink-foreground: #005fb8;
  --vscode-button-background: #005fb8;
  --vscode-button-foreground: #ffffff;
  --vscode-button-hoverBackground: #0258a8;
  --vscode-button-secondaryBackground: #e5e5e5;
  --vscode-button-secondaryForeground: #3b3b3b;
  --vscode-button-secondaryHoverBackground: #cccccc;
  --vscode-input-background: #ffffff;
  --vscode-input-foreground: #3b3b3b;
  --vscode-input-border: #cecece;
  --vscode-input-placeholderForeground: #767676;
  --vscode-dropdown-background: #ffffff;
  --vscode-dropdown-foreground: #3b3b3b;
  --vscode-dropdown-border: #cecece;
  --vscode-checkbox-background: #f8f8f8;
  --vscode-checkbox-border: #cecece;
  --vscode-settings-textInputBackground: #ffffff;
  --vscode-settings-textInputForeground: #3b3b3b;
  --vscode-settings-textInputBorder: #cecece;
  --vscode-settings-dropdownBackground: #ffffff;
  --vscode-settings-dropdownForeground: #3b3b3b;
  --vscode-settings-dropdownBorder: #cecece;
  --vscode-settings-dropdownListBorder: #c8c8c8;
  --vscode-settings-checkboxBackground: #f8f8f8;
  --vscode-settings-checkboxBorder: #cecece;
  --vscode-settings-checkboxForeground: #3b3b3b;
  --vscode-list-activeSelectionBackground: #e8e8e8;
  --vscode-list-activeSelectionForeground: #000000;
  --vscode-widget-shadow: rgba(0, 0, 0, 0.16);
  --dx-cell-background: #f8f8f8;`;

const DARK = `
  --vscode-editor-foreground: #cccccc;
  --vscode-editor-background: #1f1f1f;
  --vscode-descriptionForeground: #9d9d9d;
  --vscode-focusBorder: #0078d4;
  --vscode-panel-border: #2b2b2b;
  --vscode-editorWidget-border: #454545;
  --vscode-errorForeground: #f85149;
  --vscode-editorWarning-foreground: #cca700;
  --vscode-editorHoverWidget-background: #202020;
  --vscode-editorHoverWidget-foreground: #cccccc;
  --vscode-editorHoverWidget-border: #454545;
  --vscode-list-hoverBackground: #2a2d2e;
  --vscode-textBlockQuote-background: #2b2b2b;
  --vscode-textCodeBlock-background: #2b2b2b;
  --vscode-textLink-foreground: #4daafc;
  --vscode-button-background: #0078d4;
  --vscode-button-foreground: #ffffff;
  --vscode-button-hoverBackground: #026ec1;
  --vscode-button-secondaryBackground: #313131;
  --vscode-button-secondaryForeground: #cccccc;
  --vscode-button-secondaryHoverBackground: #3c3c3c;
  --vscode-input-background: #313131;
  --vscode-input-foreground: #cccccc;
  --vscode-input-border: #3c3c3c;
  --vscode-input-placeholderForeground: #989898;
  --vscode-dropdown-background: #313131;
  --vscode-dropdown-foreground: #cccccc;
  --vscode-dropdown-border: #3c3c3c;
  --vscode-checkbox-background: #313131;
  --vscode-checkbox-border: #3c3c3c;
  --vscode-settings-textInputBackground: #313131;
  --vscode-settings-textInputForeground: #cccccc;
  --vscode-settings-textInputBorder: #3c3c3c;
  --vscode-settings-dropdownBackground: #313131;
  --vscode-settings-dropdownForeground: #cccccc;
  --vscode-settings-dropdownBorder: #3c3c3c;
  --vscode-settings-dropdownListBorder: #454545;
  --vscode-settings-checkboxBackground: #313131;
  --vscode-settings-checkboxBorder: #3c3c3c;
  --vscode-settings-checkboxForeground: #cccccc;
  --vscode-list-activeSelectionBackground: #04395e;
  --vscode-list-activeSelectionForeground: #ffffff;
  --vscode-widget-shadow: rgba(0, 0, 0, 0.36);
  --dx-cell-background: #181818;`;

export const REPORT_CSS = `
:root { color-scheme: light dark;${LIGHT}
}
@media (prefers-color-scheme: dark) { :root {${DARK}
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
