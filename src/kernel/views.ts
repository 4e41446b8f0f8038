/**
 * Wires the display builders into the kernel: the `dx` view helpers (./dx-modules.ts
 * merges `viewHelpers` into `dx`), and the invoke handlers the extension calls on the
 * renderer's behalf (`stress.whatIf`: rerun a stress view with a new shock size or
 * shocked protocol; answers a StressPayload that replaces the view in place).
 *
 * Importing this module (the kernel does, through ./dx-modules) registers the handler;
 * `installViewHandlers(register)` does the same against another registry (tests).
 */
import { answerWhatIf } from '../core/display/what-if';
import { chartView, groupedBarFigure, scatterIdentityFigure, timeSeriesFigure } from '../core/display/chart-view';
import { graphView } from '../core/display/graph-view';
import { stressView } from '../core/display/stress-view';
import { tableView } from '../core/display/table-view';
import { sparklinesView } from '../core/display/views/sparklines';
import { summaryView } from '../core/display/views/summary';
import { registerInvokeHandler } from './invoke';

export const WHAT_IF_METHOD = 'stress.whatIf';

export type RegisterInvokeHandler = (method: string, fn: (params: unknown) => unknown | Promise<unknown>) => void;

export function installViewHandlers(register: RegisterInvokeHandler): void {
  register(WHAT_IF_METHOD, (params) => answerWhatIf(params));
}

installViewHandlers(registerInvokeHandler);

/** View builders for the `dx` object (`dx.graph(s)`, `dx.table(rows)`, ...). */
export const viewHelpers = {
  graph: graphView,
  table: tableView,
  chart: chartView,
  stressView,
  summary: summaryView,
  sparklines: sparklinesView,
  figures: { timeSeries: timeSeriesFigure, scatterIdentity: scatterIdentityFigure, groupedBars: groupedBarFigure },
};
