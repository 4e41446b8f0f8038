/**
 * Fingerprint of a release folder (docs/TRAINING-SET.md "source.fingerprint"):
 * SHA-256 over every regular file under the folder, in sorted relative-path order,
 * of `path NUL byteLength NUL contents`. Streams the files (the network JSON can
 * exceed 1 GB).
 */
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

function listFiles(dir: string, root = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
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
