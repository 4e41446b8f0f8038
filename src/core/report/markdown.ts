/**
 * Markdown cells and text/markdown outputs as HTML for a report, with markdown-it.
 * Raw HTML in the markdown is shown as text (html: false): notebook text and output
 * fallbacks carry untrusted strings (protocol names) that must never become markup.
 * Images are shown only when embedded (data:image/...); anything else would need the
 * network, which a report never uses, so it is named instead.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

const defaultImage = md.renderer.rules.image!;
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const src = token.attrGet('src') ?? '';
  if (/^data:image\/(png|jpeg|gif|webp|svg\+xml);/i.test(src)) return defaultImage(tokens, idx, options, env, self);
  const alt = self.renderInlineAsText(token.children ?? [], options, env);
  return `<span class="dx-missing-image">[image${alt ? `: ${md.utils.escapeHtml(alt)}` : ''} — not embedded in this report: ${md.utils.escapeHtml(src)}]</span>`;
};

export function markdownToHtml(source: string): string {
  return md.render(source);
}
