/**
 * The type of the `dx` object in notebook cells: the kernel's display functions and
 * every dx module (./dx-modules.ts), merged. The build emits its declarations into
 * dist/types (tsconfig.types.json), and the editor's cell completion, hover and
 * diagnostics (src/extension/cell-types) read them; nothing imports this at run time.
 *
 * The dx modules are object literals (`{ stress, sweep, ... }`), whose members carry
 * no doc comments; picking the same names from the modules that define the functions
 * brings each function's doc comment to hover and completion.
 */
import type { dataApi, forecastingApi, riskApi } from '../core/api';
import type * as data from '../core/api/data';
import type * as forecasting from '../core/api/forecasting';
import type * as graphDiff from '../core/api/graph-diff';
import type * as risk from '../core/api/risk';
import type * as chartView from '../core/display/chart-view';
import type * as graphView from '../core/display/graph-view';
import type * as stressView from '../core/display/stress-view';
import type * as tableView from '../core/display/table-view';
import type * as access from '../core/snapshot/access';
import type * as exporter from '../core/snapshot/export';
import type * as subgraph from '../core/snapshot/subgraph';
import type * as scenario from '../core/stress/scenario';
import type { kernelDxModule } from './dx';
import type { viewHelpers } from './views';

/** The members of `Api` that module `M` defines, with M's declarations (and docs). */
type From<Api, M> = Pick<M, keyof Api & keyof M>;

type Api = typeof kernelDxModule & typeof dataApi & typeof riskApi & typeof forecastingApi & typeof viewHelpers;

interface ViewDocs {
  /** The interactive exposure graph of a snapshot (WebGL): search, filters, sector overview, predicted edges. */
  graph: typeof graphView.graphView;
  /** A sortable table of rows (objects), with typed columns (USD, percent, ...). */
  table: typeof tableView.tableView;
  /** A Plotly figure as an interactive chart view. */
  chart: typeof chartView.chartView;
  /** The stress-test view of a stress result, with the what-if controls. */
  stressView: typeof stressView.stressView;
  /** Same as dx.open: opens a release folder (or the bundled sample when no path is given). */
  load: typeof data.open;
}

export type DxApi = Api &
  From<Api, typeof data> &
  From<Api, typeof access> &
  From<Api, typeof subgraph> &
  From<Api, typeof exporter> &
  From<Api, typeof risk> &
  From<Api, typeof scenario> &
  From<Api, typeof graphDiff> &
  From<Api, typeof forecasting> &
  ViewDocs;
