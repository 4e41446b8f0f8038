import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanWeeks } from '../../../src/core/snapshot/week-scanner';

// Week boundaries must not depend on where the file's read chunks split it: a chunk
// may end inside a string, right after a backslash, or between a brace and its week.

async function slices(file: string, chunkBytes?: number): Promise<{ week: string; text: string; byteOffset: number }[]> {
  const out = [];
  for await (const s of scanWeeks(file, { chunkBytes })) out.push({ week: s.week, text: s.bytes.toString('utf8'), byteOffset: s.byteOffset });
  return out;
}

test('week slices are the same for every chunk size, with braces, quotes and backslashes inside strings', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dx-scan-'));
  try {
    const tricky = ['a}b', 'q\\"}', 'back\\\\', '\\\\\\"{[', 'é{', '\\"]}', 'x\\u005c'];
    const weeks = tricky.map((name, k) => {
      const value = `{"nodes": [{"id": "${name}", "size": ${k}, "composition": {"${name}": 1.5}}], "links": [{"source": "${name}", "target": "${name}", "size": 2, "note": "${name}}}"}]}`;
      return [`2021-01-${String(4 + k).padStart(2, '0')}`, value];
    });
    const file = join(dir, 'historical-network_week_2021-01-04.json');
    writeFileSync(file, `{"data": {${weeks.map(([w, v]) => `"${w}": ${v}`).join(',\n ')}}}`);
    const want = weeks.map(([week, text]) => ({ week, text }));
    const whole = await slices(file);
    assert.deepEqual(whole.map(({ week, text }) => ({ week, text })), want);
    for (const v of whole) assert.doesNotThrow(() => JSON.parse(v.text), v.week);
    for (let chunk = 1; chunk <= 64; chunk++) assert.deepEqual(await slices(file, chunk), whole, `chunkBytes ${chunk}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
