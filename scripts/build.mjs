// One build for every bundle the product ships: extension host, kernel process,
// CLI, importable library, and the notebook renderer (browser).
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { generateViews } from './views.mjs';

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

/** Bundles with the options they share and those of their platform. */
const bundles = (list, platform) => list.map((t) => ({ ...common, ...t, ...platform }));

const nodeTargets = bundles([
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['src/kernel/main.ts'], outfile: 'dist/kernel.js' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['src/index.ts'], outfile: 'dist/index.js' },
  // Cold-open conversion worker, started by src/core/snapshot/week-pool.ts from beside the bundle.
  { entryPoints: ['src/core/snapshot/convert-worker.ts'], outfile: 'dist/convert-worker.js' },
], { platform: 'node', target: 'node20', format: 'cjs', external: nodeExternal });

const browserTargets = bundles([{ entryPoints: ['webview/index.ts'], outfile: 'dist/renderer.js' }], {
  platform: 'browser',
  target: 'es2022',
  format: 'esm',
  // Plotly and the web components are bundled: no CDN, ever.
  loader: { '.css': 'text', '.ttf': 'dataurl', '.woff2': 'dataurl' },
});

// The view registries and package.json's renderer MIME types, from the view modules.
const views = await generateViews().catch((e) => {
  // A view module without its draw module (or one that does not compile) is a message, not a stack.
  console.error(`build: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
if (views.stale.length) console.log(`views: wrote ${views.stale.join(', ')}`);

mkdirSync('dist', { recursive: true });
const targets = [...nodeTargets, ...browserTargets].filter((t) => existsSync(t.entryPoints[0]));

if (watch) {
  for (const t of targets) (await esbuild.context(t)).watch();
  console.log('watching', targets.map((t) => t.outfile).join(', '));
} else {
  const t0 = Date.now();
  const [, types] = await Promise.all([Promise.all(targets.map((t) => esbuild.build(t))), buildTypes()]);
  console.log(`built ${targets.length} bundles${types ? ' and the library declarations' : ''} in ${Date.now() - t0} ms${production ? ' (production)' : ''}`);
}

/**
 * dist/types/ (package.json `exports.types`) from src/index.ts, by tsc beside esbuild.
 * tsc's incremental record does not notice deleted outputs, so it is dropped when the
 * declarations are missing. Type errors fail the build: the declarations would be wrong.
 */
function buildTypes() {
  if (!existsSync('src/index.ts')) return Promise.resolve(false);
  if (!existsSync('dist/types/index.d.ts')) rmSync('.cache/types.tsbuildinfo', { force: true });
  return new Promise((res, rej) => {
    const tsc = spawn(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.types.json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    tsc.stdout.on('data', (d) => (out += d));
    tsc.stderr.on('data', (d) => (out += d));
    tsc.on('error', rej);
    tsc.on('exit', (code) => (code === 0 ? res(true) : rej(new Error(`build: declarations (tsc -p tsconfig.types.json) failed:\n${out}`))));
  });
}
