"""A few seconds of training: the loss falls, the model beats chance on held-out
pairs, a run is reproducible bit for bit, and the factorised link head equals the
plain [h_p; h_q; h_p*h_q; |h_p-h_q|] MLP."""
import shutil
import tempfile
import unittest

import torch

from dxtrain.dataset import TrainingSet
from dxtrain.loop import HyperParams, train_horizon
from dxtrain.model import LinkHead, weighted_neighbour_means
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

    def test_weighted_means_hand_computed(self):
        h = torch.tensor([[1.0], [3.0], [10.0]])
        ei = torch.tensor([[0, 1], [2, 2]])  # 0->2 (lw 1), 1->2 (lw 3)
        m_in, m_out = weighted_neighbour_means(h, ei, torch.tensor([1.0, 3.0]))
        self.assertAlmostEqual(float(m_in[2, 0]), (1 * 1 + 3 * 3) / 4, places=5)
        self.assertEqual(float(m_in[0, 0]), 0.0)
        self.assertAlmostEqual(float(m_out[0, 0]), 10.0, places=4)


if __name__ == "__main__":
    unittest.main()
