/**
 * package.json `exports.types`: a script that imports 'dexposure-notebooks' (the
 * package as installed: a node_modules entry pointing at this folder) type-checks
 * against the declarations the build writes to dist/types/, and misuse is caught,
 * so the types are real rather than `any`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'dx-types-'));
after(() => rmSync(dir, { recursive: true, force: true }));

before(() => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: { '.': { types: string } } };
  const declared = path.join(ROOT, manifest.exports['.'].types);
  assert.ok(existsSync(declared), `${declared} (package.json exports.types) is missing: run npm run build`);
  mkdirSync(path.join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(ROOT, path.join(dir, 'node_modules', 'dexposure-notebooks'), 'dir');
  symlinkSync(path.join(ROOT, 'node_modules', '@types', 'node'), path.join(dir, 'node_modules', '@types', 'node'), 'dir');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
});

function diagnostics(source: string): string[] {
  const file = path.join(dir, `script-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(file, source);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ''} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

test('a script using the library type-checks against dist/types', () => {
  const errors = diagnostics(`
import { openRelease, MIME, type Snapshot } from 'dexposure-notebooks';
const release = await openRelease('examples/data');
const week: string = release.weeks[0];
const snap: Snapshot = await release.snapshot(week);
const protocols: number = snap.ids.length;
const tableMime: 'application/vnd.dexposure.table+json' = MIME.table;
console.log(protocols, tableMime);
`);
  assert.deepEqual(errors, []);
});

test('misusing the library is a type error (the declarations are not any)', () => {
  const errors = diagnostics(`
import { openRelease, MIME } from 'dexposure-notebooks';
await openRelease(42);
const wrong: number = MIME.graph;
`);
  assert.equal(errors.length, 2, errors.join('\n'));
  assert.match(errors[0], /TS2345: Argument of type 'number' is not assignable to parameter of type 'string'/);
  assert.match(errors[1], /TS2322: Type '.+' is not assignable to type 'number'/);
});
