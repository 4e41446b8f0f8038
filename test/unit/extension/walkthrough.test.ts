/**
 * The first-run walkthrough: every step's media, image, command, setting and example
 * notebook exists; the files it needs go into the .vsix (vsce's own file listing,
 * with the real .vscodeignore, over a small stand-in of the package); and the example
 * opens from an editable copy that is made once per version and keeps the user's edits.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ExampleError, QUICKSTART, writableExampleCopy } from '../../../src/extension/example-copy';

const ROOT = resolve(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string }[];
    configuration: { properties: Record<string, unknown> };
    walkthroughs: { id: string; steps: { id: string; title: string; description: string; media: { markdown?: string; image?: unknown }; completionEvents?: string[] }[] }[];
  };
};
const walkthrough = manifest.contributes.walkthroughs.find((w) => w.id === 'gettingStarted');
const steps = walkthrough?.steps ?? [];
const ours = new Set(manifest.contributes.commands.map((c) => c.command));
// VS Code's own commands the walkthrough uses.
const BUILT_IN = new Set(['workbench.action.openSettings', 'notebook.execute']);

/** [command, parsed arguments] for each command link in a step description. */
function commandLinks(description: string): [string, unknown[]][] {
  return [...description.matchAll(/\]\(command:([\w.]+)(?:\?([^)]*))?\)/g)].map((m) => [m[1], m[2] ? (JSON.parse(decodeURIComponent(m[2])) as unknown[]) : []]);
}

const temp: string[] = [];
after(() => {
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'dx-walkthrough-'));
  temp.push(d);
  return d;
}

describe('walkthrough contribution', () => {
  test('has the four steps in order: quickstart, run all, stress lab, real data', () => {
    assert.deepEqual(
      steps.map((s) => s.id),
      ['openQuickstart', 'runAll', 'stressLab', 'realRelease'],
    );
  });

  test('every media file and every image it shows exists', () => {
    for (const s of steps) {
      assert.ok(s.media.markdown, `${s.id}: markdown media`);
      const md = join(ROOT, s.media.markdown);
      assert.ok(existsSync(md), `${s.id}: ${s.media.markdown} exists`);
      for (const [, src] of readFileSync(md, 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
        assert.ok(existsSync(join(dirname(md), src)), `${s.media.markdown}: image ${src} exists`);
      }
    }
  });

  test('buttons and completion events name real commands and settings; example buttons name shipped notebooks', () => {
    for (const s of steps) {
      for (const [cmd, args] of commandLinks(s.description)) {
        assert.ok(ours.has(cmd) || BUILT_IN.has(cmd), `${s.id}: command ${cmd} is contributed`);
        if (cmd === 'dexposure.openExample') assert.ok(existsSync(join(ROOT, 'examples', String(args[0]))), `${s.id}: examples/${String(args[0])} exists`);
        if (cmd === 'workbench.action.openSettings') assert.ok(String(args[0]) in manifest.contributes.configuration.properties, `${s.id}: setting ${String(args[0])}`);
      }
      for (const ev of s.completionEvents ?? []) {
        const [kind, name] = ev.split(/:(.*)/s);
        if (kind === 'onCommand') assert.ok(ours.has(name) || BUILT_IN.has(name), `${s.id}: ${ev}`);
        else if (kind === 'onSettingChanged') assert.ok(name in manifest.contributes.configuration.properties, `${s.id}: ${ev}`);
        else assert.fail(`${s.id}: unexpected completion event ${ev}`);
      }
    }
    assert.deepEqual(commandLinks(steps[0].description), [['dexposure.openQuickstart', []]]);
    assert.deepEqual(commandLinks(steps[2].description), [['dexposure.openExample', ['stress-lab.dxnb']]]);
    assert.ok(existsSync(join(ROOT, 'examples', QUICKSTART)), 'examples/quickstart.dxnb exists');
  });

  test('the .vsix keeps the walkthrough media, images and examples, and leaves out caches and sources', async () => {
    // A stand-in package: the real manifest and .vscodeignore over a few files of each kind.
    const pkg = tempDir();
    const put = (rel: string, from?: string) => {
      mkdirSync(dirname(join(pkg, rel)), { recursive: true });
      if (from) copyFileSync(from, join(pkg, rel));
      else writeFileSync(join(pkg, rel), 'x');
    };
    put('package.json', join(ROOT, 'package.json'));
    put('.vscodeignore', join(ROOT, '.vscodeignore'));
    const media = steps.map((s) => s.media.markdown!);
    const images = media.flatMap((m) => [...readFileSync(join(ROOT, m), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((x) => join(dirname(m), x[1])));
    const wanted = [...media, ...images, 'examples/quickstart.dxnb', 'examples/stress-lab.dxnb', 'examples/data/meta_df.csv', 'dist/extension.js', 'dist/renderer.js'];
    const unwanted = ['examples/data/.dexposure-cache/release-1/manifest.json', '.dexposure-cache/x.arrow', 'docs/API.md', 'dist/renderer.js.map', 'src/extension/commands.ts', 'test/unit/x.test.ts'];
    for (const f of [...wanted, ...unwanted]) put(f);
    // PackageManager.None: list the folder's files only (the stand-in has no node_modules).
    const vsce = (await import('@vscode/vsce')) as unknown as { PackageManager: { None: number }; listFiles(o: { cwd: string; packageManager: number }): Promise<string[]> };
    const files = new Set((await vsce.listFiles({ cwd: pkg, packageManager: vsce.PackageManager.None })).map((f) => f.replace(/\\/g, '/')));
    for (const f of wanted) assert.ok(files.has(f.replace(/\\/g, '/')), `${f} is packaged`);
    for (const f of unwanted) assert.ok(!files.has(f), `${f} is left out`);
  });
});

describe('example notebooks open from an editable copy', () => {
  function install(): { installDir: string; storage: string } {
    const installDir = tempDir();
    mkdirSync(join(installDir, 'examples'));
    writeFileSync(join(installDir, 'examples', QUICKSTART), 'v1 quickstart');
    return { installDir, storage: join(tempDir(), 'globalStorage') };
  }

  test('copied once into a per-version folder; reopening keeps the edits', () => {
    const { installDir, storage } = install();
    const file = writableExampleCopy(installDir, storage, '0.1.0', QUICKSTART);
    assert.equal(file, join(storage, 'examples-0.1.0', QUICKSTART));
    assert.equal(readFileSync(file, 'utf8'), 'v1 quickstart');
    writeFileSync(file, 'my edits');
    assert.equal(writableExampleCopy(installDir, storage, '0.1.0', QUICKSTART), file);
    assert.equal(readFileSync(file, 'utf8'), 'my edits', 'the user copy is not overwritten');
    // A new version brings its own example, beside the old copy.
    writeFileSync(join(installDir, 'examples', QUICKSTART), 'v2 quickstart');
    assert.equal(readFileSync(writableExampleCopy(installDir, storage, '0.2.0', QUICKSTART), 'utf8'), 'v2 quickstart');
    assert.equal(readFileSync(file, 'utf8'), 'my edits');
  });

  test('only bare .dxnb names of shipped examples', () => {
    const { installDir, storage } = install();
    assert.throws(() => writableExampleCopy(installDir, storage, '1', '../package.json'), (e: unknown) => e instanceof ExampleError && /"\.\.\/package\.json" is not an example notebook name/.test(e.message));
    assert.throws(() => writableExampleCopy(installDir, storage, '1', 'sub/quickstart.dxnb'), /is not an example notebook name/);
    assert.throws(() => writableExampleCopy(installDir, storage, '1', 'stress-lab.dxnb'), /this installation has no examples\/stress-lab\.dxnb/);
    assert.equal(existsSync(storage), false, 'nothing written on a refusal');
  });
});
