"""Table 3 metrics (data-spec §4.5, authors' `RFE:evaluate_predictions`): AUROC and
AUPRC with scikit-learn's tie semantics (`roc_auc_score`, `average_precision_score`),
log-weight MAE/RMSE on positives, node Δlog-TVL MAE/RMSE on masked nodes. Same
definitions as src/core/eval/metrics.ts, so card metrics and `dexposure evaluate` agree."""
from __future__ import annotations

import numpy as np


def auroc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Mann-Whitney U with average ranks for ties (= sklearn roc_auc_score)."""
    y = np.asarray(labels, dtype=np.float64) > 0.5
    s = np.asarray(scores, dtype=np.float64)
    n_pos = int(y.sum())
    n_neg = y.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    ss = s[order]
    ranks = np.empty(s.size, dtype=np.float64)
    i = 0
    while i < ss.size:
        j = i
        while j + 1 < ss.size and ss[j + 1] == ss[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def auprc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Average precision: sum over distinct thresholds of (R_k - R_{k-1}) P_k."""
    y = np.asarray(labels, dtype=np.float64) > 0.5
    s = np.asarray(scores, dtype=np.float64)
    n_pos = int(y.sum())
    if n_pos == 0:
        return float("nan")
    order = np.argsort(-s, kind="mergesort")
    ys = y[order]
    ss = s[order]
    tp = np.cumsum(ys)
    # Last index of every run of equal scores: a threshold sees the whole tie group.
    last = np.r_[np.nonzero(np.diff(ss))[0], ss.size - 1]
    tps = tp[last]
    precision = tps / (last + 1)
    recall = tps / n_pos
    prev = np.r_[0.0, recall[:-1]]
    return float(np.sum((recall - prev) * precision))


def mae_rmse(pred: np.ndarray, true: np.ndarray) -> tuple:
    if pred.size == 0:
        return float("nan"), float("nan")
    err = np.asarray(pred, dtype=np.float64) - np.asarray(true, dtype=np.float64)
    return float(np.abs(err).mean()), float(np.sqrt((err * err).mean()))


def table3(label, logit, y_lw, pred_lw, node_true, node_pred) -> dict:
    """Pooled metrics: inputs are concatenations over all week pairs of a split;
    `logit` is the (calibrated, where a calibration exists) existence logit."""
    pos = np.asarray(label) > 0.5
    w_mae, w_rmse = mae_rmse(np.asarray(pred_lw)[pos], np.asarray(y_lw)[pos])
    n_mae, n_rmse = mae_rmse(np.asarray(node_pred), np.asarray(node_true))
    return {"auroc": auroc(label, logit), "auprc": auprc(label, logit), "weightMAE": w_mae, "weightRMSE": w_rmse,
            "nodeMAE": n_mae, "nodeRMSE": n_rmse, "ece": ece(label, sigmoid(logit)),
            "pairs": int(np.asarray(label).size), "positives": int(pos.sum()),
            "nodes": int(np.asarray(node_true).size)}


def sigmoid(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1.0 + np.exp(-np.abs(z))))


def ece(labels: np.ndarray, probs: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error over equal-width probability bins (as
    src/core/eval/metrics.ts `calibration`: p = 1 falls in the last bin)."""
    y = (np.asarray(labels) > 0.5).astype(np.float64)
    p = np.asarray(probs, dtype=np.float64)
    if p.size == 0:
        return float("nan")
    b = np.minimum(bins - 1, np.floor(p * bins).astype(np.int64))
    count = np.bincount(b, minlength=bins).astype(np.float64)
    sum_p = np.bincount(b, weights=p, minlength=bins)
    sum_y = np.bincount(b, weights=y, minlength=bins)
    nz = count > 0
    return float(np.sum(np.abs(sum_p[nz] - sum_y[nz])) / p.size)


def fit_platt(labels: np.ndarray, logits: np.ndarray, iters: int = 50) -> tuple:
    """Platt scaling: (a, b) minimising the log-loss of sigmoid(a*z + b) on held-out
    pairs, by Newton's method on the 2x2 problem (convex). The existence logits are
    trained with pos_weight 5, which inflates probabilities; this maps them back to
    the frequencies of the sampled evaluation pairs without changing their order."""
    y = (np.asarray(labels) > 0.5).astype(np.float64)
    z = np.asarray(logits, dtype=np.float64)
    if z.size == 0 or y.min() == y.max():
        return 1.0, 0.0
    def loss(a, b):
        t = a * z + b  # log(1 + e^t) - y t, computed stably
        return float(np.sum(np.logaddexp(0.0, t) - y * t))

    a, b = 1.0, 0.0
    cur = loss(a, b)
    for _ in range(iters):
        p = sigmoid(a * z + b)
        r = p - y
        g = np.array([np.dot(r, z), r.sum()])
        w = p * (1 - p)
        hess = np.array([[np.dot(w, z * z), np.dot(w, z)], [np.dot(w, z), w.sum()]]) + 1e-9 * np.eye(2)
        step = np.linalg.solve(hess, g)
        # Backtracking keeps each Newton step a descent step (far from the optimum a
        # full step can overshoot when the logits are very overconfident).
        t = 1.0
        while t > 1e-6 and loss(a - t * step[0], b - t * step[1]) > cur:
            t /= 2
        a, b = a - t * step[0], b - t * step[1]
        new = loss(a, b)
        if abs(cur - new) <= 1e-12 * max(1.0, abs(cur)) or np.abs(t * step).max() < 1e-10:
            break
        cur = new
    return float(a), float(b)
