"""An independent oracle for the decoder-layer formulas: a naive layer that really runs.

The layer below holds random weights in plain Python lists, prefills prompts and runs decode
steps with a real KV cache, multi-head (or grouped-query) attention with a softmax and an MLP,
and counts as it goes: every multiplication and addition of the matrix products and of
attention against the cache, every parameter it allocated, every element its caches hold,
and, per kernel, the distinct elements it reads and the elements it writes. Hypothesis
compares those counts with ``reference`` on small random shapes; published figures of real
models close the file.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference import decoder_layer, kv_cache, llm_inference
from reference.decoder_layer import DecoderLayer

Vector = list[float]
Matrix = list[list[float]]  # [in][out]

FAST = settings(max_examples=60, deadline=None)


@dataclass
class Ops:
    """Arithmetic a computation did."""

    mults: int = 0
    adds: int = 0  # additions inside dot products: k - 1 for a dot product of length k
    bias_adds: int = 0

    def flops(self, *, flops_per_mac: int = 2, dot_product_ops: str = "2k") -> int:
        """The count under a convention: 2 per MAC, 1 per MAC, or what was really done."""
        if dot_product_ops == "2k-1":
            return self.mults + self.adds + self.bias_adds
        return flops_per_mac * self.mults + self.bias_adds


def dot(a: Vector, b: Vector, ops: Ops) -> float:
    total: float | None = None
    for x, y in zip(a, b, strict=True):
        ops.mults += 1
        if total is None:
            total = x * y
        else:
            total += x * y
            ops.adds += 1
    assert total is not None
    return total


@dataclass
class Traffic:
    """Memory traffic, kernel by kernel: distinct elements read, elements written."""

    moved: dict[str, int] = field(default_factory=dict)  # by category
    persistent: set[tuple[str, int, int]] = field(default_factory=set)  # over the whole pass
    _reads: set[tuple[str, str, int, int]] = field(default_factory=set)
    _writes: int = 0

    @contextmanager
    def kernel(self, category: str) -> Iterator[None]:
        self._reads, self._writes = set(), 0
        yield
        for kind, name, i, j in self._reads:
            key = f"{category}:{kind}"
            self.moved[key] = self.moved.get(key, 0) + 1
            if kind in ("weight", "cache"):
                self.persistent.add((name, i, j))
        key = f"{category}:act"
        self.moved[key] = self.moved.get(key, 0) + self._writes

    def read(self, kind: str, name: str, i: int, j: int) -> None:
        self._reads.add((kind, name, i, j))

    def wrote(self, count: int) -> None:
        self._writes += count


class NaiveLayer:
    """A decoder layer with real weights; applies itself to token vectors and counts."""

    def __init__(self, shape: DecoderLayer, *, bias: bool, norms: str, rng: random.Random):
        self.shape, self.bias, self.norms = shape, bias, norms
        self.weights: dict[str, Matrix] = {
            m.name: [
                [rng.uniform(-1, 1) for _ in range(m.out_features)] for _ in range(m.in_features)
            ]
            for m in shape.matrices()
        }
        self.biases = {
            name: [rng.uniform(-1, 1) for _ in range(len(w[0]))] if bias else []
            for name, w in self.weights.items()
        }
        per_norm = {"none": 0, "layernorm": 2, "rmsnorm": 1}[norms]  # gain (and bias) vectors
        self.norm_vectors = [
            [rng.uniform(0.5, 1.5) for _ in range(shape.d_model)] for _ in range(2 * per_norm)
        ]

    def parameters(self) -> int:
        """Every element allocated, counted one by one."""
        count = 0
        for tensor in (*self.weights.values(),):
            count += sum(1 for row in tensor for _ in row)
        count += sum(len(b) for b in self.biases.values())
        return count + sum(len(v) for v in self.norm_vectors)

    def apply(
        self,
        names: list[str],
        x_name: str,
        xs: list[Vector],
        ops: Ops,
        io: Traffic,
        fused: bool = False,
    ) -> list[list[Vector]]:
        """Apply matrices to all token vectors ``xs`` at once; one kernel per matrix, or one
        for all of ``names`` when ``fused`` (the input is then read once)."""
        results: list[list[Vector]] = []
        groups = [names] if fused else [[name] for name in names]
        for group in groups:
            with io.kernel("matrix"):
                for name in group:
                    w, b = self.weights[name], self.biases[name]
                    out = []
                    for t, x in enumerate(xs):
                        y = []
                        for j in range(len(w[0])):
                            column = []
                            for i in range(len(w)):
                                io.read("weight", name, i, j)
                                io.read("act", x_name, t, i)
                                column.append(w[i][j])
                            value = dot(x, column, ops)
                            if b:
                                io.read("weight", name + ".bias", j, 0)
                                value += b[j]
                                ops.bias_adds += 1
                            y.append(value)
                        io.wrote(len(y))
                        out.append(y)
                    results.append(out)
        return results

    def normalise(self, which: int, xs: list[Vector], io: Traffic) -> list[Vector]:
        """The norm before attention (0) or the MLP (1); its few operations are not counted."""
        out = []
        for x in xs:
            mean = sum(x) / len(x) if self.norms == "layernorm" else 0.0
            scale = math.sqrt(sum((v - mean) ** 2 for v in x) / len(x) + 1e-5)
            y = [(v - mean) / scale for v in x]
            if self.norms != "none":
                per = 2 if self.norms == "layernorm" else 1
                gain = self.norm_vectors[which * per]
                with io.kernel("norm"):
                    for i in range(len(y)):
                        io.read("weight", f"norm{which}", i, 0)
                        y[i] *= gain[i]
                        if per == 2:
                            io.read("weight", f"norm{which}.bias", i, 0)
                            y[i] += self.norm_vectors[which * per + 1][i]
            out.append(y)
        return out

    def attend(self, q: Vector, cache: Cache, seq: int, ops: Ops, io: Traffic) -> Vector:
        """One query against a sequence's whole cache, head by head (one kernel)."""
        dh, group = (
            self.shape.d_head,
            self.shape.n_heads // (self.shape.kv_heads or self.shape.n_heads),
        )
        out: Vector = []
        with io.kernel("attention"):
            for i in range(len(q)):
                io.read("act", f"q{seq}", 0, i)
            for head in range(self.shape.n_heads):
                first = (head // group) * dh  # the KV head this query head shares
                scores = []
                for pos, key in enumerate(cache.keys):
                    for e in range(dh):
                        io.read("cache", f"K{seq}", pos, first + e)
                    scores.append(dot(q[head * dh : (head + 1) * dh], key[first : first + dh], ops))
                top = max(scores)  # scaling and softmax: computed, not counted
                weights = [math.exp((s - top) / math.sqrt(dh)) for s in scores]
                total = sum(weights)
                weights = [w / total for w in weights]
                for e in range(dh):
                    column = []
                    for pos, value in enumerate(cache.values):
                        io.read("cache", f"V{seq}", pos, first + e)
                        column.append(value[first + e])
                    out.append(dot(weights, column, ops))
            io.wrote(len(out))
        return out

    def forward(
        self,
        xs: list[Vector],
        caches: list[Cache],
        positions: list[int],
        *,
        fused: bool,
        mat: Ops,
        attn: Ops,
        io: Traffic,
    ) -> list[Vector]:
        """Tokens ``xs`` (token t belongs to sequence positions[t]) through the layer; each
        token attends to its sequence's cache up to and including itself."""
        q, k, v = self.apply(["W_Q", "W_K", "W_V"], "x", self.normalise(0, xs, io), mat, io, fused)
        attended = []
        for t, seq in enumerate(positions):
            caches[seq].keys.append(k[t])
            caches[seq].values.append(v[t])
            attended.append(self.attend(q[t], caches[seq], seq, attn, io))
        (o,) = self.apply(["W_O"], "attended", attended, mat, io)
        h = [[a + b for a, b in zip(x, y, strict=True)] for x, y in zip(xs, o, strict=True)]
        normed = self.normalise(1, h, io)
        if self.shape.gated_mlp:
            gate, up = self.apply(["W_gate", "W_up"], "h", normed, mat, io)
            silu = [
                [g / (1 + math.exp(-g)) * u for g, u in zip(gr, ur, strict=True)]
                for gr, ur in zip(gate, up, strict=True)
            ]
            hidden = silu
        else:
            (up,) = self.apply(["W_up"], "h", normed, mat, io)
            hidden = [[max(0.0, u) for u in row] for row in up]
        (down,) = self.apply(["W_down"], "hidden", hidden, mat, io)
        return [[a + b for a, b in zip(x, y, strict=True)] for x, y in zip(h, down, strict=True)]


@dataclass
class Cache:
    keys: list[Vector] = field(default_factory=list)
    values: list[Vector] = field(default_factory=list)


def _tokens(rng: random.Random, count: int, d: int) -> list[Vector]:
    return [[rng.uniform(-1, 1) for _ in range(d)] for _ in range(count)]


@dataclass
class Run:
    """What one pass did."""

    mat: Ops
    attn: Ops
    io: Traffic
    caches: list[Cache]


def prefill(
    layer: NaiveLayer, batch: int, prompt: int, rng: random.Random, *, fused: bool = False
) -> Run:
    """``batch`` prompts of ``prompt`` tokens in one pass (prompt 0: nothing, empty caches)."""
    caches = [Cache() for _ in range(batch)]
    run = Run(Ops(), Ops(), Traffic(), caches)
    if prompt:
        # All tokens of all prompts in one pass, in causal order within each sequence: attention
        # of token t sees positions 0..t because the caches grow token by token.
        xs = _tokens(rng, batch * prompt, layer.shape.d_model)
        positions = [seq for _ in range(prompt) for seq in range(batch)]
        layer.forward(xs, caches, positions, fused=fused, mat=run.mat, attn=run.attn, io=run.io)
    return run


def decode_step(
    layer: NaiveLayer, caches: list[Cache], rng: random.Random, *, fused: bool = False
) -> Run:
    """One new token for each sequence, attending to its cache (which then includes it)."""
    run = Run(Ops(), Ops(), Traffic(), caches)
    xs = _tokens(rng, len(caches), layer.shape.d_model)
    layer.forward(
        xs, caches, list(range(len(caches))), fused=fused, mat=run.mat, attn=run.attn, io=run.io
    )
    return run


@st.composite
def shapes(draw: st.DrawFn) -> DecoderLayer:
    kv_heads = draw(st.integers(1, 3))
    n_heads = kv_heads * draw(st.integers(1, 2))
    return DecoderLayer(
        d_model=n_heads * draw(st.integers(1, 3)),
        n_heads=n_heads,
        d_ff=draw(st.integers(1, 6)),
        kv_heads=draw(st.sampled_from([None, kv_heads])),
        gated_mlp=draw(st.booleans()),
    )


CONVENTIONS = [(2, "2k"), (1, "2k"), (2, "2k-1")]


# --- parameters ---------------------------------------------------------------------------------


@FAST
@given(
    shape=shapes(),
    bias=st.booleans(),
    norms=st.sampled_from(["none", "layernorm", "rmsnorm"]),
    seed=st.integers(0, 2**16),
)
def test_parameters_are_every_allocated_element(
    shape: DecoderLayer, bias: bool, norms: str, seed: int
) -> None:
    layer = NaiveLayer(shape, bias=bias, norms=norms, rng=random.Random(seed))
    assert layer.parameters() == decoder_layer.layer_params(layer=shape, bias=bias, norms=norms)


# --- prefill: FLOPs and bytes of the matrix products --------------------------------------------


@FAST
@given(
    shape=shapes(),
    batch=st.integers(1, 3),
    prompt=st.integers(1, 4),
    bias=st.booleans(),
    fused=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_prefill_counts(
    shape: DecoderLayer, batch: int, prompt: int, bias: bool, fused: bool, seed: int
) -> None:
    layer = NaiveLayer(shape, bias=bias, norms="none", rng=random.Random(seed))
    run = prefill(layer, batch, prompt, random.Random(seed + 1), fused=fused)
    tokens = batch * prompt
    for fpm, dot_ops in CONVENTIONS:
        assert run.mat.flops(
            flops_per_mac=fpm, dot_product_ops=dot_ops
        ) == decoder_layer.matrix_flops(
            layer=shape, tokens=tokens, flops_per_mac=fpm, dot_product_ops=dot_ops, bias=bias
        )
    model = "fused" if fused else "per_projection"
    weights, acts = run.io.moved.get("matrix:weight", 0), run.io.moved.get("matrix:act", 0)
    for bpe in (1, 2):
        assert (weights + acts) * bpe == llm_inference.matrix_bytes(
            layer=shape, tokens=tokens, bytes_per_element=bpe, bias=bias, qkv_byte_model=model
        )
        assert weights * bpe == llm_inference.matrix_bytes(
            layer=shape, tokens=tokens, bytes_per_element=bpe, bias=bias, activation_bytes=False
        )
    assert sum(len(c.keys) + len(c.values) for c in run.caches) == 2 * tokens


# --- decode: FLOPs, the cache, bytes moved and bytes read -----------------------------------------


@FAST
@given(
    shape=shapes(),
    batch=st.integers(1, 3),
    context=st.integers(1, 5),
    bias=st.booleans(),
    norms=st.sampled_from(["none", "layernorm", "rmsnorm"]),
    fused=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_decode_step_counts(
    shape: DecoderLayer, batch: int, context: int, bias: bool, norms: str, fused: bool, seed: int
) -> None:
    rng = random.Random(seed)
    layer = NaiveLayer(shape, bias=bias, norms=norms, rng=rng)
    caches = prefill(layer, batch, context - 1, rng).caches
    run = decode_step(layer, caches, rng, fused=fused)
    for fpm, dot_ops in CONVENTIONS:
        assert run.mat.flops(
            flops_per_mac=fpm, dot_product_ops=dot_ops
        ) == decoder_layer.matrix_flops(
            layer=shape, tokens=batch, flops_per_mac=fpm, dot_product_ops=dot_ops, bias=bias
        )
        assert run.attn.flops(
            flops_per_mac=fpm, dot_product_ops=dot_ops
        ) == batch * decoder_layer.cached_attention_flops(
            layer=shape, context=context, flops_per_mac=fpm, dot_product_ops=dot_ops
        )
    stored = sum(len(x) for c in caches for x in (*c.keys, *c.values))
    assert all(len(c.keys) == context for c in caches)
    for bpe in (1, 2, 4):
        assert stored * bpe == kv_cache.kv_cache_bytes(
            layer=shape, context=context, batch=batch, bytes_per_element=bpe
        )
        moved = run.io.moved.get("matrix:weight", 0) + run.io.moved.get("matrix:act", 0)
        assert moved * bpe == llm_inference.matrix_bytes(
            layer=shape,
            tokens=batch,
            bytes_per_element=bpe,
            bias=bias,
            qkv_byte_model="fused" if fused else "three_separate",
        )
        attention = run.io.moved["attention:cache"] + run.io.moved["attention:act"]
        assert attention * bpe == batch * llm_inference.cached_attention_bytes(
            layer=shape, context=context, bytes_per_element=bpe
        )
        assert run.io.moved[
            "attention:cache"
        ] * bpe == batch * llm_inference.cached_attention_bytes(
            layer=shape, context=context, bytes_per_element=bpe, activation_bytes=False
        )
        # What must be read: every persistent element the step touched, once.
        assert len(run.io.persistent) * bpe == llm_inference.decode_read_bytes(
            layer=shape, context=context, batch=batch, bytes_per_element=bpe, bias=bias, norms=norms
        )


# --- the turning batch, by search -----------------------------------------------------------------


@FAST
@given(
    shape=shapes(),
    share=st.fractions(Fraction(1, 100), Fraction(95, 100)),
    bpe=st.sampled_from([1, 2]),
    activations=st.booleans(),
    tie_rule=st.sampled_from(["compute", "memory"]),
    seed=st.integers(0, 2**16),
)
def test_critical_batch_is_the_first_batch_a_search_finds(
    shape: DecoderLayer, share: Fraction, bpe: int, activations: bool, tie_rule: str, seed: int
) -> None:
    # Per-token FLOPs, weights and activation traffic measured on one decode step at batch 1.
    rng = random.Random(seed)
    layer = NaiveLayer(shape, bias=False, norms="none", rng=rng)
    run = decode_step(layer, [Cache()], rng)
    flops, weights = run.mat.flops(), run.io.moved["matrix:weight"]
    per_token = run.io.moved["matrix:act"] if activations else 0

    def intensity(b: int) -> Fraction:
        return Fraction(b * flops, bpe * (weights + b * per_token))

    # A ridge somewhere below the intensity of batch 64, so that the search ends by 64.
    bandwidth = 1e9
    peak = float(intensity(64) * share) * bandwidth
    ridge = Fraction(peak) / Fraction(bandwidth)

    def reached(b: int) -> bool:
        return intensity(b) >= ridge if tie_rule == "compute" else intensity(b) > ridge

    batch = 1
    while not reached(batch):
        batch += 1
    assert batch == llm_inference.critical_batch(
        layer=shape,
        peak=peak,
        bandwidth=bandwidth,
        bytes_per_element=bpe,
        tie_rule=tie_rule,
        activation_bytes=activations,
    )


# --- published figures of real models -----------------------------------------------------------

# (model, layer shape, bias, norms, layers, embedding parameters outside the layers, published)
# The embedding term is written out by hand from each model card: token (and position)
# embeddings, an untied output head where there is one, and the final norm.
PUBLISHED_MODELS = [
    (
        "GPT-2 small (124M)",
        DecoderLayer(d_model=768, n_heads=12, d_ff=3072),
        True,
        "layernorm",
        12,
        50257 * 768 + 1024 * 768 + 2 * 768,  # tokens, positions, final LayerNorm; head tied
        124_439_808,
    ),
    (
        "LLaMA / Llama 2 7B",
        DecoderLayer(d_model=4096, n_heads=32, d_ff=11008, gated_mlp=True),
        False,
        "rmsnorm",
        32,
        2 * 32000 * 4096 + 4096,  # embeddings, untied output head, final RMSNorm
        6_738_415_616,
    ),
    (
        "Llama 2 13B",
        DecoderLayer(d_model=5120, n_heads=40, d_ff=13824, gated_mlp=True),
        False,
        "rmsnorm",
        40,
        2 * 32000 * 5120 + 5120,
        13_015_864_320,
    ),
    (
        "Llama 2 70B (grouped-query attention, 8 KV heads)",
        DecoderLayer(d_model=8192, n_heads=64, d_ff=28672, kv_heads=8, gated_mlp=True),
        False,
        "rmsnorm",
        80,
        2 * 32000 * 8192 + 8192,
        68_976_648_192,
    ),
]


@pytest.mark.parametrize(
    ("shape", "bias", "norms", "layers", "outside", "published"),
    [m[1:] for m in PUBLISHED_MODELS],
    ids=[m[0] for m in PUBLISHED_MODELS],
)
def test_parameter_count_of_a_published_model(
    shape: DecoderLayer, bias: bool, norms: str, layers: int, outside: int, published: int
) -> None:
    per_layer = decoder_layer.layer_params(layer=shape, bias=bias, norms=norms)
    assert layers * per_layer + outside == published


def test_gpt2_block_matches_its_published_size() -> None:
    # One GPT-2 small block (attention, MLP, their biases, two LayerNorms): 7,087,872.
    gpt2 = DecoderLayer(d_model=768, n_heads=12, d_ff=3072)
    assert decoder_layer.layer_params(layer=gpt2, bias=True, norms="layernorm") == 7_087_872


def test_kv_cache_of_llama_2_7b_matches_the_published_figures() -> None:
    # 16-bit: 524,288 bytes (0.5 MiB) per token; batch 1 at 4096 tokens "about 2 GB".
    llama = DecoderLayer(d_model=4096, n_heads=32, d_ff=11008, gated_mlp=True)
    per_token = kv_cache.kv_cache_bytes(layer=llama, context=1, bytes_per_element=2, layers=32)
    assert per_token == 524_288
    full = kv_cache.kv_cache_bytes(layer=llama, context=4096, bytes_per_element=2, layers=32)
    assert full == 2 * 1024**3


@pytest.mark.parametrize(("batch", "published"), [(512, 315), (1, 1)])
def test_linear_layer_intensity_matches_nvidias_published_table(batch: int, published: int) -> None:
    # NVIDIA's GPU performance background guide: a 16-bit linear layer with 1024 inputs and
    # 4096 outputs has an arithmetic intensity of 315 FLOP/B at batch 512 and 1 at batch 1,
    # counting the weights once and each row of input and output.
    intensity = llm_inference.linear_intensity(
        tokens=batch, in_features=1024, out_features=4096, bytes_per_element=2
    )
    assert round(intensity) == published


def test_kaplan_parameter_formula_for_a_four_times_wider_mlp() -> None:
    # Kaplan et al. (2020), table 1: N = 2 d_model n_layer (2 d_attn + d_ff), 12 d² per layer
    # when d_attn = d_model and d_ff = 4 d_model; a forward pass costs 2 N FLOPs per token.
    for d in (768, 4096, 12288):
        layer = DecoderLayer(d_model=d, n_heads=d // 64 if d % 64 == 0 else 1, d_ff=4 * d)
        params = decoder_layer.layer_params(layer=layer)
        assert params == 2 * d * (2 * d + 4 * d) == 12 * d * d
        assert decoder_layer.matrix_flops(layer=layer) == 2 * params
