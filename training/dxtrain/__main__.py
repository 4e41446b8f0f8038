"""python3 -m dxtrain --data DIR [--out models] [--horizons 1,4,8,12] [--epochs N] ...

Trains one model per horizon on a `dexposure export-training-set` directory and
exports each as ONNX graphs + model cards into OUT/h<h>/ (docs/MODEL.md)."""
from __future__ import annotations

import argparse
import json
import os
import sys

from .dataset import TrainingSet, TrainingSetError
from .export import export_horizon, parity_fixture
from .loop import HyperParams, hp_record, train_horizon


def finished(d: str, hp, data: str) -> bool:
    """Whether d holds a model set written with these hyperparameters from this training set."""
    if not os.path.exists(os.path.join(d, "checkpoint.pt")):  # written last by export_horizon
        return False
    try:
        with open(os.path.join(d, "node.card.json")) as f:
            card = json.load(f)
        with open(os.path.join(data, "index.json")) as f:
            fp = json.load(f)["source"].get("fingerprint")
    except (OSError, ValueError, KeyError):
        return False
    want = hp_record(hp)
    return card.get("hyperparameters") == json.loads(json.dumps(want)) and card["trainingData"].get("fingerprint") == fp


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="dxtrain", description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="training-set directory (index.json)")
    ap.add_argument("--out", default="models", help="output directory (default: models)")
    ap.add_argument("--horizons", default=None, help="comma-separated, default: the training set's horizons")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--patience", type=int, default=3)
    ap.add_argument("--d", type=int, default=64)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--link-hidden", type=int, default=128)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--weight-loss", choices=("smoothl1", "l1"), default="smoothl1",
                    help="loss of the link head's log-weight residual: smoothl1 (default, the authors') or l1 "
                         "(absolute error, fitted to the conditional median the weight MAE rewards)")
    ap.add_argument("--loss-weight", type=float, default=0.5, help="weight of the residual loss (default 0.5)")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads (results depend on it)")
    ap.add_argument("--freeze-encoder", action="store_true",
                    help="baseline: keep the encoder fixed (at its random initialisation, or at the --pretrained / "
                         "--init weights), train the heads only (write it to MODELS/frozen so evaluate reports "
                         "it as frozen-encoder)")
    ap.add_argument("--init", default=None,
                    help="warm-start from a checkpoint.pt written by an earlier run (same architecture)")
    ap.add_argument("--pretrained", default=None,
                    help="fine-tune from a pretrained.pt of `python3 -m dxtrain.pretrain` (its architecture, horizon "
                         "input and prior standardisation are kept; --d/--layers/--link-hidden are ignored)")
    ap.add_argument("--resume", action="store_true",
                    help="continue each horizon from its last epoch checkpoint in OUT/h<h>/resume.pt, and skip "
                         "horizons whose model set a run with the same settings already wrote")
    ap.add_argument("--calibrate-on-prior", default=None, metavar="CORPUS",
                    help="fit the Platt calibration on the held-out histories of this pretraining corpus "
                         "instead of the validation weeks of --data")
    ap.add_argument("--parity", default=None, help="also write PyTorch outputs on a fixture input to this JSON file")
    a = ap.parse_args(argv)
    try:
        ts = TrainingSet(a.data)
    except TrainingSetError as e:
        print(str(e), file=sys.stderr)
        return 2
    horizons = [int(h) for h in a.horizons.split(",")] if a.horizons else list(ts.index.get("horizons", [1]))
    missing = [h for h in horizons if h not in ts.index.get("horizons", [])]
    if missing:
        print(f"dxtrain: horizons {missing} are not in {a.data}/index.json (has {ts.index.get('horizons')})",
              file=sys.stderr)
        return 2
    init_state = None
    arch = {"d": a.d, "d_token": 32, "layers": a.layers, "link_hidden": a.link_hidden, "node_hidden": 128,
            "horizon_input": False}
    pretrained_from = None
    if a.pretrained and a.init:
        print("dxtrain: give --init or --pretrained, not both", file=sys.stderr)
        return 2
    if a.pretrained:
        import torch
        from .export import sha256_file
        try:
            ck = torch.load(a.pretrained, map_location="cpu")
            init_state, php = ck["state_dict"], ck["hyperparameters"]
            pre = ck["pretraining"]
        except (OSError, KeyError, RuntimeError) as e:
            print(f"dxtrain: --pretrained {a.pretrained}: not a pretrained.pt written by dxtrain.pretrain ({e})",
                  file=sys.stderr)
            return 2
        want = (ck.get("pair_schema") or {}).get("hash")
        have = (ts.pair_schema or {}).get("hash")
        if want != have:
            print(f"dxtrain: --pretrained {a.pretrained} was trained on pair features {want and want[:12]}, "
                  f"{a.data} has {have and have[:12]}; export the training set with this version "
                  f"(dexposure export-training-set writes version 2)", file=sys.stderr)
            return 2
        arch = {k: php[k] for k in arch}
        pretrained_from = {"path": a.pretrained, "sha256": sha256_file(a.pretrained), "steps": pre.get("steps"),
                           "trainHistories": pre.get("trainHistories"), "heldoutSeeds": pre.get("heldoutSeeds"),
                           "compute": ck.get("compute")}
    if a.init:
        import torch
        try:
            ck = torch.load(a.init, map_location="cpu")
            init_state = ck["state_dict"]
        except (OSError, KeyError, RuntimeError) as e:
            print(f"dxtrain: --init {a.init}: not a checkpoint.pt written by dxtrain ({e})", file=sys.stderr)
            return 2
    summary = {}
    for h in horizons:
        extra = {"init": a.init} if a.init else {"pretrained": a.pretrained} if a.pretrained else {}
        hp = HyperParams(**arch, lr=a.lr, epochs=a.epochs, patience=a.patience, seed=a.seed, threads=a.threads,
                         weight_loss=a.weight_loss, loss_weight=a.loss_weight,
                         freeze_encoder=a.freeze_encoder, keep_standardisation=bool(a.pretrained), extra=extra)
        resume = os.path.join(a.out, f"h{h}", "resume.pt") if a.resume else None
        if resume and finished(os.path.join(a.out, f"h{h}"), hp, a.data):
            print(f"dxtrain: h={h}: {a.out}/h{h} already holds this run's model set; skipped (--resume)",
                  file=sys.stderr)
            with open(os.path.join(a.out, f"h{h}", "encoder.card.json")) as f:
                card = json.load(f)
            summary[f"h{h}"] = {"dir": os.path.join(a.out, f"h{h}"), "metrics": card["metrics"],
                                "epochs": len(card.get("history", [])), "skipped": True}
            continue
        try:
            calibrate_with = None
            if a.calibrate_on_prior:
                from .pretrain import prior_calibrator
                calibrate_with = prior_calibrator(a.calibrate_on_prior)
            result = train_horizon(ts, h, hp, log=lambda s: print(s, file=sys.stderr, flush=True),
                                   init_state=init_state, resume_path=resume, calibrate_with=calibrate_with)
        except ValueError as e:
            print(str(e), file=sys.stderr)
            return 1
        if pretrained_from:
            result["pretrainedFrom"] = pretrained_from
        cards = export_horizon(result, ts, h, a.out)
        # The weeks and pairs read for this horizon stay cached otherwise: on a full-scale
        # export the process grew to 17 GB by the third horizon.
        ts.drop_cache()
        if resume and os.path.exists(resume):
            os.remove(resume)
        if a.parity:
            root, ext = os.path.splitext(a.parity)
            parity_fixture(result["model"], ts.num_features, f"{root}-h{h}{ext}" if len(horizons) > 1 else a.parity,
                           calibration=result.get("calibration"), horizon=h, shrinkage=result.get("shrinkage"))
        summary[f"h{h}"] = {"dir": os.path.join(a.out, f"h{h}"), "metrics": cards["encoder"]["metrics"],
                            "epochs": len(result["history"])}
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
