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
    """Pooled metrics: inputs are concatenations over all week pairs of a split."""
    pos = np.asarray(label) > 0.5
    w_mae, w_rmse = mae_rmse(np.asarray(pred_lw)[pos], np.asarray(y_lw)[pos])
    n_mae, n_rmse = mae_rmse(np.asarray(node_pred), np.asarray(node_true))
    return {"auroc": auroc(label, logit), "auprc": auprc(label, logit), "weightMAE": w_mae, "weightRMSE": w_rmse,
            "nodeMAE": n_mae, "nodeRMSE": n_rmse, "pairs": int(np.asarray(label).size), "positives": int(pos.sum()),
            "nodes": int(np.asarray(node_true).size)}
