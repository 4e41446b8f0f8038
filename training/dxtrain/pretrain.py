"""Pretraining across a prior of generated histories (docs/MODEL.md "Pretraining").

    python3 -m dxtrain.pretrain --corpus DIR --out DIR [--steps N] [--horizons 1,4,8,12]

DIR holds one version-2 training set per generated history (`shard-<seed>/`) and a
`manifest.json` listing them (`dexposure pretrain-data`). One model is trained for
every history and horizon: the shared encoder and heads take the horizon as an input
(`horizon_code`), so every horizon's week pairs train the same weights and a horizon's
model set is the same network with h fixed. The shards are streamed: one history is
read at a time and forgotten after its week pairs, in a seeded order per epoch, one
Adam step per week pair (the per-history recipe of loop.py).

Histories with seed % 10 == 9 (by default) are held out: never trained on, they
measure the model on unseen prior histories during pretraining and fit the Platt
calibration of each horizon at the end. Seeds >= 9000 are reserved for evaluation and
refused.

A checkpoint (model, optimiser, step, compute time) is written atomically every
`--checkpoint-every` steps; running the same command again continues from it
(the week-pair stream is deterministic, so the resumed run is the uninterrupted one).
The output: OUT/pretrained.pt (the backbone that `dxtrain --pretrained` fine-tunes)
and OUT/h<h>/ (zero-shot model sets, calibrated on the held-out prior histories)."""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import sys
import time
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from .atomic import atomic_path, write_atomic
from .dataset import TrainingSet, TrainingSetError
from .loop import HyperParams, append_outputs, describe_shrinkage, build_model, loss_of, output_columns, set_seed, step_outputs
from .metrics import ece, fit_platt, sigmoid, table3
from .shrink import apply_node, apply_weights, fit_shrinkage

MANIFEST_FORMAT = "dexposure-pretrain-manifest"
EVAL_SEEDS_FROM = 9000


class PretrainError(ValueError):
    pass


@dataclass
class Shard:
    seed: int
    dir: str
    entry: dict


def read_manifest(corpus: str) -> list:
    """The shards of a corpus: DIR/manifest.json ({"shards": [...]} or a list), else
    every DIR/shard-<seed>/index.json. Seeds >= 9000 are refused (evaluation only)."""
    path = os.path.join(corpus, "manifest.json") if os.path.isdir(corpus) else corpus
    root = os.path.dirname(os.path.abspath(path))
    if os.path.exists(path):
        with open(path) as f:
            try:
                m = json.load(f)
            except json.JSONDecodeError as e:
                raise PretrainError(f"dxtrain/pretrain: {path}: not JSON ({e})") from None
        entries = m.get("shards") if isinstance(m, dict) else m
        if not isinstance(entries, list):
            raise PretrainError(f"dxtrain/pretrain: {path}: expected {{\"shards\": [...]}} or a list of shards")
    elif os.path.isdir(corpus):
        entries = [{"dir": d} for d in sorted(os.listdir(corpus)) if os.path.exists(os.path.join(corpus, d, "index.json"))]
    else:
        raise PretrainError(f"dxtrain/pretrain: {corpus}: no such corpus (a folder with manifest.json or shard-*/)")
    shards = []
    for i, e in enumerate(entries):
        if not isinstance(e, dict) or not isinstance(e.get("dir"), str):
            raise PretrainError(f"dxtrain/pretrain: {path}: shard {i} has no \"dir\" ({e!r:.80})")
        seed = e.get("seed")
        if seed is None:
            g = re.fullmatch(r"shard-(\d+)", os.path.basename(e["dir"].rstrip("/")))
            seed = int(g.group(1)) if g else None
        if not isinstance(seed, int):
            raise PretrainError(f"dxtrain/pretrain: {path}: cannot tell the history seed of shard {e['dir']!r}; "
                                f"give \"seed\" (seeds >= {EVAL_SEEDS_FROM} are reserved for evaluation)")
        if seed >= EVAL_SEEDS_FROM:
            raise PretrainError(f"dxtrain/pretrain: {path}: shard {e['dir']!r} has seed {seed}; seeds >= "
                                f"{EVAL_SEEDS_FROM} are reserved for evaluation and never trained or calibrated on")
        d = e["dir"] if os.path.isabs(e["dir"]) else os.path.join(root, e["dir"])
        shards.append(Shard(seed, d, e))
    if not shards:
        raise PretrainError(f"dxtrain/pretrain: {corpus}: no shards")
    return sorted(shards, key=lambda s: s.seed)


def split_shards(shards: list, heldout_every: int = 10) -> tuple:
    """(training, held-out): held-out = seed % heldout_every == heldout_every - 1."""
    held = [s for s in shards if heldout_every and s.seed % heldout_every == heldout_every - 1]
    train = [s for s in shards if s not in held]
    if not train:
        raise PretrainError("dxtrain/pretrain: every shard is held out; add shards or change --heldout-every")
    return train, held


def shard_metas(ts: TrainingSet, horizons: list) -> list:
    """Every week pair of the history at the given horizons with a positive. A prior
    history is never evaluated, so all its weeks train."""
    return [p for p in ts.index["pairs"] if p["horizon"] in horizons and p["numPositives"] > 0]


def stream(train: list, horizons: list, seed: int):
    """The deterministic stream of (epoch, shard, TrainingSet, meta): each epoch the
    shards in a seeded order, each shard's week pairs (all horizons) shuffled."""
    epoch = 0
    while True:
        rng = np.random.default_rng([seed, epoch])
        for si in rng.permutation(len(train)):
            shard = train[int(si)]
            ts = TrainingSet(shard.dir)
            metas = shard_metas(ts, horizons)
            order = np.random.default_rng([seed, epoch, shard.seed]).permutation(len(metas))
            for j in order:
                yield epoch, shard, ts, metas[int(j)]
            ts.drop_cache()
        epoch += 1


def prior_stats(train: list, horizons: list, max_shards: int = 8) -> tuple:
    """Feature and pair-feature standardisation over (up to) the first training shards."""
    f_tot = f_sq = p_tot = p_sq = None
    f_n = p_n = 0
    for shard in train[:max_shards]:
        ts = TrainingSet(shard.dir)
        x_mean, x_std = ts.feature_stats(ts.week_list)
        n = sum(ts.week_meta[w]["numNodes"] for w in ts.week_list)
        metas = shard_metas(ts, horizons)
        p_mean, p_std = ts.pair_feature_stats(metas)
        p = sum(m["numPairs"] for m in metas)
        to64 = lambda t: t.double().numpy()
        f_tot = (f_tot if f_tot is not None else 0) + to64(x_mean) * n
        f_sq = (f_sq if f_sq is not None else 0) + (to64(x_std) ** 2 + to64(x_mean) ** 2) * n
        p_tot = (p_tot if p_tot is not None else 0) + to64(p_mean) * p
        p_sq = (p_sq if p_sq is not None else 0) + (to64(p_std) ** 2 + to64(p_mean) ** 2) * p
        f_n, p_n = f_n + n, p_n + p
    fm, pm = f_tot / f_n, p_tot / p_n
    fs, ps = np.sqrt(np.maximum(f_sq / f_n - fm ** 2, 0)), np.sqrt(np.maximum(p_sq / p_n - pm ** 2, 0))
    t = lambda a: torch.tensor(a, dtype=torch.float32)
    return t(fm), t(fs), t(pm), t(ps)


@torch.no_grad()
def heldout_outputs(model, held: list, horizon: int, max_pairs: int) -> dict:
    """Pooled raw outputs on up to `max_pairs` week pairs of horizon h, spread evenly
    over the held-out histories' week pairs."""
    model.eval()
    cols = output_columns()
    per = max(1, math.ceil(max_pairs / max(1, len(held))))
    for shard in held:
        ts = TrainingSet(shard.dir)
        metas = shard_metas(ts, [horizon])
        pick = np.linspace(0, len(metas) - 1, min(per, len(metas))).round().astype(int) if metas else []
        for i in sorted(set(int(v) for v in pick)):
            append_outputs(cols, model, ts, metas[i])
        ts.drop_cache()
    model.train()
    if not cols["label"]:
        return {}
    return {k: np.concatenate(v) for k, v in cols.items()}


def heldout_metrics(c: dict, calibration: dict | None = None, shrinkage: dict | None = None) -> dict:
    if not c:
        return {}
    from .loop import auprc_by_negative_kind
    from .metrics import auprc
    logit = c["logit"].astype(np.float64)
    if calibration:
        logit = calibration["scale"] * logit + calibration["shift"]
    pred_lw, node_pred = c["pred_lw"], c["node_pred"]
    if shrinkage:
        pred_lw, node_pred = apply_weights(shrinkage, c["base_lw"], pred_lw), apply_node(shrinkage, node_pred)
    paper = c["neg_kind"] <= 1
    out = table3(c["label"][paper], logit[paper], c["y_lw"][paper], pred_lw[paper], c["node_true"], node_pred)
    if not paper.all():
        out["auprcAllNegatives"] = auprc(c["label"], logit)
        out["auprcByNegativeKind"] = auprc_by_negative_kind(c["label"], logit, c["neg_kind"])
    return out


def fit_prior_calibration(c: dict, seeds: list) -> dict:
    """Platt scaling on the held-out prior histories' positives and uniform negatives."""
    paper = c["neg_kind"] <= 1
    y, z = c["label"][paper], c["logit"][paper].astype(np.float64)
    a, b = fit_platt(y, z)
    return {"method": "platt", "scale": a, "shift": b,
            "fittedOn": f"held-out prior histories (seeds {', '.join(str(s) for s in seeds)}), never trained on",
            "pairs": int(y.size), "eceBefore": ece(y, sigmoid(z)), "eceAfter": ece(y, sigmoid(a * z + b))}


def prior_calibrator(corpus: str, heldout_every: int = 10, heldout_pairs: int = 24):
    """calibrate_with for loop.train_horizon: Platt scaling of a (fine-tuned) model
    fitted on the held-out histories of a pretraining corpus, not on the target."""
    _, held = split_shards(read_manifest(corpus), heldout_every)
    if not held:
        raise PretrainError(f"dxtrain/pretrain: {corpus}: no held-out histories (seed % {heldout_every} == "
                            f"{heldout_every - 1}) to calibrate on")

    def calibrate(model, horizon):
        c = heldout_outputs(model, held, horizon, heldout_pairs)
        if not c:
            raise PretrainError(f"dxtrain/pretrain: {corpus}: no held-out week pairs at h={horizon}")
        model.eval()
        return fit_prior_calibration(c, [s.seed for s in held])
    return calibrate


def config_hash(cfg: dict) -> str:
    return hashlib.sha256(json.dumps(cfg, sort_keys=True).encode()).hexdigest()


def _fmt_s(s: float) -> str:
    s = int(s)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


def pretrain(corpus: str, out: str, horizons: list, steps: int, hp: HyperParams, checkpoint_every: int = 100,
             heldout_every: int = 10, heldout_pairs: int = 24, max_minutes: float | None = None, log=print,
             crash_after: int | None = None) -> dict:
    """Run (or continue) a pretraining; returns {"model", "step", "done", ...}.
    `crash_after` (tests) raises after that many steps, as a killed process would stop."""
    shards = read_manifest(corpus)
    train, held = split_shards(shards, heldout_every)
    os.makedirs(out, exist_ok=True)
    ck_path = os.path.join(out, "checkpoint-pretrain.pt")
    cfg = {"corpus": os.path.abspath(corpus), "train": [s.seed for s in train], "heldout": [s.seed for s in held],
           "horizons": horizons, "hp": {k: v for k, v in asdict(hp).items() if k != "extra"}}
    set_seed(hp.seed, hp.threads)
    first = TrainingSet(train[0].dir)
    if not first.num_pair_features:
        raise PretrainError(f"dxtrain/pretrain: {train[0].dir}: a version-1 training set; pretraining needs "
                            f"pair features (training-set version 2)")
    model = build_model(first, hp)
    opt = torch.optim.Adam(model.parameters(), lr=hp.lr, betas=hp.betas, weight_decay=hp.weight_decay)
    step, compute_s, wall_s, history = 0, 0.0, 0.0, []
    if os.path.exists(ck_path):
        ck = torch.load(ck_path, map_location="cpu")
        if ck["configHash"] != config_hash(cfg):
            raise PretrainError(f"dxtrain/pretrain: {ck_path} was written by a run with other settings or shards; "
                                f"use another --out or delete it to start over")
        model.load_state_dict(ck["state_dict"])
        opt.load_state_dict(ck["optimizer"])
        step, compute_s, wall_s, history = ck["step"], ck["computeSeconds"], ck["wallSeconds"], ck["history"]
        log(f"pretrain: resuming at step {step}/{steps} from {ck_path}")
    else:
        fm, fs, pm, ps = prior_stats(train, horizons)
        model.encoder.set_standardisation(fm, fs)
        model.link_head.set_pair_standardisation(pm, ps)
        log(f"pretrain: {len(train)} training histories, {len(held)} held out (seeds {[s.seed for s in held]}), "
            f"horizons {horizons}, {steps} steps")

    wall_base = wall_s
    t_start = time.time()

    def save():
        state = {"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "step": step,
                 "computeSeconds": compute_s, "wallSeconds": wall_base + time.time() - t_start, "history": history,
                 "configHash": config_hash(cfg), "config": cfg}
        with atomic_path(ck_path) as tmp:
            torch.save(state, tmp)

    t_window, loss_window, n_window = time.time(), 0.0, 0
    model.train()
    it = stream(train, horizons, hp.seed)
    skipped = 0
    stopped_early = False
    while step < steps:
        epoch, shard, ts, meta = next(it)
        if skipped < step:  # the stream is deterministic: skip what the checkpoint holds
            skipped += 1
            continue
        skipped += 1
        t0 = time.time()
        p, logit, _, residual, node = step_outputs(model, ts, meta)
        loss = loss_of(hp, p, logit, residual, node)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), hp.clip)
        opt.step()
        compute_s += time.time() - t0
        step += 1
        loss_window += float(loss)
        n_window += 1
        if crash_after is not None and step >= crash_after:
            raise KeyboardInterrupt(f"simulated crash after step {step}")
        if step % checkpoint_every == 0 or step == steps:
            rate = n_window / max(time.time() - t_window, 1e-9)
            history.append({"step": step, "epoch": epoch, "loss": loss_window / n_window,
                            "computeSeconds": round(compute_s, 1)})
            save()
            log(f"pretrain: step {step}/{steps} epoch {epoch + 1} history seed {shard.seed} h={meta['horizon']} "
                f"loss {loss_window / n_window:.4f} | {rate:.2f} steps/s, eta {_fmt_s((steps - step) / max(rate, 1e-9))} "
                f"| checkpoint saved")
            t_window, loss_window, n_window = time.time(), 0.0, 0
            if max_minutes is not None and time.time() - t_start > 60 * max_minutes and step < steps:
                log(f"pretrain: stopping after {max_minutes} min at step {step}; run the same command to continue")
                stopped_early = True
                break
    done = step >= steps
    return {"model": model, "step": step, "done": done and not stopped_early, "computeSeconds": compute_s,
            "wallSeconds": wall_base + time.time() - t_start,
            "history": history, "train": train, "held": held, "config": cfg, "first": first}


def finish(r: dict, out: str, horizons: list, hp: HyperParams, heldout_pairs: int, log=print) -> dict:
    """Calibrate per horizon on the held-out prior histories, write pretrained.pt and
    the zero-shot model sets OUT/h<h>/."""
    from .export import checkpoint_dict, export_horizon
    model, held, first = r["model"].eval(), r["held"], r["first"]
    if not held:
        raise PretrainError("dxtrain/pretrain: no held-out histories to calibrate on (add shards with seed % 10 == 9)")
    seeds = [s.seed for s in held]
    calibrations, shrinkages, metrics = {}, {}, {}
    for h in horizons:
        c = heldout_outputs(model, held, h, heldout_pairs)
        if not c:
            log(f"pretrain: h={h}: no held-out week pairs; skipped")
            continue
        cal = fit_prior_calibration(c, seeds)
        calibrations[h] = cal
        # Blocks of the default 4 week pairs for the node gate: these week pairs are spread
        # over independent histories, not consecutive weeks of one.
        shrinkages[h] = fit_shrinkage(c, f"held-out prior histories (seeds {', '.join(str(s) for s in seeds)}), "
                                         f"never trained on")
        metrics[h] = heldout_metrics(c, cal, shrinkages[h])
        log(f"pretrain: h={h} held-out prior AUPRC {metrics[h]['auprc']:.4f}, ECE {cal['eceBefore']:.4f} -> "
            f"{cal['eceAfter']:.4f} (Platt {cal['scale']:.3f}, {cal['shift']:.3f}); shrinkage: "
            + describe_shrinkage(shrinkages[h]))
    pretraining = {"corpus": r["config"]["corpus"], "trainHistories": len(r["train"]),
                   "trainSeeds": [s.seed for s in r["train"]], "heldoutSeeds": seeds, "steps": r["step"],
                   "horizons": horizons, "history": r["history"]}
    compute = {"device": "cpu", "threads": hp.threads, "trainingSeconds": round(r["computeSeconds"], 1),
               "wallSeconds": round(r["wallSeconds"], 1),
               "note": "trainingSeconds: forward/backward/step time over every (resumed) run; wallSeconds: "
                       "elapsed time of the training loop incl. reading shards, excluding calibration and export",
               "parameters": int(sum(p.numel() for p in model.parameters()))}
    hparams = {k: v for k, v in asdict(hp).items() if k != "extra"} | hp.extra
    with atomic_path(os.path.join(out, "pretrained.pt")) as tmp:
        torch.save(checkpoint_dict(model, first, hparams, None, pretraining=pretraining, compute=compute,
                                   priorCalibration={str(h): c for h, c in calibrations.items()},
                                   priorShrinkage={str(h): s for h, s in shrinkages.items()}), tmp)
    src = first.index.get("source", {})
    for h, cal in calibrations.items():
        result = {"model": model, "split": {}, "weekPairs": {"train": r["step"]}, "selection": "none (fixed step budget)",
                  "history": r["history"], "calibration": cal, "shrinkage": shrinkages[h], "hyperparameters": hparams | {"zeroShot": True},
                  "metrics": {"validation": {}, "test": {}, "heldoutPrior": metrics[h]},
                  "pretraining": pretraining, "compute": compute,
                  "trainingData": {"path": r["config"]["corpus"], "prior": True, "histories": len(r["train"]),
                                   "seed": first.index.get("seed"), "negRatio": first.index.get("negRatio"),
                                   "note": f"prior corpus; first shard fingerprint {src.get('fingerprint')}"}}
        export_horizon(result, first, h, out)
    summary = {"out": out, "steps": r["step"], "heldout": {f"h{h}": m for h, m in metrics.items()}, "compute": compute}
    write_atomic(os.path.join(out, "pretrain-summary.json"), lambda f: f.write(json.dumps(summary, indent=1) + "\n"))
    write_pretrained_card(out, r["config"]["corpus"], metrics)
    return summary


def write_pretrained_card(out: str, corpus: str, heldout: dict, command: str | None = None) -> dict:
    """OUT/pretrained.card.json: what the backbone is (sha256, size, parameters), what it
    was trained on (the corpus's shards as its manifest lists them, held-out seeds), for
    how long (steps, compute) and how it does on the held-out prior histories, with the
    prior calibration and shrinkage of each horizon."""
    from .export import sha256_file
    path = os.path.join(out, "pretrained.pt")
    ck = torch.load(path, map_location="cpu")
    pre = ck["pretraining"]
    by_seed = {s.seed: s.entry for s in read_manifest(corpus)}
    keep = ("seed", "dir", "regime", "protocols", "weeks", "from", "to", "crises", "numPairs", "numPositives")
    card = {"format": "dexposure-pretrained-card", "version": 1, "file": "pretrained.pt", "sha256": sha256_file(path),
            "bytes": os.path.getsize(path),
            "corpus": {"path": pre["corpus"], "histories": len(pre["trainSeeds"]) + len(pre["heldoutSeeds"]),
                       "trainSeeds": pre["trainSeeds"], "heldoutSeeds": pre["heldoutSeeds"],
                       "shards": [{k: by_seed.get(sd, {}).get(k) for k in keep if k in by_seed.get(sd, {})} | {"seed": sd}
                                  for sd in sorted(pre["trainSeeds"] + pre["heldoutSeeds"])]},
            "pairFeatures": {k: (ck.get("pair_schema") or {}).get(k) for k in ("name", "version", "memoryWeeks", "hash")},
            "steps": pre["steps"], "horizons": pre["horizons"], "compute": ck.get("compute"),
            "hyperparameters": {k: ck["hyperparameters"].get(k) for k in ("d", "d_token", "layers", "link_hidden",
                                                                           "node_hidden", "lr", "horizon_input", "seed")},
            "heldoutPrior": {f"h{h}": m for h, m in heldout.items()},
            "priorCalibration": ck.get("priorCalibration"), "priorShrinkage": ck.get("priorShrinkage"),
            **({"command": command} if command else {"command": "python3 -m " + " ".join(["dxtrain.pretrain"] + sys.argv[1:])})}
    card = json.loads(json.dumps(card, default=lambda v: None, allow_nan=True).replace("NaN", "null"))
    write_atomic(os.path.join(out, "pretrained.card.json"), lambda f: f.write(json.dumps(card, indent=1) + "\n"))
    return card


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="dxtrain.pretrain", description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True, help="folder with manifest.json and shard-<seed>/ training sets")
    ap.add_argument("--out", required=True)
    ap.add_argument("--horizons", default="1,4,8,12")
    ap.add_argument("--steps", type=int, default=2000, help="Adam steps (week pairs) in all")
    ap.add_argument("--checkpoint-every", type=int, default=100)
    ap.add_argument("--heldout-every", type=int, default=10, help="seed %% N == N-1 histories are held out")
    ap.add_argument("--heldout-pairs", type=int, default=24, help="held-out week pairs per horizon to measure/calibrate")
    ap.add_argument("--max-minutes", type=float, default=None, help="stop (resumable) after this much wall time")
    ap.add_argument("--finish-at-limit", action="store_true",
                    help="at --max-minutes, calibrate and export what was trained so far (the card states the steps); "
                         "running the same command again still continues towards --steps")
    ap.add_argument("--d", type=int, default=32)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--link-hidden", type=int, default=64)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--parity", default=None, help="also write PyTorch outputs of each horizon's graphs on a fixture "
                                                   "input to PARITY-h<h>.json (the ORT parity check)")
    a = ap.parse_args(argv)
    horizons = [int(h) for h in a.horizons.split(",")]
    hp = HyperParams(d=a.d, d_token=min(32, a.d), layers=a.layers, link_hidden=a.link_hidden, node_hidden=a.link_hidden,
                     lr=a.lr, seed=a.seed, threads=a.threads, horizon_input=True)
    try:
        r = pretrain(a.corpus, a.out, horizons, a.steps, hp, a.checkpoint_every, a.heldout_every, a.heldout_pairs,
                     a.max_minutes, log=lambda s: print(s, file=sys.stderr, flush=True))
        if not r["done"] and not a.finish_at_limit:
            return 3
        summary = finish(r, a.out, horizons, hp, a.heldout_pairs, log=lambda s: print(s, file=sys.stderr, flush=True))
        if a.parity:
            from .export import parity_fixture
            root, ext = os.path.splitext(a.parity)
            for h in horizons:
                with open(os.path.join(a.out, f"h{h}", "link.card.json")) as f:
                    card = json.load(f)
                parity_fixture(r["model"], r["first"].num_features, f"{root}-h{h}{ext}", calibration=card["calibration"],
                               horizon=h, shrinkage=card.get("shrinkage"))
    except (PretrainError, TrainingSetError) as e:
        print(str(e), file=sys.stderr)
        return 2
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
