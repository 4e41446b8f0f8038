/**
 * A WebGL graph canvas (sigma.js v3 over a graphology graph) with the lifecycle a
 * notebook needs: the sigma instance exists only while the output is on screen
 * (IntersectionObserver), because a page gets ~16 live WebGL contexts and a notebook
 * may hold many graphs; it is killed (context released) when scrolled away and
 * re-created with the same camera when it comes back. The wheel zooms only after the
 * canvas has been clicked (Escape or leaving releases it), so scrolling the notebook
 * is never captured. Labels are drawn on canvas, never as HTML, and never over each
 * other (./label-placement).
 */
import Graph from 'graphology';
import Sigma from 'sigma';
import type { EdgeDisplayData, NodeDisplayData } from 'sigma/types';
import { el } from './dom';
import { DASH_PX, DASHED, EdgeDashedArrowProgram, GAP_PX } from './edge-dashed';
import { escapeXml } from './image-export';
import { placeLabels, type LabelCandidate, type PlacedLabel } from './label-placement';
import type { ThemeColors } from './theme';
import type { ViewContext } from './view-context';

export interface NodeAttrs {
  x: number;
  y: number;
  size: number;
  color: string;
  label: string;
  [k: string]: unknown;
}
export interface EdgeAttrs {
  size: number;
  color: string;
  /** sigma edge program: 'dashed' for predicted exposures, sigma's default arrow otherwise. */
  type?: string;
  [k: string]: unknown;
}

export interface SigmaGraphOptions {
  vc: ViewContext;
  nodeReducer?: (node: string, a: NodeAttrs) => Partial<NodeDisplayData>;
  edgeReducer?: (edge: string, a: EdgeAttrs) => Partial<EdgeDisplayData>;
  onEnterNode?: (node: string, viewport: { x: number; y: number }) => void;
  onLeaveNode?: (node: string) => void;
  onClickNode?: (node: string) => void;
  onClickStage?: () => void;
  /** Called after the first frame drawn by each mount (time-to-first-render hook). */
  onFirstRender?: () => void;
  placeholder?: string;
}

export class SigmaGraph {
  readonly graph = new Graph<NodeAttrs, EdgeAttrs>({ type: 'directed', multi: true, allowSelfLoops: true });
  readonly host: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly placeholder: HTMLElement;
  private sigma: Sigma<NodeAttrs, EdgeAttrs> | undefined;
  private camera: { x: number; y: number; ratio: number; angle: number } | undefined;
  private active = false;
  private disposed = false;
  private readonly io: IntersectionObserver | undefined;
  private readonly offTheme: () => void;
  private readonly cleanups: (() => void)[] = [];
  /** Labels sigma asked for in the frame being drawn; placed and drawn after it. */
  private pendingLabels: LabelCandidate[] = [];
  /** The labels drawn in the last frame (tests, SVG export). */
  placedLabels: PlacedLabel[] = [];
  private readonly textWidths = new Map<string, number>();
  mounts = 0;

  constructor(private readonly opts: SigmaGraphOptions) {
    this.canvas = el('div', { class: 'dx-graph-canvas' });
    this.placeholder = el('div', { class: 'dx-graph-placeholder', text: opts.placeholder ?? 'Graph appears when scrolled into view.' });
    this.host = el('div', { class: 'dx-graph-host', attrs: { 'data-dx': 'graph', 'data-dx-state': 'unmounted', tabindex: '0', 'aria-label': 'Exposure graph: click to enable wheel zoom, Escape to release' } }, [this.placeholder, this.canvas]);
    const listen = <K extends keyof HTMLElementEventMap>(t: HTMLElement | Document, type: K, fn: (e: HTMLElementEventMap[K]) => void, capture = false) => {
      t.addEventListener(type, fn as EventListener, capture);
      this.cleanups.push(() => t.removeEventListener(type, fn as EventListener, capture));
    };
    // Capture phase on the host runs before sigma's own wheel handler on the canvas.
    listen(this.host, 'wheel', (e) => {
      if (!this.active) e.stopPropagation();
    }, true);
    listen(this.host, 'mousedown', () => this.setActive(true));
    listen(this.host, 'mouseleave', () => this.setActive(false));
    listen(this.host, 'keydown', (e) => {
      if (e.key === 'Escape') this.setActive(false);
    });
    this.offTheme = opts.vc.onTheme((t) => this.applyTheme(t));
    if (typeof IntersectionObserver === 'function') {
      this.io = new IntersectionObserver((entries) => {
        for (const en of entries) this.setVisible(en.isIntersecting);
      }, { rootMargin: '200px' });
      this.io.observe(this.host);
    } else {
      this.setVisible(true);
    }
  }

  private setActive(a: boolean): void {
    this.active = a;
    this.host.classList.toggle('dx-active', a);
  }

  private setVisible(v: boolean): void {
    if (v) this.mount();
    else this.unmount();
  }

  get isMounted(): boolean {
    return this.sigma !== undefined;
  }

  get renderer(): Sigma<NodeAttrs, EdgeAttrs> | undefined {
    return this.sigma;
  }

  mount(): void {
    if (this.sigma || this.disposed) return;
    // sigma needs a sized container; an output not yet laid out waits for the next intersection.
    if (this.canvas.clientWidth === 0 || this.canvas.clientHeight === 0) return;
    const t = this.opts.vc.theme();
    const s = new Sigma<NodeAttrs, EdgeAttrs>(this.graph, this.canvas, {
      defaultEdgeType: 'arrow',
      edgeProgramClasses: { [DASHED]: EdgeDashedArrowProgram },
      renderEdgeLabels: false,
      hideEdgesOnMove: this.graph.size > 20000,
      // Sizes stay constant on screen when zooming in (they shrink when zooming out):
      // sigma's default grows them with the zoom, and a zoomed-in week became thick
      // grey bands of edges hiding the nodes. Zooming in now separates the nodes.
      zoomToSizeRatioFunction: (ratio) => Math.max(1, Math.sqrt(ratio)),
      labelRenderedSizeThreshold: 4,
      labelDensity: 0.6,
      labelFont: t.fontFamily,
      labelSize: Math.round(t.fontSize * 0.9),
      labelColor: { color: t.foreground },
      // Collected here, drawn after the frame without overlaps (./label-placement).
      defaultDrawNodeLabel: (_ctx, data) => {
        const d = data as typeof data & { key: string; forceLabel?: boolean; highlighted?: boolean; zIndex?: number };
        if (!d.label) return;
        // Forced labels (selection, matches, the largest protocols) before sigma's grid picks, bigger first.
        const rank = (d.highlighted ? 4 : 0) + (d.forceLabel ? 1 + (d.zIndex ?? 0) : 0);
        this.pendingLabels.push({ key: d.key, label: d.label, x: d.x, y: d.y, size: d.size, priority: rank * 1e4 + d.size });
      },
      zIndex: true,
      allowInvalidContainer: true,
      defaultDrawNodeHover: (ctx, data) => {
        // A ring instead of sigma's white label box, which is unreadable on dark themes;
        // the name is in the HTML tooltip.
        ctx.beginPath();
        ctx.arc(data.x, data.y, data.size + 3, 0, Math.PI * 2);
        ctx.lineWidth = 2;
        ctx.strokeStyle = this.opts.vc.theme().accent;
        ctx.stroke();
      },
      nodeReducer: this.opts.nodeReducer ? (n, a) => ({ ...a, ...this.opts.nodeReducer!(n, a) }) : null,
      edgeReducer: this.opts.edgeReducer ? (e, a) => ({ ...a, ...this.opts.edgeReducer!(e, a) }) : null,
    });
    if (this.camera) s.getCamera().setState(this.camera);
    s.on('beforeRender', () => (this.pendingLabels = []));
    s.on('afterRender', () => this.drawLabels(s));
    // The constructor drew the first frame before these listeners: place its labels now.
    this.drawLabels(s);
    s.on('enterNode', ({ node }) => {
      const d = s.getNodeDisplayData(node);
      const p = d ? s.framedGraphToViewport(d) : { x: 0, y: 0 };
      this.opts.onEnterNode?.(node, p);
    });
    s.on('leaveNode', ({ node }) => this.opts.onLeaveNode?.(node));
    s.on('clickNode', ({ node }) => this.opts.onClickNode?.(node));
    s.on('clickStage', () => this.opts.onClickStage?.());
    // sigma draws its first frame inside the constructor; the next animation frame is
    // when that frame is on screen.
    this.host.setAttribute('data-dx-state', 'mounted');
    requestAnimationFrame(() => {
      if (this.sigma === s) this.opts.onFirstRender?.();
    });
    this.sigma = s;
    this.mounts++;
    this.placeholder.style.display = 'none';
  }

  private drawLabels(s: Sigma<NodeAttrs, EdgeAttrs>): void {
    const ctx = s.getCanvases().labels?.getContext('2d');
    const t = this.opts.vc.theme();
    const size = s.getSetting('labelSize');
    const font = `${s.getSetting('labelWeight')} ${size}px ${s.getSetting('labelFont')}`;
    if (!ctx) return;
    ctx.font = font;
    const width = (text: string) => {
      const k = `${font}|${text}`;
      let w = this.textWidths.get(k);
      if (w === undefined) {
        w = ctx.measureText(text).width;
        if (this.textWidths.size > 20000) this.textWidths.clear();
        this.textWidths.set(k, w);
      }
      return w;
    };
    const { width: vw, height: vh } = s.getDimensions();
    this.placedLabels = placeLabels(this.pendingLabels, width, size, { width: vw, height: vh });
    this.pendingLabels = [];
    // A halo in the background colour keeps names legible over edges.
    ctx.lineJoin = 'round';
    ctx.lineWidth = 3;
    ctx.strokeStyle = t.background;
    ctx.fillStyle = t.foreground;
    for (const l of this.placedLabels) {
      ctx.strokeText(l.label, l.textX, l.textY);
      ctx.fillText(l.label, l.textX, l.textY);
    }
  }

  unmount(): void {
    if (!this.sigma) return;
    this.camera = this.sigma.getCamera().getState();
    this.sigma.kill(); // releases the WebGL contexts (WEBGL_lose_context)
    this.pendingLabels = [];
    this.placedLabels = [];
    this.sigma = undefined;
    this.host.setAttribute('data-dx-state', 'unmounted');
    this.placeholder.style.display = '';
  }

  /** Re-applies reducers (after a filter or selection change). */
  refresh(): void {
    this.sigma?.refresh();
  }

  private applyTheme(t: ThemeColors): void {
    if (!this.sigma) return;
    this.sigma.setSetting('labelColor', { color: t.foreground });
    this.sigma.setSetting('labelFont', t.fontFamily);
  }

  /** Centres the camera on a node and zooms in. */
  focus(node: string): void {
    const s = this.sigma;
    if (!s) return;
    const d = s.getNodeDisplayData(node);
    if (d) void s.getCamera().animate({ x: d.x, y: d.y, ratio: 0.25 }, { duration: 400 });
  }

  /**
   * Zooms so that `nodes` (their discs included) fill the canvas, with `pad` pixels
   * to spare; one node is shown at a fixed zoom. Viewport positions are linear in
   * 1 / ratio about the camera, so one measurement at the current camera gives the
   * exact target. Returns false while unmounted or when none of the nodes is shown.
   */
  zoomToNodes(nodes: Iterable<string>, opts: { pad?: number; duration?: number } = {}): boolean {
    const s = this.sigma;
    if (!s) return false;
    const pad = opts.pad ?? 30;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    let count = 0;
    for (const n of nodes) {
      const d = s.getNodeDisplayData(n);
      if (!d || d.hidden) continue;
      const p = s.framedGraphToViewport(d);
      const r = s.scaleSize(d.size);
      x0 = Math.min(x0, p.x - r);
      x1 = Math.max(x1, p.x + r);
      y0 = Math.min(y0, p.y - r);
      y1 = Math.max(y1, p.y + r);
      count++;
    }
    if (count === 0) return false;
    const { width, height } = s.getDimensions();
    const cam = s.getCamera();
    const now = cam.getState();
    const centre = s.viewportToFramedGraph({ x: (x0 + x1) / 2, y: (y0 + y1) / 2 });
    const k = Math.max((x1 - x0) / Math.max(1, width - 2 * pad), (y1 - y0) / Math.max(1, height - 2 * pad));
    const ratio = count === 1 ? Math.min(now.ratio, 0.25) : Math.min(1, Math.max(0.005, now.ratio * k));
    const target = { x: centre.x, y: centre.y, ratio, angle: 0 };
    this.camera = target;
    if (opts.duration === 0) cam.setState(target);
    else void cam.animate(target, { duration: opts.duration ?? 300 });
    return true;
  }

  /** The camera state (tests): ratio < 1 is zoomed in. */
  cameraState(): { x: number; y: number; ratio: number; angle: number } | undefined {
    return this.sigma?.getCamera().getState() ?? this.camera;
  }

  resetCamera(): void {
    this.camera = undefined;
    void this.sigma?.getCamera().animate({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }, { duration: 300 });
  }

  /** Viewport position of a node (tests and tooltips); undefined while unmounted or hidden. */
  viewportPosition(node: string): { x: number; y: number } | undefined {
    const s = this.sigma;
    const d = s?.getNodeDisplayData(node);
    return s && d && !d.hidden ? s.framedGraphToViewport(d) : undefined;
  }

  /** The visible graph as SVG: nodes, edges (predicted dashed), labels of the largest nodes. */
  toSvg(title: string | undefined): { svg: string; width: number; height: number } {
    const width = Math.max(400, this.host.clientWidth || 800);
    const height = Math.max(300, this.host.clientHeight || 520);
    const t = this.opts.vc.theme();
    const nodeData = (n: string, a: NodeAttrs): Partial<NodeDisplayData> => ({ ...a, ...(this.opts.nodeReducer?.(n, a) ?? {}) });
    // Positions: the live camera when mounted, else fit the raw layout.
    let xs = Infinity, xe = -Infinity, ys = Infinity, ye = -Infinity;
    this.graph.forEachNode((_, a) => ((xs = Math.min(xs, a.x)), (xe = Math.max(xe, a.x)), (ys = Math.min(ys, a.y)), (ye = Math.max(ye, a.y))));
    const pad = 20;
    const k = Math.min((width - 2 * pad) / Math.max(1e-9, xe - xs), (height - 2 * pad) / Math.max(1e-9, ye - ys));
    const pos = (n: string, a: NodeAttrs) => {
      const live = this.viewportPosition(n);
      return live ?? { x: pad + (a.x - xs) * k, y: height - pad - (a.y - ys) * k };
    };
    const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11"><rect width="100%" height="100%" fill="${escapeXml(t.background)}"/>`];
    const shown = new Map<string, { x: number; y: number; d: ReturnType<typeof nodeData> }>();
    this.graph.forEachNode((n, a) => {
      const d = nodeData(n, a);
      if (!d.hidden) shown.set(n, { ...pos(n, a), d });
    });
    this.graph.forEachEdge((e, a, src, dst) => {
      const s = shown.get(src);
      const d = shown.get(dst);
      if (!s || !d) return;
      const ed = { ...a, ...(this.opts.edgeReducer?.(e, a) ?? {}) };
      if (ed.hidden) return;
      out.push(`<line x1="${s.x.toFixed(1)}" y1="${s.y.toFixed(1)}" x2="${d.x.toFixed(1)}" y2="${d.y.toFixed(1)}" stroke="${escapeXml(String(ed.color))}" stroke-width="${Math.max(0.3, Number(ed.size) * 0.6).toFixed(2)}"${a.type === DASHED ? ` stroke-dasharray="${DASH_PX} ${GAP_PX}"` : ''}/>`);
    });
    const order = [...shown.entries()].sort((p, q) => Number(p[1].d.size) - Number(q[1].d.size));
    for (const [, v] of order) out.push(`<circle cx="${v.x.toFixed(1)}" cy="${v.y.toFixed(1)}" r="${(Number(v.d.size) * 0.8).toFixed(1)}" fill="${escapeXml(String(v.d.color))}"/>`);
    // Labels: those on screen when mounted, else the largest nodes', without overlaps either way.
    const labels = this.sigma
      ? this.placedLabels
      : placeLabels(order.slice(-25).map(([key, v]) => ({ key, label: String(v.d.label ?? ''), x: v.x, y: v.y, size: Number(v.d.size) * 0.8, priority: Number(v.d.size) })), (text) => text.length * 6, 11, { width, height });
    for (const l of labels) out.push(`<text x="${l.textX.toFixed(1)}" y="${l.textY.toFixed(1)}" fill="${escapeXml(t.foreground)}">${escapeXml(l.label)}</text>`);
    if (title) out.push(`<text x="${pad}" y="16" fill="${escapeXml(t.foreground)}" font-weight="bold">${escapeXml(title)}</text>`);
    out.push('</svg>');
    return { svg: out.join(''), width, height };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.io?.disconnect();
    this.offTheme();
    for (const c of this.cleanups) c();
    this.unmount();
  }
}

export function graphVisible(g: SigmaGraph): boolean {
  return g.isMounted;
}
