/**
 * The DeXposure notebook renderer (VS Code renderer id `dexposure-renderer`, ESM
 * entry dist/renderer.js). Draws the application/vnd.dexposure.*+json views listed in
 * src/core/display/views.ts, each by its draw function in ./renderers.generated.ts: checks the payload with the view's `validate` (version
 * first), mounts the view, and tears it down on disposeOutputItem or re-render. Saved
 * outputs render with no kernel; anything interactive that needs one says so.
 */
import type { ChartPayload, GraphPayload, StressPayload, TablePayload } from '../src/core/display/protocol';
import { PayloadError } from '../src/core/display/validate';
import { viewByMime } from '../src/core/display/views';
import { el, notice } from './dom';
import { Messenger } from './messaging';
import type { ActivationFunction, OutputItem, RendererContext } from './renderer-api';
import { RENDERERS } from './renderers.generated';
import { ensureStyles } from './styles';
import { onThemeChange, themeColors } from './theme';
import type { Render, ViewContext } from './view-context';

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
    const view = viewByMime(item.mime);
    if (!view) {
      root.appendChild(notice(`DeXposure renderer: no view for ${item.mime}.`, 'error'));
      return;
    }
    const render = RENDERERS[view.name] as Render<unknown>;
    let payload: unknown;
    try {
      payload = view.validate(item.json());
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
      const d = render(root, payload, vc);
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
