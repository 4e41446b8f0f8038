/**
 * The domain dx modules merged into the notebook's `dx` object (see ./dx.ts). Add one
 * entry per layer, e.g.
 *   import * as stress from '../core/stress';   ...   { name: 'stress', module: stress },
 * Every exported value of the module then appears as `dx.<name>` in cells; two modules
 * exporting the same name is an error (test/unit/kernel/display.test.ts checks this list).
 */
import type { DxModule } from './dx';
import { viewHelpers } from './views';
import { dataApi, forecastingApi, riskApi } from '../core/api';

export const dxModules: readonly { name: string; module: DxModule }[] = [
  { name: 'data', module: dataApi },
  { name: 'risk', module: riskApi },
  { name: 'forecasting', module: forecastingApi },
  { name: 'views', module: viewHelpers },
];
