"""Training-set reader and the hold-out split rules (data-spec §4.2)."""
import datetime as dt
import json
import os
import shutil
import tempfile
import unittest

import numpy as np

from dxtrain.dataset import TrainingSet, TrainingSetError, holdout_split
from test.fixture import make_training_set, schema_hash


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
                json.dump(dict(self.index, version=2), f)
            with self.assertRaisesRegex(TrainingSetError, "version 2 is newer"):
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


if __name__ == "__main__":
    unittest.main()
