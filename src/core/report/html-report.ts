/**
 * An executed notebook as one self-contained HTML file: markdown cells rendered, code
 * cells with their source, and every output drawn by the notebook renderer itself
 * (dist/renderer.js, Plotly and sigma included) inlined into the page. It opens from
 * a file:// URL with no network: a strict Content-Security-Policy allows only the
 * page's own inline scripts (by hash), data:/blob: images and nothing else.
 *
 * Everything from the notebook (sources, stream text, fallbacks, names in payloads) is
 * escaped into text or handed to the renderer as JSON; none of it becomes markup.
 * Styles are 'unsafe-inline' because the views and Plotly set styles while they run,
 * as in an editor webview; styles cannot run code.
 */
import { VIEW_MIMES, viewByMime } from '../display/views';
import type { NotebookCell, NotebookDocument, NotebookOutput } from '../notebook/format';
import { ERROR_MIME, STDERR_MIME, STDOUT_MIME, toBase64, type OutputItem } from '../notebook/output-items';
import { cspHash, escapeScriptText, jsonForScript } from './inline-script';
import { markdownToHtml } from './markdown';
import { PAGE_HOST_SOURCE } from './page-host';
import { readRendererBundle, rendererWithHost } from './renderer-script';
import { REPORT_CSS } from './report-styles';

export interface HtmlReportOptions {
  /** The renderer bundle's text (dist/renderer.js); default: read from this installation. */
  rendererBundle?: string;
  /** Page title; default: the notebook's metadata.title, else `sourceName`. */
  title?: string;
  /** The notebook's file name, shown in the header. */
  sourceName?: string;
}

const IMAGES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml'];

interface RichOutput {
  id: string;
  mime: string;
  data: unknown;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function textOf(item: OutputItem | undefined): string | undefined {
  if (!item) return undefined;
  if (typeof item.data === 'string') return item.data;
  if (item.data instanceof Uint8Array) return new TextDecoder().decode(item.data);
  return JSON.stringify(item.data, null, 2);
}

function pre(cls: string, text: string): string {
  return `<pre class="${cls}">${escapeHtml(text)}</pre>`;
}

/**
 * What to show without the renderer: text/markdown, else text/plain, else (a rich
 * output saved without a fallback) the view's own markdown of its payload.
 */
function fallbackHtml(items: OutputItem[], rich?: OutputItem): string {
  const md = textOf(items.find((i) => i.mime === 'text/markdown'));
  if (md !== undefined) return `<div class="dx-markdown">${markdownToHtml(md)}</div>`;
  const plain = textOf(items.find((i) => i.mime === 'text/plain'));
  if (plain !== undefined) return pre('dx-text', plain);
  const derived = rich ? viewMarkdown(rich) : undefined;
  return derived !== undefined ? `<div class="dx-markdown">${markdownToHtml(derived)}</div>` : '';
}

/** The view's markdown of a rich item; undefined when the payload does not pass its check. */
function viewMarkdown(item: OutputItem): string | undefined {
  const view = viewByMime(item.mime);
  if (!view) return undefined;
  try {
    return (view.markdown as (p: unknown) => string)(view.validate(item.data));
  } catch {
    return undefined; // the renderer will say what is wrong with it
  }
}

function imageHtml(item: OutputItem): string {
  const bytes = item.data instanceof Uint8Array ? item.data : new TextEncoder().encode(textOf(item) ?? '');
  return `<img class="dx-image" alt="" src="data:${item.mime};base64,${toBase64(bytes)}">`;
}

function errorText(item: OutputItem): string {
  const e = (typeof item.data === 'object' && item.data !== null && !Array.isArray(item.data) && !(item.data instanceof Uint8Array) ? item.data : {}) as Record<string, unknown>;
  const head = `${String(e.name ?? 'Error')}: ${String(e.message ?? '')}`;
  const stack = typeof e.stack === 'string' ? e.stack : '';
  if (!stack) return head;
  return stack.includes(String(e.message ?? '')) ? stack : `${head}\n${stack}`;
}

function outputHtml(o: NotebookOutput, id: string, rich: RichOutput[]): string {
  const items = o.items;
  const richItem = VIEW_MIMES.map((m) => items.find((i) => i.mime === m)).find((i) => i !== undefined);
  if (richItem) {
    const index = rich.push({ id, mime: richItem.mime, data: richItem.data }) - 1;
    // The fallback stays visible until the renderer replaces it (or if scripts are off).
    return `<div class="dx-output dx-rich" data-dx-output="${index}" data-dx-output-mime="${escapeHtml(richItem.mime)}">${fallbackHtml(items, richItem)}</div>`;
  }
  const err = items.find((i) => i.mime === ERROR_MIME);
  if (err) return `<div class="dx-output">${pre('dx-error', errorText(err))}</div>`;
  const streams = items.filter((i) => i.mime === STDOUT_MIME || i.mime === STDERR_MIME);
  if (streams.length) return `<div class="dx-output">${streams.map((s) => pre(s.mime === STDERR_MIME ? 'dx-stream dx-stderr' : 'dx-stream', textOf(s) ?? '')).join('')}</div>`;
  const image = IMAGES.map((m) => items.find((i) => i.mime === m)).find((i) => i !== undefined);
  if (image) return `<div class="dx-output">${imageHtml(image)}</div>`;
  const fb = fallbackHtml(items);
  if (fb) return `<div class="dx-output">${fb}</div>`;
  const json = items.find((i) => i.mime === 'application/json');
  if (json) return `<div class="dx-output">${pre('dx-text', textOf(json) ?? '')}</div>`;
  // HTML and other types are shown as their text: a report never runs output code.
  const other = items[0];
  return other ? `<div class="dx-output">${pre('dx-text', `(${other.mime}) ${textOf(other) ?? ''}`)}</div>` : '';
}

function cellHtml(c: NotebookCell, i: number, rich: RichOutput[]): string {
  if (c.kind === 'markdown') {
    if (c.language === 'raw') return `<section class="dx-cell dx-raw">${pre('dx-text', c.source)}</section>`;
    return `<section class="dx-cell dx-markdown">${markdownToHtml(c.source)}</section>`;
  }
  const count = c.execution?.count;
  const label = count !== undefined ? `[${count}]` : '[ ]';
  const outputs = c.outputs.map((o, j) => outputHtml(o, `cell${i + 1}-output${j + 1}`, rich)).join('');
  const notRun = count === undefined && c.outputs.length === 0 ? '<p class="dx-not-run">not run</p>' : '';
  return (
    `<section class="dx-cell dx-code" data-dx-cell="${i + 1}"><div class="dx-count">${label}</div>` +
    `<pre class="dx-source"><code>${escapeHtml(c.source)}</code></pre>` +
    `<div class="dx-outputs">${outputs}${notRun}</div></section>`
  );
}

function headerHtml(doc: NotebookDocument, title: string, sourceName: string | undefined): string {
  const code = doc.cells.filter((c) => c.kind === 'code');
  const ran = code.filter((c) => c.execution?.count !== undefined).length;
  const failed = doc.cells.findIndex((c) => c.execution?.success === false);
  const ends = code.map((c) => c.execution?.endTime).filter((t): t is number => typeof t === 'number');
  const when = ends.length ? `executed ${new Date(Math.max(...ends)).toISOString().replace('T', ' ').slice(0, 16)} UTC` : 'not executed';
  const meta = [sourceName, when, `${ran} of ${code.length} code cell${code.length === 1 ? '' : 's'} run`, failed >= 0 ? `cell ${failed + 1} failed` : undefined].filter(Boolean);
  return (
    `<header class="dx-report-header"><div class="dx-report-title">${escapeHtml(title)}</div>` +
    `<div class="dx-report-meta">${escapeHtml(meta.join(' · '))}</div>` +
    '<div class="dx-report-note">A saved report: the views are interactive, but there is no kernel here, so what-if reruns and saving images need the notebook open in VS Code.</div></header>'
  );
}

/** The report's HTML text. */
export function buildHtmlReport(doc: NotebookDocument, opts: HtmlReportOptions = {}): string {
  const rich: RichOutput[] = [];
  const cells = doc.cells.map((c, i) => cellHtml(c, i, rich)).join('\n');
  const metaTitle = typeof doc.metadata.title === 'string' && doc.metadata.title.trim() ? doc.metadata.title : undefined;
  const title = opts.title ?? metaTitle ?? opts.sourceName ?? 'DeXposure notebook';

  // The renderer is inlined only when there is something for it to draw.
  const script = rich.length ? escapeScriptText(rendererWithHost(opts.rendererBundle ?? readRendererBundle(), PAGE_HOST_SOURCE)) : undefined;
  const csp = [
    "default-src 'none'",
    `script-src ${script ? cspHash(script) : "'none'"}`,
    "style-src 'unsafe-inline'",
    'img-src data: blob:',
    'font-src data:',
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');

  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="generator" content="DeXposure Notebooks">',
    `<title>${escapeHtml(title)}</title>`,
    '<link rel="icon" href="data:,">',
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body class="vscode-light">',
    '<main>',
    headerHtml(doc, title, opts.sourceName),
    cells,
    '</main>',
    rich.length ? `<script type="application/json" id="dx-report-data">${jsonForScript({ outputs: rich })}</script>` : '',
    script ? `<script type="module">${script}</script>` : '',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
