/**
 * `dexposure finetune`: the argument and file errors a user meets first, each one
 * clear line (the whole flow: finetune-flow.test.ts).
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { ROOT, runCli } from './cli-process';

test('finetune: DATA and --out are required, and a missing --pretrained file is named', async () => {
  const a = await runCli(['finetune']);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /finetune: DATA and --out are required/);
  const b = await runCli(['finetune', path.join(ROOT, 'examples', 'data'), '--out', path.join(tmpdir(), 'x'), '--pretrained', '/nonexistent/pretrained.pt']);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /finetune: --pretrained \/nonexistent\/pretrained\.pt: no such file/);
  const c = await runCli(['finetune', '/nonexistent/release', '--out', path.join(tmpdir(), 'x')]);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /finetune: \/nonexistent\/release: no such folder/);
  const d = await runCli(['finetune', path.join(ROOT, 'examples', 'data'), '--out', path.join(tmpdir(), 'x'), '--epochs', '0']);
  assert.equal(d.code, 2);
  assert.match(d.stderr, /--epochs/);
});
