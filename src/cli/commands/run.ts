/**
 * `dexposure run`: execute a notebook (.dxnb or .ipynb) headlessly with the same kernel
 * the editor uses, and write the executed notebook.
 */
import * as path from 'node:path';
import { CliError } from '../command';
import { defineCommand, numberOption } from '../args';
import { serializeNotebook } from '../../core/notebook/format';
import { isIpynb, readNotebookFile } from '../notebook-file';
import { exportIpynb } from '../../core/notebook/ipynb';
import { writeFileAtomic } from '../../core/files/atomic-write';
import { checkReportCanBeBuilt, writeHtmlReport } from '../headless/write-report';
import { KernelStartFailed, runNotebook, type RunNotebookSummary } from '../headless/run-notebook';
import type { KernelOutput } from '../../kernel/session';

const usage = `Usage: dexposure run NOTEBOOK [--out FILE | --in-place] [--html REPORT] [--timeout-per-cell S] [--json] [--quiet]

Runs every code cell of NOTEBOOK (.dxnb or .ipynb) in order in one kernel and writes the
executed notebook with its outputs. Stops at the first failing cell (exit code 1); the
cells after it are marked not run (their old outputs are cleared). Output a cell's
timers print after it finished is kept on the cell that is running then (as in Jupyter).
If the kernel cannot start, or the run is stopped (Ctrl+C, SIGTERM, SIGHUP), nothing is
written and the kernel process is ended.
  --out FILE             where to write the executed notebook (.dxnb or .ipynb by its
                         extension); default: NOTEBOOK's name with ".executed" before the
                         extension, e.g. analysis.dxnb -> analysis.executed.dxnb
  --in-place             overwrite NOTEBOOK instead
  --html REPORT          also write REPORT (.html): one self-contained page with the
                         rendered markdown, the code and every output drawn by the same
                         interactive views as in the editor; opens offline from a file
  --timeout-per-cell S   interrupt a cell running longer than S seconds (counts as a failure)
  --json                 print a JSON summary instead of the cells' output
  --quiet                do not echo the cells' output`;

export function defaultOutPath(notebook: string): string {
  const ext = path.extname(notebook);
  return ext ? `${notebook.slice(0, -ext.length)}.executed${ext}` : `${notebook}.executed.dxnb`;
}

function describeOutput(o: KernelOutput): string | undefined {
  if (o.kind === 'stream') return o.text;
  if (o.kind === 'display') {
    const b = o.bundle;
    const fallback = typeof b['text/plain'] === 'string' ? b['text/plain'] : typeof b['text/markdown'] === 'string' ? b['text/markdown'] : '';
    const rich = Object.keys(b).filter((m) => m !== 'text/plain' && m !== 'text/markdown');
    return `${rich.length ? `(${rich.join(', ')}) ` : ''}${String(fallback)}\n`;
  }
  return undefined;
}

function prefixLines(prefix: string, text: string): string {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return `${body
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n')}\n`;
}

export const runCommand = defineCommand(
  { name: 'run', summary: 'Execute a notebook (.dxnb or .ipynb) headlessly and write its outputs', usage, strings: ['out', 'html', 'timeout-per-cell'], flags: ['in-place', 'json', 'quiet'], positionals: Infinity },
  async (o, positionals) => {
    if (positionals.length > 1) throw new CliError(`run: one notebook at a time (got "${positionals[0]}" and "${positionals[1]}")`);
    const notebook = positionals[0];
    if (!notebook) throw new CliError(`run: which notebook?\n\n${usage}`);
    const { out, html } = o;
    const inPlace = o['in-place'] ?? false;
    const json = o.json ?? false;
    const quiet = o.quiet ?? false;
    const timeoutS = numberOption('run', '--timeout-per-cell', o['timeout-per-cell'], { min: 0, minExclusive: true });
    if (out === '') throw new CliError(`run: --out expects a file name\n\n${usage}`);
    if (html === '') throw new CliError(`run: --html expects a file name for the report\n\n${usage}`);
    if (out && inPlace) throw new CliError('run: --out and --in-place exclude each other');
    const target = inPlace ? notebook : (out ?? defaultOutPath(notebook));
    if (html) {
      if (path.resolve(html) === path.resolve(target) || path.resolve(html) === path.resolve(notebook)) throw new CliError(`run: --html ${html} would overwrite the notebook; choose another file for the report`);
      checkReportCanBeBuilt('run');
    }

    const doc = readNotebookFile('run', notebook);

    const echo = !json && !quiet;
    const echoOutput = (i: number, o: KernelOutput): void => {
      const t = describeOutput(o);
      if (t === undefined || t === '') return;
      const prefix = `  ${i + 1} | `;
      if (o.kind === 'stream' && o.name === 'stderr') process.stderr.write(prefixLines(prefix, t));
      else process.stdout.write(prefixLines(prefix, t));
    };
    let summary: RunNotebookSummary;
    try {
      summary = await runNotebook(doc, {
        cwd: path.dirname(path.resolve(notebook)),
        timeoutPerCellMs: timeoutS === undefined ? undefined : timeoutS * 1000,
        onCellStart: (i, n) => {
          if (!json) process.stderr.write(`[${n}] cell ${i + 1}: ${doc.cells[i].source.split('\n').find((l) => l.trim()) ?? ''}\n`);
        },
        onOutput: (i, o) => {
          if (echo) echoOutput(i, o);
        },
        onCellEnd: (i, r) => {
          if (echo && r.result) echoOutput(i, { kind: 'display', bundle: r.result });
        },
        onSignal: (signal) => process.stderr.write(`dexposure run: stopped by ${signal}; the kernel was ended and nothing was written\n`),
      });
    } catch (e) {
      // Nothing ran, so nothing is written: the notebook keeps its saved outputs.
      if (e instanceof KernelStartFailed) throw new CliError(`run: could not start the kernel: ${e.message}\nNothing was written; ${notebook} keeps its saved outputs.`, 1);
      throw e;
    }

    try {
      writeFileAtomic(target, isIpynb(target) ? exportIpynb(doc) : serializeNotebook(doc));
    } catch (e) {
      throw new CliError(`run: ${(e as Error).message}`);
    }
    // A failed run still gets its report: it shows the error where it happened.
    if (html) writeHtmlReport(doc, html, { sourceName: path.basename(notebook) });
    const ran = summary.cells.filter((c) => c.executionCount !== undefined).length;
    const failed = summary.failedCell !== undefined ? summary.cells.find((c) => c.index === summary.failedCell) : undefined;
    if (json) {
      console.log(JSON.stringify({ notebook, out: target, html, ok: summary.ok, failedCell: summary.failedCell, durationMs: summary.durationMs, cells: summary.cells }, null, 2));
    } else {
      if (failed) {
        const skipped = summary.cells.filter((c) => c.status === 'skipped').length;
        process.stderr.write(`dexposure run: cell ${failed.index + 1} failed (${failed.status}): ${failed.firstLine}\n`);
        if (failed.error) process.stderr.write(prefixLines('  ', failed.error.stack || `${failed.error.name}: ${failed.error.message}`));
        if (failed.error?.stack && !failed.error.stack.includes(failed.error.message)) process.stderr.write(`  ${failed.error.message}\n`);
        if (skipped) process.stderr.write(`${skipped} later cell${skipped === 1 ? '' : 's'} not run\n`);
      }
      process.stderr.write(`ran ${ran} cell${ran === 1 ? '' : 's'} in ${(summary.durationMs / 1000).toFixed(1)} s; wrote ${target}${html ? ` and ${html}` : ''}\n`);
    }
    return summary.ok ? 0 : 1;
  },
);
