/**
 * The DeXposure notebook renderer (VS Code renderer id `dexposure-renderer`, ESM
 * entry dist/renderer.js). Draws the four application/vnd.dexposure.*+json MIME types
 * of src/core/display/protocol.ts: validates the payload (version first), mounts the
 * view, and tears it down on disposeOutputItem or re-render. Saved outputs render with
 * no kernel; anything interactive that needs one says so.
 */
import { MIME, type ChartPayload, type GraphPayload, type StressPayload, type TablePayload } from '../src/core/display/protocol';
import { renderChart } from './chart';
import { el, notice } from './dom';
import { renderGraph } from './graph';
import { Messenger } from './messaging';
import type { ActivationFunction, OutputItem, RendererContext } from './renderer-api';
import { renderStress } from './stress';
import { ensureStyles } from './styles';
import { renderTable } from './table';
import { onThemeChange, themeColors } from './theme';
import { PayloadError, VALIDATORS } from './validate';
import type { ViewContext } from './view-context';

type Renderer = (root: HTMLElement, payload: never, vc: ViewContext) => () => void;

const RENDERERS: Record<string, Renderer> = {
  [MIME.table]: renderTable as Renderer,
  [MIME.chart]: renderChart as Renderer,
  [MIME.graph]: ((root: HTMLElement, p: GraphPayload, vc: ViewContext) => renderGraph(root, p, vc, () => root.setAttribute('data-dx-first-render', String(performance.now())))) as Renderer,
  [MIME.stress]: renderStress as Renderer,
};

export function createRenderer(ctx: RendererContext) {
  const messenger = new Messenger(ctx);
  const live = new Map<string, () => void>();

  function dispose(id?: string): void {
    if (id === undefined) {
      for (const d of live.values()) d();
      live.clear();
      return;
    }
    live.get(id)?.();
    live.delete(id);
  }

  function renderOutputItem(item: OutputItem, element: HTMLElement, signal: AbortSignal): void {
    ensureStyles();
    dispose(item.id);
    element.replaceChildren();
    const root = el('div', { class: 'dx-view', attrs: { 'data-dx-mime': item.mime } });
    element.appendChild(root);
    const render = RENDERERS[item.mime];
    const validate = (VALIDATORS as Record<string, (x: unknown) => unknown>)[item.mime];
    if (!render || !validate) {
      root.appendChild(notice(`DeXposure renderer: no view for ${item.mime}.`, 'error'));
      return;
    }
    let payload: unknown;
    try {
      payload = validate(item.json());
    } catch (e) {
      const msg = e instanceof PayloadError ? `This output cannot be shown: ${e.message}` : `This output is not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
      root.appendChild(notice(msg, 'error'));
      return;
    }
    const themeSubs = new Set<() => void>();
    const vc: ViewContext = {
      messenger,
      theme: themeColors,
      onTheme: (fn) => {
        const off = onThemeChange(fn);
        themeSubs.add(off);
        return () => (off(), themeSubs.delete(off));
      },
      outputId: item.id,
      signal,
    };
    try {
      const d = (render as (r: HTMLElement, p: unknown, vc: ViewContext) => () => void)(root, payload, vc);
      live.set(item.id, () => {
        d();
        for (const off of themeSubs) off();
        themeSubs.clear();
      });
    } catch (e) {
      root.appendChild(notice(`DeXposure renderer failed: ${e instanceof Error ? e.message : String(e)}`, 'error'));
    }
    signal.addEventListener('abort', () => dispose(item.id), { once: true });
  }

  return { renderOutputItem, disposeOutputItem: dispose };
}

export const activate: ActivationFunction = (ctx) => createRenderer(ctx);

export type { ChartPayload, GraphPayload, StressPayload, TablePayload };
