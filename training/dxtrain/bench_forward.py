"""PyTorch side of bench/forecast.ts: the same model (checkpoint.pt of a model set)
on the same week and candidate pairs as the ORT run, timed the same way (median of
repeats after a warm-up), plus the model's FLOPs per week and this machine's sgemm
throughput measured with torch and NumPy in the same run.

python3 -m dxtrain.bench_forward --checkpoint models/h1/checkpoint.pt --input DIR --threads T
DIR holds x.f32 [N,F], edge_index.i64 [2,E], edge_lw.f32 [E], pairs.i64 [2,P], base_lw.f32 [P], dims.json
(N, E, P, F, horizon), and pair_x.f32 [P,K] (dims K) for a model trained on pair features."""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import numpy as np
import torch

from .export import load_checkpoint


def timed(fn, repeats: int):
    fn()
    times = []
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), out


def flops(m, n: int, e: int, p: int, f: int) -> dict:
    """2 x multiply-adds of the matmuls, attention and edge aggregations (elementwise
    ops, LayerNorms and activations ignored)."""
    enc = m.encoder
    tok = enc.tokenizer
    t, dt = tok.num_tokens, tok.value_weight.shape[1]
    d = enc.lift.out_features
    hl = m.link_head.first.out_features
    per_node = (8 * t * dt * dt + 2 * t * t * dt  # token layer: qkv, proj, MLP; QK^T and AV
                + len(tok.category_idx) * dt + dt * d  # category embedding, lift
                + len(enc.layers) * 8 * d * d  # message-passing MLPs (3d->2d->d)
                + 2 * d * hl)  # per-node link parts W_a h, W_b h
    per_edge = len(enc.layers) * 2 * d  # weighted in/out gathers
    encoder = 2 * (n * per_node + e * per_edge)
    node_lin = [mod for mod in m.node_head.mlp if isinstance(mod, torch.nn.Linear)]
    node = 2 * (n * sum(l.in_features * l.out_features for l in node_lin) + e * 2 * d)
    link = 2 * p * (2 * d * hl + 2 * hl + 2 * hl)  # interaction blocks, edge state, output layer
    return {"encoder": encoder, "nodeHead": node, "pairScoring": link, "total": encoder + node + link}


def sgemm_gflops(threads: int) -> dict:
    torch.set_num_threads(threads)
    a = torch.randn(1024, 1024)
    b = torch.randn(1024, 1024)
    ms, _ = timed(lambda: a @ b, 5)
    an, bn = a.numpy(), b.numpy()
    ms_np, _ = timed(lambda: an @ bn, 5)
    f = 2 * 1024 ** 3
    return {"torch": f / ms / 1e6, "numpy": f / ms_np / 1e6}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    dims = json.load(open(os.path.join(a.input, "dims.json")))
    n, e, p, f = dims["N"], dims["E"], dims["P"], dims["F"]

    def arr(name, dtype, shape):
        return torch.from_numpy(np.fromfile(os.path.join(a.input, name), dtype=dtype).reshape(shape).copy())

    x = arr("x.f32", "<f4", (n, f))
    ei = arr("edge_index.i64", "<i8", (2, e))
    lw = arr("edge_lw.f32", "<f4", (e,))
    pairs = arr("pairs.i64", "<i8", (2, p))
    base = arr("base_lw.f32", "<f4", (p,))
    pair_x = arr("pair_x.f32", "<f4", (p, dims["K"])) if dims.get("K") else None
    m = load_checkpoint(a.checkpoint)
    horizon = float(dims["horizon"]) if dims.get("horizon") else None
    with torch.no_grad():
        enc_ms, h = timed(lambda: m.encoder(x, ei, lw), a.repeats)
        parts_ms, parts = timed(lambda: m.link_head.node_parts(h), a.repeats)
        link_ms, out = timed(lambda: m.link_head.score_parts(h, parts[0], parts[1], pairs, base, pair_x, horizon), a.repeats)
        node_ms, node = timed(lambda: m.node_head(h, ei, lw, horizon), a.repeats)
    print(json.dumps({
        "threads": a.threads, "torch": torch.__version__,
        "encoderMs": enc_ms + parts_ms, "pairScoringMs": link_ms, "nodeHeadMs": node_ms,
        "totalMs": enc_ms + parts_ms + link_ms + node_ms,
        "flops": flops(m, n, e, p, f), "sgemmGflops": sgemm_gflops(a.threads),
        "check": {"logitMean": float(out[0].mean()), "nodeMean": float(node.mean())},
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
