/**
 * Renderer <-> extension messages (RendererMessage / ExtensionMessage in
 * src/core/display/protocol.ts). Requests carry a requestId and resolve on the
 * matching reply, or fail after a timeout so a view never waits forever on a kernel
 * that is not running.
 */
import type { ExtensionMessage, RendererMessage, StressPayload } from '../src/core/display/protocol';
import type { RendererContext } from './renderer-api';

export class MessagingUnavailable extends Error {}

interface Pending {
  resolve(p: StressPayload): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class Messenger {
  private readonly pending = new Map<string, Pending>();
  private seq = 0;

  constructor(private readonly ctx: Pick<RendererContext, 'postMessage' | 'onDidReceiveMessage'>, readonly timeoutMs = 5000) {
    ctx.onDidReceiveMessage?.((m) => this.receive(m));
  }

  get available(): boolean {
    return typeof this.ctx.postMessage === 'function';
  }

  post(m: RendererMessage): void {
    if (!this.ctx.postMessage) throw new MessagingUnavailable('This notebook host gives the renderer no channel to the extension.');
    this.ctx.postMessage(m);
  }

  whatIf(req: { handle: string; shockSize?: number; shockProtocol?: string }, timeoutMs = this.timeoutMs): Promise<StressPayload> {
    if (!this.available) return Promise.reject(new MessagingUnavailable('No connection to the extension here: what-if reruns need VS Code with a running kernel.'));
    const requestId = `r${Date.now().toString(36)}-${++this.seq}`;
    return new Promise<StressPayload>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`No reply from the kernel within ${Math.round(timeoutMs / 1000)} s: is it running? Run the cell to start it. Showing the saved result.`));
      }, timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      this.post({ type: 'whatIf', requestId, ...req });
    });
  }

  private receive(m: unknown): void {
    if (!m || typeof m !== 'object') return;
    const msg = m as ExtensionMessage;
    if (msg.type !== 'whatIfResult' && msg.type !== 'whatIfError') return;
    const p = this.pending.get(msg.requestId);
    if (!p) return;
    this.pending.delete(msg.requestId);
    clearTimeout(p.timer);
    if (msg.type === 'whatIfResult') p.resolve(msg.payload);
    else p.reject(new Error(msg.message));
  }
}
