/* global window, document, performance, TextEncoder, Blob, AbortController */
// Test page glue: a fake notebook renderer context around dist/renderer.js.
// window.dx.render(mime, payload, { messaging }) mounts one output; posted messages are
// recorded in window.dx.messages; window.dx.reply(msg) delivers an extension message.
import { activate } from '/dist/renderer.js';

const listeners = new Set();
const messages = [];
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective}: ${e.blockedURI}`));

function makeApi(messaging) {
  const ctx = {
    workspace: { isTrusted: true },
    getState: () => undefined,
    setState: () => undefined,
    getRenderer: async () => undefined,
  };
  if (messaging) {
    ctx.postMessage = (m) => messages.push(m);
    ctx.onDidReceiveMessage = (fn) => (listeners.add(fn), { dispose: () => listeners.delete(fn) });
  }
  return activate(ctx);
}

const apis = { true: makeApi(true), false: makeApi(false) };
let seq = 0;

window.dx = {
  messages,
  violations,
  render(mime, payload, opts = {}) {
    const id = opts.id ?? `out${++seq}`;
    let host = document.getElementById(id);
    if (!host) {
      host = document.createElement('div');
      host.id = id;
      host.className = 'output';
      document.getElementById('outputs').appendChild(host);
    }
    const text = JSON.stringify(payload);
    const item = { id, mime, metadata: {}, text: () => text, json: () => JSON.parse(text), data: () => new TextEncoder().encode(text), blob: () => new Blob([text]) };
    const t0 = performance.now();
    apis[String(opts.messaging !== false)].renderOutputItem(item, host, new AbortController().signal);
    window.dx.renderStart = t0;
    return id;
  },
  dispose(id) {
    apis.true.disposeOutputItem(id);
    apis.false.disposeOutputItem(id);
  },
  clear() {
    for (const host of [...document.querySelectorAll('#outputs > .output')]) {
      apis.true.disposeOutputItem(host.id);
      apis.false.disposeOutputItem(host.id);
      host.remove();
    }
    window.scrollTo(0, 0);
  },
  reply(msg) {
    for (const l of listeners) l(msg);
  },
  setTheme(kind) {
    document.body.className = `vscode-${kind}`;
  },
};
window.dxReady = true;
