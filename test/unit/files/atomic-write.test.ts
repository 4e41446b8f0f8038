import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { AtomicFile, AtomicWriteError, isAtomicTemp, writeFileAtomic } from '../../../src/core/files/atomic-write';

const root = path.resolve(__dirname, '..', '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'dx-atomic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fresh(name: string, content: string | Buffer): { folder: string; file: string } {
  const folder = mkdtempSync(path.join(dir, `${name}-`));
  const file = path.join(folder, name);
  writeFileSync(file, content);
  return { folder, file };
}

/** Runs `script` (TypeScript, via tsx) in a child whose file-size limit is `kib` KiB. */
function underFileSizeLimit(kib: number, script: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const node = [process.execPath, '--import', 'tsx', '-e', script, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-c', `ulimit -f ${kib} && exec ${node}`], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('files/atomic-write', () => {
  test('replaces the file and leaves no temporary behind; keeps the permissions', () => {
    const { folder, file } = fresh('a.dxnb', 'old');
    chmodSync(file, 0o640);
    writeFileAtomic(file, 'new content');
    assert.equal(readFileSync(file, 'utf8'), 'new content');
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(folder), ['a.dxnb']);
  });

  test('AtomicFile: chunks appear only on commit; abort keeps the old file', () => {
    const { folder, file } = fresh('b.csv', 'a,b\n1,2\n');
    const w = new AtomicFile(file);
    for (let i = 0; i < 1000; i++) w.write(`${i},${i * 2}\n`);
    w.write(Buffer.from('end\n'));
    assert.equal(readFileSync(file, 'utf8'), 'a,b\n1,2\n');
    w.abort();
    w.abort();
    assert.equal(readFileSync(file, 'utf8'), 'a,b\n1,2\n');
    assert.deepEqual(readdirSync(folder), ['b.csv']);
    const w2 = new AtomicFile(file);
    w2.write('x\n');
    w2.write('y\n');
    w2.commit();
    w2.abort(); // a no-op after commit
    assert.equal(readFileSync(file, 'utf8'), 'x\ny\n');
    assert.deepEqual(readdirSync(folder), ['b.csv']);
    assert.throws(() => w2.write('z'), /after commit or abort/);
  });

  test('a write that fails under a 64 KiB file-size limit leaves the old file byte-identical and no temporary', () => {
    const old = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    const { folder, file } = fresh('c.dxnb', old);
    const script = `
      const { writeFileAtomic } = require(${JSON.stringify(path.join(root, 'src/core/files/atomic-write.ts'))});
      try { writeFileAtomic(process.argv[1], 'x'.repeat(1 << 20)); console.log('written'); }
      catch (e) { console.log(e.name, e.code, e.message); }`;
    const r = underFileSizeLimit(64, script, [file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^AtomicWriteError EFBIG cannot write .*c\.dxnb: .*previous file.*unchanged/);
    assert.deepEqual(readFileSync(file), old);
    assert.deepEqual(readdirSync(folder), ['c.dxnb']);
  });

  test('a folder that does not exist: AtomicWriteError naming the file', () => {
    const file = path.join(dir, 'no-such-folder', 'x.json');
    assert.throws(
      () => writeFileAtomic(file, '{}'),
      (e: unknown) => e instanceof AtomicWriteError && e.file === file && e.code === 'ENOENT' && e.message.includes(file),
    );
  });

  test('temporary names are recognisable (stale ones can be found)', () => {
    const w = new AtomicFile(path.join(dir, 'd.json'));
    assert.ok(isAtomicTemp(path.basename(w.temp)));
    assert.equal(path.dirname(w.temp), dir);
    w.abort();
    assert.ok(!isAtomicTemp('d.json'));
  });
});
