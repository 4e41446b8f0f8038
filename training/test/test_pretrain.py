"""Pretraining over a corpus of histories: the evaluation seeds are refused, a killed
run resumes to exactly the uninterrupted result, the outputs (pretrained.pt, zero-shot
model sets calibrated on held-out histories) are complete, and fine-tuning starts from
the pretrained weights with their standardisation."""
import json
import os
import shutil
import tempfile
import unittest

import torch

from dxtrain.dataset import TrainingSet
from dxtrain.loop import HyperParams, train_horizon
from dxtrain.pretrain import PretrainError, finish, pretrain, read_manifest, split_shards
from test.fixture import make_corpus, make_training_set

def read_json(path):
    with open(path) as f:
        return json.load(f)


HP = dict(d=16, d_token=16, layers=1, link_hidden=16, node_hidden=16, horizon_input=True)


class PretrainTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="dxtrain-pretrain-")
        cls.corpus = os.path.join(cls.dir, "corpus")
        make_corpus(cls.corpus, seeds=(0, 1, 2, 9), weeks=14, horizons=(1, 4))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def out(self, name):
        return os.path.join(self.dir, name)

    def test_evaluation_seeds_refused(self):
        d = self.out("bad-corpus")
        shutil.copytree(self.corpus, d)
        m = read_json(os.path.join(d, "manifest.json"))
        m["shards"][1]["seed"] = 9003
        with open(os.path.join(d, "manifest.json"), "w") as f:
            json.dump(m, f)
        with self.assertRaisesRegex(PretrainError, "seed 9003; seeds >= 9000 are reserved for evaluation"):
            read_manifest(d)

    def test_held_out_histories_are_never_trained_on(self):
        train, held = split_shards(read_manifest(self.corpus))
        self.assertEqual([s.seed for s in held], [9])
        self.assertEqual([s.seed for s in train], [0, 1, 2])

    def test_killed_run_resumes_to_the_uninterrupted_result(self):
        hp = HyperParams(**HP)
        log = lambda s: None
        straight = pretrain(self.corpus, self.out("straight"), [1, 4], 14, hp, checkpoint_every=4, log=log)
        with self.assertRaises(KeyboardInterrupt):
            # Killed after step 10: the checkpoint holds step 8, steps 9-10 are lost.
            pretrain(self.corpus, self.out("killed"), [1, 4], 14, hp, checkpoint_every=4, log=log, crash_after=10)
        lines = []
        resumed = pretrain(self.corpus, self.out("killed"), [1, 4], 14, hp, checkpoint_every=4, log=lines.append)
        self.assertIn("resuming at step 8/14", lines[0])
        self.assertEqual(resumed["step"], 14)
        for k, v in straight["model"].state_dict().items():
            self.assertTrue(torch.equal(v, resumed["model"].state_dict()[k]), k)
        self.assertEqual([h["loss"] for h in straight["history"]], [h["loss"] for h in resumed["history"]])
        # Other settings cannot continue this checkpoint.
        with self.assertRaisesRegex(PretrainError, "other settings"):
            pretrain(self.corpus, self.out("killed"), [1], 14, hp, checkpoint_every=4, log=log)

    def test_outputs_and_fine_tuning(self):
        hp = HyperParams(**HP)
        out = self.out("full")
        r = pretrain(self.corpus, out, [1, 4], 20, hp, checkpoint_every=10, log=lambda s: None)
        finish(r, out, [1, 4], hp, heldout_pairs=8, log=lambda s: None)
        ck = torch.load(os.path.join(out, "pretrained.pt"))
        self.assertEqual(ck["pretraining"]["trainSeeds"], [0, 1, 2])
        self.assertEqual(ck["pretraining"]["heldoutSeeds"], [9])
        self.assertEqual(ck["pretraining"]["steps"], 20)
        self.assertGreater(ck["compute"]["trainingSeconds"], 0)
        for h in (1, 4):
            card = read_json(os.path.join(out, f"h{h}", "link.card.json"))
            self.assertEqual(card["horizon"], h)
            self.assertIn("pair_x", card["inputs"])
            self.assertEqual(card["pairFeatures"]["hash"], TrainingSet(os.path.join(self.corpus, "shard-0")).pair_schema["hash"])
            self.assertIn("held-out prior histories (seeds 9)", card["calibration"]["fittedOn"])
            self.assertTrue(card["hyperparameters"]["zeroShot"])
            self.assertIn("wallSeconds", card["compute"])
            # The zero-shot set's shrinkage is the one fitted on the held-out prior histories.
            self.assertEqual(card["shrinkage"]["node"]["scale"], ck["priorShrinkage"][str(h)]["node"]["scale"])
            self.assertIn("held-out prior histories (seeds 9)", card["shrinkage"]["fittedOn"])
        # The backbone's card: its own sha256, the corpus's shards and the held-out metrics.
        pc = read_json(os.path.join(out, "pretrained.card.json"))
        from dxtrain.export import sha256_file
        self.assertEqual(pc["sha256"], sha256_file(os.path.join(out, "pretrained.pt")))
        self.assertEqual([x["seed"] for x in pc["corpus"]["shards"]], [0, 1, 2, 9])
        self.assertEqual(pc["corpus"]["heldoutSeeds"], [9])
        self.assertEqual(pc["steps"], 20)
        self.assertEqual(set(pc["heldoutPrior"]), {"h1", "h4"})
        self.assertEqual(pc["pairFeatures"]["hash"], ck["pair_schema"]["hash"])
        # Fine-tuning on an unseen history keeps the prior's standardisation and starts from the weights.
        target = self.out("target")
        make_training_set(target, weeks=26, nodes=18, horizons=(1,), seed=555, version=2)
        ts = TrainingSet(target)
        fhp = HyperParams(**HP, epochs=2, patience=5, keep_standardisation=True)
        ft = train_horizon(ts, 1, fhp, log=lambda s: None, init_state=ck["state_dict"])
        self.assertTrue(torch.equal(ft["model"].link_head.pair_mean, ck["state_dict"]["link_head.pair_mean"]))
        self.assertTrue(torch.equal(ft["model"].encoder.feature_std, ck["state_dict"]["encoder.feature_std"]))
        self.assertFalse(torch.equal(ft["model"].link_head.out.weight, ck["state_dict"]["link_head.out.weight"]))
        # Calibrated on the corpus's held-out histories instead of the target's validation weeks.
        from dxtrain.pretrain import prior_calibrator
        ftp = train_horizon(ts, 1, fhp, log=lambda s: None, init_state=ck["state_dict"],
                            calibrate_with=prior_calibrator(self.corpus, heldout_pairs=8))
        self.assertIn("held-out prior histories (seeds 9)", ftp["calibration"]["fittedOn"])
        self.assertIn("validation", ft["calibration"]["fittedOn"])
        self.assertNotEqual(ftp["calibration"]["scale"], ft["calibration"]["scale"])


class FineTuneResumeTest(unittest.TestCase):
    def test_killed_fine_tune_resumes_to_the_uninterrupted_result(self):
        d = tempfile.mkdtemp(prefix="dxtrain-ft-")
        self.addCleanup(shutil.rmtree, d)
        make_training_set(os.path.join(d, "ts"), weeks=26, nodes=18, horizons=(1,), seed=5, version=2)
        ts = lambda: TrainingSet(os.path.join(d, "ts"))
        hp = HyperParams(d=16, d_token=16, link_hidden=16, node_hidden=16, epochs=4, patience=10)
        straight = train_horizon(ts(), 1, hp, log=lambda s: None)
        resume = os.path.join(d, "resume.pt")
        with self.assertRaises(KeyboardInterrupt):
            train_horizon(ts(), 1, hp, log=lambda s: None, resume_path=resume, crash_after_epochs=2)
        lines = []
        resumed = train_horizon(ts(), 1, hp, log=lines.append, resume_path=resume)
        self.assertIn("resuming after epoch 2", lines[0])
        self.assertEqual([e["trainLoss"] for e in straight["history"]], [e["trainLoss"] for e in resumed["history"]])
        for k, v in straight["model"].state_dict().items():
            self.assertTrue(torch.equal(v, resumed["model"].state_dict()[k]), k)


if __name__ == "__main__":
    unittest.main()
