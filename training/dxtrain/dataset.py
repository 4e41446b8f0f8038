"""Reader for a `dexposure export-training-set` directory (docs/TRAINING-SET.md) and
the hold-out split of data-spec §4.2 (authors' `RFE:get_single_split`).

Version 2 adds per-pair features computed by the TypeScript exporter
(`pairs/h<h>/<anchor>/pair_x.f32`, [P, K], K = len(index.json pairFeatures.names))
and the kind of every negative (`neg_kind.u8`). The reader is schema-driven: it
never recomputes or reorders pair features, it only checks shapes and finiteness."""
from __future__ import annotations

import datetime as _dt
import json
import math
import os
from dataclasses import dataclass

import numpy as np
import torch

FORMAT = "dexposure-training-set"
VERSION = 2
NEG_KINDS = ("positive", "random", "historical", "structural")
HOLDOUT_START = "2025-01-01"
VAL_WEEKS = 24


class TrainingSetError(ValueError):
    """A training-set directory that does not follow docs/TRAINING-SET.md."""


def _err(msg: str) -> TrainingSetError:
    return TrainingSetError(f"dxtrain/dataset: {msg}")


@dataclass
class Week:
    week: str
    x: torch.Tensor  # [N, F] float32, raw features
    edge_index: torch.Tensor  # [2, E] int64
    edge_lw: torch.Tensor  # [E] float32
    ids: list


@dataclass
class Pair:
    anchor: str
    target: str
    horizon: int
    pairs: torch.Tensor  # [2, P] int64, anchor index space
    label: torch.Tensor  # [P]
    y_lw: torch.Tensor  # [P]
    base_lw: torch.Tensor  # [P]
    node_target: torch.Tensor  # [N]
    node_mask: torch.Tensor  # [N] bool
    num_positives: int
    pair_x: torch.Tensor | None = None  # [P, K] float32 raw pair features (version 2)
    neg_kind: torch.Tensor | None = None  # [P] int64: 0 positive, 1 random, 2 historical, 3 structural


def _read(path: str, dtype: str, count: int) -> np.ndarray:
    if not os.path.exists(path):
        raise _err(f"{path}: missing (expected {count} values of {dtype})")
    a = np.fromfile(path, dtype=dtype)
    if a.size != count:
        raise _err(f"{path}: expected {count} values of {dtype} from index.json, found {a.size}")
    return a


class TrainingSet:
    """The index plus lazily read, cached weeks and pairs."""

    def __init__(self, root: str):
        self.root = root
        path = os.path.join(root, "index.json")
        if not os.path.exists(path):
            raise _err(f"{path}: missing; run `dexposure export-training-set RELEASE --out {root}` first")
        with open(path) as f:
            idx = json.load(f)
        if idx.get("format") != FORMAT:
            raise _err(f"{path}: format is {idx.get('format')!r}, expected {FORMAT!r}")
        if not isinstance(idx.get("version"), int) or idx["version"] > VERSION:
            raise _err(f"{path}: training set version {idx.get('version')} is newer than this reader ({VERSION})")
        for key in ("featureSchema", "source", "weeks", "pairs", "seed"):
            if key not in idx:
                raise _err(f"{path}: field {key!r} missing")
        self.version = idx["version"]
        self.pair_schema = None
        if self.version >= 2:
            ps = idx.get("pairFeatures")
            if not isinstance(ps, dict) or not isinstance(ps.get("names"), list) or not ps["names"] \
                    or not isinstance(ps.get("hash"), str):
                raise _err(f"{path}: version 2 needs \"pairFeatures\" {{name, version, names (non-empty), "
                           f"memoryWeeks, hash}}, found {ps!r:.120}")
            self.pair_schema = ps
        self.pair_feature_names = list(self.pair_schema["names"]) if self.pair_schema else []
        self.num_pair_features = len(self.pair_feature_names)
        self.index = idx
        self.schema = idx["featureSchema"]
        self.feature_names = list(self.schema["names"])
        self.num_features = len(self.feature_names)
        self.category_columns = [i for i, n in enumerate(self.feature_names) if n.startswith("cat_")]
        self.week_meta = {w["week"]: w for w in idx["weeks"]}
        self.week_list = [w["week"] for w in idx["weeks"]]
        if self.week_list != sorted(self.week_list):
            raise _err(f"{path}: weeks are not in chronological order")
        self._weeks: dict = {}
        self._pairs: dict = {}

    def week(self, week: str) -> Week:
        if week not in self._weeks:
            m = self.week_meta.get(week)
            if m is None:
                raise _err(f"week {week} is not in {self.root}/index.json")
            d = os.path.join(self.root, m["dir"])
            n, e, f = m["numNodes"], m["numEdges"], self.num_features
            x = _read(os.path.join(d, "features.f32"), "<f4", n * f).reshape(n, f)
            if not np.all(np.isfinite(x)):
                raise _err(f"{d}/features.f32: non-finite feature value")
            ei = _read(os.path.join(d, "edge_index.i32"), "<i4", 2 * e).reshape(2, e)
            if e and (ei.min() < 0 or ei.max() >= n):
                raise _err(f"{d}/edge_index.i32: node index outside [0, {n})")
            lw = _read(os.path.join(d, "edge_lw.f32"), "<f4", e)
            ids_path = os.path.join(d, "node_ids.json")
            ids = [str(i) for i in range(n)]
            if os.path.exists(ids_path):
                with open(ids_path) as f:
                    ids = json.load(f)
            self._weeks[week] = Week(week, torch.from_numpy(x.copy()), torch.from_numpy(ei.astype(np.int64)),
                                     torch.from_numpy(lw.copy()), ids)
        return self._weeks[week]

    def pair(self, meta: dict) -> Pair:
        key = (meta["horizon"], meta["anchor"])
        if key not in self._pairs:
            d = os.path.join(self.root, meta["dir"])
            p = meta["numPairs"]
            n = self.week_meta[meta["anchor"]]["numNodes"]
            pairs = _read(os.path.join(d, "pairs.i32"), "<i4", 2 * p).reshape(2, p)
            if p and (pairs.min() < 0 or pairs.max() >= n):
                raise _err(f"{d}/pairs.i32: node index outside [0, {n})")
            self._pairs[key] = Pair(
                meta["anchor"], meta["target"], meta["horizon"], torch.from_numpy(pairs.astype(np.int64)),
                torch.from_numpy(_read(os.path.join(d, "label.f32"), "<f4", p).copy()),
                torch.from_numpy(_read(os.path.join(d, "y_lw.f32"), "<f4", p).copy()),
                torch.from_numpy(_read(os.path.join(d, "base_lw.f32"), "<f4", p).copy()),
                torch.from_numpy(_read(os.path.join(d, "node_target.f32"), "<f4", n).copy()),
                torch.from_numpy(_read(os.path.join(d, "node_mask.u8"), "u1", n).astype(bool)),
                int(meta["numPositives"]), *self._pair_v2(d, p))
        return self._pairs[key]

    def _pair_v2(self, d: str, p: int) -> tuple:
        """pair_x [P, K] and neg_kind [P] of a version-2 pair directory; (None, None) for version 1."""
        if not self.num_pair_features:
            return None, None
        k = self.num_pair_features
        x = _read(os.path.join(d, "pair_x.f32"), "<f4", p * k).reshape(p, k)
        bad = ~np.isfinite(x)
        if bad.any():
            r, c = (int(v[0]) for v in np.nonzero(bad))
            raise _err(f"{d}/pair_x.f32: non-finite value {x[r, c]} at pair {r}, feature {self.pair_feature_names[c]!r}")
        kind = _read(os.path.join(d, "neg_kind.u8"), "u1", p)
        if p and kind.max() >= len(NEG_KINDS):
            r = int(np.argmax(kind >= len(NEG_KINDS)))
            raise _err(f"{d}/neg_kind.u8: pair {r} has kind {kind[r]}, expected 0..{len(NEG_KINDS) - 1} "
                       f"({', '.join(NEG_KINDS)})")
        return torch.from_numpy(x.copy()), torch.from_numpy(kind.astype(np.int64))

    def drop_cache(self) -> None:
        """Forget the weeks and pairs read so far (streaming over many training sets)."""
        self._weeks.clear()
        self._pairs.clear()

    def pairs_for(self, horizon: int, weeks: set) -> list:
        """Pair metadata of one horizon with anchor and target both in `weeks` and at
        least one positive (the authors skip empty week pairs), in anchor order."""
        out = [p for p in self.index["pairs"]
               if p["horizon"] == horizon and p["anchor"] in weeks and p["target"] in weeks and p["numPositives"] > 0]
        return sorted(out, key=lambda p: p["anchor"])

    def feature_stats(self, weeks) -> tuple:
        """Mean and std of raw features over every node-week of `weeks` (training split)."""
        return _mean_std((self.week(w).x.double().numpy() for w in weeks), self.num_features,
                         "no training nodes to compute feature statistics from")


    def pair_feature_stats(self, metas) -> tuple:
        """Mean and std of pair_x over the pairs of `metas` (training week pairs), or
        None without pair features. Read without caching: the pairs may be many."""
        if not self.num_pair_features:
            return None
        k = self.num_pair_features
        blocks = (_read(os.path.join(self.root, m["dir"], "pair_x.f32"), "<f4", m["numPairs"] * k)
                  .reshape(-1, k).astype(np.float64) for m in metas)
        return _mean_std(blocks, k, "no training pairs to compute pair-feature statistics from")


MIN_SPLIT_WEEKS = 13


def holdout_split(weeks: list, holdout_start: str = HOLDOUT_START, val_weeks: int = VAL_WEEKS) -> dict:
    """{"train", "val", "test"} week lists, by the same rule as the evaluation
    (src/core/eval/split.ts), so a card's test weeks are `dexposure evaluate`'s:
    data reaching `holdout_start` (>= 13 weeks after it, > val_weeks + 13 before):
    test = weeks >= it, val = the last `val_weeks` before, train = the rest (the
    paper's protocol). Otherwise test = the last max(ceil(12%), 13) weeks and val =
    the max(ceil(10%), 13) before. Histories too short for that (which the evaluation
    refuses) fall back to the last ~12% / ~10%, at least one week each."""
    weeks = sorted(weeks)
    pre = [w for w in weeks if w < holdout_start]
    post = [w for w in weeks if w >= holdout_start]
    if len(post) >= MIN_SPLIT_WEEKS and len(pre) > val_weeks + MIN_SPLIT_WEEKS:
        return {"train": pre[:-val_weeks], "val": pre[-val_weeks:], "test": post}
    n = len(weeks)
    n_test = max(math.ceil(0.12 * n), MIN_SPLIT_WEEKS)
    n_val = max(math.ceil(0.10 * n), MIN_SPLIT_WEEKS)
    if n < n_test + n_val + MIN_SPLIT_WEEKS:
        n_test = max(1, round(0.12 * n)) if n >= 3 else 0
        n_val = max(1, round(0.10 * n)) if n >= 3 else 0
    n_train = n - n_test - n_val
    return {"train": weeks[:n_train], "val": weeks[n_train:n_train + n_val], "test": weeks[n_train + n_val:]}


def monday_offset(week: str, days: int) -> str:
    return (_dt.date.fromisoformat(week) + _dt.timedelta(days=days)).isoformat()


def _mean_std(blocks, width: int, empty_message: str) -> tuple:
    """Column mean and std (population) over row blocks [n_i, width], as float32 tensors."""
    total, total_sq, count = np.zeros(width), np.zeros(width), 0
    for x in blocks:
        total += x.sum(0)
        total_sq += (x * x).sum(0)
        count += x.shape[0]
    if count == 0:
        raise _err(empty_message)
    mean = total / count
    std = np.sqrt(np.maximum(total_sq / count - mean * mean, 0.0))
    return torch.tensor(mean, dtype=torch.float32), torch.tensor(std, dtype=torch.float32)
