/** HTML reports of executed notebooks (see html-report.ts). */
export { buildHtmlReport, escapeHtml, type HtmlReportOptions } from './html-report';
export { findRendererBundle, readRendererBundle } from './renderer-script';
