/**
 * Example notebooks open from the user's own copy, not from the extension's install
 * folder: that folder may be read-only, and an update replaces it (with any edits and
 * saved outputs in it). The copy lives in the extension's storage folder, one folder
 * per extension version, and is made once: reopening an example finds the user's
 * edits, and a new version brings its new examples. The sample data stays in the
 * install folder, where `dx.open()` finds it. Node only (no editor API), so it can be
 * tested directly.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../core/files/atomic-write';
import { join } from 'node:path';

/** A bare notebook file name: what examples/ holds, never a path. */
const EXAMPLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.dxnb$/;

export const QUICKSTART = 'quickstart.dxnb';

export class ExampleError extends Error {}

/** The writable copy of examples/NAME (made when missing); returns its path. */
export function writableExampleCopy(installDir: string, storageDir: string, version: string, name: string): string {
  if (!EXAMPLE_NAME.test(name)) throw new ExampleError(`"${name}" is not an example notebook name (expected a file name such as ${QUICKSTART})`);
  const source = join(installDir, 'examples', name);
  if (!existsSync(source)) throw new ExampleError(`this installation has no examples/${name}`);
  const dir = join(storageDir, `examples-${version}`);
  const dest = join(dir, name);
  if (!existsSync(dest)) {
    mkdirSync(dir, { recursive: true });
    // atomic: an interrupted copy never passes for the example
    writeFileAtomic(dest, readFileSync(source));
  }
  return dest;
}
