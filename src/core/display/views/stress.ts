/** The stress-test view; its builder is stressView (../stress-view.ts), its drawing webview/stress.ts. */
import { stressMarkdown } from '../markdown';
import { validateStress } from '../validate';
import { defineView } from '../view-descriptor';

export const view = defineView({ name: 'stress', summary: 'stress test', validate: validateStress, markdown: (p) => stressMarkdown(p) });
