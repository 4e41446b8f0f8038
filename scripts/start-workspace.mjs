// The writable copy of examples/ that `npm start` opens. Refreshing it brings in new
// and updated examples but never overwrites a file the user changed: a record of what
// was copied (a SHA-256 per file) tells an untouched copy from an edited one.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** Folders never copied: caches the kernel writes next to data. */
const SKIP_DIRS = new Set(['.dexposure-cache', 'node_modules']);

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function listFiles(dir, root = dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...listFiles(p, root));
    } else if (entry.isFile()) {
      out.push(relative(root, p).split(sep).join('/'));
    }
  }
  return out.sort();
}

function readRecord(file) {
  if (!existsSync(file)) return {};
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    return r && typeof r.files === 'object' && r.files ? r.files : {};
  } catch {
    // A damaged record only costs us the knowledge of what is untouched: treat
    // every differing file as the user's.
    return {};
  }
}

/**
 * Copies `source` into `dest`, file by file:
 * - missing in dest: copied;
 * - unchanged since we copied it (its hash is the recorded one): replaced by the newer example;
 * - changed by the user (or of unknown origin and different): kept, listed in `kept`.
 * Files the user added, and files no longer in `source`, are left alone.
 * `recordFile` (outside dest, so it does not show in the editor) keeps the hashes.
 * Returns the relative paths per outcome.
 */
export function refreshWorkspace(source, dest, recordFile) {
  if (!existsSync(source)) throw new Error(`start: the examples folder ${source} does not exist`);
  const record = readRecord(recordFile);
  const result = { copied: [], updated: [], kept: [], unchanged: [] };
  const next = { ...record };
  for (const rel of listFiles(source)) {
    const from = join(source, ...rel.split('/'));
    const to = join(dest, ...rel.split('/'));
    const want = sha256(from);
    if (!existsSync(to)) {
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(from, to);
      next[rel] = want;
      result.copied.push(rel);
      continue;
    }
    const have = sha256(to);
    if (have === want) {
      next[rel] = want;
      result.unchanged.push(rel);
    } else if (record[rel] === have) {
      copyFileSync(from, to);
      next[rel] = want;
      result.updated.push(rel);
    } else {
      result.kept.push(rel);
    }
  }
  mkdirSync(dirname(recordFile), { recursive: true });
  writeFileSync(recordFile, `${JSON.stringify({ source, files: next }, null, 2)}\n`);
  return result;
}
