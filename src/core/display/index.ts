/** Display builders: values the kernel shows through the notebook renderer (webview/). */
export * from './protocol';
export { makeView } from './displayable';
export type { View } from './displayable';
export { formatCell, formatNumber, formatUsd, formatPercent, compareCells } from './format';
export { escapeMarkdown, markdownTable } from './markdown';
export { tableView, tablePayload, tableMarkdown, inferKind } from './table-view';
export type { TableViewOptions, TableInput, ColumnSpec } from './table-view';
export { chartView, chartPayload, chartMarkdown, timeSeriesFigure, scatterIdentityFigure, groupedBarFigure } from './chart-view';
export type { Figure, Series } from './chart-view';
export { graphView, graphPayload, graphMarkdown } from './graph-view';
export type { GraphViewOptions } from './graph-view';
export { layoutGraph, tvlOrder } from './graph-layout';
export type { Layout, LayoutInput, LayoutOptions } from './graph-layout';
export { stressView, stressPayload, stressResultPayload, stressMarkdown } from './stress-view';
export type { StressViewOptions } from './stress-view';
export { registerWhatIf, answerWhatIf } from './what-if';
export type { WhatIfRequest, WhatIfRerun } from './what-if';
