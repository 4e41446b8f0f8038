/**
 * Wraps a MIME bundle as a Displayable (protocol.ts): the kernel's `dx.display` and
 * the last-expression display call `value[MIME_BUNDLE]()`. The payload is exposed
 * too, so notebook code can inspect or tweak what will be drawn.
 */
import { MIME_BUNDLE, type Displayable, type MimeBundle } from './protocol';

export interface View<P> extends Displayable {
  readonly mime: string;
  readonly payload: P;
  readonly markdown: string;
  toJSON(): P;
}

export function makeView<P>(mime: string, payload: P, markdown: string): View<P> {
  return {
    mime,
    payload,
    markdown,
    [MIME_BUNDLE](): MimeBundle {
      return { [mime]: payload, 'text/markdown': markdown };
    },
    toJSON: () => payload,
  };
}
