/**
 * Making JavaScript and JSON safe to place inside an HTML <script> element, and the
 * Content-Security-Policy hash that lets exactly that text run.
 *
 * Inside <script>, the HTML parser ends the element at the first `</script` and treats
 * `<!--` / `<script` specially, whatever the JavaScript means. Those sequences only
 * occur inside string, template or regular-expression literals (or comments) in the
 * bundles we inline, where `\x3C` is the same character, so rewriting `<` to `\x3C`
 * there changes nothing the code sees.
 */
import { createHash } from 'node:crypto';

const HAZARDS = /<(?=\/script|!--|script)/gi;

/** JavaScript source with every `</script`, `<!--` and `<script` made inert. */
export function escapeScriptText(js: string): string {
  return js.replace(HAZARDS, '\\x3C');
}

/** JSON text for a non-executed <script type="application/json"> block: `<` never appears raw. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The CSP source expression (`'sha256-...'`) allowing an inline script with exactly this text. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}
