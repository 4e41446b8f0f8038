"""Training loop for one horizon, as the authors' `RFE:train_graphpfn_epoch` /
`run_graphpfn_experiment` (data-spec §4.1, §4.4):
  loss = 2.0 * BCEWithLogits(logit, label, pos_weight=5)
       + 0.5 * SmoothL1(residual[pos], y_lw[pos] - base_lw[pos])
       + 20  * SmoothL1(node_pred[mask], node_target[mask]),
one Adam(0.9, 0.999, weight decay 1e-4) step per week pair in chronological order,
gradient clipping at 1.0, up to 20 epochs, early stopping on validation AUPRC with
patience 3, the best state restored. Deviation: the encoder is trained from scratch
with the heads' learning rate 5e-4 for every parameter (the authors fine-tune a
pretrained LimiX/GraphPFN backbone at 5e-5; there is no pretrained backbone here)."""
from __future__ import annotations

import copy
import json
import math
import os
import random
import time
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
from torch import nn

from .atomic import atomic_path
from .dataset import NEG_KINDS, TrainingSet, holdout_split
from .metrics import auprc, ece, fit_platt, sigmoid, table3
from .model import ForecastModel
from .shrink import apply_node, apply_weights, fit_shrinkage


@dataclass
class HyperParams:
    d: int = 64
    d_token: int = 32
    layers: int = 2
    link_hidden: int = 128
    node_hidden: int = 128
    lr: float = 5e-4
    weight_decay: float = 1e-4
    betas: tuple = (0.9, 0.999)
    epochs: int = 20
    patience: int = 3
    clip: float = 1.0
    pos_weight: float = 5.0
    loss_exist: float = 2.0
    loss_weight: float = 0.5
    loss_node: float = 20.0
    # The link head's residual loss: "smoothl1" (the authors') or "l1" (absolute error:
    # its minimiser is the conditional median, what the weight MAE rewards).
    weight_loss: str = "smoothl1"
    seed: int = 42
    threads: int = 1
    # The paper's "frozen encoder" baseline: the encoder keeps its random initial
    # weights and only the link and node heads are trained.
    freeze_encoder: bool = False
    # One model for every horizon: the heads take horizon_code(h) (pretraining).
    horizon_input: bool = False
    # Keep the init checkpoint's feature/pair standardisation instead of recomputing it
    # on this split (fine-tuning a pretrained model: its weights were fitted to the prior's).
    keep_standardisation: bool = False
    extra: dict = field(default_factory=dict)


# Fields added after model sets were shipped: left out of the recorded hyperparameters
# (card, resume key) while at their default, so earlier cards and resume files still match.
LATER_DEFAULTS = {"weight_loss": "smoothl1"}


def hp_record(hp: HyperParams, with_extra: bool = True) -> dict:
    """The hyperparameters as the cards and resume files record them."""
    rec = {k: v for k, v in asdict(hp).items() if k != "extra" and not (k in LATER_DEFAULTS and v == LATER_DEFAULTS[k])}
    return rec | hp.extra if with_extra else rec


def residual_loss(kind: str, pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    if kind == "smoothl1":
        return nn.functional.smooth_l1_loss(pred, target)
    if kind == "l1":
        return nn.functional.l1_loss(pred, target)
    raise ValueError(f"dxtrain/loop: weight_loss must be 'smoothl1' or 'l1', got {kind!r}")


def set_seed(seed: int, threads: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)


def build_model(ts: TrainingSet, hp: HyperParams) -> ForecastModel:
    return ForecastModel(ts.num_features, ts.category_columns, d=hp.d, d_token=hp.d_token, layers=hp.layers,
                         link_hidden=hp.link_hidden, node_hidden=hp.node_hidden,
                         num_pair_features=ts.num_pair_features, horizon_input=hp.horizon_input)


def step_outputs(model: ForecastModel, ts: TrainingSet, meta: dict):
    p = ts.pair(meta)
    w = ts.week(meta["anchor"])
    h = model.encoder(w.x, w.edge_index, w.edge_lw)
    hz = float(meta["horizon"]) if model.link_head.horizon_input else None
    logit, pred_lw, residual = model.link_head(h, p.pairs, p.base_lw, p.pair_x, hz)
    node = model.node_head(h, w.edge_index, w.edge_lw, hz)
    return p, logit, pred_lw, residual, node


def loss_of(hp: HyperParams, p, logit, residual, node) -> torch.Tensor:
    bce = nn.functional.binary_cross_entropy_with_logits(logit, p.label, pos_weight=torch.tensor(hp.pos_weight))
    pos = p.label > 0.5
    loss = hp.loss_exist * bce
    if bool(pos.any()):
        loss = loss + hp.loss_weight * residual_loss(hp.weight_loss, residual[pos], (p.y_lw - p.base_lw)[pos])
    if bool(p.node_mask.any()):
        loss = loss + hp.loss_node * nn.functional.smooth_l1_loss(node[p.node_mask], p.node_target[p.node_mask])
    return loss


@torch.no_grad()
def collect(model: ForecastModel, ts: TrainingSet, metas: list) -> dict:
    """Pooled raw outputs over week pairs: label, logit, y_lw, pred_lw, node_true, node_pred."""
    model.eval()
    cols = output_columns()
    for meta in metas:
        append_outputs(cols, model, ts, meta)
    return {k: np.concatenate(v) for k, v in cols.items()}


def output_columns() -> dict:
    """Empty pools for append_outputs (also used by pretraining's held-out scoring)."""
    return {k: [] for k in ("label", "logit", "y_lw", "base_lw", "pred_lw", "node_true", "node_pred", "neg_kind",
                            "node_unit")}


def append_outputs(cols: dict, model: ForecastModel, ts: TrainingSet, meta) -> None:
    """Adds one week pair's raw outputs to the pools of output_columns()."""
    p, logit, pred_lw, _, node = step_outputs(model, ts, meta)
    # Version 1 sets have only positives and random negatives.
    cols["neg_kind"].append(p.neg_kind.numpy() if p.neg_kind is not None
                            else np.where(p.label.numpy() > 0.5, 0, 1).astype(np.int64))
    cols["label"].append(p.label.numpy())
    cols["logit"].append(logit.numpy())
    cols["y_lw"].append(p.y_lw.numpy())
    cols["base_lw"].append(p.base_lw.numpy())
    cols["pred_lw"].append(pred_lw.numpy())
    cols["node_true"].append(p.node_target[p.node_mask].numpy())
    cols["node_pred"].append(node[p.node_mask].numpy())
    # Which week pair each node row comes from (the node shrinkage's gate resamples week pairs).
    cols["node_unit"].append(np.full(int(p.node_mask.sum()), len(cols["label"]) - 1, dtype=np.int64))


def evaluate(model: ForecastModel, ts: TrainingSet, metas: list, calibration: dict | None = None,
             cols: dict | None = None, shrinkage: dict | None = None) -> dict:
    """Table 3 metrics over week pairs; with `calibration` the logits are Platt-scaled
    first (AUROC/AUPRC are unchanged by it, ECE is what it fixes); with `shrinkage` the
    weights and ΔTVL pass through it (shrink.py), as the exported graphs apply it."""
    if not metas:
        return {}
    c = cols if cols is not None else collect(model, ts, metas)
    logit = c["logit"].astype(np.float64)
    if calibration is not None:
        logit = calibration["scale"] * logit + calibration["shift"]
    pred_lw, node_pred = c["pred_lw"], c["node_pred"]
    if shrinkage is not None:
        pred_lw, node_pred = apply_weights(shrinkage, c["base_lw"], pred_lw), apply_node(shrinkage, node_pred)
    # Table 3's sample (positives and uniform negatives), as the yardstick's paper
    # columns and ECE; the hard negatives of a version-2 set are reported by kind.
    paper = c["neg_kind"] <= 1
    out = table3(c["label"][paper], logit[paper], c["y_lw"][paper], pred_lw[paper], c["node_true"], node_pred)
    out["weekPairs"] = len(metas)
    if not paper.all():
        out["auprcAllNegatives"] = auprc(c["label"], logit)
        out["auprcByNegativeKind"] = auprc_by_negative_kind(c["label"], logit, c["neg_kind"])
    return out


def auprc_by_negative_kind(label, logit, kind) -> dict:
    """AUPRC of the positives against each kind of negative alone (the yardstick's
    "Existence against each kind of negative"), for the kinds present."""
    pos = kind == 0
    out = {}
    for k, name in enumerate(NEG_KINDS[1:], start=1):
        neg = kind == k
        if neg.any() and pos.any():
            sel = pos | neg
            out[name] = auprc(label[sel], logit[sel])
            out[name + "Pairs"] = int(neg.sum())
    return out


def calibrate(model: ForecastModel, ts: TrainingSet, metas: list, source: str) -> dict:
    """Platt scaling of the existence logit fitted on `metas` (the validation week
    pairs); exported into link.onnx so every consumer gets calibrated probabilities."""
    c = collect(model, ts, metas)
    # Fitted on the sample the yardstick's ECE is measured on: positives and uniform negatives.
    paper = c["neg_kind"] <= 1
    c = {"label": c["label"][paper], "logit": c["logit"][paper]}
    a, b = fit_platt(c["label"], c["logit"])
    return {"method": "platt", "scale": a, "shift": b, "fittedOn": source, "weekPairs": len(metas),
            "pairs": int(c["label"].size), "eceBefore": ece(c["label"], sigmoid(c["logit"])),
            "eceAfter": ece(c["label"], sigmoid(a * c["logit"].astype(np.float64) + b))}


def describe_shrinkage(s: dict) -> str:
    """One log line: each group's fitted (scale, threshold, shift) and MAE against persistence."""
    return "; ".join(f"{g} x{s[g]['scale']:.2f} |r|>{s[g]['threshold']:.3f} {s[g]['shift']:+.3f} "
                     f"(MAE {s[g]['mae']:.4f}, persistence {s[g]['maePersistence']:.4f})"
                     + (f" [{s[g]['note']}]" if s[g].get("note") else "")
                     for g in ("node", "held", "new") if s[g]["rows"])


def train_horizon(ts: TrainingSet, horizon: int, hp: HyperParams, log=print, init_state: dict | None = None,
                  resume_path: str | None = None, crash_after_epochs: int | None = None,
                  calibrate_with=None) -> dict:
    """Train one horizon's model; returns {"model", "metrics", "history", "split", ...}.

    `init_state` warm-starts from another model's weights (e.g. the h=1 model when
    training a longer horizon); the standardisation is recomputed on this split
    unless hp.keep_standardisation (fine-tuning a pretrained model).
    With `resume_path`, the state after every epoch (model, optimiser, best state,
    patience count, history) is saved there atomically, and a run that finds it
    continues after the last saved epoch (the same result as an uninterrupted run).
    `crash_after_epochs` (tests) stops with KeyboardInterrupt as a killed run would.
    `calibrate_with(model, horizon)`, when given, returns the Platt calibration to use
    instead of the one fitted on this history's validation weeks (e.g. one fitted on
    held-out prior histories, pretrain.prior_calibrator)."""
    set_seed(hp.seed, hp.threads)
    split = holdout_split(ts.week_list)
    train_pairs = ts.pairs_for(horizon, set(split["train"]))
    val_pairs = ts.pairs_for(horizon, set(split["val"]))
    test_pairs = ts.pairs_for(horizon, set(split["test"]))
    if not train_pairs:
        raise ValueError(f"dxtrain/loop: no training week pairs at horizon {horizon} "
                         f"({len(split['train'])} training weeks); export more weeks or drop h={horizon}")
    model = build_model(ts, hp)
    if init_state is not None:
        try:
            missing, unexpected = model.load_state_dict(init_state, strict=False)
            fault = f"missing {list(missing)[:5]}, unexpected {list(unexpected)[:5]}" if missing or unexpected else None
        except RuntimeError as e:  # shape mismatches
            fault = str(e).splitlines()[1].strip() if len(str(e).splitlines()) > 1 else str(e)
        if fault:
            raise ValueError(f"dxtrain/loop: the --init checkpoint does not fit this architecture ({fault}); "
                             f"use the --d/--layers/--link-hidden it was trained with")
    if not (hp.keep_standardisation and init_state is not None):
        mean, std = ts.feature_stats(split["train"])
        model.encoder.set_standardisation(mean, std)
        if ts.num_pair_features:
            model.link_head.set_pair_standardisation(*ts.pair_feature_stats(train_pairs))
    if hp.freeze_encoder:
        for prm in model.encoder.parameters():
            prm.requires_grad_(False)
    trainable = [prm for prm in model.parameters() if prm.requires_grad]
    opt = torch.optim.Adam(trainable, lr=hp.lr, betas=hp.betas, weight_decay=hp.weight_decay)
    # Without validation pairs (very short histories) selection falls back to training AUPRC.
    select_on = val_pairs if val_pairs else train_pairs
    selection = "validation" if val_pairs else "training (no validation week pairs at this horizon)"
    best, best_state, bad, history = -math.inf, copy.deepcopy(model.state_dict()), 0, []
    start = 0
    run_key = json.dumps({"hp": hp_record(hp, with_extra=False) | {"extra": hp.extra}, "horizon": horizon,
                          "data": ts.index["source"].get("fingerprint"), "root": os.path.abspath(ts.root)},
                         sort_keys=True, default=str)
    if resume_path and os.path.exists(resume_path):
        ck = torch.load(resume_path, map_location="cpu")
        if ck.get("runKey") != run_key:
            raise ValueError(f"dxtrain/loop: {resume_path} was written by a run with other settings or data; "
                             f"delete it to start this horizon over")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        best, best_state, bad, history, start = ck["best"], ck["bestState"], ck["bad"], ck["history"], ck["epoch"]
        log(f"h={horizon}: resuming after epoch {start} from {resume_path}")
    for epoch in range(start, hp.epochs):
        if history and bad >= hp.patience:
            break
        model.train()
        t0, total = time.time(), 0.0
        for meta in train_pairs:
            p, logit, _, residual, node = step_outputs(model, ts, meta)
            loss = loss_of(hp, p, logit, residual, node)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(trainable, hp.clip)
            opt.step()
            total += float(loss)
        m = evaluate(model, ts, select_on)
        score = m["auprc"] if not math.isnan(m["auprc"]) else -math.inf
        history.append({"epoch": epoch + 1, "trainLoss": total / len(train_pairs), "selectAUPRC": m["auprc"],
                        "seconds": round(time.time() - t0, 3)})
        log(f"h={horizon} epoch {epoch + 1}: loss {total / len(train_pairs):.4f}, {selection} AUPRC {m['auprc']:.4f}")
        if score > best:
            best, best_state, bad = score, copy.deepcopy(model.state_dict()), 0
        else:
            bad += 1
        if resume_path:
            os.makedirs(os.path.dirname(os.path.abspath(resume_path)), exist_ok=True)
            with atomic_path(resume_path) as tmp:
                torch.save({"runKey": run_key, "model": model.state_dict(), "optimizer": opt.state_dict(),
                            "best": best, "bestState": best_state, "bad": bad, "history": history,
                            "epoch": epoch + 1}, tmp)
        if crash_after_epochs is not None and epoch + 1 >= crash_after_epochs:
            raise KeyboardInterrupt(f"simulated crash after epoch {epoch + 1}")
        if bad >= hp.patience:
            break
    model.load_state_dict(best_state)
    model.eval()
    cal = calibrate_with(model, horizon) if calibrate_with else calibrate(model, ts, select_on, selection)
    log(f"h={horizon} calibration: logit * {cal['scale']:.4f} + {cal['shift']:.4f}, "
        f"ECE {cal['eceBefore']:.4f} -> {cal['eceAfter']:.4f} on {cal['fittedOn']} pairs")
    shrink = fit_shrinkage(collect(model, ts, select_on), selection, horizon=horizon)
    log(f"h={horizon} shrinkage toward persistence on {selection} pairs: " + describe_shrinkage(shrink))
    return {
        "model": model,
        "split": {k: [v[0], v[-1], len(v)] if v else [None, None, 0] for k, v in split.items()},
        "weekPairs": {"train": len(train_pairs), "validation": len(val_pairs), "test": len(test_pairs)},
        "selection": selection,
        "history": history,
        "calibration": cal,
        "shrinkage": shrink,
        "metrics": {"validation": evaluate(model, ts, val_pairs, cal, shrinkage=shrink),
                    "test": evaluate(model, ts, test_pairs, cal, shrinkage=shrink)},
        "hyperparameters": hp_record(hp),
        "compute": {"device": "cpu", "threads": hp.threads,
                    "trainingSeconds": round(sum(e["seconds"] for e in history), 1),
                    "note": "seconds of the training epochs (incl. validation), summed over resumed runs"},
    }
