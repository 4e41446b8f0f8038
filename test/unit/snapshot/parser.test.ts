import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../xorshift';
import { parseWeekBytes } from '../../../src/core/snapshot/week-parser';
import { weekFromJson, type WeekData } from '../../../src/core/snapshot/week-data';

// The fast byte parser must agree exactly with JSON.parse + the reference converter.

function same(a: WeekData, b: WeekData): void {
  assert.deepEqual(a.ids, b.ids);
  assert.deepEqual(Array.from(a.tvl), Array.from(b.tvl));
  assert.deepEqual(Array.from(a.composition.offsets), Array.from(b.composition.offsets));
  assert.deepEqual(a.composition.tokens, b.composition.tokens);
  assert.deepEqual(Array.from(a.composition.values), Array.from(b.composition.values));
  assert.deepEqual(Array.from(a.edgeSource), Array.from(b.edgeSource));
  assert.deepEqual(Array.from(a.edgeTarget), Array.from(b.edgeTarget));
  assert.deepEqual(Array.from(a.edgeWeight), Array.from(b.edgeWeight));
  assert.deepEqual(a.repairs, b.repairs);
  // the tokens' UTF-8 column kept for the cache: the bytes of each token, in order
  for (const d of [a, b]) {
    const u = d.tokenUtf8!;
    const decoded = Array.from({ length: u.offsets.length - 1 }, (_, k) => Buffer.from(u.bytes.subarray(u.offsets[k], u.offsets[k + 1])).toString('utf8'));
    assert.deepEqual(decoded, d.composition.tokens);
  }
}

function check(text: string): void {
  const d = parseWeekBytes(Buffer.from(text, 'utf8'), 'f.json', '2021-01-04');
  same(d, weekFromJson('2021-01-04', JSON.parse(text), 'f.json'));
  // Both readers share the rules (week-builder.ts): the link repairs counted here by hand.
  const raw = JSON.parse(text) as { nodes: { id?: unknown }[]; links: { source?: unknown; target?: unknown; size?: unknown }[] };
  const ids = new Set(raw.nodes.filter((x) => x.id !== null && x.id !== undefined).map((x) => String(x.id)));
  const want = { nullEndpointLinks: 0, unknownEndpointLinks: 0, selfLoops: 0, zeroWeightLinks: 0, duplicateLinks: 0 };
  const pairs: string[] = [];
  for (const l of raw.links) {
    if (l.source === null || l.source === undefined || l.target === null || l.target === undefined) want.nullEndpointLinks++;
    else if (!ids.has(String(l.source)) || !ids.has(String(l.target))) want.unknownEndpointLinks++;
    else {
      const pair = `${String(l.source)} -> ${String(l.target)}`;
      if (l.source === l.target) want.selfLoops++;
      if (!l.size) want.zeroWeightLinks++;
      if (pairs.includes(pair)) want.duplicateLinks++;
      pairs.push(pair);
    }
  }
  const { nullEndpointLinks, unknownEndpointLinks, selfLoops, zeroWeightLinks, duplicateLinks } = d.repairs;
  assert.deepEqual({ nullEndpointLinks, unknownEndpointLinks, selfLoops, zeroWeightLinks, duplicateLinks }, want);
}


test('numbers parse bit-exactly like JSON.parse (fast path and fallback)', () => {
  const r = rng(7);
  const cases = ['0', '0.0', '1', '120.4', '0.1', '0.3', '15200000000.0', '123456789012345', '1234567890123456789', '9007199254740993', '1e3', '2.5e-1', '1E+2', '4.35e-310', '1.7976931348623157e308', '0.000001', '99.99999999999999', '100000000000000000000000'];
  for (let k = 0; k < 3000; k++) {
    const x = r() * 10 ** Math.floor(r() * 22 - 6);
    cases.push(String(x), x.toFixed(Math.floor(r() * 8)), x.toPrecision(1 + Math.floor(r() * 20)));
  }
  for (const c of cases) {
    const text = `{"nodes": [{"id": "a", "size": ${c}, "composition": {"T": ${c}, "U": -${c}}}], "links": [{"source": "a", "target": "a", "size": ${c}}]}`;
    const d = parseWeekBytes(Buffer.from(text), 'f', 'w');
    const want = JSON.parse(c) as number;
    assert.ok(Object.is(d.tvl[0], want), `size ${c}: got ${d.tvl[0]}, want ${want}`);
    assert.ok(Object.is(d.composition.values[1], -want), `composition -${c}`);
    assert.ok(Object.is(d.edgeWeight[0], want), `link ${c}`);
  }
});

test('strings: escapes, unicode and surrogate pairs decode like JSON.parse', () => {
  const names = ['plain', 'with space', 'quo\\"te', 'back\\\\slash', 'tab\\t', 'u\\u00e9', 'é direct', '日本', 'emoji \\ud83d\\ude00', '😀', 'slash\\/'];
  const nodes = names.map((n, i) => `{"id": "${n}", "size": ${i}, "composition": {"${n}": 1}}`);
  check(`{"nodes": [${nodes.join(',')}], "links": [{"source": "${names[2]}", "target": "${names[8]}", "size": 3}]}`);
});

test('random weeks with every quirk agree with the reference converter', () => {
  const r = rng(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  for (let trial = 0; trial < 200; trial++) {
    const n = Math.floor(r() * 30);
    const ids = Array.from({ length: n }, (_, i) => `p${i}`);
    const nodes = ids.map((id) => {
      const o: Record<string, unknown> = {};
      const u = r();
      o.id = u < 0.05 ? null : u < 0.08 ? Number(id.slice(1)) + 1000 : id;
      if (r() > 0.05) o.size = r() < 0.2 ? 0 : r() * 1e9;
      const c = r();
      if (c < 0.05) o.composition = null;
      else if (c > 0.1) o.composition = Object.fromEntries(Array.from({ length: Math.floor(r() * 5) }, () => [pick(['USDC', 'WETH', 'é', 'A"B', 'X\\Y']), (r() - 0.1) * 1e6]));
      if (r() < 0.1) o.extra = { nested: [1, { a: 'b' }], t: true, f: false, z: null };
      return o;
    });
    const links = Array.from({ length: Math.floor(r() * 60) }, () => {
      const o: Record<string, unknown> = {};
      o.source = r() < 0.03 ? null : pick([...ids, 'ghost']);
      o.target = r() < 0.05 ? null : pick([...ids, 'ghost']);
      if (r() > 0.05) o.size = r() < 0.1 ? 0 : r() * 1e7;
      if (r() < 0.5) o.composition = { T: r() - 0.5 };
      return o;
    });
    const order = r() < 0.5 ? { nodes, links } : { links, nodes };
    const text = r() < 0.5 ? JSON.stringify(order) : JSON.stringify(order, null, 2);
    check(text);
  }
});
