/**
 * The view registries are derived from the view modules (scripts/views.mjs, run by the
 * build; `npm run lint` runs its check): the committed lists are current, a new view's
 * two modules are all it takes to appear in VIEWS, RENDERERS and package.json, and a
 * view without its draw module or with a name unlike its file is refused by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateViews } from '../../../scripts/views.mjs';

const repo = join(__dirname, '..', '..', '..');

/** A scratch copy of what the generator reads: the display modules, the renderer and package.json. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dx-views-'));
  cpSync(join(repo, 'src/core/display'), join(dir, 'src/core/display'), { recursive: true });
  cpSync(join(repo, 'webview'), join(dir, 'webview'), { recursive: true });
  cpSync(join(repo, 'package.json'), join(dir, 'package.json'));
  return dir;
}

const mimes = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { contributes: { notebookRenderer: { mimeTypes: string[] }[] } }).contributes.notebookRenderer[0].mimeTypes;

test('the committed registries and package.json are what the view modules give', async () => {
  const r = await generateViews({ check: true, root: repo });
  assert.deepEqual(r.stale, []);
  assert.ok(r.names.includes('table') && r.names.includes('graph'));
});

test('a view is its two modules: the build lists it in VIEWS, RENDERERS and package.json', async (t) => {
  const dir = scratch();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const before = mimes(dir);
  writeFileSync(
    join(dir, 'src/core/display/views/heat.ts'),
    "import { defineView } from '../view-descriptor';\nexport const view = defineView({ name: 'heat', summary: 'heat map', validate: (p: unknown) => p as { v: number }, markdown: () => '' });\n",
  );
  writeFileSync(join(dir, 'webview/heat.ts'), 'export function renderHeat(): () => void {\n  return () => {};\n}\n');
  assert.deepEqual((await generateViews({ check: true, root: dir })).stale, ['src/core/display/view-list.generated.ts', 'webview/renderers.generated.ts', 'package.json']);
  await generateViews({ root: dir });
  assert.deepEqual(mimes(dir), [...before, 'application/vnd.dexposure.heat+json'].sort());
  assert.match(readFileSync(join(dir, 'src/core/display/view-list.generated.ts'), 'utf8'), /import \{ view as heat \} from '\.\/views\/heat';/);
  assert.match(readFileSync(join(dir, 'webview/renderers.generated.ts'), 'utf8'), /^ {2}heat: renderHeat,$/m);
  assert.match(readFileSync(join(dir, 'package.json'), 'utf8'), /"displayName": "DeXposure views \(.*heat map.*\)"/);
  assert.deepEqual((await generateViews({ check: true, root: dir })).stale, [], 'written once, then current');
});

test('a view without its draw module, or named unlike its file, is refused by name', async (t) => {
  const dir = scratch();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const mod = join(dir, 'src/core/display/views/heat.ts');
  writeFileSync(mod, "import { defineView } from '../view-descriptor';\nexport const view = defineView({ name: 'hot', summary: 'x', validate: (p: unknown) => p, markdown: () => '' });\n");
  await assert.rejects(generateViews({ check: true, root: dir }), /^Error: views: src\/core\/display\/views\/heat\.ts has no draw module: write webview\/heat\.ts exporting renderHeat\(root, payload, viewContext\) => dispose$/);
  writeFileSync(join(dir, 'webview/heat.ts'), 'export function drawHeat(): void {}\n');
  await assert.rejects(generateViews({ check: true, root: dir }), /^Error: views: webview\/heat\.ts must export function renderHeat/);
  writeFileSync(join(dir, 'webview/heat.ts'), 'export function renderHeat(): () => void {\n  return () => {};\n}\n');
  await assert.rejects(generateViews({ check: true, root: dir }), /^Error: views: src\/core\/display\/views\/heat\.ts must export `view` = defineView\(\{ name: 'heat', \.\.\. \}\) \(found "hot"\)$/);
});
