"""Shrinkage toward persistence (dxtrain/shrink.py) against hand-computed cases."""
import unittest

import numpy as np
import torch

from dxtrain.shrink import apply_node, apply_weights, circular_block_indices, fit_group, fit_shrinkage, gate_group, soft


def grid_mae(r, t, a, tau, k):
    return float(np.abs(a * soft(np.asarray(r, float), tau) + k - np.asarray(t, float)).mean())


class ShrinkTest(unittest.TestCase):
    def test_soft_threshold_by_hand(self):
        np.testing.assert_allclose(soft(np.array([-3.0, -0.5, 0.0, 0.5, 2.0]), 1.0), [-2.0, 0.0, 0.0, 0.0, 1.0])

    def test_perfect_correction_is_kept(self):
        r = np.linspace(-2, 2, 101)
        g = fit_group(r, r, allow_shift=False)
        self.assertEqual((g["scale"], g["threshold"], g["shift"]), (1.0, 0.0, 0.0))
        self.assertEqual(g["mae"], 0.0)
        self.assertAlmostEqual(g["maePersistence"], float(np.abs(r).mean()))

    def test_noise_falls_back_to_persistence(self):
        # The target never moves (persistence is exact); any correction only adds error.
        rng = np.random.default_rng(1)
        g = fit_group(rng.normal(size=500), np.zeros(500), allow_shift=False)
        self.assertEqual(g["scale"], 0.0)
        self.assertEqual(g["mae"], 0.0)

    def test_overshooting_correction_is_halved(self):
        # The network predicts twice the true change: scale 0.5 is exact.
        t = np.linspace(-1, 1, 200)
        g = fit_group(2 * t, t, allow_shift=False)
        self.assertEqual(g["scale"], 0.5)
        self.assertEqual(g["threshold"], 0.0)
        self.assertAlmostEqual(g["mae"], 0.0, places=12)

    def test_shift_is_the_median_offset(self):
        # New pairs: the network knows nothing (r = 0), the targets are 2, 3, 3, 4, 10 (x20):
        # the L1-optimal constant is their median, 3.
        t = np.tile([2.0, 3.0, 3.0, 4.0, 10.0], 20)
        g = fit_group(np.zeros_like(t), t, allow_shift=True)
        self.assertEqual(g["shift"], 3.0)
        self.assertAlmostEqual(g["mae"], float(np.abs(t - 3).mean()))

    def test_never_worse_than_persistence_on_its_own_rows(self):
        rng = np.random.default_rng(7)
        for trial in range(20):
            n = 60 + 40 * trial
            t = rng.laplace(size=n) * (trial % 3 == 0)
            r = 0.3 * t + rng.normal(size=n) * (0.2 + trial / 10)
            for shift in (False, True):
                g = fit_group(r, t, allow_shift=shift)
                self.assertLessEqual(g["mae"], g["maePersistence"] + 1e-12)
                self.assertGreaterEqual(g["scale"], 0.0)
                self.assertLessEqual(g["scale"], 1.0)
                # The reported MAE is the MAE of the reported parameters.
                self.assertAlmostEqual(g["mae"], grid_mae(r, t, g["scale"], g["threshold"], g["shift"]), places=12)

    def test_too_few_rows_keep_persistence(self):
        g = fit_group(np.ones(10), np.ones(10), allow_shift=True)
        self.assertEqual((g["scale"], g["shift"]), (0.0, 0.0))
        # New pairs have no persistence weight: with too few rows they keep the network's output.
        g = fit_group(np.ones(10), np.full(10, 3.0), allow_shift=True, few_rows="identity")
        self.assertEqual((g["scale"], g["threshold"], g["shift"]), (1.0, 0.0, 0.0))
        self.assertEqual(g["mae"], 2.0)

    def test_weights_held_and_new_pairs_by_hand(self):
        s = {"node": {"scale": 0.5, "threshold": 0.1, "shift": 0.0},
             "held": {"scale": 0.5, "threshold": 0.0, "shift": 0.25},
             "new": {"scale": 0.0, "threshold": 0.0, "shift": 2.0}}
        base = np.array([3.0, 0.0, 1.0, 0.0])
        pred = np.array([4.0, 7.0, 0.0, 1.0])
        # held: 3 + 0.5*1 + 0.25 = 3.75; 1 + 0.5*(-1) + 0.25 = 0.75; new: 2.0 regardless of the prediction.
        np.testing.assert_allclose(apply_weights(s, base, pred), [3.75, 2.0, 0.75, 2.0])
        np.testing.assert_allclose(apply_node(s, np.array([0.3, -0.05, -1.1])), [0.1, 0.0, -0.5])
        # The torch path (what the exported graphs run) equals the numpy one.
        got = apply_weights(s, torch.tensor(base, dtype=torch.float32), torch.tensor(pred, dtype=torch.float32))
        np.testing.assert_allclose(got.numpy(), [3.75, 2.0, 0.75, 2.0], rtol=1e-6)
        got = apply_node(s, torch.tensor([0.3, -0.05, -1.1]))
        np.testing.assert_allclose(got.numpy(), [0.1, 0.0, -0.5], rtol=1e-6, atol=1e-7)
        self.assertIs(apply_weights(None, base, pred), pred)

    def test_fit_shrinkage_groups_rows(self):
        # 60 held positives whose weight is unchanged, 60 new positives of size 2, negatives ignored.
        n = 60
        c = {"label": np.r_[np.ones(2 * n), np.zeros(30)],
             "base_lw": np.r_[np.full(n, 5.0), np.zeros(n), np.full(30, 5.0)],
             "pred_lw": np.r_[np.full(n, 6.0), np.full(n, 2.0), np.zeros(30)],
             "y_lw": np.r_[np.full(n, 5.0), np.full(n, 2.0), np.zeros(30)],
             "node_pred": np.linspace(-1, 1, 80), "node_true": np.linspace(-1, 1, 80)}
        s = fit_shrinkage(c, "test")
        self.assertEqual(s["held"]["rows"], n)
        self.assertEqual(s["new"]["rows"], n)
        self.assertEqual(s["held"]["mae"], 0.0)  # the +1 residual is dropped
        self.assertEqual(s["new"]["mae"], 0.0)
        self.assertEqual(s["node"]["scale"], 1.0)

    def test_gate_keeps_a_gain_every_week_pair_shows(self):
        # 10 week pairs of 10 rows; in each, 5 rows move by 1 and the correction predicts it,
        # 5 do not move and it predicts 0.2: gain per row (5*1 - 5*0.2)/10 = 0.4 in every week pair.
        t = np.tile(np.r_[np.ones(5), np.zeros(5)], 10)
        r = np.tile(np.r_[np.ones(5), np.full(5, 0.2)], 10)
        units = np.repeat(np.arange(10), 10)
        g = {"scale": 1.0, "threshold": 0.0, "shift": 0.0, "rows": 100, "maePersistence": 0.5, "mae": 0.1}
        out = gate_group(g, r, t, units)
        self.assertEqual((out["scale"], out["threshold"], out["shift"]), (1.0, 0.0, 0.0))
        self.assertAlmostEqual(out["gain"], 0.4)
        self.assertAlmostEqual(out["gainInterval"][0], 0.4)  # every replicate sees the same gain
        self.assertEqual(out["weekPairs"], 10)

    def test_gate_drops_a_gain_from_one_week_pair(self):
        # Week pair 0: the target moves by 1 and the correction gets it (gain 1 per row);
        # week pairs 1-9: nothing moves and the correction says 0.1 (gain -0.1 per row).
        # Mean gain (10*1 - 90*0.1)/100 = +0.01, but resamples without week pair 0 lose 0.1.
        units = np.repeat(np.arange(10), 10)
        t = np.where(units == 0, 1.0, 0.0)
        r = np.where(units == 0, 1.0, 0.1)
        g = {"scale": 1.0, "threshold": 0.0, "shift": 0.0, "rows": 100, "maePersistence": 0.1, "mae": 0.09}
        out = gate_group(g, r, t, units)
        self.assertEqual((out["scale"], out["threshold"], out["shift"]), (0.0, 0.0, 0.0))
        self.assertEqual(out["mae"], 0.1)  # persistence's
        self.assertAlmostEqual(out["gain"], 0.01)
        self.assertAlmostEqual(out["gainInterval"][0], -0.1)
        self.assertIn("not above zero", out["note"])

    def test_gate_replicates_draw_every_week_pair_once_on_average(self):
        # 12 week pairs, blocks of 4: three blocks a replicate. Blocks that stopped at the
        # last week pair drew the first and last ones about 0.33 times a replicate and the
        # middle ones about 1.33 times; circular blocks draw each exactly once in expectation
        # (standard error of the mean over 20,000 replicates: about 0.005).
        rng = np.random.default_rng(7)
        counts = np.zeros(12)
        for _ in range(20000):
            idx = circular_block_indices(rng, 12, 4)
            self.assertEqual(len(idx), 12)
            counts += np.bincount(idx, minlength=12)
        np.testing.assert_allclose(counts / 20000, np.ones(12), atol=0.03)

    def test_gate_needs_two_week_pairs(self):
        t = np.linspace(-1, 1, 80)
        g = fit_group(t, t, allow_shift=False)
        out = gate_group(g, t, t, np.zeros(80, dtype=int))
        self.assertEqual(out["scale"], 0.0)
        self.assertIn("gives no interval", out["note"])
        # At h = 12 a block is 12 week pairs: 20 week pairs of a perfect correction are fewer
        # than two blocks, so no interval; at h = 4 (blocks of 4) they are kept.
        units = np.repeat(np.arange(20), 4)
        g20 = fit_group(t, t, allow_shift=False)
        self.assertEqual(gate_group(g20, t, t, units, block=12)["scale"], 0.0)
        self.assertEqual(gate_group(g20, t, t, units, block=4)["scale"], 1.0)
        # fit_shrinkage gates the node group when it knows the week pairs, not the weights.
        n = 60
        c = {"label": np.ones(2 * n), "base_lw": np.r_[np.full(n, 5.0), np.zeros(n)],
             "pred_lw": np.r_[np.full(n, 6.0), np.full(n, 2.0)], "y_lw": np.r_[np.full(n, 5.0), np.full(n, 2.0)],
             "node_pred": t, "node_true": t, "node_unit": np.zeros(80, dtype=int)}
        s = fit_shrinkage(c, "test")
        self.assertEqual(s["node"]["scale"], 0.0)
        self.assertEqual(s["new"]["mae"], 0.0)
        s = fit_shrinkage(c | {"node_unit": np.repeat(np.arange(8), 10)}, "test")
        self.assertEqual(s["node"]["scale"], 1.0)  # a perfect correction in each of 8 week pairs
        s = fit_shrinkage(c | {"node_unit": np.repeat(np.arange(8), 10)}, "test", horizon=8)
        self.assertEqual(s["node"]["scale"], 0.0)  # ... but 8 week pairs at h = 8 are one block


if __name__ == "__main__":
    unittest.main()
