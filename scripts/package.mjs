// `npm run package`: a platform-specific .vsix for this machine (or --target T), made
// with @vscode/vsce. The bundles in dist/ hold our code and pure-JS dependencies; the
// runtime externals ship from node_modules: typescript (one file) and onnxruntime-node
// with only the target's native binaries (all platforms together are ~290 MB).
// README links stay relative: there is no repository URL to rewrite them against, and
// the editor's extension page shows only https images anyway (offline it shows their
// alt text). docs/images ships for the walkthrough, which shows them from the package.
// Output: dist/dexposure-notebooks-<target>.vsix. Prints the file list summary.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const arg = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const target = arg('--target') ?? `${process.platform}-${process.arch}`;
const [os, cpu] = target.split('-');
const known = ['win32-x64', 'win32-arm64', 'linux-x64', 'linux-arm64', 'darwin-arm64'];
if (!known.includes(target)) {
  console.error(`package: no onnxruntime-node binaries for target "${target}" (have: ${known.join(', ')})`);
  process.exit(2);
}

function run(cmd, cmdArgs) {
  console.log(`$ ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`package: step failed: ${cmd} ${cmdArgs.join(' ')}`);
    process.exit(r.status || 1);
  }
}

run(process.execPath, ['scripts/build.mjs', '--production']);

mkdirSync('.cache', { recursive: true });
const ignoreFile = join('.cache', `vscodeignore-${target}`);
writeFileSync(ignoreFile, `${readFileSync('.vscodeignore', 'utf8')}\n!node_modules/onnxruntime-node/bin/napi-v6/${os}/${cpu}/**\n`);

const out = join('dist', `dexposure-notebooks-${target}.vsix`);
const vsce = join('node_modules', '@vscode', 'vsce', 'vsce');
run(process.execPath, [vsce, 'package', '--target', target, '--ignoreFile', ignoreFile, '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out]);
console.log(`package: wrote ${out} (${(statSync(out).size / 1e6).toFixed(1)} MB)`);
