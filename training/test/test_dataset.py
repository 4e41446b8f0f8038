"""Training-set reader and the hold-out split rules (data-spec §4.2)."""
import datetime as dt
import json
import os
import shutil
import tempfile
import unittest

import numpy as np

from dxtrain.dataset import TrainingSet, TrainingSetError, holdout_split
from test.fixture import PAIR_NAMES, make_training_set, pair_schema_hash, schema_hash


def mondays(start, n):
    d0 = dt.date.fromisoformat(start)
    return [(d0 + dt.timedelta(days=7 * i)).isoformat() for i in range(n)]


class SplitTest(unittest.TestCase):
    def test_real_release_dates(self):
        # 283 Mondays from 2020-03-23: 226 train / 24 val / 33 test (data-spec §4.2).
        s = holdout_split(mondays("2020-03-23", 283))
        self.assertEqual((len(s["train"]), len(s["val"]), len(s["test"])), (226, 24, 33))
        self.assertEqual((s["train"][-1], s["val"][0], s["val"][-1], s["test"][0], s["test"][-1]),
                         ("2024-07-15", "2024-07-22", "2024-12-30", "2025-01-06", "2025-08-18"))

    def test_history_without_2025_splits_as_the_evaluation(self):
        # The bundled sample's calendar (80 weeks from 2022-01-03): evaluate's rule
        # (src/core/eval/split.ts) gives test = max(ceil(9.6), 13) = 13, val = 13.
        s = holdout_split(mondays("2022-01-03", 80))
        self.assertEqual((len(s["train"]), len(s["val"]), len(s["test"])), (54, 13, 13))
        self.assertEqual(s["test"][0], "2023-04-17")
        self.assertEqual(s["train"] + s["val"] + s["test"], mondays("2022-01-03", 80))

    def test_short_history_falls_back_to_fractions(self):
        # 26 weeks: too short for 13/13/13 (the evaluation refuses it); ~12% / ~10%.
        s = holdout_split(mondays("2023-01-02", 26))
        self.assertEqual((len(s["train"]), len(s["val"]), len(s["test"])), (20, 3, 3))
        self.assertEqual(s["train"] + s["val"] + s["test"], mondays("2023-01-02", 26))


class ReaderTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="dxtrain-ds-")
        cls.index = make_training_set(cls.dir, weeks=12, nodes=10, horizons=(1, 4))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def test_reads_shapes_and_categories(self):
        ts = TrainingSet(self.dir)
        self.assertEqual(ts.num_features, 23)
        self.assertEqual(ts.category_columns, list(range(4, 20)))
        w = ts.week(ts.week_list[0])
        meta = self.index["weeks"][0]
        self.assertEqual(tuple(w.x.shape), (meta["numNodes"], 23))
        self.assertEqual(tuple(w.edge_index.shape), (2, meta["numEdges"]))
        p = ts.pair(self.index["pairs"][0])
        self.assertEqual(int(p.label.sum()), self.index["pairs"][0]["numPositives"])
        self.assertEqual(ts.schema["hash"], schema_hash())

    def test_pairs_stay_inside_split(self):
        ts = TrainingSet(self.dir)
        train = set(ts.week_list[:8])
        for m in ts.pairs_for(4, train):
            self.assertIn(m["anchor"], train)
            self.assertIn(m["target"], train)
        self.assertEqual(len(ts.pairs_for(4, train)), 4)

    def test_newer_version_refused(self):
        d = tempfile.mkdtemp(prefix="dxtrain-bad-")
        try:
            with open(os.path.join(d, "index.json"), "w") as f:
                json.dump(dict(self.index, version=3), f)
            with self.assertRaisesRegex(TrainingSetError, "version 3 is newer"):
                TrainingSet(d)
        finally:
            shutil.rmtree(d)

    def test_truncated_array_names_file_and_counts(self):
        d = tempfile.mkdtemp(prefix="dxtrain-trunc-")
        try:
            shutil.copytree(self.dir, d, dirs_exist_ok=True)
            w = self.index["weeks"][1]
            path = os.path.join(d, w["dir"], "edge_lw.f32")
            np.zeros(w["numEdges"] - 1, "<f4").tofile(path)
            with self.assertRaisesRegex(TrainingSetError, r"edge_lw\.f32: expected \d+ values of <f4 from index\.json, found"):
                TrainingSet(d).week(w["week"])
        finally:
            shutil.rmtree(d)



class ReaderV2Test(unittest.TestCase):
    """Training-set version 2: pair features (schema-driven K) and negative kinds."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="dxtrain-ds2-")
        cls.index = make_training_set(cls.dir, weeks=12, nodes=14, horizons=(1,), version=2)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def copy(self):
        d = tempfile.mkdtemp(prefix="dxtrain-ds2-bad-")
        self.addCleanup(shutil.rmtree, d)
        shutil.copytree(self.dir, d, dirs_exist_ok=True)
        return d

    def test_reads_pair_features_and_kinds(self):
        ts = TrainingSet(self.dir)
        self.assertEqual(ts.num_pair_features, len(PAIR_NAMES))
        self.assertEqual(ts.pair_schema["hash"], pair_schema_hash())
        meta = self.index["pairs"][6]
        p = ts.pair(meta)
        self.assertEqual(tuple(p.pair_x.shape), (meta["numPairs"], len(PAIR_NAMES)))
        # Kind 0 exactly on the positives, which come first.
        self.assertEqual(p.neg_kind.tolist()[: meta["numPositives"]], [0] * meta["numPositives"])
        self.assertTrue(bool((p.neg_kind[meta["numPositives"]:] > 0).all()))
        self.assertIn(2, p.neg_kind.tolist())
        # pq_now (presence of p->q at the anchor) is 1 exactly where base_lw > 0.
        self.assertEqual((p.pair_x[:, 0] > 0).tolist(), (p.base_lw > 0).tolist())
        raw = np.fromfile(os.path.join(self.dir, meta["dir"], "pair_x.f32"), "<f4").reshape(-1, len(PAIR_NAMES))
        self.assertTrue(np.array_equal(p.pair_x.numpy(), raw))

    def test_pair_feature_stats_over_training_pairs(self):
        ts = TrainingSet(self.dir)
        metas = self.index["pairs"][:3]
        mean, std = ts.pair_feature_stats(metas)
        rows = np.concatenate([np.fromfile(os.path.join(self.dir, m["dir"], "pair_x.f32"), "<f4")
                               .reshape(-1, len(PAIR_NAMES)) for m in metas]).astype(np.float64)
        np.testing.assert_allclose(mean.numpy(), rows.mean(0), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(std.numpy(), rows.std(0), rtol=1e-4, atol=1e-6)

    def test_any_number_of_pair_features(self):
        d = self.copy()
        idx = json.load(open(os.path.join(d, "index.json")))
        # Keep the first 3 columns and call them something else: the reader follows the index.
        idx["pairFeatures"]["names"] = ["a", "b", "c"]
        for m in idx["pairs"]:
            path = os.path.join(d, m["dir"], "pair_x.f32")
            np.fromfile(path, "<f4").reshape(-1, len(PAIR_NAMES))[:, :3].copy().tofile(path)
        json.dump(idx, open(os.path.join(d, "index.json"), "w"))
        ts = TrainingSet(d)
        self.assertEqual(tuple(ts.pair(idx["pairs"][0]).pair_x.shape), (idx["pairs"][0]["numPairs"], 3))

    def test_version2_without_pair_schema_refused(self):
        d = self.copy()
        idx = json.load(open(os.path.join(d, "index.json")))
        del idx["pairFeatures"]
        json.dump(idx, open(os.path.join(d, "index.json"), "w"))
        with self.assertRaisesRegex(TrainingSetError, r'version 2 needs "pairFeatures"'):
            TrainingSet(d)

    def test_non_finite_pair_feature_named(self):
        d = self.copy()
        meta = self.index["pairs"][2]
        path = os.path.join(d, meta["dir"], "pair_x.f32")
        x = np.fromfile(path, "<f4").reshape(-1, len(PAIR_NAMES))
        x[3, 4] = np.nan
        x.tofile(path)
        with self.assertRaisesRegex(TrainingSetError, r"pair_x\.f32: non-finite value nan at pair 3, feature 'pq_frac'"):
            TrainingSet(d).pair(meta)

    def test_unknown_negative_kind_named(self):
        d = self.copy()
        meta = self.index["pairs"][2]
        path = os.path.join(d, meta["dir"], "neg_kind.u8")
        k = np.fromfile(path, "u1")
        k[5] = 7
        k.tofile(path)
        with self.assertRaisesRegex(TrainingSetError, r"neg_kind\.u8: pair 5 has kind 7, expected 0\.\.3"):
            TrainingSet(d).pair(meta)

    def test_truncated_pair_x_refused(self):
        d = self.copy()
        meta = self.index["pairs"][1]
        path = os.path.join(d, meta["dir"], "pair_x.f32")
        np.fromfile(path, "<f4")[:-1].tofile(path)
        with self.assertRaisesRegex(TrainingSetError, rf"pair_x\.f32: expected {meta['numPairs'] * len(PAIR_NAMES)} values"):
            TrainingSet(d).pair(meta)


if __name__ == "__main__":
    unittest.main()
