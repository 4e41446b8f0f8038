/**
 * TF-IDF cosine similarity over character n-grams, for matching a token symbol to
 * a protocol's text (PAPER-NOTES "Exposure": the third step of token -> issuer
 * resolution).
 *
 * Reference: the authors' ETL (dthinkr/defi-tvl `ETLNetwork._similarity_scores`)
 * fits scikit-learn's `TfidfVectorizer()` on token names plus protocol texts and
 * keeps the best match when its cosine >= SIMILARIY_THRESHOLD = 0.2. Deviations,
 * on purpose: we use character n-grams (sklearn `analyzer='char_wb'`, n = 2..4)
 * because token symbols are single "words" (WSTETH, AMUSDC) that word-level TF-IDF
 * can only match exactly; and since char n-grams give much higher cosines between
 * unrelated strings than words do, the default threshold is 0.6 (see issuer.ts).
 * IDF is sklearn's smooth form ln((1+n)/(1+df)) + 1, fitted on the protocol texts
 * only, and vectors are L2-normalised. Ties keep the earliest protocol (the mapping
 * lists protocols by descending TVL).
 */

export interface TfidfMatch {
  index: number;
  score: number;
}

const N_MIN = 2;
const N_MAX = 4;

/** Character n-grams of each word padded with spaces, as sklearn's char_wb. */
export function charNgrams(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const words = text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 0);
  for (const w of words) {
    const padded = ` ${w} `;
    for (let n = N_MIN; n <= N_MAX; n++) {
      if (padded.length < n) continue;
      for (let i = 0; i + n <= padded.length; i++) {
        const g = padded.slice(i, i + n);
        counts.set(g, (counts.get(g) ?? 0) + 1);
      }
    }
  }
  return counts;
}

export class TfidfIndex {
  private readonly idf = new Map<string, number>();
  /** gram -> postings of (document, normalised weight). */
  private readonly postings = new Map<string, { doc: number[]; w: number[] }>();
  readonly size: number;

  constructor(documents: readonly string[]) {
    this.size = documents.length;
    const grams = documents.map(charNgrams);
    const df = new Map<string, number>();
    for (const g of grams) for (const k of g.keys()) df.set(k, (df.get(k) ?? 0) + 1);
    const n = documents.length;
    for (const [k, d] of df) this.idf.set(k, Math.log((1 + n) / (1 + d)) + 1);
    grams.forEach((g, doc) => {
      const vec = this.weigh(g);
      for (const [k, w] of vec) {
        let p = this.postings.get(k);
        if (!p) this.postings.set(k, (p = { doc: [], w: [] }));
        p.doc.push(doc);
        p.w.push(w);
      }
    });
  }

  /** TF-IDF vector of the given n-gram counts, L2-normalised; unseen grams dropped
   *  (they cannot contribute to a cosine with any document). */
  private weigh(g: Map<string, number>): Map<string, number> {
    const out = new Map<string, number>();
    let norm = 0;
    for (const [k, c] of g) {
      const idf = this.idf.get(k);
      if (idf === undefined) continue;
      const w = c * idf;
      out.set(k, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [k, w] of out) out.set(k, w / norm);
    return out;
  }

  /** Best-matching document for `query`, or undefined when nothing overlaps. The
   *  query is normalised over its known grams plus its unknown ones, so a symbol
   *  that shares only a fragment with a protocol name scores low. */
  best(query: string): TfidfMatch | undefined {
    const g = charNgrams(query);
    if (g.size === 0) return undefined;
    // Unknown grams weigh as the rarest known gram (idf of df = 0), as sklearn would
    // when refitting on the query too; they lengthen the query vector only.
    const unseenIdf = Math.log(1 + this.size) + 1;
    let norm = 0;
    const q = new Map<string, number>();
    for (const [k, c] of g) {
      const idf = this.idf.get(k);
      const w = c * (idf ?? unseenIdf);
      norm += w * w;
      if (idf !== undefined) q.set(k, w);
    }
    norm = Math.sqrt(norm);
    if (!(norm > 0) || q.size === 0) return undefined;
    const scores = new Map<number, number>();
    for (const [k, w] of q) {
      const p = this.postings.get(k)!;
      for (let i = 0; i < p.doc.length; i++) {
        scores.set(p.doc[i], (scores.get(p.doc[i]) ?? 0) + (w / norm) * p.w[i]);
      }
    }
    let best: TfidfMatch | undefined;
    for (const [index, score] of scores) {
      if (!best || score > best.score + 1e-12 || (Math.abs(score - best.score) <= 1e-12 && index < best.index)) {
        best = { index, score };
      }
    }
    return best;
  }
}
