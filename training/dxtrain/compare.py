"""Compare model sets and simple pair baselines on the hold-out week pairs of one or
more version-2 training sets (the export's test pairs: positives, uniform, historical
and structural negatives drawn by the evaluation's own sampler), with week-block
bootstrap 95% intervals. A quick check between training runs; `dexposure evaluate`
remains the yardstick (more baselines, graph level, MRR).

    python3 -m dxtrain.compare --data TS[,TS2,...] --horizons 1,4 --model NAME=DIR [...] [--json]

Baselines: `persistence-u+window` (2 if p->q at t, 1 if only q->p, ties broken by the fraction of the
window with p->q), `logreg-pairx` (L2 logistic regression and ridge regression on the
standardised pair features, fitted on the training week pairs of each history),
`lad-pairx` (the same existence score; the weight by a least-absolute-deviation regression
on the pair features, fitted on the training and validation week pairs)."""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import torch

from .dataset import TrainingSet, holdout_split
from .export import LinkGraph, NodeGraph, load_checkpoint
from .metrics import auprc, ece, sigmoid


def _pairs(ts: TrainingSet, metas: list) -> list:
    return [(m, ts.pair(m)) for m in metas]


def model_scores(model_dir: str, ts: TrainingSet, h: int, metas: list) -> list:
    """Per week pair: (calibrated logit, predicted ln w, node prediction) of a model set."""
    m = load_checkpoint(os.path.join(model_dir, f"h{h}", "checkpoint.pt"))
    with open(os.path.join(model_dir, f"h{h}", "link.card.json")) as f:
        card = json.load(f)
    cal, shrink = card.get("calibration"), card.get("shrinkage")
    link, node = LinkGraph(m, cal, h, shrink), NodeGraph(m, h, shrink)
    out = []
    with torch.no_grad():
        for meta in metas:
            p, w = ts.pair(meta), ts.week(meta["anchor"])
            hh = m.encoder(w.x, w.edge_index, w.edge_lw)
            a, b = m.link_head.node_parts(hh)
            logit, pred = link(hh, a, b, p.pairs, p.base_lw, p.pair_x)
            out.append((logit.double().numpy(), pred.double().numpy(), node(hh, w.edge_index, w.edge_lw).double().numpy()))
    return out


def logreg_scores(ts: TrainingSet, h: int, train: list, test: list, l2: float = 1e-3) -> list:
    xs = [ts.pair(m).pair_x.double().numpy() for m in train]
    ys = [ts.pair(m).label.double().numpy() for m in train]
    X, y = np.concatenate(xs), np.concatenate(ys)
    mu, sd = X.mean(0), X.std(0)
    sd[sd < 1e-6] = 1
    Z = np.c_[(X - mu) / sd, np.ones(len(X))]
    beta = np.zeros(Z.shape[1])
    for _ in range(25):  # Newton / IRLS
        p = sigmoid(Z @ beta)
        g = Z.T @ (p - y) + l2 * np.r_[beta[:-1], 0]
        H = (Z * (p * (1 - p))[:, None]).T @ Z + l2 * np.eye(Z.shape[1])
        beta -= np.linalg.solve(H, g)
    pos = y > 0.5
    yl = np.concatenate([ts.pair(m).y_lw.double().numpy() for m in train])[pos]
    Zp = Z[pos]
    wr = np.linalg.solve(Zp.T @ Zp + 1.0 * np.eye(Z.shape[1]), Zp.T @ yl)
    out = []
    for m in test:
        p = ts.pair(m)
        Zt = np.c_[(p.pair_x.double().numpy() - mu) / sd, np.ones(p.pair_x.shape[0])]
        out.append((Zt @ beta, Zt @ wr, np.zeros(p.node_target.shape[0])))
    return out


def fit_lad(Z: np.ndarray, y: np.ndarray, iters: int = 100, eps: float = 1e-4) -> np.ndarray:
    """Least-absolute-deviation regression (the MAE-optimal linear predictor) by iteratively
    reweighted least squares: weights 1 / max(|residual|, eps), from the least-squares start."""
    beta = np.linalg.lstsq(Z, y, rcond=None)[0]
    for _ in range(iters):
        w = 1.0 / np.maximum(np.abs(y - Z @ beta), eps)
        Zw = Z * w[:, None]
        nb = np.linalg.solve(Z.T @ Zw + 1e-9 * np.eye(Z.shape[1]), Zw.T @ y)
        done = np.max(np.abs(nb - beta)) < 1e-8
        beta = nb
        if done:
            break
    return beta


def lad_scores(ts: TrainingSet, h: int, train: list, val: list, test: list) -> list:
    """`logreg-pairx`'s existence score with a least-absolute-deviation regression of
    ln(1 + w_{t+h}) on the standardised pair features of the positives of `fit` (the
    training and validation week pairs): the pair-feature baseline fitted for the metric
    the weights are scored on (the ridge regression minimises squared error)."""
    base = logreg_scores(ts, h, train, test)
    fit = train + val
    xs = [ts.pair(m).pair_x.double().numpy() for m in fit]
    ys = [ts.pair(m).label.double().numpy() for m in fit]
    X, y = np.concatenate(xs), np.concatenate(ys)
    pos = y > 0.5
    Xp = X[pos]
    mu, sd = Xp.mean(0), Xp.std(0)
    sd[sd < 1e-6] = 1
    yl = np.concatenate([ts.pair(m).y_lw.double().numpy() for m in fit])[pos]
    beta = fit_lad(np.c_[(Xp - mu) / sd, np.ones(len(Xp))], yl)
    out = []
    for m, (score, _, node) in zip(test, base):
        p = ts.pair(m)
        out.append((score, np.c_[(p.pair_x.double().numpy() - mu) / sd, np.ones(p.pair_x.shape[0])] @ beta, node))
    return out


def persistence_scores(ts: TrainingSet, metas: list) -> list:
    names = ts.pair_feature_names
    i_pq, i_qp = names.index("pq_now"), names.index("qp_now")
    i_frac = names.index("pq_frac") if "pq_frac" in names else i_pq
    out = []
    for m in metas:
        p = ts.pair(m)
        x = p.pair_x.double().numpy()
        out.append((2 * x[:, i_pq] + x[:, i_qp] + 1e-3 * x[:, i_frac], p.base_lw.double().numpy(),
                    np.zeros(p.node_target.shape[0])))
    return out


def unit_stats(p, score, pred_lw, node_pred, probabilities: bool) -> dict:
    kind = p.neg_kind.numpy()
    y = p.label.numpy() > 0.5
    mask = p.node_mask.numpy()
    return {"y": y, "kind": kind, "s": score, "werr": np.abs(pred_lw[y] - p.y_lw.double().numpy()[y]),
            "nerr": np.abs(node_pred[mask] - p.node_target.double().numpy()[mask]), "prob": probabilities}


def metrics(units: list) -> dict:
    y = np.concatenate([u["y"] for u in units])
    k = np.concatenate([u["kind"] for u in units])
    s = np.concatenate([u["s"] for u in units])
    out = {}
    for name, sel in (("auprc", k <= 1), ("historical", (k == 0) | (k == 2)), ("structural", (k == 0) | (k == 3)),
                      ("all", np.ones_like(y))):
        out[name] = auprc(y[sel], s[sel])
    out["wMAE"] = float(np.concatenate([u["werr"] for u in units]).mean())
    out["dTVL_MAE"] = float(np.concatenate([u["nerr"] for u in units]).mean())
    if units[0]["prob"]:
        sel = k <= 1
        out["ece"] = ece(y[sel], sigmoid(s[sel]))
    return out


def bootstrap(units_by_history: list, reps: int = 500, block: int = 4, seed: int = 42, samples_out: list | None = None) -> dict:
    """95% intervals: moving blocks of `block` week pairs, stratified by history. The
    resampled weeks depend only on the seed and the week-pair counts, so every model
    scored on the same week pairs gets the same replicates (`samples_out` receives
    them, for paired differences)."""
    rng = np.random.default_rng(seed)
    samples = []
    for _ in range(reps):
        pick = []
        for units in units_by_history:
            n = len(units)
            b = min(block, n)
            starts = rng.integers(0, n - b + 1, size=int(np.ceil(n / b)))
            idx = np.concatenate([np.arange(st, st + b) for st in starts])[:n]
            pick += [units[i] for i in idx]
        samples.append(metrics(pick))
    if samples_out is not None:
        samples_out.extend(samples)
    return {k: (float(np.percentile([s[k] for s in samples], 2.5)), float(np.percentile([s[k] for s in samples], 97.5)))
            for k in samples[0]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="dxtrain.compare", description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="comma-separated version-2 training sets (pooled)")
    ap.add_argument("--horizons", default="1")
    ap.add_argument("--model", action="append", default=[], help="NAME=DIR (a models folder with h<h>/)")
    ap.add_argument("--bootstrap", type=int, default=500)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--versus", default=None, metavar="NAME",
                    help="also give each row's paired difference to this row (same replicates): 'diff' {metric: [value, lo, hi]}")
    a = ap.parse_args(argv)
    models = [m.split("=", 1) for m in a.model]
    rows = []
    for h in [int(x) for x in a.horizons.split(",")]:
        per = {}  # name -> [units per history]
        for path in a.data.split(","):
            ts = TrainingSet(path)
            sp = holdout_split(ts.week_list)
            test = ts.pairs_for(h, set(sp["test"]))
            train = ts.pairs_for(h, set(sp["train"]))
            val = ts.pairs_for(h, set(sp["val"]))
            scorers = [("persistence-u+window", False, lambda: persistence_scores(ts, test)),
                       ("logreg-pairx", True, lambda: logreg_scores(ts, h, train, test)),
                       ("lad-pairx", True, lambda: lad_scores(ts, h, train, val, test))]
            scorers += [(name, True, lambda d=d: model_scores(d, ts, h, test)) for name, d in models]
            for name, prob, fn in scorers:
                units = [unit_stats(ts.pair(m), *sc, probabilities=prob) for m, sc in zip(test, fn())]
                per.setdefault(name, []).append(units)
            ts.drop_cache()
        reps = {}
        for name, hist in per.items():
            pooled = [u for units in hist for u in units]
            row = {"model": name, "horizon": h, **metrics(pooled), "weekPairs": len(pooled)}
            if a.bootstrap:
                reps[name] = []
                row["ci"] = bootstrap(hist, a.bootstrap, samples_out=reps[name])
            rows.append(row)
        ref = next((r for r in rows if r["horizon"] == h and r["model"] == a.versus), None)
        if ref is not None and a.bootstrap:
            for r in rows:
                if r["horizon"] != h or r is ref:
                    continue
                r["diff"] = {}
                for k in ref["ci"]:
                    if k not in r["ci"]:
                        continue
                    d = np.array([s[k] - t[k] for s, t in zip(reps[r["model"]], reps[a.versus])])
                    r["diff"][k] = [r[k] - ref[k], float(np.percentile(d, 2.5)), float(np.percentile(d, 97.5))]
    if a.json:
        print(json.dumps(rows, indent=1))
        return 0
    keys = ["auprc", "historical", "structural", "all", "wMAE", "dTVL_MAE", "ece"]
    print("model".ljust(22) + " h  " + "".join(k.rjust(22) for k in keys))
    for r in rows:
        cells = []
        for k in keys:
            if k not in r:
                cells.append("-".rjust(22))
                continue
            ci = r.get("ci", {}).get(k)
            cells.append((f"{r[k]:.3f} ({ci[0]:.3f}-{ci[1]:.3f})" if ci else f"{r[k]:.3f}").rjust(22))
        print(r["model"].ljust(22) + f"{r['horizon']:>2}  " + "".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
