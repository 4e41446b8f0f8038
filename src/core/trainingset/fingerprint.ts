/**
 * Fingerprint of a release folder (docs/TRAINING-SET.md "source.fingerprint"):
 * SHA-256 over every regular file under the folder, in sorted relative-path order,
 * of `path NUL byteLength NUL contents`. Streams the files (the network JSON can
 * exceed 1 GB). The converted-week cache that the loader keeps inside the folder
 * (.dexposure-cache) is not part of the release and is left out, so the identity of
 * the data does not depend on whether, or when, it was opened before.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CACHE_DIR_NAME } from '../cache/store';

function listFiles(dir: string, root = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory() && dir === root && name === CACHE_DIR_NAME) continue;
    if (st.isDirectory()) out.push(...listFiles(p, root));
    else if (st.isFile()) out.push(relative(root, p).split(sep).join('/'));
  }
  return out;
}

export async function releaseFingerprint(dir: string): Promise<string> {
  const h = createHash('sha256');
  for (const rel of listFiles(dir).sort()) {
    const p = join(dir, rel);
    h.update(`${rel}\u0000${statSync(p).size}\u0000`);
    for await (const chunk of createReadStream(p)) h.update(chunk as Buffer);
  }
  return h.digest('hex');
}
