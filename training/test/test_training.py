"""A few seconds of training: the loss falls, the model beats chance on held-out
pairs, a run is reproducible bit for bit, and the factorised link head equals the
plain [h_p; h_q; h_p*h_q; |h_p-h_q|] MLP."""
import shutil
import tempfile
import unittest

import torch

from dxtrain.dataset import TrainingSet
from dxtrain.loop import HyperParams, train_horizon
from dxtrain.model import LinkHead, NodeHead, horizon_code, weighted_neighbour_means
from test.fixture import make_training_set


class TrainingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="dxtrain-train-")
        make_training_set(cls.dir, weeks=26, nodes=20, horizons=(1,))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def run_once(self, epochs=4):
        hp = HyperParams(d=32, d_token=16, link_hidden=32, node_hidden=32, epochs=epochs, patience=10)
        return train_horizon(TrainingSet(self.dir), 1, hp, log=lambda s: None)

    def test_learns_and_is_reproducible(self):
        a = self.run_once()
        b = self.run_once()
        losses = [e["trainLoss"] for e in a["history"]]
        self.assertLess(losses[-1], losses[0])
        self.assertGreater(a["metrics"]["test"]["auroc"], 0.7)
        for k, v in a["model"].state_dict().items():
            self.assertTrue(torch.equal(v, b["model"].state_dict()[k]), k)
        self.assertEqual([e["trainLoss"] for e in b["history"]], losses)

    def test_warm_start_begins_where_the_checkpoint_ends(self):
        a = self.run_once(epochs=2)
        hp = HyperParams(d=32, d_token=16, link_hidden=32, node_hidden=32, epochs=1, patience=10)
        warm = train_horizon(TrainingSet(self.dir), 1, hp, log=lambda s: None, init_state=a["model"].state_dict())
        cold = train_horizon(TrainingSet(self.dir), 1, hp, log=lambda s: None)
        # One more epoch from trained weights has a lower mean loss than a first epoch from scratch.
        self.assertLess(warm["history"][0]["trainLoss"], cold["history"][0]["trainLoss"])
        other = HyperParams(d=16, d_token=16, link_hidden=32, node_hidden=32, epochs=1)
        with self.assertRaisesRegex(ValueError, "does not fit this architecture"):
            train_horizon(TrainingSet(self.dir), 1, other, log=lambda s: None, init_state=a["model"].state_dict())

    def test_frozen_encoder_trains_only_the_heads(self):
        hp = HyperParams(d=32, d_token=16, link_hidden=32, node_hidden=32, epochs=2, patience=10, freeze_encoder=True)
        from dxtrain.loop import build_model, set_seed
        ts = TrainingSet(self.dir)
        set_seed(hp.seed, hp.threads)
        initial = build_model(ts, hp).state_dict()
        r = train_horizon(ts, 1, hp, log=lambda s: None)
        trained = r["model"].state_dict()
        for k, v in trained.items():
            if k.startswith("encoder.") and not k.startswith("encoder.feature_"):
                self.assertTrue(torch.equal(v, initial[k]), f"{k} changed although the encoder is frozen")
        changed = [k for k in trained if k.startswith("link_head.") and not torch.equal(trained[k], initial[k])]
        self.assertTrue(changed, "the link head trained")
        self.assertTrue(r["hyperparameters"]["freeze_encoder"])

    def test_factorised_link_head_matches_concatenation(self):
        torch.manual_seed(0)
        head = LinkHead(d=8, hidden=16)
        h = torch.randn(5, 8)
        pairs = torch.tensor([[0, 1, 4, 2], [3, 3, 0, 2]])
        logit, pred, res = head(h, pairs, torch.zeros(4))
        hp, hq = h[pairs[0]], h[pairs[1]]
        z = torch.cat([hp, hq, hp * hq, (hp - hq).abs()], dim=1)
        want = head.out(torch.relu(head.first(z)))  # base_lw = 0: the edge-state term vanishes
        self.assertTrue(torch.allclose(logit, want[:, 0], atol=1e-6))
        self.assertTrue(torch.allclose(res, want[:, 1], atol=1e-6))
        base = torch.tensor([0.0, 2.0, 0.0, 5.0])
        logit2, pred2, res2 = head(h, pairs, base)
        state = torch.stack([base, (base > 0).float()], dim=1)
        want2 = head.out(torch.relu(head.first(z) + head.edge_state(state)))
        self.assertTrue(torch.allclose(logit2, want2[:, 0], atol=1e-6))
        self.assertTrue(torch.allclose(pred2, base + want2[:, 1], atol=1e-6))

    def test_link_head_with_pair_features_and_horizon_matches_concatenation(self):
        # Factorised first layer == one Linear over [h_p; h_q; h_p*h_q; |h_p-h_q|; state; z(pair_x); code(h)].
        torch.manual_seed(1)
        head = LinkHead(d=8, hidden=16, num_pair_features=3, horizon_input=True)
        head.set_pair_standardisation(torch.tensor([1.0, -2.0, 0.5]), torch.tensor([2.0, 0.0, 4.0]))
        h = torch.randn(5, 8)
        pairs = torch.tensor([[0, 1, 4, 2], [3, 3, 0, 2]])
        base = torch.tensor([0.0, 2.0, 0.0, 5.0])
        px = torch.randn(4, 3)
        logit, pred, res = head(h, pairs, base, px, 4.0)
        hp, hq = h[pairs[0]], h[pairs[1]]
        z = torch.cat([hp, hq, hp * hq, (hp - hq).abs()], dim=1)
        # A zero std (constant column) divides by 1, not by zero.
        zx = (px - torch.tensor([1.0, -2.0, 0.5])) / torch.tensor([2.0, 1.0, 4.0])
        code = torch.tensor([[torch.log(torch.tensor(5.0)) / torch.log(torch.tensor(13.0)), 0.25]])
        pre = (head.first(z) + head.edge_state(torch.stack([base, (base > 0).float()], 1)) + zx @ head.pair_in.weight.t()
               + code @ head.horizon_in.weight.t())
        want = head.out(torch.relu(pre)) + zx @ head.pair_skip.weight.t()
        self.assertTrue(torch.allclose(logit, want[:, 0], atol=1e-5))
        self.assertTrue(torch.allclose(pred, base + want[:, 1], atol=1e-5))
        self.assertFalse(torch.allclose(head(h, pairs, base, px, 1.0)[0], logit), "the horizon changes the scores")
        with self.assertRaisesRegex(ValueError, "pass pair_x"):
            head(h, pairs, base, None, 4.0)
        self.assertTrue(torch.allclose(horizon_code(12, h), torch.tensor([1.0, 1 / 12])))

    def test_node_head_horizon_input(self):
        torch.manual_seed(2)
        node = NodeHead(d=4, hidden=8, horizon_input=True)
        h = torch.randn(3, 4)
        ei = torch.tensor([[0, 1], [2, 2]])
        lw = torch.tensor([1.0, 2.0])
        h_in, h_out = weighted_neighbour_means(h, ei, lw)
        z = torch.cat([h, h_in, h_out], 1)
        want = node.mlp[1:](node.mlp[0](z) + horizon_code(8, z) @ node.horizon_in.weight.t()).squeeze(1)
        self.assertTrue(torch.allclose(node(h, ei, lw, 8.0), want, atol=1e-6))

    def test_weighted_means_hand_computed(self):
        h = torch.tensor([[1.0], [3.0], [10.0]])
        ei = torch.tensor([[0, 1], [2, 2]])  # 0->2 (lw 1), 1->2 (lw 3)
        m_in, m_out = weighted_neighbour_means(h, ei, torch.tensor([1.0, 3.0]))
        self.assertAlmostEqual(float(m_in[2, 0]), (1 * 1 + 3 * 3) / 4, places=5)
        self.assertEqual(float(m_in[0, 0]), 0.0)
        self.assertAlmostEqual(float(m_out[0, 0]), 10.0, places=4)



class TrainingV2Test(unittest.TestCase):
    """Training on a version-2 set: pair features standardised on the training pairs,
    metrics by kind of negative, Platt fitted on the paper's sample only."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="dxtrain-train2-")
        make_training_set(cls.dir, weeks=26, nodes=20, horizons=(1,), version=2)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def test_learns_with_pair_features(self):
        ts = TrainingSet(self.dir)
        hp = HyperParams(d=32, d_token=16, link_hidden=32, node_hidden=32, epochs=4, patience=10)
        r = train_horizon(ts, 1, hp, log=lambda s: None)
        m = r["model"]
        self.assertEqual(m.link_head.num_pair_features, ts.num_pair_features)
        from dxtrain.dataset import holdout_split
        train = ts.pairs_for(1, set(holdout_split(ts.week_list)["train"]))
        mean, std = ts.pair_feature_stats(train)
        self.assertTrue(torch.allclose(m.link_head.pair_mean, mean))
        test = r["metrics"]["test"]
        self.assertGreater(test["auroc"], 0.8)
        kinds = test["auprcByNegativeKind"]
        self.assertGreater(kinds["historicalPairs"], 0)
        self.assertGreater(kinds["historical"], 0.5)
        # The paper columns count positives and uniform negatives only.
        self.assertEqual(test["pairs"], test["positives"] + kinds["randomPairs"])


if __name__ == "__main__":
    unittest.main()
