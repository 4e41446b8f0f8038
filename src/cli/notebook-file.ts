/**
 * Reading a notebook file for a command (`run`, `report`): .ipynb by its extension,
 * else .dxnb; a missing or unreadable file and a malformed notebook are one-line
 * errors naming the command and the file.
 */
import { readFileSync } from 'node:fs';
import { CliError } from './command';
import { NotebookFormatError, parseNotebook, type NotebookDocument } from '../core/notebook/format';
import { importIpynb } from '../core/notebook/ipynb';

export function isIpynb(file: string): boolean {
  return file.toLowerCase().endsWith('.ipynb');
}

export function readNotebookFile(cmd: string, file: string): NotebookDocument {
  let text: Buffer;
  try {
    text = readFileSync(file);
  } catch (e) {
    throw new CliError(`${cmd}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  try {
    return isIpynb(file) ? importIpynb(text, file) : parseNotebook(text, file);
  } catch (e) {
    if (e instanceof NotebookFormatError) throw new CliError(`${cmd}: ${e.message}`);
    throw e;
  }
}
