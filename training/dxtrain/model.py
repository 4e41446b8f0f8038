"""The forecasting network: a small, ONNX-exportable equivalent of the authors'
GraphPFN/LimiX encoder with their link and node heads (data-spec §6.3; PAPER-NOTES
"Model").

Encoder (per week, all nodes at once):
  1. standardise raw features with training-set statistics (buffers, so they are
     part of the exported graph, like LimiX's internal preprocessing);
  2. feature tokens: each numeric feature becomes its own token
     (value * w_f + b_f + feature-id embedding); the category one-hot block (the
     schema's `cat_*` columns) becomes a single token (an embedding lookup written as
     a matmul); a pre-LN transformer layer attends among a protocol's tokens, and
     the tokens are mean-pooled (the authors' "mean over feature tokens");
  3. L rounds of message passing over in- and out-exposures: for node i,
     m_in = sum_{e: j->i} lw_e h_j / sum lw_e and m_out likewise over i->j, with
     lw = ln(1+w) (exposure-weighted means), then h += MLP([LN h; m_in; m_out]).
     Deviation: the authors use 4-head graph attention over incoming edges with no
     weights; exposure-weighted means over both directions are cheaper, export with
     ScatterElements(add) and use the exposure sizes the paper's heads rely on.
Heads:
  link  [h_p; h_q; h_p*h_q; |h_p-h_q|; ln(1+w_t(p,q)); 1{p->q at t}
        (; standardised pair features; horizon code)] -> Linear ->
        ReLU -> Linear -> (existence logit, log-weight residual). Deviation: the
        pair's own anchor-week state enters the MLP (the authors' head sees it only
        as the residual baseline); a small encoder trained from scratch cannot encode
        in node embeddings which of the N^2 pairs are edges, and persistence is the
        strongest single signal (data-spec §7.1: persistence AUROC 0.76). The first layer is computed factorised
        (W_a h_p + W_b h_q per node, then the two interaction blocks per pair): the
        same function, half the work per pair, and the per-node parts are what the
        candidate search uses (docs/MODEL.md). One MLP with two outputs instead of
        the authors' two separate MLPs.
  node  [h_p; h_in; h_out] -> MLP -> Δ ln(1+TVL), h_in/h_out exposure-weighted means
        of neighbour embeddings normalised per node (the authors normalise a
        softmax over all edges of the week, which lets the largest edges dominate).
"""
from __future__ import annotations

import torch
from torch import nn


def weighted_neighbour_means(h: torch.Tensor, edge_index: torch.Tensor, edge_lw: torch.Tensor):
    """Exposure-weighted mean of in-neighbour (sources of edges into i) and
    out-neighbour (targets of edges out of i) embeddings; zero where none."""
    src, dst = edge_index[0], edge_index[1]
    w = edge_lw.unsqueeze(1)
    # zeros_like keeps N symbolic in the exported graph.
    zeros = torch.zeros_like(h[:, 0])
    den_in = zeros.scatter_add(0, dst, edge_lw)
    den_out = zeros.scatter_add(0, src, edge_lw)
    d = h.shape[1]
    num_in = torch.zeros_like(h).scatter_add(0, dst.unsqueeze(1).expand(-1, d), h.index_select(0, src) * w)
    num_out = torch.zeros_like(h).scatter_add(0, src.unsqueeze(1).expand(-1, d), h.index_select(0, dst) * w)
    # 1e-6 keeps nodes without (weighted) neighbours at exactly zero.
    m_in = num_in / (den_in + 1e-6).unsqueeze(1)
    m_out = num_out / (den_out + 1e-6).unsqueeze(1)
    return m_in, m_out


class FeatureTokenizer(nn.Module):
    def __init__(self, num_features: int, category_columns: list[int], d_token: int):
        super().__init__()
        numeric = [i for i in range(num_features) if i not in set(category_columns)]
        self.register_buffer("numeric_idx", torch.tensor(numeric, dtype=torch.long), persistent=True)
        self.register_buffer("category_idx", torch.tensor(category_columns, dtype=torch.long), persistent=True)
        self.value_weight = nn.Parameter(torch.randn(len(numeric), d_token) * 0.1)
        self.value_bias = nn.Parameter(torch.zeros(len(numeric), d_token))
        self.feature_id = nn.Parameter(torch.randn(len(numeric) + 1, d_token) * 0.1)
        self.has_category = len(category_columns) > 0
        if self.has_category:
            self.category_embedding = nn.Linear(len(category_columns), d_token, bias=False)
        self.num_tokens = len(numeric) + (1 if self.has_category else 0)

    def forward(self, z: torch.Tensor, x_raw: torch.Tensor) -> torch.Tensor:
        num = z.index_select(1, self.numeric_idx)  # [N, Fn]
        tokens = num.unsqueeze(2) * self.value_weight + self.value_bias + self.feature_id[: num.shape[1]]
        if self.has_category:
            # The raw one-hot (not its standardised version) picks the embedding row.
            cat = self.category_embedding(x_raw.index_select(1, self.category_idx)) + self.feature_id[-1]
            tokens = torch.cat([tokens, cat.unsqueeze(1)], dim=1)
        return tokens  # [N, T, d_token]


class TokenAttentionLayer(nn.Module):
    """Pre-LN transformer layer over a protocol's feature tokens (LimiX's
    feature-attention step), written with plain matmuls so it exports cleanly."""

    def __init__(self, d: int, heads: int):
        super().__init__()
        assert d % heads == 0
        self.heads = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        n, T, d = t.shape
        hd = d // self.heads
        qkv = self.qkv(self.ln1(t)).reshape(n, T, 3, self.heads, hd).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]  # [N, H, T, hd]
        att = torch.softmax(q @ k.transpose(-1, -2) * (hd ** -0.5), dim=-1)
        out = (att @ v).permute(0, 2, 1, 3).reshape(n, T, d)
        t = t + self.proj(out)
        return t + self.mlp(self.ln2(t))


class MessagePassingLayer(nn.Module):
    def __init__(self, d: int):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(3 * d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, h, edge_index, edge_lw):
        hn = self.ln(h)
        m_in, m_out = weighted_neighbour_means(hn, edge_index, edge_lw)
        return h + self.mlp(torch.cat([hn, m_in, m_out], dim=1))


class Encoder(nn.Module):
    def __init__(self, num_features: int, category_columns: list[int], d: int = 64, d_token: int = 32,
                 token_heads: int = 4, layers: int = 2):
        super().__init__()
        self.register_buffer("feature_mean", torch.zeros(num_features))
        self.register_buffer("feature_std", torch.ones(num_features))
        self.tokenizer = FeatureTokenizer(num_features, category_columns, d_token)
        self.token_layer = TokenAttentionLayer(d_token, token_heads)
        self.token_ln = nn.LayerNorm(d_token)
        self.lift = nn.Linear(d_token, d)
        self.layers = nn.ModuleList([MessagePassingLayer(d) for _ in range(layers)])
        self.out_ln = nn.LayerNorm(d)

    def set_standardisation(self, mean: torch.Tensor, std: torch.Tensor) -> None:
        self.feature_mean.copy_(mean)
        # Constant columns (std 0) pass through centred instead of dividing by zero.
        self.feature_std.copy_(torch.where(std > 1e-6, std, torch.ones_like(std)))

    def forward(self, x: torch.Tensor, edge_index: torch.Tensor, edge_lw: torch.Tensor) -> torch.Tensor:
        z = (x - self.feature_mean) / self.feature_std
        t = self.token_layer(self.tokenizer(z, x))
        h = self.lift(self.token_ln(t).mean(dim=1))
        for layer in self.layers:
            h = layer(h, edge_index, edge_lw)
        return self.out_ln(h)


def horizon_code(horizon: float, like: torch.Tensor) -> torch.Tensor:
    """[ln(1+h)/ln(13), 1/h]: how a horizon enters a model trained on several
    (both in [0.08, 1] for h = 1..12). A constant of the exported graph."""
    import math
    return torch.tensor([math.log1p(horizon) / math.log(13.0), 1.0 / horizon], dtype=like.dtype)


class LinkHead(nn.Module):
    """[h_p; h_q; h_p*h_q; |h_p-h_q|; edge state; z(pair_x); horizon] -> Linear(., H)
    -> ReLU -> Linear(H, 2).

    With pair features (training-set version 2), the exporter's standardised pair
    features z(pair_x) = (pair_x - mean) / std enter the first layer beside the
    factorised embedding interactions: the pair's edge memory (presence either way
    over the last k weeks, last weight, age, flips, degrees, common neighbours) is
    where the honest baselines get their power, so the head sees at least what
    pair-logreg sees. With `horizon_input` the first layer also gets
    horizon_code(h), so one model learns every horizon (pretraining)."""

    def __init__(self, d: int = 64, hidden: int = 128, num_pair_features: int = 0, horizon_input: bool = False):
        super().__init__()
        self.d = d
        self.first = nn.Linear(4 * d, hidden)
        # The pair's anchor-week state [ln(1+w_t), 1{edge at t}] (deviation, docs/MODEL.md).
        self.edge_state = nn.Linear(2, hidden, bias=False)
        self.num_pair_features = num_pair_features
        if num_pair_features:
            self.register_buffer("pair_mean", torch.zeros(num_pair_features))
            self.register_buffer("pair_std", torch.ones(num_pair_features))
            self.pair_in = nn.Linear(num_pair_features, hidden, bias=False)
            # A linear path from the pair features straight to both outputs (wide and
            # deep): the head contains a logistic / ridge regression on pair_x, the
            # pair-logreg baseline, whose gradient does not pass through the ReLU layer.
            self.pair_skip = nn.Linear(num_pair_features, 2, bias=False)
        self.horizon_input = horizon_input
        if horizon_input:
            self.horizon_in = nn.Linear(2, hidden, bias=False)
        self.out = nn.Linear(hidden, 2)

    def set_pair_standardisation(self, mean: torch.Tensor, std: torch.Tensor) -> None:
        self.pair_mean.copy_(mean)
        self.pair_std.copy_(torch.where(std > 1e-6, std, torch.ones_like(std)))

    def node_parts(self, h: torch.Tensor):
        """Per-node linear parts of the first layer: source role W_a h, target role W_b h."""
        w = self.first.weight
        return h @ w[:, : self.d].t(), h @ w[:, self.d: 2 * self.d].t()

    def forward(self, h: torch.Tensor, pairs: torch.Tensor, base_lw: torch.Tensor, pair_x=None, horizon=None):
        a, b = self.node_parts(h)
        return self.score_parts(h, a, b, pairs, base_lw, pair_x, horizon)

    def score_parts(self, h, a, b, pairs, base_lw, pair_x=None, horizon=None):
        """Pair scores from precomputed per-node parts (what the exported link graph
        runs: the encoder graph emits a and b once per week)."""
        w = self.first.weight
        hp = h.index_select(0, pairs[0])
        hq = h.index_select(0, pairs[1])
        # One [P, 2d] x [2d, H] matmul for both interaction blocks.
        pre = (a.index_select(0, pairs[0]) + b.index_select(0, pairs[1])
               + torch.cat([hp * hq, (hp - hq).abs()], dim=1) @ w[:, 2 * self.d:].t() + self.first.bias
               + self.edge_state(torch.stack([base_lw, (base_lw > 0).to(base_lw.dtype)], dim=1)))
        skip = None
        if self.num_pair_features:
            if pair_x is None:
                raise ValueError("dxtrain/model: this link head was built for pair features; pass pair_x")
            zx = (pair_x - self.pair_mean) / self.pair_std
            pre = pre + self.pair_in(zx)
            skip = self.pair_skip(zx)
        if self.horizon_input:
            if horizon is None:
                raise ValueError("dxtrain/model: this link head takes the horizon; pass horizon")
            pre = pre + self.horizon_in(horizon_code(horizon, pre))
        o = self.out(torch.relu(pre))
        if skip is not None:
            o = o + skip
        logit, residual = o[:, 0], o[:, 1]
        return logit, base_lw + residual, residual


class NodeHead(nn.Module):
    def __init__(self, d: int = 64, hidden: int = 128, horizon_input: bool = False):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(3 * d, hidden), nn.ReLU(), nn.Linear(hidden, hidden // 2), nn.ReLU(),
                                 nn.Linear(hidden // 2, 1))
        self.horizon_input = horizon_input
        if horizon_input:
            # Added to the first layer's pre-activation: ΔTVL grows with the horizon.
            self.horizon_in = nn.Linear(2, hidden, bias=False)

    def forward(self, h, edge_index, edge_lw, horizon=None):
        h_in, h_out = weighted_neighbour_means(h, edge_index, edge_lw)
        z = torch.cat([h, h_in, h_out], dim=1)
        if not self.horizon_input:
            return self.mlp(z).squeeze(1)
        if horizon is None:
            raise ValueError("dxtrain/model: this node head takes the horizon; pass horizon")
        pre = self.mlp[0](z) + self.horizon_in(horizon_code(horizon, z))
        return self.mlp[1:](pre).squeeze(1)


class ForecastModel(nn.Module):
    def __init__(self, num_features: int, category_columns: list[int], d: int = 64, d_token: int = 32,
                 layers: int = 2, link_hidden: int = 128, node_hidden: int = 128, num_pair_features: int = 0,
                 horizon_input: bool = False):
        super().__init__()
        self.encoder = Encoder(num_features, category_columns, d=d, d_token=d_token, layers=layers)
        self.link_head = LinkHead(d, link_hidden, num_pair_features=num_pair_features, horizon_input=horizon_input)
        self.node_head = NodeHead(d, node_hidden, horizon_input=horizon_input)
