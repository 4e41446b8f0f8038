/** What every view gets from the renderer entry: messaging, theme, persisted state. */
import type { Messenger } from './messaging';
import type { ThemeColors } from './theme';

export interface ViewContext {
  messenger: Messenger;
  theme(): ThemeColors;
  /** Subscribes to theme changes; the view's dispose must call the returned function. */
  onTheme(fn: (t: ThemeColors) => void): () => void;
  /** Output item id (stable per output), for per-output UI state. */
  outputId: string;
  signal: AbortSignal;
}

/** A view's draw function: mounts the view in `root` and returns what tears it down. */
export type Render<P> = (root: HTMLElement, payload: P, vc: ViewContext) => () => void;
