/**
 * `dexposure synth --from/--to/--scale` then `dexposure realism` end to end: the
 * history's synth.json scale is picked up, the text table and the JSON agree, and bad
 * options are one-line errors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { runCli } from './cli-process';

const cli = (args: string[]) => runCli(args);

test('synth a window at a scale, then realism reads it back', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dx-cli-synth-'));
  const s = await cli(['synth', '--out', dir, '--seed', '3', '--from', '2022-03-07', '--to', '2022-06-27', '--scale', '0.02', '--json']);
  assert.equal(s.code, 0, s.stderr);
  const sum = JSON.parse(s.stdout);
  assert.equal(sum.from, '2022-03-07');
  assert.equal(sum.to, '2022-06-27');
  assert.equal(sum.scale, 0.02);
  const j = await cli(['realism', dir, '--json', '--cache-dir', path.join(dir, 'cache')]);
  assert.equal(j.code, 0, j.stderr);
  const r = JSON.parse(j.stdout);
  assert.equal(r.scale, 0.02);
  const nodes = r.rows.find((x: { metric: string }) => x.metric === 'nodes per week');
  assert.equal(nodes.value, 1, 'every week within 15% of the real count x 0.02');
  assert.equal(r.rows.filter((x: { group: string }) => x.group === 'event weeks').length, 3);
  const t = await cli(['realism', dir, '--cache-dir', path.join(dir, 'cache')]);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, new RegExp(`${r.passed} of ${r.total} rows pass`));
  assert.match(t.stdout, /total TVL 2022-05-23 \(\$B\)\s+within 20% of the real total\s+\d+\.\d\s+166\.4\s+pass/);
});

test('bad synth and realism options are one-line errors', async () => {
  const a = await cli(['synth', '--out', '/tmp/x', '--scale', '2']);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /synth: --scale expects a number > 0 and <= 1, got "2"/);
  const b = await cli(['synth', '--out', '/tmp/x', '--from', '2022-02-30']);
  assert.match(b.stderr, /synth: --from expects a date YYYY-MM-DD, got "2022-02-30"/);
  const c = await cli(['realism']);
  assert.match(c.stderr, /realism: DIR is required/);
  const d = await cli(['realism', '/nonexistent-dir-xyz']);
  assert.equal(d.code, 1);
  assert.match(d.stderr, /does not exist/);
});
