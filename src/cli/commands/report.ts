/**
 * `dexposure report`: an already executed notebook (.dxnb or .ipynb) as one
 * self-contained HTML page, without running anything (`dexposure run --html` runs
 * and reports in one go).
 */
import * as path from 'node:path';
import { CliError } from '../command';
import { readNotebookFile } from '../notebook-file';
import { defineCommand } from '../args';
import { checkReportCanBeBuilt, writeHtmlReport } from '../headless/write-report';

const usage = `Usage: dexposure report NOTEBOOK [--out REPORT] [--title TEXT]

Writes NOTEBOOK's saved outputs as one self-contained HTML page: the rendered
markdown, the code, and every output drawn by the same interactive views (graph,
stress test, chart, table) as in the editor. The page needs no network and no
kernel; it opens from a file in any current browser. Nothing is run: use
\`dexposure run NOTEBOOK --html REPORT\` to execute first.
  --out REPORT   where to write the page; default: NOTEBOOK's name with .html
  --title TEXT   the page title; default: the notebook's title, else its file name`;

export function defaultReportPath(notebook: string): string {
  const ext = path.extname(notebook);
  return `${ext ? notebook.slice(0, -ext.length) : notebook}.html`;
}

export const reportCommand = defineCommand({ name: 'report', summary: 'Write an executed notebook as a self-contained, interactive HTML page', usage, strings: ['out', 'title'], positionals: Infinity }, async (o, positionals) => {
  if (positionals.length > 1) throw new CliError(`report: one notebook at a time (got "${positionals[0]}" and "${positionals[1]}")`);
  const notebook = positionals[0];
  const { out, title } = o;
  if (!notebook) throw new CliError(`report: which notebook?\n\n${usage}`);
  const target = out ?? defaultReportPath(notebook);
  if (path.resolve(target) === path.resolve(notebook)) throw new CliError(`report: --out ${target} would overwrite the notebook; choose another file`);
  checkReportCanBeBuilt('report');

  const doc = readNotebookFile('report', notebook);
  writeHtmlReport(doc, target, { title, sourceName: path.basename(notebook) });
  const code = doc.cells.filter((c) => c.kind === 'code');
  const unrun = code.filter((c) => c.execution?.count === undefined).length;
  process.stderr.write(`wrote ${target}${unrun ? ` (${unrun} of ${code.length} code cells have not been run: run the notebook first for their outputs)` : ''}\n`);
  return 0;
});
