"""A tiny training set in the docs/TRAINING-SET.md format, generated in Python so the
trainer's tests do not depend on the TypeScript exporter. Edges persist week to week
with churn, TVLs drift, and a few hub protocols attract new exposures, so there is
signal to learn. Negatives use NumPy's generator, not the exporter's xoshiro stream
(the trainer never re-derives them, it only reads them).

With `version=2` it also writes the training-set v2 additions: per-pair features
(`pair_x.f32`, a small stand-in for the TypeScript pair-feature schema: the trainer
is schema-driven and never recomputes them) and the negative kinds (`neg_kind.u8`:
uniform, historical = connected either way in the memory window, structural = two
hops apart at the anchor)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os

import numpy as np

CATEGORIES = ["Dexes", "Lending", "CDP", "Liquid Staking", "Restaking", "Bridge", "CEX", "Yield",
              "Yield Aggregator", "Derivatives", "Algo-Stables", "RWA", "Chain", "Services", "Other", "Unknown"]
NAMES = (["log_tvl", "n_token_types", "max_token_share", "token_entropy"]
         + ["cat_" + "".join(ch if ch.isalnum() else "_" for ch in c.lower()).strip("_") for c in CATEGORIES]
         + ["prev_tvl_change", "in_degree_norm", "out_degree_norm"])
SCHEMA = {"name": "dexposure-node-features", "version": 1, "names": NAMES, "categories": CATEGORIES}


PAIR_NAMES = ["pq_now", "qp_now", "pq_lw", "qp_lw", "pq_frac", "qp_frac", "pq_age", "pq_since",
              "p_out_deg", "q_in_deg"]
PAIR_SCHEMA = {"name": "dexposure-pair-features", "version": 1, "names": PAIR_NAMES, "memoryWeeks": 4}


def pair_schema_hash(schema=PAIR_SCHEMA) -> str:
    """SHA-256 of the canonical JSON {name, version, names, memoryWeeks} (contract item 1)."""
    canon = json.dumps({k: schema[k] for k in ("name", "version", "names", "memoryWeeks")}, sort_keys=True,
                       separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canon.encode()).hexdigest()


def _pair_features(snaps, t, ids, src, dst, k=4):
    """Fixture pair features of anchor week t from weeks t-k+1..t (by node id)."""
    window = snaps[max(0, t - k + 1): t + 1]
    cur = snaps[t]["edges"]
    outdeg, indeg = {}, {}
    for (u, v) in cur:
        outdeg[u] = outdeg.get(u, 0) + 1
        indeg[v] = indeg.get(v, 0) + 1
    rows = []
    for a, b in zip(src, dst):
        p, q = ids[a], ids[b]
        fwd = [(p, q) in s["edges"] for s in window]
        rev = [(q, p) in s["edges"] for s in window]
        age = 0
        for f in reversed(fwd):
            if not f:
                break
            age += 1
        since = next((i for i, f in enumerate(reversed(fwd)) if f), k + 1)
        rows.append([float((p, q) in cur), float((q, p) in cur), np.log1p(cur.get((p, q), 0.0)),
                     np.log1p(cur.get((q, p), 0.0)), sum(fwd) / k, sum(rev) / k, age, since,
                     np.log1p(outdeg.get(p, 0)), np.log1p(indeg.get(q, 0))])
    return np.array(rows, dtype=np.float32).reshape(len(src), len(PAIR_NAMES))


def schema_hash(schema=SCHEMA) -> str:
    """Same as featureSchemaHash() in src/core/features/schema.ts (canonical JSON)."""
    canon = json.dumps({k: schema[k] for k in ("name", "version", "names", "categories")}, sort_keys=True,
                       separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canon.encode()).hexdigest()


def _features(tvl, prev_tvl, cats, ntok, edges, n):
    f = np.zeros((n, len(NAMES)), dtype=np.float32)
    f[:, 0] = np.log1p(tvl)
    f[:, 1] = ntok
    share = 1.0 / np.maximum(ntok, 1)
    f[:, 2] = share
    f[:, 3] = -np.log(share)
    f[np.arange(n), 4 + cats] = 1.0
    if prev_tvl is not None:
        f[:, 20] = np.log1p(tvl) - np.log1p(prev_tvl)
    indeg = np.bincount(edges[1], minlength=n).astype(np.float32) if len(edges[0]) else np.zeros(n, np.float32)
    outdeg = np.bincount(edges[0], minlength=n).astype(np.float32) if len(edges[0]) else np.zeros(n, np.float32)
    f[:, 21] = indeg / max(indeg.max(), 1)
    f[:, 22] = outdeg / max(outdeg.max(), 1)
    return f


def make_training_set(out: str, weeks: int = 30, nodes: int = 24, horizons=(1, 4), seed: int = 7,
                      neg_ratio: int = 5, start: str = "2024-01-01", version: int = 1, hard_ratio: int = 2) -> dict:
    rng = np.random.default_rng(seed)
    cats = rng.integers(0, 16, nodes)
    ntok = rng.integers(1, 6, nodes)
    hubs = rng.choice(nodes, 3, replace=False)
    tvl = np.exp(rng.normal(14, 2, nodes))
    # Node i is absent in weeks < born[i]: the index spaces of anchor and target differ.
    born = np.where(rng.random(nodes) < 0.2, rng.integers(1, weeks // 2, nodes), 0)
    edges = {}
    for _ in range(nodes * 2):
        u, v = rng.integers(0, nodes, 2)
        if u != v:
            edges[(int(u), int(v))] = float(np.exp(rng.normal(10, 2)))
    dates, snaps = [], []
    d0 = dt.date.fromisoformat(start)
    prev_tvl_by_id = None
    for t in range(weeks):
        week = (d0 + dt.timedelta(days=7 * t)).isoformat()
        tvl = tvl * np.exp(rng.normal(0, 0.08, nodes) + 0.02 * (cats % 3 - 1))
        # Churn: drop 8% of edges, add new ones, biased towards hubs.
        edges = {k: w * float(np.exp(rng.normal(0, 0.1))) for k, w in edges.items() if rng.random() > 0.08}
        for _ in range(max(1, nodes // 6)):
            u = int(rng.integers(0, nodes))
            v = int(hubs[rng.integers(0, 3)]) if rng.random() < 0.6 else int(rng.integers(0, nodes))
            if u != v:
                edges[(u, v)] = float(np.exp(rng.normal(10, 2)))
        present = [i for i in range(nodes) if born[i] <= t]
        local = {g: k for k, g in enumerate(present)}
        ids = [f"p{g}" for g in present]
        e = [(local[u], local[v], w) for (u, v), w in sorted(edges.items()) if u in local and v in local]
        ei = np.array([[a for a, _, _ in e], [b for _, b, _ in e]], dtype=np.int32).reshape(2, len(e))
        lw = np.log1p(np.array([w for _, _, w in e], dtype=np.float64)).astype(np.float32)
        n = len(present)
        prev = None if prev_tvl_by_id is None else np.array([prev_tvl_by_id.get(i, tvl[g]) for i, g in zip(ids, present)])
        x = _features(tvl[present], prev, cats[present], ntok[present], ei, n)
        d = os.path.join(out, "weeks", week)
        os.makedirs(d, exist_ok=True)
        x.astype("<f4").tofile(os.path.join(d, "features.f32"))
        ei.astype("<i4").tofile(os.path.join(d, "edge_index.i32"))
        lw.astype("<f4").tofile(os.path.join(d, "edge_lw.f32"))
        with open(os.path.join(d, "node_ids.json"), "w") as f:
            json.dump(ids, f)
        snaps.append({"ids": ids, "tvl": tvl[present].copy(), "edges": {(ids[a], ids[b]): w for a, b, w in e}})
        dates.append({"week": week, "dir": f"weeks/{week}", "numNodes": n, "numEdges": len(e)})
        prev_tvl_by_id = dict(zip(ids, tvl[present]))
    pairs_meta = []
    for h in horizons:
        for t in range(weeks - h):
            a, b = snaps[t], snaps[t + h]
            idx = {i: k for k, i in enumerate(a["ids"])}
            n = len(a["ids"])
            pos = [(idx[u], idx[v], w) for (u, v), w in b["edges"].items() if u in idx and v in idx]
            pos_set = {(u, v) for u, v, _ in pos}
            neg, tries = [], 0
            prng = np.random.default_rng([seed, t, h])
            while len(neg) < neg_ratio * len(pos) and tries < 10 * neg_ratio * len(pos):
                tries += 1
                u, v = (int(z) for z in prng.integers(0, n, 2))
                if u != v and (u, v) not in pos_set:
                    pos_set.add((u, v))
                    neg.append((u, v))
            kinds = [0] * len(pos) + [1] * len(neg)
            if version >= 2:
                # Historical: connected either way in the memory window; structural: two hops at t.
                ids_a = a["ids"]
                hist = sorted({(idx[u], idx[v]) for s_ in snaps[max(0, t - 3): t + 1] for (u, v) in s_["edges"]
                               if u in idx and v in idx} | {(idx[v], idx[u]) for (u, v) in a["edges"]})
                out_n = {}
                for (u, v) in a["edges"]:
                    out_n.setdefault(idx[u], set()).add(idx[v])
                two_hop = sorted({(u, w) for u, vs in out_n.items() for v in vs for w in out_n.get(v, ()) if u != w})
                for cand, kind in ((hist, 2), (two_hop, 3)):
                    order = prng.permutation(len(cand)) if cand else []
                    taken = 0
                    for i in order:
                        u, v = cand[i]
                        if taken >= hard_ratio * len(pos):
                            break
                        if u != v and (u, v) not in pos_set and (kind == 2 or (ids_a[u], ids_a[v]) not in a["edges"]):
                            pos_set.add((u, v))
                            neg.append((u, v))
                            kinds.append(kind)
                            taken += 1
            src = [u for u, _, _ in pos] + [u for u, _ in neg]
            dst = [v for _, v, _ in pos] + [v for _, v in neg]
            label = [1.0] * len(pos) + [0.0] * len(neg)
            y = [float(np.log1p(w)) for _, _, w in pos] + [0.0] * len(neg)
            base = [float(np.log1p(a["edges"].get((a["ids"][u], a["ids"][v]), 0.0))) for u, v in zip(src, dst)]
            bt = dict(zip(b["ids"], b["tvl"]))
            nt = np.array([np.log1p(bt[i]) - np.log1p(a["tvl"][k]) if i in bt else 0.0 for k, i in enumerate(a["ids"])])
            mask = np.array([1 if i in bt else 0 for i in a["ids"]], dtype=np.uint8)
            anchor = dates[t]["week"]
            d = os.path.join(out, "pairs", f"h{h}", anchor)
            os.makedirs(d, exist_ok=True)
            np.array(src + dst, dtype="<i4").tofile(os.path.join(d, "pairs.i32"))
            np.array(label, dtype="<f4").tofile(os.path.join(d, "label.f32"))
            np.array(y, dtype="<f4").tofile(os.path.join(d, "y_lw.f32"))
            np.array(base, dtype="<f4").tofile(os.path.join(d, "base_lw.f32"))
            nt.astype("<f4").tofile(os.path.join(d, "node_target.f32"))
            mask.tofile(os.path.join(d, "node_mask.u8"))
            if version >= 2:
                _pair_features(snaps, t, a["ids"], src, dst).astype("<f4").tofile(os.path.join(d, "pair_x.f32"))
                np.array(kinds, dtype=np.uint8).tofile(os.path.join(d, "neg_kind.u8"))
            pairs_meta.append({"anchor": anchor, "target": dates[t + h]["week"], "horizon": h,
                               "dir": f"pairs/h{h}/{anchor}", "numPairs": len(src), "numPositives": len(pos)})
    index = {"format": "dexposure-training-set", "version": version,
             "featureSchema": dict(SCHEMA, hash=schema_hash()),
             "source": {"path": "training/test/fixture.py", "weeks": weeks, "from": dates[0]["week"],
                        "to": dates[-1]["week"], "fingerprint": hashlib.sha256(f"fixture|{seed}|{weeks}|{nodes}".encode()).hexdigest()},
             "seed": seed, "negRatio": neg_ratio, "horizons": list(horizons), "weeks": dates, "pairs": pairs_meta}
    if version >= 2:
        index["pairFeatures"] = dict(PAIR_SCHEMA, hash=pair_schema_hash())
        index["hardNegRatio"] = {"historical": hard_ratio, "structural": hard_ratio}
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
    return index


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--version", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--weeks", type=int, default=30)
    ap.add_argument("--nodes", type=int, default=24)
    ap.add_argument("--horizons", default="1,4")
    a = ap.parse_args()
    make_training_set(a.out, weeks=a.weeks, nodes=a.nodes, horizons=tuple(int(h) for h in a.horizons.split(",")),
                      seed=a.seed, version=a.version)


def make_corpus(out: str, seeds=(0, 1, 2, 9), weeks: int = 20, horizons=(1, 4)) -> dict:
    """A pretraining corpus: one version-2 fixture history per seed in shard-<seed>/,
    of varying size, and the manifest `dexposure pretrain-data` writes."""
    shards = []
    for s in seeds:
        d = os.path.join(out, f"shard-{s}")
        idx = make_training_set(d, weeks=weeks, nodes=14 + 3 * (s % 5), horizons=horizons, seed=100 + s, version=2)
        shards.append({"seed": s, "dir": f"shard-{s}", "regime": "in", "weeks": weeks,
                       "pairs": len(idx["pairs"])})
    manifest = {"format": "dexposure-pretrain-manifest", "version": 1, "shards": shards}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return manifest
