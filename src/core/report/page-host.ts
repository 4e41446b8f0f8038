/**
 * The page side of an HTML report: browser JavaScript, kept here as text because it is
 * inlined into the report next to the renderer bundle (see renderer-script.ts), never
 * run by Node. It plays the part VS Code plays for the renderer: a renderer context
 * without messaging (so views that need a kernel say there is none), the editor theme
 * (body class `vscode-light` / `vscode-dark` following prefers-color-scheme, the
 * --vscode-* variables come from the report's stylesheet), and one renderOutputItem
 * call per saved rich output, whose payloads sit in a JSON block.
 */

/** A function expression taking the renderer's `activate`. */
export const PAGE_HOST_SOURCE = String.raw`function dexposureReportHost(activate) {
  var doc = document;
  var media = matchMedia('(prefers-color-scheme: dark)');
  function applyTheme() {
    doc.body.classList.toggle('vscode-dark', media.matches);
    doc.body.classList.toggle('vscode-light', !media.matches);
  }
  applyTheme();
  media.addEventListener('change', applyTheme);

  var failures = [];
  var data;
  try {
    data = JSON.parse(doc.getElementById('dx-report-data').textContent || '{}');
  } catch (e) {
    failures.push('report data: ' + (e && e.message ? e.message : String(e)));
    data = { outputs: [] };
  }
  var api = activate({
    workspace: { isTrusted: true },
    getState: function () { return undefined; },
    setState: function () {},
    getRenderer: function () { return Promise.resolve(undefined); },
  });
  var encoder = new TextEncoder();
  var hosts = doc.querySelectorAll('[data-dx-output]');
  for (var i = 0; i < hosts.length; i++) {
    var host = hosts[i];
    var out = data.outputs[Number(host.getAttribute('data-dx-output'))];
    if (!out) continue;
    (function (host, out) {
      var text = JSON.stringify(out.data);
      var item = {
        id: out.id,
        mime: out.mime,
        metadata: {},
        text: function () { return text; },
        json: function () { return JSON.parse(text); },
        data: function () { return encoder.encode(text); },
        blob: function () { return new Blob([text], { type: out.mime }); },
      };
      try {
        api.renderOutputItem(item, host, new AbortController().signal);
      } catch (e) {
        var p = doc.createElement('p');
        p.className = 'dx-report-failure';
        p.textContent = 'This output could not be drawn: ' + (e && e.message ? e.message : String(e));
        host.appendChild(p);
        failures.push(out.id);
      }
    })(host, out);
  }
  doc.documentElement.setAttribute('data-dx-report', failures.length ? 'failed' : 'ready');
}`;
