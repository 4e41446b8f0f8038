/**
 * Writes an executed notebook's HTML report (src/core/report) for `dexposure run --html`
 * and `dexposure report`, atomically (core/files/atomic-write), so an interrupted
 * write never leaves half a report where the last good one was.
 */
import { CliError } from '../command';
import { writeFileAtomic } from '../../core/files/atomic-write';
import type { NotebookDocument } from '../../core/notebook/format';
import { buildHtmlReport, findRendererBundle, type HtmlReportOptions } from '../../core/report';

/** Fails early (before a long run) when the renderer bundle the report inlines is missing. */
export function checkReportCanBeBuilt(command: string): void {
  try {
    findRendererBundle();
  } catch (e) {
    throw new CliError(`${command}: ${(e as Error).message}`);
  }
}

export function writeHtmlReport(doc: NotebookDocument, file: string, opts: HtmlReportOptions = {}): void {
  const html = buildHtmlReport(doc, opts);
  try {
    writeFileAtomic(file, html);
  } catch (e) {
    throw new CliError(`cannot write the report: ${(e as Error).message}`);
  }
}
