"""ONNX export of a trained horizon model as three graphs plus one model card per
graph (docs/MODEL.md "Files"):

  encoder.onnx  x [N,F] f32, edge_index [2,E] i64, edge_lw [E] f32
                -> h [N,d], link_src [N,H], link_dst [N,H]
                (link_src/link_dst: the per-node linear parts W_a h, W_b h of the link
                head's first layer, computed once per week)
  link.onnx     h, link_src, link_dst, pairs [2,P] i64, base_lw [P] f32
                (, pair_x [P,K] f32 when trained on pair features: training-set v2)
                -> logit [P], pred_lw [P]   (pred_lw = base_lw + residual)
  node.onnx     h, edge_index, edge_lw -> node_dlog [N]

Dynamic axes N, E, P; opset 17 (scatter-adds need reduction=add: >= 16); torch's
ScatterElements scatter-adds are rewritten as ScatterND (onnx_scatter.py), which
onnxruntime must run on one intra-op thread.
Uses the TorchScript-based exporter of torch 1.13 (no `onnxscript` needed)."""
from __future__ import annotations

import json
import os
import warnings

import numpy as np
import torch
from torch import nn

from .atomic import atomic_path, write_atomic
from .model import ForecastModel
from .onnx_scatter import rewrite_file, sha256_file
from .shrink import apply_node, apply_weights

OPSET = 17
CARD_FORMAT = "dexposure-model-card"
CARD_VERSION = 1
MODEL_NAME = "dexposure-fm-small"


class EncoderGraph(nn.Module):
    def __init__(self, m: ForecastModel):
        super().__init__()
        self.m = m

    def forward(self, x, edge_index, edge_lw):
        h = self.m.encoder(x, edge_index, edge_lw)
        a, b = self.m.link_head.node_parts(h)
        return h, a, b


class LinkGraph(nn.Module):
    """The link head with its Platt calibration (logit * scale + shift) folded in, so
    sigmoid(logit) from link.onnx is the calibrated existence probability, and the
    weight shrinkage toward persistence (shrink.py) applied to pred_lw."""

    def __init__(self, m: ForecastModel, calibration: dict | None = None, horizon: int | None = None,
                 shrinkage: dict | None = None):
        super().__init__()
        self.m = m
        self.scale = float(calibration["scale"]) if calibration else 1.0
        self.shift = float(calibration["shift"]) if calibration else 0.0
        self.shrinkage = shrinkage
        # A model trained on several horizons is exported for one: h is a constant of the graph.
        self.horizon = float(horizon) if m.link_head.horizon_input else None

    def forward(self, h, link_src, link_dst, pairs, base_lw, pair_x=None):
        logit, pred_lw, _ = self.m.link_head.score_parts(h, link_src, link_dst, pairs, base_lw, pair_x, self.horizon)
        return logit * self.scale + self.shift, apply_weights(self.shrinkage, base_lw, pred_lw)


class NodeGraph(nn.Module):
    """The node head with the ΔTVL shrinkage toward persistence (shrink.py) applied."""

    def __init__(self, m: ForecastModel, horizon: int | None = None, shrinkage: dict | None = None):
        super().__init__()
        self.m = m
        self.horizon = float(horizon) if m.node_head.horizon_input else None
        self.shrinkage = shrinkage

    def forward(self, h, edge_index, edge_lw):
        return apply_node(self.shrinkage, self.m.node_head(h, edge_index, edge_lw, self.horizon))


def _register_symbolics() -> None:
    from torch.onnx import symbolic_helper

    @symbolic_helper.parse_args("v", "i", "v", "v")
    def scatter_add(g, self, dim, index, src):
        return g.op("ScatterElements", self, index, src, axis_i=dim, reduction_s="add")

    torch.onnx.register_custom_op_symbolic("aten::scatter_add", scatter_add, 16)


ROLES = {
    "encoder": {"inputs": ["x", "edge_index", "edge_lw"], "outputs": ["h", "link_src", "link_dst"],
                "axes": {"x": {0: "N"}, "edge_index": {1: "E"}, "edge_lw": {0: "E"}, "h": {0: "N"},
                         "link_src": {0: "N"}, "link_dst": {0: "N"}}},
    "link": {"inputs": ["h", "link_src", "link_dst", "pairs", "base_lw"], "outputs": ["logit", "pred_lw"],
             "axes": {"h": {0: "N"}, "link_src": {0: "N"}, "link_dst": {0: "N"}, "pairs": {1: "P"},
                      "base_lw": {0: "P"}, "logit": {0: "P"}, "pred_lw": {0: "P"}}},
    "node": {"inputs": ["h", "edge_index", "edge_lw"], "outputs": ["node_dlog"],
             "axes": {"h": {0: "N"}, "edge_index": {1: "E"}, "edge_lw": {0: "E"}, "node_dlog": {0: "N"}}},
}


def link_roles(num_pair_features: int) -> dict:
    """ROLES, with the link graph's pair_x input when the model takes pair features."""
    if not num_pair_features:
        return ROLES
    link = ROLES["link"]
    return ROLES | {"link": {"inputs": link["inputs"] + ["pair_x"], "outputs": link["outputs"],
                             "axes": link["axes"] | {"pair_x": {0: "P"}}}}


def example_inputs(m: ForecastModel, num_features: int, n: int = 7, e: int = 12, p: int = 9, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, num_features, generator=g)
    ei = torch.randint(0, n, (2, e), generator=g)
    lw = torch.rand(e, generator=g) * 10
    pairs = torch.randint(0, n, (2, p), generator=g)
    base = torch.rand(p, generator=g) * 5
    k = m.link_head.num_pair_features
    # Drawn after the v1 inputs so a v1 model's example inputs are unchanged.
    pair_x = torch.randn(p, k, generator=g) * m.link_head.pair_std + m.link_head.pair_mean if k else None
    return x, ei, lw, pairs, base, pair_x


def _json_safe(v):
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return None
    if isinstance(v, dict):
        return {k: _json_safe(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_json_safe(x) for x in v]
    return v


def export_horizon(result: dict, ts, horizon: int, out_dir: str) -> dict:
    """Write encoder/link/node ONNX graphs and their cards into out_dir/h<h>/;
    returns {role: card}."""
    m: ForecastModel = result["model"].eval()
    d = os.path.join(out_dir, f"h{horizon}")
    os.makedirs(d, exist_ok=True)
    x, ei, lw, pairs, base, pair_x = example_inputs(m, ts.num_features)
    with torch.no_grad():
        h, a, b = EncoderGraph(m)(x, ei, lw)
    cal = result.get("calibration")
    shrink = result.get("shrinkage")
    link_inputs = (h, a, b, pairs, base) + ((pair_x,) if pair_x is not None else ())
    args = {"encoder": (EncoderGraph(m), (x, ei, lw)), "link": (LinkGraph(m, cal, horizon, shrink), link_inputs),
            "node": (NodeGraph(m, horizon, shrink), (h, ei, lw))}
    idx = ts.index
    roles = link_roles(m.link_head.num_pair_features)
    pair_schema = pair_feature_card(ts.pair_schema) if m.link_head.num_pair_features else None
    cards = {}
    _register_symbolics()
    for role, (module, inputs) in args.items():
        spec = roles[role]
        path = os.path.join(d, f"{role}.onnx")
        with atomic_path(path) as tmp, warnings.catch_warnings():
            # horizon_code(h) becoming a constant of the graph is what a per-horizon export wants.
            warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
            torch.onnx.export(module, inputs, tmp, input_names=spec["inputs"], output_names=spec["outputs"],
                              dynamic_axes=spec["axes"], opset_version=OPSET, do_constant_folding=True)
            # the neighbour sums as row scatters (onnx_scatter.py: same values, a fraction of the time)
            rewrite_file(tmp)
        card = {
            "format": CARD_FORMAT, "version": CARD_VERSION, "role": role,
            "model": MODEL_NAME + ("-frozen-encoder" if result["hyperparameters"].get("freeze_encoder") else ""),
            "file": f"{role}.onnx", "sha256": sha256_file(path), "bytes": os.path.getsize(path),
            "horizon": horizon, "opset": OPSET, "inputs": spec["inputs"], "outputs": spec["outputs"],
            "dims": {"features": ts.num_features, "d": m.encoder.lift.out_features,
                     "linkHidden": m.link_head.first.out_features,
                     **({"pairFeatures": m.link_head.num_pair_features} if pair_schema else {})},
            "featureSchema": {k: ts.schema[k] for k in ("name", "version", "hash")},
            **({"pairFeatures": pair_schema} if pair_schema else {}),
            "trainingData": result.get("trainingData") or {
                "path": idx["source"].get("path"), "weeks": idx["source"].get("weeks"),
                "from": idx["source"].get("from"), "to": idx["source"].get("to"),
                "fingerprint": idx["source"].get("fingerprint"), "seed": idx.get("seed"),
                "negRatio": idx.get("negRatio")},
            "split": result["split"], "weekPairs": result["weekPairs"], "selection": result["selection"],
            "hyperparameters": result["hyperparameters"], "history": result["history"],
            "metrics": result["metrics"],
            **({"calibration": cal | {"note": "folded into link.onnx: its logit output is already calibrated"}}
               if cal else {}),
            **({"shrinkage": shrink | {"note": "folded into link.onnx (pred_lw) and node.onnx (node_dlog)"}}
               if shrink else {}),
            **({"pretraining": result["pretraining"]} if result.get("pretraining") else {}),
            **({"pretrainedFrom": result["pretrainedFrom"]} if result.get("pretrainedFrom") else {}),
            **({"compute": result["compute"]} if result.get("compute") else {}),
            "featureStandardisation": {"mean": m.encoder.feature_mean.tolist(), "std": m.encoder.feature_std.tolist(),
                                       "note": "applied inside encoder.onnx; listed for inspection"},
            **({"pairFeatureStandardisation": {"mean": m.link_head.pair_mean.tolist(),
                                               "std": m.link_head.pair_std.tolist(),
                                               "note": "applied inside link.onnx to its pair_x input"}}
               if pair_schema else {}),
            "software": {"torch": torch.__version__, "numpy": np.__version__},
        }
        card = _json_safe(card)
        write_atomic(os.path.join(d, f"{role}.card.json"), lambda f, card=card: f.write(json.dumps(card, indent=1) + "\n"))
        cards[role] = card
    # The PyTorch weights, for bench/forecast.ts (PyTorch vs ORT) and fine-tuning.
    with atomic_path(os.path.join(d, "checkpoint.pt")) as tmp:
        torch.save(checkpoint_dict(m, ts, result["hyperparameters"], cal, shrinkage=shrink), tmp)
    return cards


def pair_feature_card(schema: dict) -> dict:
    """The card's "pairFeatures": the training set's pair-feature schema with its hash
    (inference refuses a model whose hash differs from the pair features it computes)."""
    return {k: schema[k] for k in ("name", "version", "names", "memoryWeeks", "hash") if k in schema}


def checkpoint_dict(m: ForecastModel, ts, hyperparameters: dict, cal: dict | None, **extra) -> dict:
    return {"state_dict": m.state_dict(), "num_features": ts.num_features, "category_columns": ts.category_columns,
            "num_pair_features": m.link_head.num_pair_features, "pair_schema": ts.pair_schema,
            "hyperparameters": hyperparameters, "calibration": cal, **extra}


def load_checkpoint(path: str) -> ForecastModel:
    ck = torch.load(path, map_location="cpu")
    hp = ck["hyperparameters"]
    m = ForecastModel(ck["num_features"], ck["category_columns"], d=hp["d"], d_token=hp["d_token"], layers=hp["layers"],
                      link_hidden=hp["link_hidden"], node_hidden=hp["node_hidden"],
                      num_pair_features=ck.get("num_pair_features", 0), horizon_input=hp.get("horizon_input", False))
    m.load_state_dict(ck["state_dict"])
    return m.eval()


@torch.no_grad()
def parity_fixture(m: ForecastModel, num_features: int, path: str, n: int = 40, e: int = 90, p: int = 120,
                   seed: int = 3, calibration: dict | None = None, horizon: int | None = None,
                   shrinkage: dict | None = None) -> None:
    """PyTorch outputs on a random input, for the ORT parity check (scripts/test-training.mjs)."""
    x, ei, lw, pairs, base, pair_x = example_inputs(m, num_features, n, e, p, seed)
    base[::3] = 0  # new pairs as well as held ones (the weight shrinkage treats them apart)
    x[:, 4:20] = 0  # a valid one-hot in the category columns
    x[torch.arange(n), 4 + torch.arange(n) % 16] = 1
    h, a, b = EncoderGraph(m)(x, ei, lw)
    logit, pred_lw = LinkGraph(m, calibration, horizon, shrinkage)(h, a, b, pairs, base, pair_x)
    node = NodeGraph(m, horizon, shrinkage)(h, ei, lw)
    k = m.link_head.num_pair_features
    out = {"inputs": {"x": x.flatten().tolist(), "edge_index": ei.flatten().tolist(), "edge_lw": lw.tolist(),
                      "pairs": pairs.flatten().tolist(), "base_lw": base.tolist(), "N": n, "E": e, "P": p,
                      "F": num_features, **({"pair_x": pair_x.flatten().tolist(), "K": k} if k else {})},
           "outputs": {"h": h.flatten().tolist(), "link_src": a.flatten().tolist(), "link_dst": b.flatten().tolist(),
                       "logit": logit.tolist(), "pred_lw": pred_lw.tolist(), "node_dlog": node.tolist()}}
    write_atomic(path, lambda f: json.dump(out, f))
