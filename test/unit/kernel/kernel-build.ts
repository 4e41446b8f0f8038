// Builds the kernel entry the way scripts/build.mjs does, into .cache/, so kernel tests
// run the current source as a real forked bundle (same externals as dist/kernel.js).
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
let built: Promise<string> | undefined;

export function testKernelPath(): Promise<string> {
  built ??= (async () => {
    const dir = path.join(root, '.cache', `test-kernel-${process.pid}`);
    const outfile = path.join(dir, 'kernel.js');
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    await esbuild.build({
      entryPoints: [path.join(root, 'src', 'kernel', 'main.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: 'linked',
      logLevel: 'error',
      external: ['vscode', 'onnxruntime-node', 'typescript'],
    });
    return outfile;
  })();
  return built;
}
