"""Row scatter-adds of the exported graphs as ScatterND (docs/MODEL.md "Speed").

torch exports `zeros.scatter_add(0, idx.unsqueeze(1).expand(-1, d), rows)` (the
neighbour sums of model.weighted_neighbour_means) as ScatterElements over an [E, d]
int64 index made by Expand: onnxruntime's CPU kernel then adds element by element,
~10 ms per scatter on a full-scale week, most of the node head and a third of the
encoder. ScatterND(zeros, idx.unsqueeze(1), rows, reduction="add") adds the same rows
to the same places in the same order (edge by edge, so every sum is bit-identical)
as whole rows, with no Expand. The 1-D scatter-adds (the weight sums) become ScatterND
too, over idx.unsqueeze(1).

onnxruntime's CPU ScatterND splits the updates across its intra-op threads without
synchronisation, so repeated indices race when it has more than one: the inference
code (src/core/model/model-set.ts) and the parity check run such graphs on one
intra-op thread, where the result equals ScatterElements' bit for bit.

  python -m dxtrain.onnx_scatter DIR [DIR ...]   rewrites the encoder and node graphs
  of the model sets in place (atomically) and refreshes their cards' sha256 and bytes.
"""
from __future__ import annotations

import json
import os
import sys

import onnx
from onnx import helper, numpy_helper

from .atomic import atomic_path, write_atomic


def _attrs(node) -> dict:
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def scatter_adds_as_nd(model: onnx.ModelProto) -> int:
    """Replaces every ScatterElements(axis=0, reduction=add) of `model` by ScatterND; returns how many."""
    g = model.graph
    producer = {o: n for n in g.node for o in n.output}
    nodes = []
    count = 0
    for n in g.node:
        if n.op_type != "ScatterElements":
            nodes.append(n)
            continue
        a = _attrs(n)
        if a.get("axis", 0) != 0 or a.get("reduction") != b"add":
            raise ValueError(f"onnx_scatter: {n.name}: only axis-0 scatter-adds are rewritten, found {a}")
        data, index, updates = n.input
        expand = producer.get(index)
        if expand is not None and expand.op_type == "Expand" and producer.get(expand.input[0]) is not None \
                and producer[expand.input[0]].op_type == "Unsqueeze":
            # index = Expand(Unsqueeze(idx, 1), [E, d]): the [E, 1] index is the Unsqueeze's output
            unsq = producer[expand.input[0]]
            axes = unsq.input[1] if len(unsq.input) > 1 else None
            axes_value = None
            if axes is not None and producer.get(axes) is not None and producer[axes].op_type == "Constant":
                axes_value = [int(v) for v in numpy_helper.to_array(_attrs(producer[axes])["value"]).reshape(-1)]
            if axes_value != [1]:
                raise ValueError(f"onnx_scatter: {n.name}: the expanded index is not idx.unsqueeze(1) (axes {axes_value})")
            row_index = expand.input[0]
        else:
            # a 1-D scatter-add: index [E] -> [E, 1]
            axes = n.name + "/nd_axes"
            row_index = n.name + "/nd_index"
            nodes.append(helper.make_node("Constant", [], [axes], name=axes,
                                          value=helper.make_tensor(axes + "_value", onnx.TensorProto.INT64, [1], [1])))
            nodes.append(helper.make_node("Unsqueeze", [index, axes], [row_index], name=row_index))
        nodes.append(helper.make_node("ScatterND", [data, row_index, updates], list(n.output), name=n.name + "/nd",
                                      reduction="add"))
        count += 1
    # drop what no output needs any more (the Expands and their shape computations)
    needed = {o.name for o in g.output}
    kept = []
    for n in reversed(nodes):
        if any(o in needed for o in n.output):
            kept.append(n)
            needed.update(i for i in n.input if i)
    del g.node[:]
    g.node.extend(reversed(kept))
    onnx.checker.check_model(model)
    return count


def rewrite_file(path: str) -> int:
    """Rewrites one .onnx file in place (atomically); returns the number of scatters rewritten."""
    model = onnx.load(path)
    count = scatter_adds_as_nd(model)
    if count:
        with atomic_path(path) as tmp:
            onnx.save(model, tmp)
    return count


def sha256_file(path: str) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks (the cards' `sha256`)."""
    import hashlib
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def rewrite_model_set(d: str) -> dict:
    """The encoder and node graphs of model set `d` (models/h<h>/) rewritten, their cards' sha256 and bytes refreshed."""
    done = {}
    for role in ("encoder", "node"):
        card_path = os.path.join(d, f"{role}.card.json")
        with open(card_path) as f:
            card = json.load(f)
        path = os.path.join(d, card["file"])
        if sha256_file(path) != card["sha256"]:
            raise ValueError(f"onnx_scatter: {path}: sha256 differs from its card {card_path}; not rewriting a graph its card does not describe")
        done[role] = rewrite_file(path)
        card["sha256"] = sha256_file(path)
        card["bytes"] = os.path.getsize(path)
        write_atomic(card_path, lambda f, card=card: f.write(json.dumps(card, indent=1) + "\n"))
    return done


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m dxtrain.onnx_scatter MODELSET_DIR [MODELSET_DIR ...]", file=sys.stderr)
        return 2
    for d in argv:
        print(d, rewrite_model_set(d))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
