"""Shrinkage of the regression outputs toward persistence (docs/MODEL.md "Shrinkage").

The node head predicts Δ ln(1+TVL) and the link head a log-weight residual over the
anchor weight: both are corrections to a persistence forecast (Δ = 0, w_{t+h} = w_t).
A correction the network cannot make reliably costs MAE, so after training each one
passes through

    f(r) = scale * soft(r, threshold) + shift,   soft(r, τ) = sign(r) * max(|r| - τ, 0)

with (scale, threshold, shift) fitted by minimising the absolute error on week pairs
the network was not trained on (a history's validation weeks, or held-out prior
histories). scale ∈ [0, 1], threshold ≥ 0: scale = 0 and shift = 0 *is* persistence,
so on the pairs it was fitted on the shrunk forecast is never worse than persistence;
elsewhere that is measured, not assumed. Three groups:

- node:  Δ ln(1+TVL) of every protocol (no shift: most protocols hold no TVL and a
         shift would give each of them some);
- held:  the log-weight residual of pairs that are an edge at t (persistence: w_t);
- new:   the predicted ln(1+w) of pairs that are not (persistence has no weight for
         them; the shift is the small-flow prior: the typical size of a new edge).

The node group is gated: its correction is kept only when its gain over persistence on
the fitting week pairs has a week-block bootstrap 95% interval above zero (gate_group);
otherwise it is exactly persistence. ΔTVL is close to a random walk (docs/MODEL.md
"what ΔTVL offers"), and a gain fitted on a few validation weeks that no interval
separates from zero did not carry over to the test weeks.

The fitted values are folded into link.onnx and node.onnx as constants (export.py)
and listed in the card as `shrinkage`."""
from __future__ import annotations

import numpy as np

SCALES = np.round(np.linspace(0.0, 1.0, 21), 4)
THRESHOLD_QUANTILES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
# Fewer rows than this: no estimate (on a handful of pairs it would be noise); the group
# keeps persistence, or for new pairs (where persistence has no weight) the network's output.
MIN_ROWS = 50


def soft(r: np.ndarray, tau: float) -> np.ndarray:
    return np.sign(r) * np.maximum(np.abs(r) - tau, 0.0)


def identity() -> dict:
    """No shrinkage (the network's own output)."""
    return {"scale": 1.0, "threshold": 0.0, "shift": 0.0}


def persistence() -> dict:
    return {"scale": 0.0, "threshold": 0.0, "shift": 0.0}


def fit_group(r: np.ndarray, target: np.ndarray, allow_shift: bool, few_rows: str = "persistence") -> dict:
    """(scale, threshold, shift) minimising mean |scale * soft(r, threshold) + shift - target|
    over the grid SCALES x quantiles of |r| (the shift, when allowed, is the median of
    what remains: the exact L1 optimum for the other two). Reports the MAE of the
    fit, of the raw correction (identity) and of persistence on the same rows."""
    r = np.asarray(r, dtype=np.float64)
    t = np.asarray(target, dtype=np.float64)
    n = int(r.size)
    base = {"rows": n, "maePersistence": float(np.abs(t).mean()) if n else None,
            "maeIdentity": float(np.abs(r - t).mean()) if n else None}
    if n < MIN_ROWS:
        keep = identity() if few_rows == "identity" else persistence()
        return keep | base | {"mae": base["maeIdentity" if few_rows == "identity" else "maePersistence"],
                              "note": f"fewer than {MIN_ROWS} rows: {few_rows}"}
    best = (float(np.abs(t).mean()), 0.0, 0.0, 0.0)  # persistence first: ties keep it
    if allow_shift:
        k = float(np.median(t))
        best = min(best, (float(np.abs(t - k).mean()), 0.0, 0.0, k))
    taus = sorted({0.0} | set(float(v) for v in np.quantile(np.abs(r), THRESHOLD_QUANTILES)))
    for tau in taus:
        s = soft(r, tau)
        for a in SCALES[1:]:
            p = a * s
            k = float(np.median(t - p)) if allow_shift else 0.0
            mae = float(np.abs(p + k - t).mean())
            if mae < best[0]:
                best = (mae, float(a), tau, k)
    mae, a, tau, k = best
    return {"scale": a, "threshold": tau, "shift": k} | base | {"mae": mae}


GATE_REPLICATES = 500
GATE_BLOCK = 4


def circular_block_indices(rng: np.random.Generator, n: int, b: int) -> np.ndarray:
    """One bootstrap replicate of n week pairs: ceil(n / b) blocks of b consecutive week
    pairs with uniform starts, wrapping past the last week pair to the first, cut to n.
    Each week pair is drawn once per replicate on average, the ends included."""
    starts = rng.integers(0, n, size=int(np.ceil(n / b)))
    return ((starts[:, None] + np.arange(b)) % n).ravel()[:n]


def gate_group(g: dict, r: np.ndarray, target: np.ndarray, units: np.ndarray, reps: int = GATE_REPLICATES,
               block: int = GATE_BLOCK, seed: int = 42) -> dict:
    """Keeps a fitted group's correction only if its gain over persistence (mean |t| minus
    mean |f(r) - t| over the rows) has a 95% interval above zero, from a circular-block
    bootstrap over the week pairs (`units`: each row's week pair, in time order; blocks
    of `block` week pairs that wrap past the last week pair to the first, so each week
    pair is drawn once per replicate on average, as in the yardstick's intervals).
    Otherwise persistence, with the gain and its interval recorded. Fewer than two
    blocks of week pairs give no interval: persistence.
    At horizon h, consecutive week pairs share h - 1 weeks of their targets' change, so
    fit_shrinkage passes block = max(GATE_BLOCK, h): twelve week pairs at h = 12 are
    about one independent observation, not twelve."""
    if g["scale"] == 0.0 and g["shift"] == 0.0:
        return g
    r, t = np.asarray(r, np.float64), np.asarray(target, np.float64)
    f = apply_group(g, r)
    ids, inv = np.unique(np.asarray(units), return_inverse=True)
    n = len(ids)
    gain_rows = np.abs(t) - np.abs(f - t)
    per_unit = np.bincount(inv, weights=gain_rows, minlength=n)
    rows = np.bincount(inv, minlength=n).astype(np.float64)
    gain = float(per_unit.sum() / rows.sum())
    if n < 2 * block:
        lo = hi = None
    else:
        rng = np.random.default_rng(seed)
        b = block
        draws = np.empty(reps)
        for i in range(reps):
            idx = circular_block_indices(rng, n, b)
            draws[i] = per_unit[idx].sum() / rows[idx].sum()
        lo, hi = float(np.percentile(draws, 2.5)), float(np.percentile(draws, 97.5))
    out = g | {"gain": gain, "gainInterval": [lo, hi], "weekPairs": n, "blockWeekPairs": block}
    if lo is not None and lo > 0:
        return out
    why = (f"gain {gain:.4f} over persistence on {n} week pair(s) " +
           (f"(95% {lo:.4f} to {hi:.4f}) not above zero" if lo is not None
            else f"gives no interval (fewer than 2 blocks of {block})"))
    return out | persistence() | {"mae": g["maePersistence"], "note": why + ": persistence"}


def fit_shrinkage(c: dict, fitted_on: str, gate_node: bool = True, horizon: int = 1) -> dict:
    """All three groups from pooled outputs (loop.collect / pretrain.heldout_outputs
    columns, with base_lw and the raw pred_lw and node_pred; node_unit, each node row's
    week pair, for the node group's gate)."""
    pos = c["label"] > 0.5
    base, pred, y = c["base_lw"][pos], c["pred_lw"][pos], c["y_lw"][pos]
    held = base > 0
    node = fit_group(c["node_pred"], c["node_true"], allow_shift=False)
    if gate_node and "node_unit" in c and node["rows"] >= MIN_ROWS:
        node = gate_group(node, c["node_pred"], c["node_true"], c["node_unit"], block=max(GATE_BLOCK, int(horizon)))
    return {"method": "soft-threshold shrinkage toward persistence", "fittedOn": fitted_on,
            "node": node,
            "held": fit_group(pred[held] - base[held], y[held] - base[held], allow_shift=True),
            "new": fit_group(pred[~held], y[~held], allow_shift=True, few_rows="identity")}


def apply_group(g: dict | None, r):
    """f(r) for a numpy array or a torch tensor (the exported graphs use the latter)."""
    if g is None:
        return r
    import torch
    if isinstance(r, torch.Tensor):
        s = torch.sign(r) * torch.relu(r.abs() - g["threshold"]) if g["threshold"] > 0 else r
        return s * g["scale"] + g["shift"]
    return g["scale"] * soft(np.asarray(r, dtype=np.float64), g["threshold"]) + g["shift"]


def apply_weights(shrink: dict | None, base_lw, pred_lw):
    """Shrunk ln(1+w): held pairs (base_lw > 0) base + f_held(pred - base); new pairs f_new(pred)."""
    if not shrink:
        return pred_lw
    import torch
    if isinstance(pred_lw, torch.Tensor):
        held = (base_lw > 0).to(pred_lw.dtype)
        return held * (base_lw + apply_group(shrink["held"], pred_lw - base_lw)) + (1 - held) * apply_group(
            shrink["new"], pred_lw)
    base_lw, pred_lw = np.asarray(base_lw, np.float64), np.asarray(pred_lw, np.float64)
    return np.where(base_lw > 0, base_lw + apply_group(shrink["held"], pred_lw - base_lw),
                    apply_group(shrink["new"], pred_lw))


def apply_node(shrink: dict | None, node_pred):
    return apply_group(shrink["node"], node_pred) if shrink else node_pred
