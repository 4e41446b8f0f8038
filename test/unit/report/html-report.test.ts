/**
 * The HTML report builder without a browser: the page's structure, escaping of every
 * notebook string, the CSP hash matching the inlined script byte for byte, and the
 * renderer bundle's export list turned into a call to the page host. The renderer is
 * a stand-in bundle here; test/browser/report.test.ts runs the real one.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { MIME } from '../../../src/core/display/views';
import type { NotebookDocument } from '../../../src/core/notebook/format';
import { ERROR_MIME, STDERR_MIME, STDOUT_MIME } from '../../../src/core/notebook/output-items';
import { buildHtmlReport } from '../../../src/core/report';
import { escapeScriptText, jsonForScript } from '../../../src/core/report/inline-script';
import { parseExportList, rendererWithHost } from '../../../src/core/report/renderer-script';
import { CliError } from '../../../src/cli/command';
import { defaultReportPath, reportCommand } from '../../../src/cli/commands/report';
import { runCommand } from '../../../src/cli/commands/run';

const HOSTILE = '<img src=x onerror=alert(1)></script><!--<script>';
const FAKE_RENDERER = 'var a = (ctx) => ({ renderOutputItem() {}, disposeOutputItem() {} });\nvar b = 1;\nexport {\n  a as activate,\n  b as other\n};\n//# sourceMappingURL=renderer.js.map\n';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function notebook(): NotebookDocument {
  const code = (source: string, outputs: NotebookDocument['cells'][number]['outputs'], count?: number) => ({
    kind: 'code' as const,
    language: 'typescript',
    source,
    metadata: {},
    outputs,
    execution: count === undefined ? undefined : { count, success: true, endTime: Date.UTC(2024, 2, 4, 9, 30) },
  });
  return {
    metadata: { title: `Report <title> ${HOSTILE}` },
    cells: [
      { kind: 'markdown', language: 'markdown', source: `# Heading\n\nSome *emphasis*, raw ${HOSTILE}, ![remote](http://example.com/x.png) and ![inline](data:image/png;base64,iVBORw0KGgo=)`, metadata: {}, outputs: [] },
      code(`const s = '${HOSTILE}';`, [{ items: [{ mime: STDOUT_MIME, data: `out ${HOSTILE}\n` }], metadata: {} }, { items: [{ mime: STDERR_MIME, data: 'warn\n' }], metadata: {} }], 1),
      code('dx.display(t)', [{ items: [{ mime: MIME.table, data: { version: 1, columns: [{ name: 'protocol', kind: 'string' }], rows: [[HOSTILE]] } }, { mime: 'text/markdown', data: `| protocol |\n| --- |\n| ${HOSTILE} |` }], metadata: {} }], 2),
      code('html', [{ items: [{ mime: 'text/html', data: `<b>${HOSTILE}</b>` }], metadata: {} }, { items: [{ mime: 'image/png', data: PNG }], metadata: {} }], 3),
      code('throw', [{ items: [{ mime: ERROR_MIME, data: { name: 'TypeError', message: `bad ${HOSTILE}`, stack: `TypeError: bad ${HOSTILE}\n    at cell 5` } }], metadata: {} }], 4),
      code('later()', []),
    ],
  };
}

/** The page without its inline scripts: what the HTML parser turns into elements. */
function markupOnly(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
}

describe('HTML report', () => {
  const html = buildHtmlReport(notebook(), { rendererBundle: FAKE_RENDERER, sourceName: 'analysis.dxnb' });
  const markup = markupOnly(html);

  test('every notebook string is text: no element or attribute comes from the notebook', () => {
    assert.doesNotMatch(markup, /<img src=x|<b>|onerror=alert\(1\)>/, 'hostile markup never appears unescaped');
    assert.ok(markup.includes('&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;&lt;!--&lt;script&gt;'), 'shown escaped');
    assert.equal((markup.match(/<img /g) ?? []).length, 2, 'only the embedded images: the markdown data: image and the PNG output');
    assert.ok(markup.includes(`<img class="dx-image" alt="" src="data:image/png;base64,${Buffer.from(PNG).toString('base64')}">`));
    assert.match(markup, /\[image: remote — not embedded in this report: http:\/\/example\.com\/x\.png\]/);
    assert.match(markup, /<title>Report &lt;title&gt; /);
  });

  test('markdown cells rendered; code, streams, errors and non-rich outputs as text', () => {
    assert.match(markup, /<h1>Heading<\/h1>/);
    assert.match(markup, /<em>emphasis<\/em>/);
    assert.match(markup, /<pre class="dx-stream">out &lt;img/);
    assert.match(markup, /<pre class="dx-stream dx-stderr">warn\n<\/pre>/);
    assert.match(markup, /<pre class="dx-error">TypeError: bad &lt;img[^<]*\n {4}at cell 5<\/pre>/);
    assert.match(markup, /<pre class="dx-text">\(text\/html\) &lt;b&gt;/, 'HTML output shown as its source');
    assert.match(markup, /<div class="dx-count">\[ \]<\/div>.*later\(\).*<p class="dx-not-run">not run<\/p>/s);
    assert.match(markup, /analysis\.dxnb · executed 2024-03-04 09:30 UTC · 4 of 5 code cells run/);
  });

  test('a rich output: placeholder with its markdown fallback, payload in the JSON block', () => {
    assert.match(markup, new RegExp(`<div class="dx-output dx-rich" data-dx-output="0" data-dx-output-mime="${MIME.table.replace(/[.+]/g, '\\$&')}"><div class="dx-markdown"><table>`));
    const data = /<script type="application\/json" id="dx-report-data">([\s\S]*?)<\/script>/.exec(html)?.[1];
    assert.ok(data);
    assert.doesNotMatch(data, /</, 'no raw < inside the JSON block');
    assert.deepEqual(JSON.parse(data), { outputs: [{ id: 'cell3-output1', mime: MIME.table, data: notebook().cells[2].outputs[0].items[0].data }] });
  });

  test('the CSP allows exactly the inlined module script, by its SHA-256', () => {
    const scripts = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    assert.equal(scripts.length, 1);
    const expected = `'sha256-${createHash('sha256').update(scripts[0], 'utf8').digest('base64')}'`;
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    assert.equal(csp, `default-src 'none'; script-src ${expected}; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'`);
    assert.ok(scripts[0].startsWith('var a = (ctx) =>'), 'the renderer bundle first');
    assert.match(scripts[0], /;\(function dexposureReportHost\(activate\) \{[\s\S]*\}\)\(a\);\n$/, 'then the host, given the bundle’s activate');
    assert.doesNotMatch(scripts[0], /export\s*\{|sourceMappingURL/);
  });

  test('without rich outputs no script is inlined and none may run', () => {
    const doc = notebook();
    doc.cells.splice(2, 1);
    const plain = buildHtmlReport(doc, { rendererBundle: 'not a bundle' });
    assert.doesNotMatch(plain, /<script/);
    assert.match(plain, /script-src 'none'/);
  });
});

describe('renderer bundle for inlining', () => {
  test('reads esbuild export lists, plain and minified', () => {
    assert.deepEqual([...parseExportList(FAKE_RENDERER).exports], [['activate', 'a'], ['other', 'b']]);
    const min = parseExportList('var x=1,y=2;export{x as activate,y as createRenderer};\n');
    assert.deepEqual([...min.exports], [['activate', 'x'], ['createRenderer', 'y']]);
    assert.equal(min.body, 'var x=1,y=2;');
    assert.deepEqual([...parseExportList('var activate=1;\nexport {\n  activate\n};').exports], [['activate', 'activate']]);
  });

  test('a bundle that is not an ES module, or has no activate, is a clear error', () => {
    assert.throws(() => parseExportList('(function(){})();', 'dist/renderer.js'), /dist\/renderer\.js does not end with an ES module export list; rebuild it with `npm run build`/);
    assert.throws(() => rendererWithHost('var q=1;export{q as other};', 'function(a){}', 'dist/renderer.js'), /exports no "activate" \(exports: other\)/);
  });
});

describe('inline script escaping', () => {
  test('script-ending sequences are made inert and the code means the same', () => {
    const js = `JSON.stringify(["</script>", "<!-- x", "<SCRIPT>", /<!--x/.test("<!--x"), /<script>/i.test("<SCRIPT>"), \`</Script \${1}\`])`;
    const escaped = escapeScriptText(js);
    assert.doesNotMatch(escaped, /<\/script|<!--|<script/i);
    assert.equal(runInNewContext(escaped), '["</script>","<!-- x","<SCRIPT>",true,true,"</Script 1"]');
    assert.equal(runInNewContext(js), runInNewContext(escaped));
  });

  test('JSON for a script block has no raw < and parses back to the same value', () => {
    const v = { name: HOSTILE, sep: 'a\u2028b' };
    const t = jsonForScript(v);
    assert.doesNotMatch(t, /<|\u2028/);
    assert.deepEqual(JSON.parse(t), v);
  });
});

describe('command line options for reports', () => {
  const fails = async (run: () => Promise<number>, message: RegExp) => {
    await assert.rejects(run, (e: unknown) => e instanceof CliError && message.test(e.message));
  };

  test('dexposure run --html needs a file other than the notebook', async () => {
    await fails(() => runCommand.run(['a.dxnb', '--html']), /^run: --html expects a value\n\nUsage: dexposure run/);
    await fails(() => runCommand.run(['a.dxnb', '--html', '']), /^run: --html expects a file name for the report/);
    await fails(() => runCommand.run(['a.dxnb', '--in-place', '--html', 'a.dxnb']), /^run: --html a\.dxnb would overwrite the notebook/);
    await fails(() => runCommand.run(['a.dxnb', '--out', 'b.dxnb', '--html', 'b.dxnb']), /would overwrite the notebook/);
    assert.match(runCommand.usage, /--html REPORT/);
  });

  test('dexposure report: one notebook, a report path other than the notebook', async () => {
    await fails(() => reportCommand.run([]), /^report: which notebook\?/);
    await fails(() => reportCommand.run(['a.dxnb', '--pdf']), /^report: unknown option "--pdf"/);
    await fails(() => reportCommand.run(['a.dxnb', '--out']), /^report: --out expects a value/);
    await fails(() => reportCommand.run(['a.dxnb', '--out', './a.dxnb']), /^report: --out \.\/a\.dxnb would overwrite the notebook/);
    assert.equal(defaultReportPath('/x/analysis.executed.dxnb'), '/x/analysis.executed.html');
    assert.equal(defaultReportPath('nb.ipynb'), 'nb.html');
  });
});

test('a rich output saved without a text fallback shows its view\'s markdown until the renderer draws it', () => {
  const doc: NotebookDocument = {
    metadata: {},
    cells: [
      { kind: 'code', language: 'typescript', source: 'k', metadata: {}, execution: { count: 1, success: true }, outputs: [{ items: [{ mime: MIME.summary, data: { version: 1, title: 'Week', items: [{ label: `TVL ${HOSTILE}`, value: 2.5e9, kind: 'usd' }] } }], metadata: {} }] },
      { kind: 'code', language: 'typescript', source: 'bad', metadata: {}, execution: { count: 2, success: true }, outputs: [{ items: [{ mime: MIME.summary, data: { version: 1, items: 'nope' } }], metadata: {} }] },
    ],
  };
  const page = markupOnly(buildHtmlReport(doc, { rendererBundle: FAKE_RENDERER }));
  const [first, second] = page.split('data-dx-output-mime=').slice(1);
  assert.match(first, /<strong>Week<\/strong>/);
  assert.match(first, /<td>TVL &lt;img src=x onerror=alert\(1\)&gt;&lt;\/script&gt;&lt;!--&lt;script&gt;<\/td>\s*<td style="text-align:right">\$2\.50B<\/td>/);
  assert.doesNotMatch(second, /<table>|<strong>/, 'a payload that fails its check gets no derived fallback (the renderer names the problem)');
});
