/**
 * Weekly exposure network from token holdings (PAPER-NOTES "Exposure", paper §3.3
 * eq. 2-4; data-spec §1.1 "What a link means").
 *
 * Reference: the authors' ETL, dthinkr/defi-tvl `ETLNetwork.process_dataframe`
 * (per-row flow direction) and `_process_edges` (per-pair netting). For an interval
 * tau = (t1, t2) and holdings S_t[p][k] (USD value of token k held by protocol p):
 *
 *   node weight   w(p) = sum of S_t2[p][k] over tokens k held at both t1 and t2;
 *                 composition(p) = those S_t2[p][k] (so size == sum(composition)).
 *   per-token flow, with dS = S_t2[p][k] - S_t1[p][k] and q = issuer(k):
 *                 dS < 0  -> flow p -> q of -dS  (p's holding of q's token fell)
 *                 dS > 0  -> flow q -> p of  dS  (it rose)
 *   link          all flows between one unordered pair {a, b} are netted; the link
 *                 points the way the net flow goes, size = |net| >= 0, and its
 *                 composition holds each token's signed contribution in that
 *                 direction (entries may be negative after netting). A pair that
 *                 nets to exactly 0 gives no link (upstream `if net_size != 0`).
 *
 * How ambiguities are resolved (each is a choice, documented):
 * - The paper's "F_pq = max(0, -dS_p) if p's holding fell, else max(0, dS_q)" is
 *   read as one signed per-token flow whose sign picks the direction, as the ETL
 *   code does.
 * - A token held at only one of t1, t2 (bought or sold out in full) counts as held
 *   at 0 at the other date: it moves money, so it makes a flow; but it is not part
 *   of w(p), which counts only tokens held at both dates (the paper's wording).
 * - A protocol holding a token it issued itself gives a self-loop p -> p whose size
 *   is the sum of |dS| over those tokens (upstream's sorted-key netting turns every
 *   self flow into the same sign, so they add up rather than cancel).
 * - A token whose issuer resolves to null (unmapped) gives a link p -> null of
 *   size sum |dS|, one per holder: the release's "null target" links.
 * - Order is deterministic: holders in the order of the t2 holdings, then holders
 *   present only at t1; issuer-only nodes (size 0, empty composition) in order of
 *   first appearance as a link endpoint; links in order of their pair's first flow.
 */
import type { ReleaseLink, ReleaseNode, WeekNetwork } from './network';

/** protocol id -> token -> USD value held (finite, >= 0). */
export type Holdings = Map<string, Map<string, number>>;

/** Resolves a token to its issuing protocol id (or class / primary-market node);
 *  null when the token has no mapping at all. */
export type IssuerOf = (token: string) => string | null;

const EMPTY: ReadonlyMap<string, number> = new Map();

interface PairAcc {
  a: string;
  b: string | null;
  net: number; // signed flow a -> b
  comp: Map<string, number>; // signed per-token flow a -> b
  self: boolean;
}

export function constructExposures(before: Holdings, after: Holdings, issuerOf: IssuerOf): WeekNetwork {
  const holders: string[] = [...after.keys()];
  for (const p of before.keys()) if (!after.has(p)) holders.push(p);

  const nodes: ReleaseNode[] = [];
  const seen = new Set<string>();
  const pairs = new Map<string, PairAcc>();

  for (const p of holders) {
    const h1 = before.get(p) ?? EMPTY;
    const h2 = after.get(p) ?? EMPTY;
    const composition: Record<string, number> = {};
    let size = 0;
    for (const [k, v2] of h2) {
      if (h1.has(k)) {
        composition[k] = v2;
        size += v2;
      }
    }
    nodes.push({ id: p, size, composition });
    seen.add(p);

    const flow = (k: string, dS: number) => {
      if (dS === 0) return;
      const q = issuerOf(k);
      let key: string;
      let acc: PairAcc | undefined;
      if (q === null) {
        key = `${p}\u0000\u0001null`;
        acc = pairs.get(key);
        if (!acc) pairs.set(key, (acc = { a: p, b: null, net: 0, comp: new Map(), self: true }));
        acc.net += Math.abs(dS);
        acc.comp.set(k, (acc.comp.get(k) ?? 0) + Math.abs(dS));
        return;
      }
      if (q === p) {
        key = `${p}\u0000${p}`;
        acc = pairs.get(key);
        if (!acc) pairs.set(key, (acc = { a: p, b: p, net: 0, comp: new Map(), self: true }));
        acc.net += Math.abs(dS);
        acc.comp.set(k, (acc.comp.get(k) ?? 0) + Math.abs(dS));
        return;
      }
      const a = p < q ? p : q;
      const b = p < q ? q : p;
      key = `${a}\u0000${b}`;
      acc = pairs.get(key);
      if (!acc) pairs.set(key, (acc = { a, b, net: 0, comp: new Map(), self: false }));
      // Flow p -> q of -dS, expressed in the a -> b direction.
      const signed = p === a ? -dS : dS;
      acc.net += signed;
      acc.comp.set(k, (acc.comp.get(k) ?? 0) + signed);
    };
    for (const [k, v2] of h2) flow(k, v2 - (h1.get(k) ?? 0));
    for (const [k, v1] of h1) if (!h2.has(k)) flow(k, -v1);
  }

  const links: ReleaseLink[] = [];
  const issuerOnly = (id: string | null) => {
    if (id !== null && !seen.has(id)) {
      seen.add(id);
      nodes.push({ id, size: 0, composition: {} });
    }
  };
  for (const acc of pairs.values()) {
    if (acc.net === 0) continue;
    const forward = acc.self || acc.net > 0;
    const composition: Record<string, number> = {};
    for (const [k, v] of acc.comp) composition[k] = forward ? v : -v;
    const link: ReleaseLink = forward
      ? { source: acc.a, target: acc.b, size: Math.abs(acc.net), composition }
      : { source: acc.b, target: acc.a, size: -acc.net, composition };
    issuerOnly(link.source);
    issuerOnly(link.target);
    links.push(link);
  }
  return { nodes, links };
}
