/**
 * Completion, hover and diagnostics for `dx` in notebook cells (src/extension/cell-types)
 * on the built declarations (dist/types, `npm run build`), through the real TypeScript
 * language service.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import * as ts from 'typescript';
import { CellTypes, type CellContext } from '../../../src/extension/cell-types/service';
import { buildDx } from '../../../src/kernel/dx';

const ROOT = resolve(__dirname, '../../..');
const TYPES = join(ROOT, 'dist/types');
const NOTEBOOK = join(ROOT, 'examples', 'quickstart.dxnb');

const NODE_TYPES = join(ROOT, 'node_modules/@types');
let svc: CellTypes;
before(() => {
  assert.ok(existsSync(join(TYPES, 'kernel/dx-api.d.ts')), 'dist/types/kernel/dx-api.d.ts is built (npm run build)');
  // As the extension sets it up: Node's declarations from its node_modules/@types.
  svc = new CellTypes(ts, TYPES, NODE_TYPES);
});

const cell = (text: string, before: string[] = [], language: CellContext['language'] = 'typescript'): CellContext => ({ notebookPath: NOTEBOOK, before, text, language });

describe('cell types', () => {
  test('completion after "dx." offers every member of the kernel\'s dx, stress included', () => {
    const c = cell('const s = await dx.open()\ndx.');
    const r = svc.completions(c, c.text.length)!;
    assert.ok(r.isMemberCompletion);
    const names = new Set(r.entries.map((e) => e.name));
    assert.ok(names.has('stress'));
    const missing = Object.keys(buildDx()).filter((k) => !names.has(k));
    assert.deepEqual(missing, [], 'the declarations list every runtime member of dx');
    const d = svc.completionDetails(c, c.text.length, 'stress')!;
    assert.match(d.detail, /stress: \(s: Snapshot, scenario: PresetName \| Scenario/);
    assert.match(d.documentation, /Runs a scenario/);
  });

  test('members of values from earlier cells complete too (the kernel keeps them)', () => {
    const c = cell('release.', ['const release = await dx.open()']);
    const names = svc.completions(c, c.text.length)!.entries.map((e) => e.name);
    assert.ok(names.includes('weeks') && names.includes('snapshot'), names.slice(0, 20).join(', '));
  });

  test('hover shows the signature and its doc comment', () => {
    const c = cell('const w = await dx.open()\ndx.stress');
    const h = svc.hover(c, c.text.length - 2)!;
    assert.equal(c.text.slice(h.start, h.start + h.length), 'stress');
    assert.match(h.signature, /stress: \(s: Snapshot/);
    assert.match(h.documentation, /Runs a scenario/);
  });

  test('a misspelled member is an error in the cell, with TypeScript\'s suggestion; a clean cell has none', () => {
    const bad = cell('const s = await dx.sample()\ndx.stres(s, "top1")');
    const d = svc.diagnostics(bad);
    assert.equal(d.length, 1, JSON.stringify(d));
    assert.equal(bad.text.slice(d[0]!.start, d[0]!.start + d[0]!.length), 'stres');
    assert.match(d[0]!.message, /Property 'stres' does not exist.*Did you mean 'stress'\?/s);
    assert.equal(d[0]!.category, 'error');
    // Top-level await, a name an earlier cell declared declared again, and a last expression: all fine.
    const ok = cell('const s = await dx.sample()\nconst x = 2\ns', ['const x = 1']);
    assert.deepEqual(svc.diagnostics(ok), []);
  });

  test('errors in earlier cells are not reported on this one; JavaScript cells get syntax errors only', () => {
    assert.deepEqual(svc.diagnostics(cell('dx.display(1)', ['dx.nope()'])), []);
    assert.deepEqual(svc.diagnostics(cell('dx.stres(1)', [], 'javascript')), []);
    assert.equal(svc.diagnostics(cell('dx.display((1)', [], 'javascript')).length, 1);
  });

  test('the shipped example notebooks show no diagnostics in any cell (a fresh user sees no false errors)', () => {
    const dir = join(ROOT, 'examples');
    const books = readdirSync(dir).filter((f) => f.endsWith('.dxnb'));
    assert.ok(books.length >= 3, books.join(', '));
    let cells = 0;
    for (const f of books) {
      const path = join(dir, f);
      const nb = JSON.parse(readFileSync(path, 'utf8')) as { cells: { kind: string; language: string; source: string }[] };
      const before: string[] = [];
      nb.cells.forEach((c, i) => {
        if (c.kind !== 'code' || (c.language !== 'typescript' && c.language !== 'javascript')) return;
        const d = svc.diagnostics({ notebookPath: path, before: c.language === 'typescript' ? [...before] : [], text: c.source, language: c.language as CellContext['language'] });
        assert.deepEqual(d.map((x) => `${x.message} at "${c.source.slice(x.start, x.start + x.length)}"`), [], `${f}, cell ${i + 1}`);
        if (c.language === 'typescript') before.push(c.source);
        cells++;
      });
    }
    assert.ok(cells > 20, `${cells} code cells checked`);
  });

  test('cells run in Node: process, Buffer and node: modules are known; a type named dx.Scenario checks a scenario', () => {
    assert.deepEqual(svc.diagnostics(cell("import { readFileSync } from 'node:fs'\nconst quick = process.env.QUICK === '1'\nBuffer.from(readFileSync('x')).length")), []);
    const wrong = cell("const s: dx.Scenario = { name: 'x', shocks: [{ kind: 'tokenz', tokens: ['USDT'], loss: 0.3 }] }");
    const d = svc.diagnostics(wrong);
    assert.equal(d.length, 1, JSON.stringify(d));
    assert.match(d[0]!.message, /'"tokenz"' is not assignable/);
    // The same object typed as dx.Scenario passes to dx.stress, and a figure from a builder takes more traces.
    assert.deepEqual(svc.diagnostics(cell("const release = await dx.open()\nconst g = await release.snapshot(release.weeks[0])\nconst s: dx.Scenario = { name: 'x', shocks: [{ kind: 'tokens', tokens: ['USDT'], loss: 0.3 }] }\ndx.stress(g, s)\nconst f = dx.figures.timeSeries([])\nf.data.push({ type: 'bar' })")), []);
  });
});
