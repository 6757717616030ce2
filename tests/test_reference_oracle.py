"""An independent oracle: naive loops that compute real results and count what they do.

Each loop below works on small random data held in plain Python lists, really computes its
result (a convolution, a matrix product, one or more attention heads with a numerically stable
softmax) and counts the multiplications, additions and other operations it performs. Hypothesis
then compares those counts with the closed forms of ``reference`` on small random shapes.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reference import attention, conv, linear, masking, softmax

Matrix = list[list[float]]
Padding = str | int

FAST = settings(max_examples=150, deadline=None)


def _random_matrix(rng: random.Random, rows: int, cols: int) -> Matrix:
    return [[rng.uniform(-1.0, 1.0) for _ in range(cols)] for _ in range(rows)]


# --- convolution ------------------------------------------------------------------------------


def _pads(*, size: int, kernel: int, stride: int, padding: Padding) -> tuple[int, int]:
    """Padding (before, after) along one axis.

    'same' is TensorFlow's rule (PyTorch's for stride 1): as many outputs as ceil(size / stride),
    the total padding needed for that split with the odd element after.
    """
    if padding == "valid":
        return 0, 0
    if padding == "same":
        wanted = -(-size // stride)
        total = max(0, (wanted - 1) * stride + kernel - size)
        return total // 2, total - total // 2
    assert isinstance(padding, int)
    return padding, padding


def _window_starts(*, size: int, kernel: int, stride: int, padding: Padding) -> list[int]:
    """Input coordinate of the first tap of every output position, found by sliding."""
    before, after = _pads(size=size, kernel=kernel, stride=stride, padding=padding)
    starts = []
    start = -before
    while start + kernel <= size + after:
        starts.append(start)
        start += stride
    return starts


@dataclass
class ConvCount:
    """What the naive convolution did."""

    output: list[Matrix]
    outputs: int = 0  # output elements produced
    taps: int = 0  # multiplies charged, padded zeros included ("full")
    real_taps: int = 0  # multiplies on real input ("exact")
    adds_full: int = 0  # additions of the dot products over all taps, first product not added
    adds_real: int = 0  # the same over real taps only
    weights: int = 0  # weight elements in the filter tensor
    empty_windows: int = 0  # outputs whose taps all land on padding


def naive_conv2d(
    x: list[Matrix], w: list[list[Matrix]], *, groups: int, stride: int, padding: Padding
) -> ConvCount | None:
    """Grouped 2-D convolution, x[c][i][j], w[o][c_in_group][ky][kx]; None if no window fits."""
    c_in, height, width = len(x), len(x[0]), len(x[0][0])
    c_out, kernel = len(w), len(w[0][0])
    in_per_group, out_per_group = c_in // groups, c_out // groups
    rows = _window_starts(size=height, kernel=kernel, stride=stride, padding=padding)
    cols = _window_starts(size=width, kernel=kernel, stride=stride, padding=padding)
    if not rows or not cols:
        return None
    count = ConvCount(output=[])
    count.weights = sum(len(row) for filt in w for plane in filt for row in plane)
    for o in range(c_out):
        group = o // out_per_group
        plane: Matrix = []
        for r0 in rows:
            line: list[float] = []
            for c0 in cols:
                acc_full: float | None = None
                acc_real: float | None = None
                for j in range(in_per_group):
                    channel = group * in_per_group + j
                    for ky in range(kernel):
                        for kx in range(kernel):
                            i, k = r0 + ky, c0 + kx
                            inside = 0 <= i < height and 0 <= k < width
                            product = w[o][j][ky][kx] * (x[channel][i][k] if inside else 0.0)
                            count.taps += 1
                            if acc_full is None:
                                acc_full = product
                            else:
                                acc_full += product
                                count.adds_full += 1
                            if inside:
                                count.real_taps += 1
                                if acc_real is None:
                                    acc_real = product
                                else:
                                    acc_real += product
                                    count.adds_real += 1
                if acc_real is None:
                    count.empty_windows += 1
                    acc_real = 0.0
                assert acc_full is not None
                assert math.isclose(acc_full, acc_real, abs_tol=1e-9)  # padded zeros add nothing
                line.append(acc_real)
                count.outputs += 1
            plane.append(line)
        count.output.append(plane)
    return count


@dataclass(frozen=True)
class ConvCase:
    groups: int
    in_channels: int
    out_channels: int
    height: int
    width: int
    kernel: int
    stride: int
    padding: Padding
    seed: int


@st.composite
def conv_cases(draw: st.DrawFn, paddings: st.SearchStrategy[Padding] | None = None) -> ConvCase:
    groups = draw(st.integers(1, 3))
    padding_strategy = (
        paddings
        if paddings is not None
        else st.one_of(st.sampled_from(["same", "valid"]), st.integers(0, 2))
    )
    return ConvCase(
        groups=groups,
        in_channels=groups * draw(st.integers(1, 2)),
        out_channels=groups * draw(st.integers(1, 2)),
        height=draw(st.integers(1, 6)),
        width=draw(st.integers(1, 6)),
        kernel=draw(st.integers(1, 3)),
        stride=draw(st.integers(1, 3)),
        padding=draw(padding_strategy),
        seed=draw(st.integers(0, 2**32 - 1)),
    )


def _run(case: ConvCase) -> ConvCount | None:
    rng = random.Random(case.seed)
    x = [_random_matrix(rng, case.height, case.width) for _ in range(case.in_channels)]
    per_group = case.in_channels // case.groups
    w = [
        [_random_matrix(rng, case.kernel, case.kernel) for _ in range(per_group)]
        for _ in range(case.out_channels)
    ]
    return naive_conv2d(x, w, groups=case.groups, stride=case.stride, padding=case.padding)


def _macs(case: ConvCase, *, padding_count: str = "full") -> int:
    return conv.conv_macs(
        in_channels=case.in_channels,
        out_channels=case.out_channels,
        height=case.height,
        width=case.width,
        kernel=case.kernel,
        stride=case.stride,
        padding=case.padding,
        groups=case.groups,
        padding_count=padding_count,
    )


def _flops(
    case: ConvCase,
    *,
    padding_count: str = "full",
    flops_per_mac: int = 2,
    dot_product_ops: str = "2k",
    bias: bool = False,
) -> int:
    return conv.conv_flops(
        in_channels=case.in_channels,
        out_channels=case.out_channels,
        height=case.height,
        width=case.width,
        kernel=case.kernel,
        stride=case.stride,
        padding=case.padding,
        groups=case.groups,
        padding_count=padding_count,
        flops_per_mac=flops_per_mac,
        dot_product_ops=dot_product_ops,
        bias=bias,
    )


def _params(case: ConvCase, *, bias: bool = False) -> int:
    return conv.conv_params(
        in_channels=case.in_channels,
        out_channels=case.out_channels,
        kernel=case.kernel,
        groups=case.groups,
        bias=bias,
    )


@FAST
@given(conv_cases())
def test_conv_counts_match_closed_forms(case: ConvCase) -> None:
    count = _run(case)
    if count is None:  # the kernel does not fit: the closed forms must refuse too
        with pytest.raises(ValueError):
            _macs(case)
        return
    out_h, out_w = len(count.output[0]), len(count.output[0][0])
    assert len(count.output) == case.out_channels
    for size, out in ((case.height, out_h), (case.width, out_w)):
        got = conv.conv_output_size(
            size=size, kernel=case.kernel, stride=case.stride, padding=case.padding
        )
        assert got == out
    assert _macs(case) == count.taps
    assert _macs(case, padding_count="exact") == count.real_taps
    assert _flops(case) == 2 * count.taps
    assert _flops(case, flops_per_mac=1) == count.taps
    # 2k-1: every multiply plus the additions the loop really did (taps - 1 per output).
    assert _flops(case, dot_product_ops="2k-1") == count.taps + count.adds_full
    # A bias is one more addition per output.
    assert _flops(case, bias=True) == 2 * count.taps + count.outputs
    assert _flops(case, padding_count="exact", bias=True) == 2 * count.real_taps + count.outputs
    assert _params(case) == count.weights
    assert _params(case, bias=True) == count.weights + case.out_channels


@FAST
@given(conv_cases(paddings=st.sampled_from(["same", "valid", 0, 1])))
def test_conv_exact_2k_minus_1_matches_real_additions(case: ConvCase) -> None:
    # With 'same', 'valid' or padding < kernel, every window touches real input.
    assume(not (isinstance(case.padding, int) and case.padding >= case.kernel))
    count = _run(case)
    assume(count is not None)
    assert count is not None
    assert count.empty_windows == 0
    exact = _flops(case, padding_count="exact", dot_product_ops="2k-1")
    assert exact == count.real_taps + count.adds_real


def test_conv_exact_2k_minus_1_with_all_padding_windows() -> None:
    # 1 x 1 input, 1 x 1 kernel, padding 1: a 3 x 3 output of which only the centre sees the
    # input. Work done: 1 multiply, 0 additions -> 1 FLOP.
    count = naive_conv2d([[[0.5]]], [[[[2.0]]]], groups=1, stride=1, padding=1)
    assert count is not None
    assert (count.real_taps, count.adds_real, count.empty_windows) == (1, 0, 8)
    flops = conv.conv_flops(
        in_channels=1,
        out_channels=1,
        height=1,
        width=1,
        kernel=1,
        padding=1,
        padding_count="exact",
        dot_product_ops="2k-1",
    )
    assert flops == count.real_taps + count.adds_real == 1


@FAST
@given(
    size=st.integers(1, 40),
    kernel=st.integers(1, 7),
    stride=st.integers(1, 5),
)
def test_same_padding_output_is_ceil_size_over_stride(size: int, kernel: int, stride: int) -> None:
    # PyTorch / TensorFlow 'same': out = ceil(size / stride), whatever the kernel.
    expected = math.ceil(size / stride)
    assert len(_window_starts(size=size, kernel=kernel, stride=stride, padding="same")) == expected
    assert (
        conv.conv_output_size(size=size, kernel=kernel, stride=stride, padding="same") == expected
    )


def test_oracle_convolution_computes_real_values() -> None:
    # A centred delta kernel with 'same' padding and stride 1 reproduces its input channel.
    rng = random.Random(7)
    x = [_random_matrix(rng, 4, 5) for _ in range(2)]
    delta = [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    count = naive_conv2d(x, [[delta], [delta]], groups=2, stride=1, padding="same")
    assert count is not None
    assert count.output == x
    # Sheet-sized check of the padding-exact tap count per axis: 56·3 − 2 = 166.
    assert (
        sum(
            sum(1 for t in range(3) if 0 <= s + t < 56)
            for s in _window_starts(size=56, kernel=3, stride=1, padding="same")
        )
        == 166
    )
    # A 2 x 2 input with an all-ones 2 x 2 kernel, 'valid': one output, the sum of the input.
    ones = naive_conv2d(
        [[[1.0, 2.0], [3.0, 4.0]]],
        [[[[1.0, 1.0], [1.0, 1.0]]]],
        groups=1,
        stride=1,
        padding="valid",
    )
    assert ones is not None
    assert ones.output == [[[10.0]]]
    assert (ones.taps, ones.adds_full) == (4, 3)


# --- matrix product ---------------------------------------------------------------------------


@dataclass
class OpCount:
    mults: int = 0
    adds: int = 0
    other: dict[str, int] = field(default_factory=dict)

    def bump(self, op: str, n: int = 1) -> None:
        self.other[op] = self.other.get(op, 0) + n


def naive_matmul(a: Matrix, b: Matrix, count: OpCount, *, from_zero: bool = True) -> Matrix:
    """(m x k) @ (k x n), accumulating into 0.0 (k adds) or from the first product (k - 1)."""
    k, n = len(b), len(b[0])
    assert all(len(row) == k for row in a)
    out: Matrix = []
    for row in a:
        line = []
        for j in range(n):
            acc = 0.0 if from_zero else None
            for t in range(k):
                product = row[t] * b[t][j]
                count.mults += 1
                if acc is None:
                    acc = product
                else:
                    acc += product
                    count.adds += 1
            assert acc is not None
            line.append(acc)
        out.append(line)
    return out


@FAST
@given(
    m=st.integers(1, 5),
    n=st.integers(1, 5),
    k=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_matmul_counts_match_closed_forms(m: int, n: int, k: int, seed: int) -> None:
    rng = random.Random(seed)
    a, b = _random_matrix(rng, m, k), _random_matrix(rng, k, n)
    two_k, two_k_minus_1 = OpCount(), OpCount()
    c = naive_matmul(a, b, two_k, from_zero=True)
    c_again = naive_matmul(a, b, two_k_minus_1, from_zero=False)
    assert len(c) == m and all(len(r) == n for r in c)
    assert all(
        math.isclose(u, v, abs_tol=1e-12)
        for r, s in zip(c, c_again, strict=True)
        for u, v in zip(r, s, strict=True)
    )
    assert linear.matmul_flops(m=m, n=n, k=k) == two_k.mults + two_k.adds
    assert linear.matmul_flops(m=m, n=n, k=k, flops_per_mac=1) == two_k.mults
    assert (
        linear.matmul_flops(m=m, n=n, k=k, dot_product_ops="2k-1")
        == two_k_minus_1.mults + two_k_minus_1.adds
    )
    # A linear layer is the same product, plus one bias add per output when biased.
    assert linear.linear_flops(tokens=m, in_features=k, out_features=n) == 2 * two_k.mults
    assert linear.linear_flops(tokens=m, in_features=k, out_features=n, bias=True) == (
        2 * two_k.mults + m * n
    )
    assert linear.linear_params(in_features=k, out_features=n) == sum(len(r) for r in b)


def test_oracle_matmul_computes_real_values() -> None:
    count = OpCount()
    product = naive_matmul([[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]], count)
    assert product == [[19.0, 22.0], [43.0, 50.0]]
    assert (count.mults, count.adds) == (8, 8)


# --- attention --------------------------------------------------------------------------------


def naive_softmax_rows(
    scores: Matrix,
    count: OpCount,
    *,
    stable: bool = True,
    from_zero: bool = False,
    max_from_minus_infinity: bool = False,
) -> Matrix:
    """Row-wise softmax, counting comparisons, subtractions, exps, additions and divisions."""
    result = []
    for row in scores:
        shifted = row
        if stable:
            biggest = -math.inf if max_from_minus_infinity else row[0]
            for value in row if max_from_minus_infinity else row[1:]:
                count.bump("max")
                if value > biggest:
                    biggest = value
            shifted = []
            for value in row:
                count.bump("sub")
                shifted.append(value - biggest)
        exps = []
        for value in shifted:
            count.bump("exp")
            exps.append(math.exp(value))
        total = 0.0 if from_zero else exps[0]
        for value in exps if from_zero else exps[1:]:
            count.bump("add")
            total += value
        probabilities = []
        for value in exps:
            count.bump("div")
            probabilities.append(value / total)
        result.append(probabilities)
    return result


@dataclass
class AttentionCount:
    projections_qkv: OpCount = field(default_factory=OpCount)
    scores: OpCount = field(default_factory=OpCount)
    scaling: int = 0
    softmax: OpCount = field(default_factory=OpCount)
    aggregation: OpCount = field(default_factory=OpCount)
    output_projection: OpCount = field(default_factory=OpCount)
    weights: int = 0
    output: Matrix = field(default_factory=list)


def naive_attention(
    x: Matrix,
    weights: tuple[Matrix, Matrix, Matrix, Matrix],
    *,
    heads: int,
    from_zero: bool = True,
    stable: bool = True,
    softmax_from_zero: bool = False,
    max_from_minus_infinity: bool = False,
) -> AttentionCount:
    """Multi-head scaled dot-product attention (no mask) on x (L x d), counting every stage."""
    w_o = weights[3]
    d_model = len(w_o)
    d_head = d_model // heads
    count = AttentionCount()
    count.weights = sum(len(row) for matrix in weights for row in matrix)
    q, k, v = (naive_matmul(x, m, count.projections_qkv, from_zero=from_zero) for m in weights[:3])
    concat: Matrix = [[] for _ in x]
    for h in range(heads):
        cols = slice(h * d_head, (h + 1) * d_head)
        q_h, k_h, v_h = ([row[cols] for row in m] for m in (q, k, v))
        k_t = [list(column) for column in zip(*k_h, strict=True)]
        s = naive_matmul(q_h, k_t, count.scores, from_zero=from_zero)
        scale = 1.0 / math.sqrt(d_head)
        scaled = []
        for row in s:
            scaled_row = []
            for value in row:
                count.scaling += 1
                scaled_row.append(value * scale)
            scaled.append(scaled_row)
        p = naive_softmax_rows(
            scaled,
            count.softmax,
            stable=stable,
            from_zero=softmax_from_zero,
            max_from_minus_infinity=max_from_minus_infinity,
        )
        assert all(math.isclose(sum(row), 1.0) for row in p)
        o_h = naive_matmul(p, v_h, count.aggregation, from_zero=from_zero)
        for row, part in zip(concat, o_h, strict=True):
            row.extend(part)
    count.output = naive_matmul(concat, w_o, count.output_projection, from_zero=from_zero)
    return count


def _count_pairs(seq_len: int, *, mask: str, diagonal: bool = True) -> int:
    """(query, key) pairs a mask keeps, by walking the L x L grid."""
    kept = 0
    for i in range(seq_len):
        for j in range(seq_len):
            if mask == "full" or j < i or (diagonal and j == i):
                kept += 1
    return kept


@settings(max_examples=100, deadline=None)
@given(
    seq_len=st.integers(1, 5),
    heads=st.integers(1, 3),
    d_head=st.integers(1, 3),
    dot=st.sampled_from(["2k", "2k-1"]),
    model=st.sampled_from(["stable", "basic"]),
    row_additions=st.sampled_from(["n-1", "n"]),
    row_maximum=st.sampled_from(["n-1", "n"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_attention_counts_match_closed_forms(
    seq_len: int,
    heads: int,
    d_head: int,
    dot: str,
    model: str,
    row_additions: str,
    row_maximum: str,
    seed: int,
) -> None:
    d_model = heads * d_head
    rng = random.Random(seed)
    x = _random_matrix(rng, seq_len, d_model)
    w_q, w_k, w_v, w_o = (_random_matrix(rng, d_model, d_model) for _ in range(4))
    count = naive_attention(
        x,
        (w_q, w_k, w_v, w_o),
        heads=heads,
        from_zero=dot == "2k",
        stable=model == "stable",
        softmax_from_zero=row_additions == "n",
        max_from_minus_infinity=row_maximum == "n",
    )
    assert len(count.output) == seq_len and all(len(r) == d_model for r in count.output)

    def flops(c: OpCount) -> int:
        return c.mults + c.adds

    L, d = seq_len, d_model
    assert attention.head_dim(d_model=d_model, heads=heads) == d_head
    assert attention.projection_flops(
        seq_len=L, d_model=d, projections=3, dot_product_ops=dot
    ) == flops(count.projections_qkv)
    assert attention.projection_flops(seq_len=L, d_model=d, dot_product_ops=dot) == flops(
        count.output_projection
    )
    assert attention.attention_scores_flops(
        seq_len=L, d_model=d, heads=heads, dot_product_ops=dot
    ) == flops(count.scores)
    assert attention.scaling_flops(seq_len=seq_len, heads=heads) == count.scaling
    assert attention.value_aggregation_flops(
        seq_len=L, d_model=d, heads=heads, dot_product_ops=dot
    ) == flops(count.aggregation)
    # MACs, whatever the addition convention, are the multiplications.
    assert attention.attention_scores_flops(seq_len=L, d_model=d, heads=heads, flops_per_mac=1) == (
        count.scores.mults
    )
    # Operation types of the model, in order; a type the loop never needed (max of a one-score
    # row) counts 0.
    types = ("max", "sub", "exp", "add", "div") if model == "stable" else ("exp", "add", "div")
    assert set(count.softmax.other) <= set(types)
    assert softmax.softmax_op_counts(
        n=seq_len,
        rows=heads * seq_len,
        model=model,
        row_additions=row_additions,
        row_maximum=row_maximum,
    ) == {op: count.softmax.other.get(op, 0) for op in types}
    assert attention.attention_weight_params(d_model=d_model) == count.weights
    assert attention.attention_weight_params(d_model=d_model, bias=True) == (
        count.weights + 4 * d_model
    )


@settings(max_examples=30, deadline=None)
@given(seq_len=st.integers(1, 12), diagonal=st.booleans())
def test_masked_scores_match_pair_counts(seq_len: int, diagonal: bool) -> None:
    full = _count_pairs(seq_len, mask="full")
    causal = _count_pairs(seq_len, mask="causal", diagonal=diagonal)
    assert masking.scores_computed(seq_len=seq_len, mask="full") == full
    assert (
        masking.scores_computed(seq_len=seq_len, mask="causal", causal_diagonal=diagonal) == causal
    )


def test_pair_counts_at_sheet_length() -> None:
    assert _count_pairs(64, mask="full") == 4096
    assert _count_pairs(64, mask="causal") == 2080
    assert _count_pairs(64, mask="causal", diagonal=False) == 2016


def test_oracle_softmax_computes_real_values() -> None:
    count = OpCount()
    (row,) = naive_softmax_rows([[0.0, math.log(3.0)]], count)
    assert row == pytest.approx([0.25, 0.75])
    assert count.other == {"max": 1, "sub": 2, "exp": 2, "add": 1, "div": 2}
