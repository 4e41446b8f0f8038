// A week's cache files (week-arrow.ts): what is written comes back exactly (ids through
// the id dictionary, numbers bit for bit, edge order kept), the week file is plain
// Arrow (apache-arrow reads it as one row of lists), and what a damaged or wrongly
// written file would give is refused with the row that is wrong, never handed out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableFromIPC } from 'apache-arrow';
import { decodeComposition, decodeWeek, encodeWeek, type WeekColumns } from '../../../src/core/cache/week-arrow';

/** A week of 4 nodes, 5 edges (not in source order, one self-loop, a zero weight). */
function sample(): WeekColumns {
  return {
    ids: ['182', 'STÉTH', 'A', 'zz'],
    tvl: new Float64Array([25000000000.5, 0, -0, 1e-300]),
    composition: { offsets: new Uint32Array([0, 2, 2, 3, 3]), tokens: ['BTC', 'USDT', 'ARB'], values: new Float64Array([9e9, -1.5, 10]) },
    edgeSource: new Int32Array([3, 0, 2, 2, 1]),
    edgeTarget: new Int32Array([0, 1, 2, 3, 0]),
    edgeWeight: new Float64Array([5.5, 0, 0.1 + 0.2, Number.MAX_VALUE, 7]),
  };
}

/** The dictionary the sample's ids are numbered in: more ids than the week, in another order. */
const DICT = ['x', 'zz', '182', 'y', 'A', 'STÉTH'];
const INDEX = new Int32Array([2, 5, 4, 1]);
const COUNTS = { nodes: 4, edges: 5, entries: 3 };

test('round trip: ids through the dictionary, tvl and edges bit for bit in their order, the composition', () => {
  const w = sample();
  const { week, composition } = encodeWeek(w, INDEX);
  const d = decodeWeek(week, COUNTS, DICT);
  assert.deepEqual(d.ids, ['182', 'STÉTH', 'A', 'zz']);
  assert.deepEqual(Array.from(d.tvl), Array.from(w.tvl));
  assert.ok(Object.is(d.tvl[2], -0), 'a negative zero comes back as written');
  assert.deepEqual(Array.from(d.edgeSource), [3, 0, 2, 2, 1]);
  assert.deepEqual(Array.from(d.edgeTarget), [0, 1, 2, 3, 0]);
  assert.deepEqual(Array.from(d.edgeWeight), [5.5, 0, 0.30000000000000004, Number.MAX_VALUE, 7]);
  const c = decodeComposition(composition, COUNTS);
  assert.deepEqual(Array.from(c.offsets), [0, 2, 2, 3, 3]);
  assert.deepEqual(c.tokens, ['BTC', 'USDT', 'ARB']);
  assert.deepEqual(Array.from(c.values), [9e9, -1.5, 10]);
});

test('an empty week (no nodes, no edges) round-trips', () => {
  const w: WeekColumns = { ids: [], tvl: new Float64Array(0), composition: { offsets: new Uint32Array([0]), tokens: [], values: new Float64Array(0) }, edgeSource: new Int32Array(0), edgeTarget: new Int32Array(0), edgeWeight: new Float64Array(0) };
  const d = decodeWeek(encodeWeek(w, new Int32Array(0)).week, { nodes: 0, edges: 0 }, []);
  assert.deepEqual([d.ids, d.tvl.length, d.edgeSource.length, d.edgeTarget.length, d.edgeWeight.length], [[], 0, 0, 0, 0]);
});

test('the week file is plain Arrow: apache-arrow reads one row of five lists with the written values', () => {
  const t = tableFromIPC(encodeWeek(sample(), INDEX).week);
  assert.equal(t.numRows, 1);
  assert.deepEqual(
    t.schema.fields.map((f) => f.name),
    ['id', 'tvl', 'source', 'target', 'weight'],
  );
  const row = t.get(0)!.toJSON() as Record<string, { toArray(): ArrayLike<number> }>;
  assert.deepEqual(Array.from(row.id.toArray()), [2, 5, 4, 1]);
  assert.deepEqual(Array.from(row.source.toArray()), [3, 0, 2, 2, 1]);
  assert.deepEqual(Array.from(row.weight.toArray()), [5.5, 0, 0.30000000000000004, Number.MAX_VALUE, 7]);
});

test('refused: an id index outside the dictionary, counts other than the manifest says, a truncated file', () => {
  const w = sample();
  assert.throws(() => decodeWeek(encodeWeek(w, new Int32Array([2, 5, 6, 1])).week, COUNTS, DICT), /node 2 has id index 6, expected one in \[0, 6\)/);
  assert.throws(() => decodeWeek(encodeWeek(w, new Int32Array([2, -1, 4, 1])).week, COUNTS, DICT), /node 1 has id index -1/);
  const { week } = encodeWeek(w, INDEX);
  assert.throws(() => decodeWeek(week, { nodes: 3, edges: 5 }, DICT), /id holds 4 values, manifest says 3/);
  assert.throws(() => decodeWeek(week, { nodes: 4, edges: 6 }, DICT), /source holds 5 values, manifest says 6/);
  for (const cut of [10, week.length >> 1, week.length - 1]) assert.throws(() => decodeWeek(week.subarray(0, cut), COUNTS, DICT), /week file: .*(magic|footer|outside)/);
  assert.throws(() => encodeWeek(w, new Int32Array(3)), /3 id indices for 4 nodes/);
});

/** The first row the loader's guarantees fail at, written out plainly (the independent expectation). */
function firstBad(w: WeekColumns): string | undefined {
  const n = w.ids.length;
  for (let i = 0; i < n; i++) if (!(Number.isFinite(w.tvl[i]) && w.tvl[i] >= 0)) return `tvl of row ${i} is`;
  for (let e = 0; e < w.edgeSource.length; e++) {
    const [s, t] = [w.edgeSource[e], w.edgeTarget[e]];
    if (s < 0 || s >= n || t < 0 || t >= n) return `edges: row ${e} joins nodes ${s} -> ${t}`;
  }
  for (let e = 0; e < w.edgeWeight.length; e++) if (!(Number.isFinite(w.edgeWeight[e]) && w.edgeWeight[e] >= 0)) return `weight of row ${e} is`;
  return undefined;
}

test('refused: a bad size, weight or edge index anywhere in a week, named by its row; -0, the largest double and subnormals pass (random weeks against the plain check)', () => {
  let seed = 7;
  const rand = (k: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % k;
  };
  const badFloats = [NaN, Infinity, -Infinity, -1, -1e-300];
  const badInts = (n: number) => [-1, n, n + 1, -2147483648, 2147483647];
  let refused = 0;
  for (let c = 0; c < 300; c++) {
    const n = 1 + rand(40);
    const m = rand(60);
    const w: WeekColumns = {
      ids: Array.from({ length: n }, (_, i) => `p${i}`),
      tvl: Float64Array.from({ length: n }, () => rand(1000) / 7),
      composition: { offsets: new Uint32Array(n + 1), tokens: [], values: new Float64Array(0) },
      edgeSource: Int32Array.from({ length: m }, () => rand(n)),
      edgeTarget: Int32Array.from({ length: m }, () => rand(n)),
      edgeWeight: Float64Array.from({ length: m }, () => rand(1000) * 1.5),
    };
    const what = rand(4);
    if (what === 0) w.tvl[rand(n)] = badFloats[rand(badFloats.length)];
    if (what === 1 && m > 0) w.edgeWeight[rand(m)] = badFloats[rand(badFloats.length)];
    if (what === 2 && m > 0) (rand(2) ? w.edgeSource : w.edgeTarget)[rand(m)] = badInts(n)[rand(5)];
    // values at the edges of what is allowed: a negative zero, the largest double, the smallest subnormal
    if (what === 3) (m > 0 && rand(2) ? w.edgeWeight : w.tvl)[rand(m > 0 ? Math.min(n, m) : n)] = [-0, Number.MAX_VALUE, 5e-324][rand(3)];
    const dict = w.ids;
    const file = encodeWeek(w, Int32Array.from(dict.keys())).week;
    const want = firstBad(w);
    if (want === undefined) {
      assert.deepEqual(decodeWeek(file, { nodes: n, edges: m }, dict).ids, w.ids);
    } else {
      assert.throws(() => decodeWeek(file, { nodes: n, edges: m }, dict), (e: Error) => e.message.includes(want), want);
      refused++;
    }
  }
  assert.ok(refused > 150, `most cases carry a bad value (${refused})`);
});
