// One build for every bundle the product ships: extension host, kernel process,
// CLI, importable library, and the notebook renderer (browser).
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// Native or editor-provided modules stay outside the bundles.
const nodeExternal = ['vscode', 'onnxruntime-node', 'typescript'];

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const nodeTargets = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['src/kernel/main.ts'], outfile: 'dist/kernel.js' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['src/index.ts'], outfile: 'dist/index.js' },
].map((t) => ({
  ...common,
  ...t,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: nodeExternal,
}));

const browserTargets = [
  { entryPoints: ['webview/index.ts'], outfile: 'dist/renderer.js' },
].map((t) => ({
  ...common,
  ...t,
  platform: 'browser',
  target: 'es2022',
  format: 'esm',
  // Plotly and the web components are bundled: no CDN, ever.
  loader: { '.css': 'text', '.ttf': 'dataurl', '.woff2': 'dataurl' },
}));

mkdirSync('dist', { recursive: true });
const targets = [...nodeTargets, ...browserTargets].filter((t) => existsSync(t.entryPoints[0]));

if (watch) {
  for (const t of targets) (await esbuild.context(t)).watch();
  console.log('watching', targets.map((t) => t.outfile).join(', '));
} else {
  const t0 = Date.now();
  await Promise.all(targets.map((t) => esbuild.build(t)));
  console.log(`built ${targets.length} bundles in ${Date.now() - t0} ms${production ? ' (production)' : ''}`);
}
