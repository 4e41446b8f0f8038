"""The scatter-add rewrite of exported graphs (dxtrain/onnx_scatter.py). Values are
checked where onnxruntime is: scripts/test-training.mjs runs every exported model set
against PyTorch, and test/unit/model runs the rewritten fixture models."""
import os
import tempfile
import unittest

import onnx
import torch

from dxtrain.export import _register_symbolics
from dxtrain.model import weighted_neighbour_means
from dxtrain.onnx_scatter import scatter_adds_as_nd


class Means(torch.nn.Module):
    def forward(self, h, edge_index, edge_lw):
        a, b = weighted_neighbour_means(h, edge_index, edge_lw)
        return a + b


def exported() -> onnx.ModelProto:
    _register_symbolics()
    h = torch.randn(5, 3)
    ei = torch.tensor([[0, 1, 1, 4], [2, 2, 3, 0]])
    lw = torch.rand(4)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "m.onnx")
        torch.onnx.export(Means(), (h, ei, lw), path, input_names=["h", "edge_index", "edge_lw"], output_names=["m"],
                          dynamic_axes={"h": {0: "N"}, "edge_index": {1: "E"}, "edge_lw": {0: "E"}}, opset_version=17)
        return onnx.load(path)


class ScatterRewriteTest(unittest.TestCase):
    def test_every_scatter_add_becomes_a_row_scatter(self):
        m = exported()
        ops = [n.op_type for n in m.graph.node]
        self.assertEqual(ops.count("ScatterElements"), 4)  # two weight sums, two [N, d] neighbour sums
        self.assertEqual(scatter_adds_as_nd(m), 4)
        ops = [n.op_type for n in m.graph.node]
        self.assertEqual(ops.count("ScatterElements"), 0)
        self.assertEqual(ops.count("ScatterND"), 4)
        self.assertEqual(ops.count("Expand"), 0)  # the [E, d] int64 indices are gone
        for n in m.graph.node:
            if n.op_type == "ScatterND":
                self.assertEqual(onnx.helper.get_attribute_value(n.attribute[0]), b"add")

    def test_the_rows_index_is_the_unexpanded_one(self):
        m = exported()
        scatter_adds_as_nd(m)
        producer = {o: n for n in m.graph.node for o in n.output}
        for n in m.graph.node:
            if n.op_type == "ScatterND":
                idx = producer[n.input[1]]
                self.assertEqual(idx.op_type, "Unsqueeze")
                self.assertEqual(producer[idx.input[0]].op_type, "Gather")  # a row of edge_index

    def test_other_scatters_are_refused(self):
        m = exported()
        for n in m.graph.node:
            if n.op_type == "ScatterElements":
                del n.attribute[:]
                n.attribute.extend([onnx.helper.make_attribute("axis", 1), onnx.helper.make_attribute("reduction", "add")])
                break
        with self.assertRaisesRegex(ValueError, "only axis-0 scatter-adds"):
            scatter_adds_as_nd(m)


if __name__ == "__main__":
    unittest.main()
