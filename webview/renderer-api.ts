/**
 * VS Code's notebook renderer API, from its typings package (@types/vscode-notebook-renderer,
 * a type-only dependency: nothing of it is bundled).
 */
import type { RendererContext as Context } from 'vscode-notebook-renderer';

export type { ActivationFunction, OutputItem, RendererApi } from 'vscode-notebook-renderer';

/** The context VS Code hands the renderer; our renderer keeps no persisted state. */
export type RendererContext<TState = unknown> = Context<TState>;
