/**
 * The workspace copy `npm start` opens: new and updated examples come in, the user's
 * edits and own files stay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshWorkspace } from '../../../scripts/start-workspace.mjs';

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'dxnb-start-ws-'));
  const src = join(dir, 'examples');
  mkdirSync(join(src, 'data', 'mapping'), { recursive: true });
  writeFileSync(join(src, 'hello.dxnb'), 'hello v1');
  writeFileSync(join(src, 'stress.dxnb'), 'stress v1');
  writeFileSync(join(src, 'data', 'mapping', 'map.json'), '{}');
  mkdirSync(join(src, 'data', '.dexposure-cache'));
  writeFileSync(join(src, 'data', '.dexposure-cache', 'week.arrow'), 'cache');
  return { dir, src, dest: join(dir, 'ws'), record: join(dir, 'state', 'record.json') };
}

/** Runs `body` on a fresh fixture, removed afterwards whatever happens. */
function withFixture(body: (f: ReturnType<typeof fixture>) => void): void {
  const f = fixture();
  try {
    body(f);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
}

const read = (p: string) => readFileSync(p, 'utf8');

test('first refresh copies every example file, nested ones too, but not kernel caches', () => {
  withFixture((f) => {
    const r = refreshWorkspace(f.src, f.dest, f.record);
    assert.deepEqual(r.copied, ['data/mapping/map.json', 'hello.dxnb', 'stress.dxnb']);
    assert.equal(read(join(f.dest, 'hello.dxnb')), 'hello v1');
    assert.equal(read(join(f.dest, 'data', 'mapping', 'map.json')), '{}');
    assert.equal(existsSync(join(f.dest, 'data', '.dexposure-cache')), false);
    assert.ok(existsSync(f.record), 'the record of copied files is written outside the workspace');
  });
});

test('an untouched copy is replaced by the newer example; an edited one is kept', () => {
  withFixture((f) => {
    refreshWorkspace(f.src, f.dest, f.record);
    writeFileSync(join(f.dest, 'hello.dxnb'), 'hello, edited by the user');
    writeFileSync(join(f.dest, 'mine.dxnb'), 'my own notebook');
    writeFileSync(join(f.src, 'hello.dxnb'), 'hello v2');
    writeFileSync(join(f.src, 'stress.dxnb'), 'stress v2');
    const r = refreshWorkspace(f.src, f.dest, f.record);
    assert.deepEqual(r.updated, ['stress.dxnb']);
    assert.deepEqual(r.kept, ['hello.dxnb']);
    assert.deepEqual(r.unchanged, ['data/mapping/map.json']);
    assert.equal(read(join(f.dest, 'hello.dxnb')), 'hello, edited by the user');
    assert.equal(read(join(f.dest, 'stress.dxnb')), 'stress v2');
    assert.equal(read(join(f.dest, 'mine.dxnb')), 'my own notebook');
    // Still the user's on the next refresh, even though the record moved on for others.
    const again = refreshWorkspace(f.src, f.dest, f.record);
    assert.deepEqual(again.kept, ['hello.dxnb']);
    assert.equal(read(join(f.dest, 'hello.dxnb')), 'hello, edited by the user');
  });
});

test('without a record, a differing file is treated as the user\'s and kept', () => {
  withFixture((f) => {
    mkdirSync(f.dest, { recursive: true });
    writeFileSync(join(f.dest, 'hello.dxnb'), 'written before any record existed');
    writeFileSync(join(f.dest, 'stress.dxnb'), 'stress v1');
    mkdirSync(join(f.record, '..'), { recursive: true });
    writeFileSync(f.record, 'not json');
    const r = refreshWorkspace(f.src, f.dest, f.record);
    assert.deepEqual(r.kept, ['hello.dxnb']);
    assert.deepEqual(r.unchanged, ['stress.dxnb']);
    assert.equal(read(join(f.dest, 'hello.dxnb')), 'written before any record existed');
  });
});

test('a missing examples folder is a clear error', () => {
  withFixture((f) => {
    assert.throws(() => refreshWorkspace(join(f.dir, 'nope'), f.dest, f.record), /examples folder .*nope does not exist/);
  });
});
