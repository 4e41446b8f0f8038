/** The chart view (Plotly figures); its builder is chartView (../chart-view.ts), its drawing webview/chart.ts. */
import { chartMarkdown } from '../markdown';
import { validateChart } from '../validate';
import { defineView } from '../view-descriptor';

export const view = defineView({ name: 'chart', summary: 'chart', validate: validateChart, markdown: chartMarkdown });
