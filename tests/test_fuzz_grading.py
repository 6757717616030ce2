"""Random and mutated answer files never crash grading: there is always a result."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.results import SubmissionResult
from grader.run.pipeline import grade_bytes
from grader.sheets.expectations import Expectations

SAMPLES = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"
SEEDS = [
    (p.read_bytes(), "json" if p.suffix == ".json" else "yaml")
    for p in sorted(SAMPLES.glob("*"))
    if p.suffix in (".yaml", ".json")
]

_MUTATION = st.tuples(
    st.sampled_from(["insert", "delete", "replace"]),
    st.integers(min_value=0, max_value=10_000),
    st.binary(min_size=1, max_size=8)
    | st.sampled_from(
        [
            b":",
            b"{",
            b"[",
            b"&a",
            b"*a",
            b"!!",
            b"\t",
            b"\n  ",
            b"'",
            b'"',
            b",",
            b"\xff",
            b"---\n",
            b"**9**9",
            b"e400",
            b"\xe2\x88\x92",
        ]
    ),
)


def _mutate(data: bytes, mutations: list[tuple[str, int, bytes]]) -> bytes:
    for kind, position, chunk in mutations:
        at = position % (len(data) + 1)
        if kind == "insert":
            data = data[:at] + chunk + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + len(chunk) :]
        else:
            data = data[:at] + chunk + data[at + len(chunk) :]
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), mutations=st.lists(_MUTATION, min_size=1, max_size=6))
def test_mutated_sample_files_always_give_a_result(
    expectations: Expectations, seed: tuple[bytes, str], mutations: list[tuple[str, int, bytes]]
) -> None:
    data, fmt = seed
    graded = grade_bytes(_mutate(data, mutations), expectations, fmt=fmt, name=f"s1.{fmt}")
    _check(graded.result)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400), fmt=st.sampled_from(["yaml", "json"]))
def test_random_bytes_always_give_a_result(
    expectations: Expectations, data: bytes, fmt: str
) -> None:
    _check(grade_bytes(data, expectations, fmt=fmt, name=f"s1.{fmt}").result)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answer=st.text(max_size=60),
    part=st.sampled_from(
        ["q1.b", "q3.a", "q5.conv.gpu", "q2.d.full_complexity", "q2.c", "q6.advantages", "q3.b"]
    ),
)
def test_random_answer_text_always_gives_a_result(
    expectations: Expectations, answer: str, part: str
) -> None:
    import json

    document = {"answers": {part: answer, "q4.a": "3.33"}}
    data = json.dumps(document).encode()
    result = grade_bytes(data, expectations, fmt="json", name="s1.json").result
    _check(result)
    assert result.status == "graded"


def _check(result: SubmissionResult) -> None:
    assert isinstance(result, SubmissionResult)
    result.model_dump_json()  # every result serialises (no NaN, no lone surrogate)
    if result.status == "error":
        assert result.error
        assert "internal error" not in result.error, result.error
    else:
        assert 0 <= result.score <= result.max_score
        assert not any("could not be read (" in p.feedback for p in result.parts), result
