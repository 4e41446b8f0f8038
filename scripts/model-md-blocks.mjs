// Rewrites generated blocks of a markdown file: the text between
// <!-- sample-figures:NAME --> and <!-- /sample-figures:NAME --> for each NAME given.
// Used by scripts/sample-figures.mjs and scripts/event-models.mjs (--write).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Replace each block of `file` named in `blocks` ({ NAME: lines[] }) in place; a missing marker is an error. */
export function rewriteBlocks(file, blocks) {
  let text = readFileSync(file, 'utf8');
  for (const [name, lines] of Object.entries(blocks)) {
    const open = `<!-- sample-figures:${name} -->`;
    const close = `<!-- /sample-figures:${name} -->`;
    const i = text.indexOf(open);
    const j = text.indexOf(close);
    if (i < 0 || j < i) throw new Error(`${file}: no block ${open} .. ${close} to rewrite`);
    text = `${text.slice(0, i + open.length)}\n${lines.join('\n')}\n${text.slice(j)}`;
  }
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
  console.error(`rewrote the sample-figures blocks ${Object.keys(blocks).join(', ')} of ${file}`);
}
