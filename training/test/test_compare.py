"""dxtrain.compare: every model and baseline scored on the same hold-out pairs, the
pooled numbers equal a direct computation, intervals bracket sensible ranges."""
import contextlib
import io
import json
import os
import shutil
import tempfile
import unittest

import numpy as np

from dxtrain.__main__ import main as train_main
from dxtrain.compare import fit_lad, main
from dxtrain.dataset import TrainingSet, holdout_split
from dxtrain.metrics import auprc
from test.fixture import make_training_set


class CompareTest(unittest.TestCase):
    def test_rows_on_the_same_pairs(self):
        d = tempfile.mkdtemp(prefix="dxtrain-compare-")
        self.addCleanup(shutil.rmtree, d)
        ts_dir = os.path.join(d, "ts")
        make_training_set(ts_dir, weeks=30, nodes=20, horizons=(1,), version=2)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            self.assertEqual(train_main(["--data", ts_dir, "--out", os.path.join(d, "m"), "--horizons", "1",
                                         "--epochs", "1", "--d", "16", "--link-hidden", "16"]), 0)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            self.assertEqual(main(["--data", ts_dir, "--horizons", "1", "--model", f"fm={d}/m", "--bootstrap", "50",
                                   "--json"]), 0)
        rows = {r["model"]: r for r in json.loads(buf.getvalue())}
        self.assertEqual(set(rows), {"persistence-u+window", "logreg-pairx", "lad-pairx", "fm"})
        # lad-pairx shares logreg-pairx's existence score; only its weights differ.
        for k in ("auprc", "historical", "structural", "all", "ece"):
            self.assertEqual(rows["lad-pairx"][k], rows["logreg-pairx"][k], k)
        self.assertEqual(len({r["weekPairs"] for r in rows.values()}), 1)
        # persistence-u over every negative, recomputed here from the files.
        ts = TrainingSet(ts_dir)
        test = ts.pairs_for(1, set(holdout_split(ts.week_list)["test"]))
        y = np.concatenate([ts.pair(m).label.numpy() for m in test])
        x = np.concatenate([ts.pair(m).pair_x.numpy() for m in test]).astype(np.float64)
        self.assertAlmostEqual(rows["persistence-u+window"]["all"], auprc(y, 2 * x[:, 0] + x[:, 1] + 1e-3 * x[:, 4]), places=9)
        self.assertNotIn("ece", rows["persistence-u+window"])
        for r in rows.values():
            for k, (lo, hi) in r["ci"].items():
                self.assertLessEqual(lo, hi, f"{r['model']} {k}")
        # Paired differences against a reference row: the same replicates for every row.
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            self.assertEqual(main(["--data", ts_dir, "--horizons", "1", "--model", f"fm={d}/m", "--model", f"fm2={d}/m",
                                   "--bootstrap", "50", "--versus", "fm", "--json"]), 0)
        rows = {r["model"]: r for r in json.loads(buf.getvalue())}
        self.assertNotIn("diff", rows["fm"])
        # The same model twice: every difference and both ends of its interval are exactly 0.
        for k, v in rows["fm2"]["diff"].items():
            self.assertEqual(v, [0.0, 0.0, 0.0], k)
        # Another scorer: the difference is that of the pooled values, inside its interval.
        for k, (v, lo, hi) in rows["logreg-pairx"]["diff"].items():
            self.assertAlmostEqual(v, rows["logreg-pairx"][k] - rows["fm"][k], places=12)
            self.assertLessEqual(lo, hi, k)

    def test_lad_by_hand(self):
        # A constant column: the fit is the median (3), where least squares gives the mean (6).
        ones = np.ones((5, 1))
        self.assertAlmostEqual(float(fit_lad(ones, np.array([1.0, 2, 3, 4, 20]))[0]), 3.0, places=4)
        # (1,1) (2,2) (3,3) (4,4) (5,50): y = x (absolute error 45) against least squares'
        # y = 10x - 18 (Sxy / Sxx = 100 / 10); moving the slope by d costs 10|d| on the four
        # points and saves at most 5|d| on the outlier.
        Z = np.c_[np.arange(1.0, 6.0), np.ones(5)]
        slope, icpt = fit_lad(Z, np.array([1.0, 2, 3, 4, 50]))
        self.assertAlmostEqual(float(slope), 1.0, places=3)
        self.assertAlmostEqual(float(icpt), 0.0, places=3)
        ls = np.linalg.lstsq(Z, np.array([1.0, 2, 3, 4, 50]), rcond=None)[0]
        np.testing.assert_allclose(ls, [10.0, -18.0], atol=1e-9)


if __name__ == "__main__":
    unittest.main()
