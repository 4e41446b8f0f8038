import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRelease } from '../../../src/core/snapshot/release';
import { ReleaseFormatError } from '../../../src/core/snapshot/errors';

const FILE = 'historical-network_week_2020-03-30.json';

/** Write a release with the given week-file text (and optional meta_df.csv) and open it. */
async function openText(text: string, metaDf?: string, opts: { strict?: boolean } = {}): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'dx-bad-'));
  try {
    writeFileSync(join(dir, FILE), text);
    if (metaDf !== undefined) writeFileSync(join(dir, 'meta_df.csv'), metaDf);
    await openRelease(dir, { cacheDir: false, ...opts });
    return undefined;
  } catch (e) {
    return e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function week(nodes: unknown[], links: unknown[] = []): string {
  return JSON.stringify({ nodes, links });
}

const OK = week([{ id: 'a', size: 1, composition: {} }]);

async function expectError(text: string, check: (e: ReleaseFormatError) => void, metaDf?: string, opts?: { strict?: boolean }): Promise<void> {
  const e = await openText(text, metaDf, opts);
  assert.ok(e instanceof ReleaseFormatError, `expected a ReleaseFormatError, got ${String(e)}`);
  check(e);
}

test('negative TVL: the message names file, week, record and field', async () => {
  const text = `{"data": {"2021-04-26": ${OK}, "2021-05-03": ${week([{ id: 'a', size: 1 }, { id: 'b', size: -4.2 }])}}}`;
  await expectError(text, (e) => {
    assert.match(e.message, /^historical-network_week_2020-03-30\.json, line 1 \(byte \d+\), week 2021-05-03, nodes\[1\]\.size: expected a finite number >= 0, got -4\.2$/);
    assert.equal(e.file, FILE);
    assert.equal(e.week, '2021-05-03');
    assert.equal(e.record, 'nodes[1]');
    assert.equal(e.field, 'size');
    assert.equal(e.got, '-4.2');
    // The byte offset points at the offending value.
    assert.equal(text.slice(e.byteOffset!, e.byteOffset! + 4), '-4.2');
  });
});

test('non-finite and wrongly typed numbers are fatal', async () => {
  await expectError(`{"data": {"2021-05-03": {"nodes": [{"id": "a", "size": 1e999}], "links": []}}}`, (e) => {
    assert.equal(e.record, 'nodes[0]');
    assert.equal(e.field, 'size');
    assert.equal(e.got, 'Infinity');
  });
  await expectError(`{"data": {"2021-05-03": ${week([{ id: 'a', size: '12' }])}}}`, (e) => {
    assert.equal(e.field, 'size');
    assert.equal(e.got, 'string');
  });
  await expectError(`{"data": {"2021-05-03": ${week([{ id: 'a', size: 1 }, { id: 'b', size: 2 }], [{ source: 'a', target: 'b', size: -1 }])}}}`, (e) => {
    assert.equal(e.record, 'links[0]');
    assert.equal(e.field, 'size');
    assert.equal(e.got, '-1');
  });
  await expectError(`{"data": {"2021-05-03": ${week([{ id: 'a', size: 1, composition: { USDC: 'x' } }])}}}`, (e) => {
    assert.equal(e.record, 'nodes[0]');
    assert.equal(e.field, 'composition["USDC"]');
  });
  await expectError(`{"data": {"2021-05-03": ${week([{ id: true, size: 1 }])}}}`, (e) => {
    assert.equal(e.field, 'id');
    assert.equal(e.got, 'true');
  });
});

test('duplicate ids in a week are fatal and name both records', async () => {
  await expectError(`{"data": {"2021-05-03": ${week([{ id: 'a', size: 1 }, { id: 'b', size: 1 }, { id: 'a', size: 2 }])}}}`, (e) => {
    assert.equal(e.week, '2021-05-03');
    assert.equal(e.record, 'nodes[2]');
    assert.equal(e.field, 'id');
    assert.match(e.message, /expected an id unique within the week \(also nodes\[0\]\), got "a"/);
  });
});

test('missing fields and wrong shapes', async () => {
  await expectError(`{"data": {"2021-05-03": {"nodes": []}}}`, (e) => {
    assert.equal(e.week, '2021-05-03');
    assert.equal(e.field, 'links');
    assert.match(e.message, /expected an array of links, got nothing \(field missing\)/);
  });
  await expectError(`{"data": {"2021-05-03": {"nodes": {}, "links": []}}}`, (e) => {
    assert.equal(e.field, 'nodes');
    assert.equal(e.got, 'object');
  });
  await expectError(`{"data": {"2021-05-03": [1, 2]}}`, (e) => {
    assert.equal(e.week, '2021-05-03');
    assert.match(e.message, /the week value to be an object/);
  });
  await expectError(`{"data": {"2021-05-03": ${week([{ id: 'a', size: 1 }], [17])}}}`, (e) => {
    assert.equal(e.record, 'links[0]');
  });
});

test('invalid week keys: not YYYY-MM-DD, or not a real date', async () => {
  for (const key of ['2021-02-30', '2021-13-01', '21-05-03', 'week-1', '2021-5-3']) {
    await expectError(`{"data": {"2021-04-26": ${OK}, "${key}": ${OK}}}`, (e) => {
      assert.match(e.message, new RegExp(`key "${key}".*expected a week key YYYY-MM-DD that is a real date`));
      assert.equal(e.file, FILE);
    });
  }
  // Without the wrapper, root keys that start with a digit are weeks and are checked too.
  await expectError(`{"2021-02-29": ${OK}}`, (e) => assert.match(e.message, /key "2021-02-29"/));
});

test('malformed JSON: byte offset and line of the problem', async () => {
  const text = `{"data": {\n"2021-04-26": ${OK},\n"2021-05-03": {"nodes": [{"id": "a" "size": 1}], "links": []}\n}}`;
  await expectError(text, (e) => {
    assert.equal(e.week, '2021-05-03');
    assert.equal(e.record, 'nodes[0]');
    assert.equal(e.line, 3);
    assert.equal(text[e.byteOffset!], '"');
    assert.equal(text.slice(e.byteOffset!, e.byteOffset! + 6), '"size"');
    assert.match(e.message, /line 3 \(byte \d+\), week 2021-05-03, nodes\[0\]: expected valid JSON: ',' or '}' in nodes\[0\], got '"'/);
  });
  // Between weeks.
  await expectError(`{"data": {"2021-04-26": ${OK} "2021-05-03": ${OK}}}`, (e) => {
    assert.match(e.message, /expected ',' or '}' after week 2021-04-26, got '"'/);
  });
  // Not JSON at all.
  await expectError(`<html>`, (e) => assert.match(e.message, /byte 0.*expected a JSON object/));
  // Trailing garbage after the root object.
  await expectError(`{"data": {"2021-04-26": ${OK}}} x`, (e) => assert.match(e.message, /nothing after the end of the root object/));
  // Bad literal and bad number.
  await expectError(`{"data": {"2021-04-26": {"nodes": [{"id": nul, "size": 1}], "links": []}}}`, (e) => assert.equal(e.record, 'nodes[0]'));
  await expectError(`{"data": {"2021-04-26": {"nodes": [{"id": "a", "size": 01}], "links": []}}}`, (e) => assert.match(e.message, /valid JSON/));
});

test('a truncated file says so, with the week it stopped in', async () => {
  const full = `{"data": {"2021-04-26": ${OK}, "2021-05-03": ${OK}}}`;
  const cut = full.slice(0, full.length - 12);
  await expectError(cut, (e) => {
    assert.match(e.message, /truncated file\?/);
    assert.match(e.message, /inside week 2021-05-03/);
    assert.equal(e.byteOffset, cut.length);
  });
});

test('strict mode: a link to an unknown protocol is an error', async () => {
  const text = `{"data": {"2021-05-03": ${week([{ id: 'a', size: 1, composition: {} }], [{ source: 'a', target: 'zz', size: 1 }])}}}`;
  await expectError(text, (e) => assert.match(e.message, /week 2021-05-03: expected no repairs \(strict mode\), got 1 links to an id absent from the week/), undefined, { strict: true });
  assert.equal(await openText(text), undefined); // repaired (dropped and counted) by default
});

test('bad meta_df.csv rows: line numbers', async () => {
  const text = `{"data": {"2021-05-03": ${OK}}}`;
  await expectError(text, (e) => {
    assert.equal(e.file, 'meta_df.csv');
    assert.equal(e.line, 3);
    assert.match(e.message, /meta_df\.csv, line 3: expected 3 fields \(id,name,category\), got 2 fields/);
  }, 'id,name,category\n1,A,CEX\n2,B\n');
  await expectError(text, (e) => {
    assert.equal(e.line, 2);
    assert.equal(e.field, 'id');
    assert.match(e.message, /expected an integer-like id such as 2269 \(not a float\), got "2269\.0"/);
  }, 'id,name,category\n2269.0,Binance,CEX\n');
  await expectError(text, (e) => assert.match(e.message, /line 1: expected a header row with columns id, name, category/), 'ident,name\n1,A\n');
  await expectError(text, (e) => {
    assert.equal(e.line, 3);
    assert.match(e.message, /unterminated quoted field/);
  }, 'id,name,category\n1,A,CEX\n2,"B,CEX\n');
});
