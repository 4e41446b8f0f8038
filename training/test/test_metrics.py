"""Metrics against hand-computed values (scikit-learn tie semantics)."""
import math
import unittest

import numpy as np

from dxtrain.metrics import auprc, auroc, mae_rmse, table3


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


if __name__ == "__main__":
    unittest.main()
