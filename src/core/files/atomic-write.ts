/**
 * The one way the product writes a file: into a temporary file in the same folder,
 * flushed to disk (fsync), then renamed over the target. A rename within one folder
 * is atomic on POSIX and on NTFS, so a reader (or a crash, a full disk, a file-size
 * limit, a kill) sees either the old file or the complete new one, never a truncated
 * mix. A failed write removes its temporary file and leaves the old file untouched.
 *
 * `writeFileAtomic` writes a whole buffer; `AtomicFile` takes chunks (large CSV and
 * JSON exports) and only replaces the target on `commit()`.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A write that did not happen; the target still holds what it held before. */
export class AtomicWriteError extends Error {
  /** The CLI prints the message alone (no stack): it already says file, place and what was expected. */
  readonly userFacing = true;
  readonly file: string;
  readonly code?: string;
  constructor(file: string, cause: unknown) {
    const c = cause as NodeJS.ErrnoException;
    super(`cannot write ${file}: ${c?.message ?? String(cause)} (the previous file, if any, is unchanged)`, {
      cause,
    });
    this.name = 'AtomicWriteError';
    this.file = file;
    this.code = c?.code;
  }
}

/** The temporary files this module creates start with this prefix (see isAtomicTemp). */
const TEMP_PREFIX = '.dx-tmp-';

function tempPath(file: string): string {
  return join(
    dirname(file),
    `${TEMP_PREFIX}${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}`,
  );
}

/** True for a name this module uses for its temporary files (a killed writer may leave one). */
export function isAtomicTemp(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

function existingMode(file: string): number | undefined {
  try {
    return statSync(file).mode & 0o777;
  } catch {
    return undefined;
  }
}

/** Best effort: make the rename itself durable (not supported for folders on Windows). */
export function fsyncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // durability of the folder entry is a bonus; the file content is already synced
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Flush a file already written and closed to disk, off the calling thread (libuv's
 * pool): a folder built privately and renamed into place as a whole (the Arrow cache)
 * writes its files plainly, starts their syncs as they are written, and awaits them
 * all before the rename, instead of one blocking fsync per file.
 */
export async function fsyncFile(file: string): Promise<void> {
  const fh = await open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes chunks to a temporary file; `commit` replaces the target, `abort` drops it. */
export class AtomicFile {
  readonly file: string;
  readonly temp: string;
  private fd: number | undefined;
  private finished = false;
  private committed = false;
  // small writes (one CSV row each) are gathered into ~1 MiB system calls
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(file: string) {
    this.file = file;
    this.temp = tempPath(file);
    try {
      // 'wx': never follow or reuse whatever happens to be at the temporary name
      const mode = existingMode(file);
      this.fd = openSync(this.temp, 'wx', mode ?? 0o666);
      // keep a replaced file's permissions exactly (the umask applies at creation)
      if (mode !== undefined) fchmodSync(this.fd, mode);
    } catch (e) {
      this.finished = true;
      throw new AtomicWriteError(file, e);
    }
  }

  write(chunk: string | Uint8Array): void {
    if (this.finished || this.fd === undefined)
      throw new Error(`files/atomic-write: write to ${this.file} after commit or abort`);
    if (typeof chunk === 'string') {
      this.pending.push(chunk);
      this.pendingLength += chunk.length;
      if (this.pendingLength >= 1 << 20) this.flush();
    } else {
      this.flush();
      this.writeBytes(chunk);
    }
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    this.writeBytes(Buffer.from(text, 'utf8'));
  }

  private writeBytes(buf: Uint8Array): void {
    try {
      let off = 0;
      while (off < buf.byteLength) off += writeSync(this.fd!, buf, off, buf.byteLength - off);
    } catch (e) {
      this.abort();
      throw new AtomicWriteError(this.file, e);
    }
  }

  /** Flush, close and rename over the target. On failure the target is unchanged. */
  commit(): void {
    if (this.finished || this.fd === undefined)
      throw new Error(`files/atomic-write: ${this.file} was already committed or aborted`);
    this.flush();
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = undefined;
      renameSync(this.temp, this.file);
    } catch (e) {
      this.abort();
      throw new AtomicWriteError(this.file, e);
    }
    this.finished = true;
    this.committed = true;
    fsyncFolder(dirname(this.file));
  }

  /** Drop the temporary file; the target is untouched. Idempotent; a no-op after commit. */
  abort(): void {
    if (this.committed) return;
    this.pending = [];
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed or the descriptor is gone: the removal below is what matters
      }
      this.fd = undefined;
    }
    this.finished = true;
    rmSync(this.temp, { force: true });
  }
}

/** Replace `file` with `data` atomically (see the module comment). Throws AtomicWriteError. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const f = new AtomicFile(file);
  f.write(data);
  f.commit();
}
