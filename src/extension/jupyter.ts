/**
 * Jupyter .ipynb notebooks in the editor: their notebook type, and whether one names
 * the DeXposure kernel (the kernelspec DeXposure writes when it exports an .ipynb,
 * src/core/notebook/ipynb.ts), so that such a notebook opens on DeXposure and its
 * cells get `dx` completion before anything ran.
 */
import type * as vscode from 'vscode';
import { KERNELSPEC } from '../core/notebook/ipynb';

export const JUPYTER_NOTEBOOK_TYPE = 'jupyter-notebook';

/** Whether an .ipynb names the DeXposure kernel (the editor keeps its metadata at the top level or under `metadata`). */
export function namesDexposureKernel(nb: vscode.NotebookDocument): boolean {
  if (nb.notebookType !== JUPYTER_NOTEBOOK_TYPE) return false;
  const m = nb.metadata as { kernelspec?: { name?: unknown }; metadata?: { kernelspec?: { name?: unknown } } } | undefined;
  return (m?.kernelspec?.name ?? m?.metadata?.kernelspec?.name) === KERNELSPEC.name;
}
