import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constructExposures, type Holdings } from '../../../src/core/exposure/construct';
import { IssuerResolver, tokenClass } from '../../../src/core/exposure/issuer';
import type { MappingFiles } from '../../../src/core/exposure/mapping-files';
import type { ReleaseLink } from '../../../src/core/exposure/network';

function holdings(o: Record<string, Record<string, number>>): Holdings {
  return new Map(Object.entries(o).map(([p, t]) => [p, new Map(Object.entries(t))]));
}

/** A tiny mapping in the real files' shapes: Lido (182), Pendle (382), Aave V3 (1599). */
function mapping(): MappingFiles {
  return {
    idToInfo: new Map([
      ['182', { name: 'Lido', category: 'Asset Management' }],
      ['382', { name: 'Pendle', category: 'Asset Management' }],
      ['1599', { name: 'AAVE V3', category: 'Lending, Borrowing & Real World Assets' }],
    ]),
    revMap: new Map([
      ['LDO', '182'],
      ['PENDLE', '382'],
    ]),
    tokenToProtocol: new Map(),
  };
}

function byPair(links: ReleaseLink[]): Map<string, ReleaseLink> {
  return new Map(links.map((l) => [`${l.source}->${l.target}`, l]));
}

test('issuer resolution follows metadata -> manual -> TF-IDF -> primary/class', () => {
  const r = new IssuerResolver(mapping());
  assert.deepEqual(r.resolve('PENDLE'), { issuer: '382', step: 'metadata', tokenClass: 'MAP' });
  // STETH and WSTETH: the authors' manual table names Lido; resolved by exact name.
  assert.deepEqual(r.resolve('STETH'), { issuer: '182', step: 'manual', tokenClass: 'PRIMARY' });
  assert.equal(r.issuer('WSTETH'), '182');
  // Token "AAVE" (not in this rev_map) vs the text "AAVE V3": cosine 0.94 on character n-grams.
  assert.deepEqual(r.resolve('AAVE'), { issuer: '1599', step: 'tfidf', tokenClass: 'PRIMARY' });
  // "LIDOX" vs "Lido LDO" scores 0.45: below the 0.6 threshold, so its own node.
  assert.deepEqual(r.resolve('LIDOX'), { issuer: 'LIDOX', step: 'primary', tokenClass: 'PRIMARY' });
  assert.equal(new IssuerResolver(mapping(), { threshold: 0.4 }).issuer('LIDOX'), '182');
  // ETH's manual protocol ("Ethereum") is not in this mapping, and nothing matches: its own node.
  assert.deepEqual(r.resolve('ETH'), { issuer: 'ETH', step: 'primary', tokenClass: 'PRIMARY' });
  assert.deepEqual(r.resolve('UNI-V2'), { issuer: 'OTHER', step: 'class', tokenClass: 'OTHER' });
  assert.deepEqual(r.resolve('CAKE-LP'), { issuer: 'LP', step: 'class', tokenClass: 'LP' });
  assert.equal(r.issuer('UNKNOWN (bsc:0xabc)'), 'UNKNOWN');
  assert.equal(tokenClass('FOO-BAR', mapping().revMap), 'OTHER');
  assert.throws(() => new IssuerResolver(mapping(), { threshold: 0 }), /threshold must be in \(0, 1\]/);
});

test('cached mode trusts token_to_protocol.json first', () => {
  const m = mapping();
  m.tokenToProtocol.set('PRIMARY', new Map([['STETH', { id: '2908', frequency: 5 }]]));
  const r = new IssuerResolver(m, { mode: 'cached' });
  assert.deepEqual(r.resolve('STETH'), { issuer: '2908', step: 'cached', tokenClass: 'PRIMARY' });
  assert.equal(r.issuer('WSTETH'), '182'); // not listed: falls back to precedence
});

test("the paper's Lido -> wstETH -> Pendle chain, by hand", () => {
  // t1 -> t2. Lido (182) stakes ETH and holds stETH inside the wstETH wrapper (the
  // wrapper is Lido's own contract: WSTETH's issuer is Lido). Pendle (382) holds
  // wstETH, exits USDC and starts holding its own PENDLE.
  const before = holdings({
    '182': { ETH: 1000, STETH: 300 },
    '382': { WSTETH: 200, USDC: 50 },
  });
  const after = holdings({
    '182': { ETH: 1100, STETH: 250 },
    '382': { WSTETH: 260, PENDLE: 10 },
  });
  const r = new IssuerResolver(mapping());
  const net = constructExposures(before, after, (t) => r.issuer(t));

  // Nodes: w(p) = value at t2 of tokens held at both dates.
  //   Lido: ETH 1100 + STETH 250 = 1350.   Pendle: WSTETH 260 (PENDLE is new, USDC gone).
  //   Issuer-only nodes ETH and USDC (size 0, empty composition).
  assert.deepEqual(net.nodes, [
    { id: '182', size: 1350, composition: { ETH: 1100, STETH: 250 } },
    { id: '382', size: 260, composition: { WSTETH: 260 } },
    { id: 'ETH', size: 0, composition: {} },
    { id: 'USDC', size: 0, composition: {} },
  ]);
  // Flows: Lido ETH +100 -> ETH -> 182 (issuer pays holder, holding rose);
  //        Lido STETH -50 -> self-loop 182 -> 182 of 50 (own token);
  //        Pendle WSTETH +60 -> 182 -> 382 (Pendle's exposure to Lido grew);
  //        Pendle USDC -50 (sold out) -> 382 -> USDC;
  //        Pendle PENDLE +10 (new, own token) -> self-loop 382 -> 382.
  const links = byPair(net.links);
  assert.equal(net.links.length, 5);
  assert.deepEqual(links.get('ETH->182'), { source: 'ETH', target: '182', size: 100, composition: { ETH: 100 } });
  assert.deepEqual(links.get('182->182'), { source: '182', target: '182', size: 50, composition: { STETH: 50 } });
  assert.deepEqual(links.get('182->382'), { source: '182', target: '382', size: 60, composition: { WSTETH: 60 } });
  assert.deepEqual(links.get('382->USDC'), { source: '382', target: 'USDC', size: 50, composition: { USDC: 50 } });
  assert.deepEqual(links.get('382->382'), { source: '382', target: '382', size: 10, composition: { PENDLE: 10 } });
});

test('flows between two protocols net out, with signed per-token composition', () => {
  // A holds B's token (rises 30: flow B -> A 30); B holds A's token (rises 10: flow A -> B 10).
  // Net B -> A 20, composition in that direction: TOKB +30, TOKA -10.
  const issuer = (t: string) => (t === 'TOKA' ? 'A' : t === 'TOKB' ? 'B' : null);
  const net = constructExposures(holdings({ A: { TOKB: 100 }, B: { TOKA: 40 } }), holdings({ A: { TOKB: 130 }, B: { TOKA: 50 } }), issuer);
  assert.deepEqual(net.links, [{ source: 'B', target: 'A', size: 20, composition: { TOKB: 30, TOKA: -10 } }]);
  // Exactly balanced flows give no link at all.
  const even = constructExposures(holdings({ A: { TOKB: 100 }, B: { TOKA: 40 } }), holdings({ A: { TOKB: 110 }, B: { TOKA: 50 } }), issuer);
  assert.deepEqual(even.links, []);
  // Unchanged holdings give no flow.
  const still = constructExposures(holdings({ A: { TOKB: 5 } }), holdings({ A: { TOKB: 5 } }), issuer);
  assert.deepEqual(still.links, []);
  assert.deepEqual(still.nodes, [{ id: 'A', size: 5, composition: { TOKB: 5 } }]);
});

test('unmapped tokens give null-target links; holders gone at t2 still appear', () => {
  const net = constructExposures(holdings({ A: { XYZ: 80, Q: 10 } }), holdings({ B: { XYZ: 5 } }), (t) => (t === 'Q' ? 'B' : null));
  const links = byPair(net.links);
  assert.deepEqual(links.get('A->null'), { source: 'A', target: null, size: 80, composition: { XYZ: 80 } });
  assert.deepEqual(links.get('B->null'), { source: 'B', target: null, size: 5, composition: { XYZ: 5 } });
  // A sold Q (issued by B) entirely: flow A -> B of 10.
  assert.deepEqual(links.get('A->B'), { source: 'A', target: 'B', size: 10, composition: { Q: 10 } });
  assert.deepEqual(
    net.nodes.map((n) => [n.id, n.size]),
    [
      ['B', 0],
      ['A', 0],
    ],
  );
});
