/**
 * The slice of VS Code's notebook renderer API (`vscode-notebook-renderer`) we use,
 * declared here because the typings package is not a dependency. Shapes follow
 * microsoft/vscode src/vscode-dts/ ... notebook renderer API (RendererContext,
 * OutputItem, ActivationFunction).
 */

export interface Disposable {
  dispose(): void;
}

export interface OutputItem {
  readonly id: string;
  readonly mime: string;
  readonly metadata?: unknown;
  text(): string;
  json(): unknown;
  data(): Uint8Array;
  blob(): Blob;
}

export interface RendererContext<TState = unknown> {
  getState(): TState | undefined;
  setState(value: TState): void;
  getRenderer(id: string): Promise<unknown | undefined>;
  readonly workspace: { readonly isTrusted: boolean };
  /** Present only when the renderer declares `requiresMessaging` and the host supports it. */
  readonly postMessage?: (message: unknown) => void;
  readonly onDidReceiveMessage?: (listener: (e: unknown) => unknown) => Disposable;
  readonly settings?: { readonly lineLimit: number; readonly outputScrolling: boolean; readonly outputWordWrap: boolean };
}

export interface RendererApi {
  renderOutputItem(outputItem: OutputItem, element: HTMLElement, signal: AbortSignal): void | Promise<void>;
  disposeOutputItem?(id?: string): void;
}

export type ActivationFunction<TState = unknown> = (context: RendererContext<TState>) => RendererApi | undefined | Promise<RendererApi | undefined>;
