"""Metrics against hand-computed values (scikit-learn tie semantics)."""
import math
import unittest

import numpy as np

from dxtrain.metrics import auprc, auroc, ece, fit_platt, mae_rmse, sigmoid, table3


class MetricsTest(unittest.TestCase):
    def test_auroc_hand_computed(self):
        # Pairs (pos, neg): (0.9,0.8) win, (0.9,0.1) win, (0.4,0.8) loss, (0.4,0.1) win -> 3/4.
        self.assertAlmostEqual(auroc([1, 0, 1, 0], [0.9, 0.8, 0.4, 0.1]), 0.75)

    def test_auroc_ties_count_half(self):
        # One positive and one negative with equal scores: 0.5.
        self.assertAlmostEqual(auroc([1, 0], [0.3, 0.3]), 0.5)
        # pos {0.5, 0.2}, neg {0.5, 0.1}: (0.5,0.5) half, (0.5,0.1) win, (0.2,0.5) loss, (0.2,0.1) win.
        self.assertAlmostEqual(auroc([1, 0, 1, 0], [0.5, 0.5, 0.2, 0.1]), 2.5 / 4)

    def test_auprc_hand_computed(self):
        # Ranking: + (P=1,R=.5), - , + (P=2/3,R=1): AP = .5*1 + .5*2/3.
        self.assertAlmostEqual(auprc([1, 0, 1], [0.9, 0.5, 0.2]), 0.5 + 1 / 3)

    def test_auprc_tie_group_is_one_threshold(self):
        # All tied: one threshold, precision 1/2, recall 1 -> 0.5 (not order dependent).
        self.assertAlmostEqual(auprc([1, 0], [0.4, 0.4]), 0.5)
        self.assertAlmostEqual(auprc([0, 1], [0.4, 0.4]), 0.5)

    def test_degenerate_labels_are_nan(self):
        self.assertTrue(math.isnan(auroc([1, 1], [0.1, 0.2])))
        self.assertTrue(math.isnan(auprc([0, 0], [0.1, 0.2])))

    def test_weight_errors_only_on_positives(self):
        m = table3(np.array([1, 0, 1.0]), np.array([2.0, 1.0, 0.0]), np.array([3.0, 0, 1.0]),
                   np.array([1.0, 100.0, 2.0]), np.array([0.5]), np.array([0.0]))
        self.assertAlmostEqual(m["weightMAE"], 1.5)  # |1-3|, |2-1|
        self.assertAlmostEqual(m["weightRMSE"], math.sqrt((4 + 1) / 2))
        self.assertAlmostEqual(m["nodeMAE"], 0.5)
        self.assertEqual(m["positives"], 2)
        self.assertTrue(all(math.isnan(v) for v in mae_rmse(np.array([]), np.array([]))))


    def test_ece_hand_computed(self):
        # Bins [0.1,0.2): p .1,.1 with labels 0,1 -> |0.2-1|/4 ; [0.9,1]: p .9, 1.0 labels 1,1 -> |1.9-2|/4.
        self.assertAlmostEqual(ece([0, 1, 1, 1], [0.1, 0.1, 0.9, 1.0]), (0.8 + 0.1) / 4)
        # Perfectly calibrated bins give 0.
        self.assertAlmostEqual(ece([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]), 0.0)

    def test_platt_recovers_a_known_affine_map(self):
        # Labels drawn from sigmoid(2z - 1): the fit must return about (2, -1), and
        # logits already calibrated (true map = identity) must stay about (1, 0).
        rng = np.random.default_rng(7)
        z = rng.normal(0, 2, 200_000)
        y = rng.random(z.size) < sigmoid(2 * z - 1)
        a, b = fit_platt(y, z)
        self.assertAlmostEqual(a, 2.0, delta=0.05)
        self.assertAlmostEqual(b, -1.0, delta=0.05)
        y1 = rng.random(z.size) < sigmoid(z)
        a1, b1 = fit_platt(y1, z)
        self.assertAlmostEqual(a1, 1.0, delta=0.03)
        self.assertAlmostEqual(b1, 0.0, delta=0.03)

    def test_platt_lowers_ece_of_overconfident_logits_and_keeps_ranking(self):
        rng = np.random.default_rng(1)
        z = rng.normal(0, 1.5, 50_000)
        y = rng.random(z.size) < sigmoid(z)
        inflated = 3 * z + 1.6  # as pos_weight does: too confident and shifted up
        a, b = fit_platt(y, inflated)
        before, after = ece(y, sigmoid(inflated)), ece(y, sigmoid(a * inflated + b))
        self.assertGreater(before, 0.05)
        self.assertLess(after, 0.01)
        self.assertAlmostEqual(auroc(y, inflated), auroc(y, a * inflated + b))

    def test_platt_with_one_class_is_identity(self):
        self.assertEqual(fit_platt([1, 1, 1], [0.2, 0.5, 3.0]), (1.0, 0.0))


if __name__ == "__main__":
    unittest.main()
