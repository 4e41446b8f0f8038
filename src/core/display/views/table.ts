/** The table view; its builder is tableView (../table-view.ts), its drawing webview/table.ts. */
import { tableMarkdown } from '../markdown';
import { validateTable } from '../validate';
import { defineView } from '../view-descriptor';

export const view = defineView({ name: 'table', summary: 'table', validate: validateTable, markdown: (p) => tableMarkdown(p) });
