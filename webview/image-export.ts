/**
 * Saving views as PNG and SVG. Downloads from a notebook webview fail silently, so
 * the image goes to the extension as a data URL in a `saveImage` message and the
 * extension shows the save dialog. PNGs are rasterised from our SVGs through an
 * <img> + canvas (no WebGL readback, so no preserveDrawingBuffer cost).
 */
import type { Messenger } from './messaging';
import { button, setDisabled } from './controls';
import { el } from './dom';

export type ImageFormat = 'png' | 'svg';
export type ImageSource = (format: ImageFormat) => Promise<string>;

export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<string> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const c = document.createElement('canvas');
      c.width = Math.round(width * scale);
      c.height = Math.round(height * scale);
      const g = c.getContext('2d');
      if (!g) return reject(new Error('renderer/image: no 2D canvas available'));
      g.scale(scale, scale);
      g.drawImage(img, 0, 0, width, height);
      resolve(c.toDataURL('image/png'));
    };
    img.onerror = () => reject(new Error('renderer/image: the SVG could not be rasterised'));
    img.src = svgDataUrl(svg);
  });
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** "Save PNG" / "Save SVG" buttons that post `saveImage`; disabled with a reason without messaging. */
export function saveButtons(messenger: Messenger, name: string, source: ImageSource, status: (text: string, error?: boolean) => void): HTMLElement {
  const wrap = el('span', { class: 'dx-save' });
  for (const format of ['png', 'svg'] as const) {
    const b = button(`Save ${format.toUpperCase()}`, () => {
      source(format)
        .then((dataUrl) => {
          messenger.post({ type: 'saveImage', format, dataUrl, suggestedName: `${name}.${format}` });
          status(`Sent ${format.toUpperCase()} to the editor to save.`);
        })
        .catch((e: unknown) => status(e instanceof Error ? e.message : String(e), true));
    }, { secondary: true, name: `save-${format}` });
    if (!messenger.available) setDisabled(b, true, 'Saving images needs VS Code (the renderer has no channel to the extension here).');
    wrap.appendChild(b);
  }
  return wrap;
}
