/**
 * The notebook renderer bundle (dist/renderer.js, the same file VS Code loads) as a
 * script an HTML report can inline. The bundle is an ES module whose last statement
 * is esbuild's export list (`export { activate, ... };` or minified
 * `export{a as activate,...};`); an inline module cannot be imported, so the export
 * list is replaced by a call that hands `activate` to the report's page host.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const EXPORT_LIST = /\bexport\s*\{([^{}]*)\}\s*;?\s*(?:\/\/# sourceMappingURL=\S*\s*)?$/;

/** Local binding names by exported name, from the bundle's final export list. */
export function parseExportList(bundle: string, fileName = 'dist/renderer.js'): { body: string; exports: Map<string, string> } {
  const m = EXPORT_LIST.exec(bundle);
  if (!m) throw new Error(`report: ${fileName} does not end with an ES module export list; rebuild it with \`npm run build\``);
  const exports = new Map<string, string>();
  for (const part of m[1].split(',')) {
    const spec = part.trim();
    if (!spec) continue;
    const as = /^([\w$]+)(?:\s+as\s+([\w$]+))?$/.exec(spec);
    if (!as) throw new Error(`report: ${fileName}: cannot read the export "${spec}"`);
    exports.set(as[2] ?? as[1], as[1]);
  }
  return { body: bundle.slice(0, m.index), exports };
}

/**
 * The bundle's code followed by `host(activate)`: one module script that activates the
 * renderer with the report's own (kernel-less) renderer context.
 */
export function rendererWithHost(bundle: string, hostFunctionSource: string, fileName?: string): string {
  const { body, exports } = parseExportList(bundle, fileName);
  const activate = exports.get('activate');
  if (!activate) throw new Error(`report: ${fileName ?? 'dist/renderer.js'} exports no "activate" (exports: ${[...exports.keys()].join(', ') || 'none'})`);
  return `${body}\n;(${hostFunctionSource})(${activate});\n`;
}

/**
 * Where dist/renderer.js is: next to the running bundle (dist/cli.js), or in the
 * package's dist/ found by walking up from this module (sources run by tsx).
 */
export function findRendererBundle(): string {
  const starts = [typeof __dirname === 'string' ? __dirname : process.cwd()];
  for (const start of starts) {
    let d = resolve(start);
    for (;;) {
      for (const cand of [join(d, 'renderer.js'), join(d, 'dist', 'renderer.js')]) {
        if (existsSync(cand) && existsSync(join(dirname(cand), '..', 'package.json'))) return cand;
      }
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  throw new Error('report: cannot find the notebook renderer (dist/renderer.js); run `npm run build` first');
}

export function readRendererBundle(file = findRendererBundle()): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`report: cannot read the notebook renderer ${file}: ${(e as Error).message}`, { cause: e });
  }
}
