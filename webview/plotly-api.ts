/**
 * The few Plotly calls the views make, typed narrowly. Plotly is bundled from
 * plotly.js-dist-min (no CDN). CSP: the cartesian traces we use need no eval; Plotly
 * does inject <style> elements, so the webview's CSP must allow inline styles (VS
 * Code's notebook webview does). WebGL traces (scattergl) compile shaders through
 * regl, which also needs no eval.
 */
import PlotlyModule from 'plotly.js-dist-min';

export interface PlotlyApi {
  react(el: HTMLElement, data: unknown[], layout?: Record<string, unknown>, config?: Record<string, unknown>): Promise<unknown>;
  relayout(el: HTMLElement, layout: Record<string, unknown>): Promise<unknown>;
  purge(el: HTMLElement): void;
  toImage(el: HTMLElement | { data: unknown[]; layout?: Record<string, unknown>; config?: Record<string, unknown> }, opts: { format: 'png' | 'svg'; width?: number; height?: number; scale?: number }): Promise<string>;
  Plots: { resize(el: HTMLElement): void };
}

export const Plotly = PlotlyModule as unknown as PlotlyApi;
