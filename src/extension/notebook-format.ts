/**
 * TEMPORARY bridge to the notebook file format until src/core/notebook lands (owned by
 * the kernel engineer). Once it does, this file becomes a re-export and then goes away.
 */
export interface NotebookOutputDoc {
  items: { mime: string; data: unknown }[];
  metadata?: Record<string, unknown>;
}

export interface NotebookCellDoc {
  kind: 'code' | 'markdown';
  language: string;
  source: string;
  metadata?: Record<string, unknown>;
  outputs?: NotebookOutputDoc[];
  execution?: { order?: number; success?: boolean; startTime?: number; endTime?: number };
}

export interface NotebookDoc {
  format: string;
  version: number;
  metadata?: Record<string, unknown>;
  cells: NotebookCellDoc[];
}

export class NotebookFormatError extends Error {
  override name = 'NotebookFormatError';
}

export const NOTEBOOK_FORMAT = 'dexposure-notebook';
export const NOTEBOOK_VERSION = 1;

export function parseNotebook(text: string, fileName = 'notebook'): NotebookDoc {
  if (!text.trim()) return { format: NOTEBOOK_FORMAT, version: NOTEBOOK_VERSION, cells: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new NotebookFormatError(`notebook: ${fileName} is not valid JSON (${(e as Error).message})`);
  }
  const doc = raw as NotebookDoc;
  if (!doc || typeof doc !== 'object' || doc.format !== NOTEBOOK_FORMAT) {
    throw new NotebookFormatError(`notebook: ${fileName}: field "format" must be "${NOTEBOOK_FORMAT}"`);
  }
  if (typeof doc.version !== 'number' || doc.version > NOTEBOOK_VERSION) {
    throw new NotebookFormatError(
      `notebook: ${fileName} has format version ${String(doc.version)}; this extension reads up to ${NOTEBOOK_VERSION}. Update DeXposure Notebooks to open it.`,
    );
  }
  if (!Array.isArray(doc.cells)) throw new NotebookFormatError(`notebook: ${fileName}: field "cells" must be an array`);
  return doc;
}

export function serializeNotebook(doc: NotebookDoc): string {
  return JSON.stringify(doc, null, 1) + '\n';
}
