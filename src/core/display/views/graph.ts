/** The exposure graph view; its builder is graphView (../graph-view.ts), its drawing webview/graph.ts. */
import { graphMarkdown } from '../markdown';
import { validateGraph } from '../validate';
import { defineView } from '../view-descriptor';

export const view = defineView({ name: 'graph', summary: 'exposure graph', validate: validateGraph, markdown: (p) => graphMarkdown(p) });
