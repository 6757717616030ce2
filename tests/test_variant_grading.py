"""Grading against any variant of the bundled sheets: the solver's answers grade correct, a
MAC count gets the MAC alternative, a carried-forward chain carries; and the student id, not
the code in the file, decides the variant."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.grading.grade import grade_submission
from grader.input.submission import parse_submission
from grader.results import Status, SubmissionResult
from grader.run.variant_grading import FileGrader
from grader.sheets.expectations import Expectations
from grader.sheets.library import load_assignment
from grader.sheets.solving import parse_conventions, resolve_givens, solve_assignment
from grader.sheets.variant_expectations import VariantBook, choose_variant
from grader.sheets.variants import Variant, variant_overrides

SHEETS = ("roofline-1", "llm-inference-1")
FEW = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@functools.cache
def book(sheet: str) -> VariantBook:
    return VariantBook(load_assignment(sheet), seed="tests")


def grade(
    exp: Expectations, answers: Mapping[str, object], variant: str | None = None
) -> SubmissionResult:
    document: dict[str, object] = {
        "assignment": exp.assignment.id,
        "student": {"id": "s1"},
        "answers": dict(answers),
    }
    if variant is not None:
        document["variant"] = variant
    data = json.dumps(document).encode()
    submission = parse_submission(data, exp.assignment, fmt="json", name="s1.json")
    return grade_submission(exp, submission)


def written(value: object) -> object:
    """A reference value as a student writes it (numbers exactly, in the part's unit)."""
    if isinstance(value, float):
        return repr(value)
    return value


def solved(sheet: str, variant: Variant, **conventions: str) -> dict[str, object]:
    """The solver's answers for the variant's givens, straight from the solver (not from the
    expectations under test)."""
    model = load_assignment(sheet)
    givens = resolve_givens(model, variant_overrides(variant))
    return dict(solve_assignment(model, givens, parse_conventions(conventions)).answers)


def reference_answers(sheet: str, variant: Variant) -> dict[str, object]:
    answers = solved(sheet, variant)
    return {
        part.id: written(answers[part.id])
        for part in load_assignment(sheet).parts
        if not part.needs_review and answers.get(part.id) is not None
    }


def variants(sheet: str) -> st.SearchStrategy[int]:
    return st.integers(0, len(book(sheet).pool) - 1)


@FEW
@given(st.sampled_from(SHEETS), st.data())
def test_the_solvers_answers_grade_correct_in_any_variant(sheet: str, data: st.DataObject) -> None:
    variant = book(sheet).pool[data.draw(variants(sheet))]
    exp = book(sheet).expectations(variant)
    answers = reference_answers(sheet, variant)
    result = grade(exp, answers)
    automatic = [p for p in result.parts if p.id in answers]
    assert len(automatic) == len(answers) > 10
    assert all(p.status is Status.CORRECT for p in automatic), [
        (p.id, p.submitted, p.feedback) for p in automatic if p.status is not Status.CORRECT
    ]


def _mac_parts(sheet: str) -> list[str]:
    return [
        part.id
        for part in load_assignment(sheet).parts
        if any(alt.name == "macs_not_flops" for alt in part.alternatives)
    ]


@FEW
@given(st.sampled_from(SHEETS), st.data())
def test_a_mac_count_gets_the_mac_alternative_in_any_variant(
    sheet: str, data: st.DataObject
) -> None:
    assert _mac_parts(sheet)  # both sheets have MAC alternatives
    part_id = data.draw(st.sampled_from(_mac_parts(sheet)))
    variant = book(sheet).pool[data.draw(variants(sheet))]
    exp = book(sheet).expectations(variant)
    # The MAC count: this variant's givens solved with one operation per multiply-accumulate.
    macs = solved(sheet, variant, flops_per_mac="1")
    answers = reference_answers(sheet, variant) | {part_id: written(macs[part_id])}
    graded = grade(exp, answers).part(part_id)
    assert graded.mistake == "macs_not_flops", (graded.submitted, graded.feedback)
    assert graded.credit == 0.5


@FEW
@given(st.data())
def test_a_carried_forward_chain_in_any_roofline_variant(data: st.DataObject) -> None:
    variant = book("roofline-1").pool[data.draw(variants("roofline-1"))]
    exp = book("roofline-1").expectations(variant)
    right = solved("roofline-1", variant)
    own_flops = round(float(right["q1.b"]) * 1.37)  # wrong, and no known mistake
    intensity = own_flops / float(right["q5.conv.bytes"])
    answers = reference_answers("roofline-1", variant)
    answers |= {"q1.b": own_flops, "q5.conv.intensity": repr(intensity)}
    # the verdicts follow the student's own intensity against the (right) turning points
    for device, ridge in (("gpu", "q3.a"), ("pim", "q4.a")):
        below = intensity < float(right[ridge])
        answers[f"q5.conv.{device}"] = "memory-bound" if below else "compute-bound"
    result = grade(exp, answers)
    assert result.part("q1.b").status is not Status.CORRECT
    carried = result.part("q5.conv.intensity")
    assert carried.carried_forward and carried.credit == 1.0, carried.feedback
    for device in ("gpu", "pim"):
        assert result.part(f"q5.conv.{device}").credit == 1.0


@FEW
@given(st.data())
def test_a_carried_forward_chain_in_any_llm_variant(data: st.DataObject) -> None:
    variant = book("llm-inference-1").pool[data.draw(variants("llm-inference-1"))]
    exp = book("llm-inference-1").expectations(variant)
    right = solved("llm-inference-1", variant)
    own_kv = round(float(right["q2.a"]) * 1.37)  # KV bytes per token: wrong
    whole_context = int(variant.givens["inference.context"]) * own_kv  # q2.b = L x q2.a
    whole_batch = int(variant.givens["inference.batch"]) * whole_context  # q2.c = b x q2.b
    answers = reference_answers("llm-inference-1", variant) | {
        "q2.a": own_kv,
        "q2.b": whole_context,
        "q2.c": whole_batch,
        "q6.a": float(right["q1.c"]) + whole_batch,  # q6.a = q1.c + q2.c
    }
    answers = {k: written(v) for k, v in answers.items()}
    result = grade(exp, answers)
    assert result.part("q2.a").status is not Status.CORRECT
    for part_id in ("q2.b", "q2.c", "q6.a"):
        part = result.part(part_id)
        assert part.carried_forward and part.credit == 1.0, (part_id, part.feedback)


def test_each_distinct_variant_is_solved_once() -> None:
    fresh = VariantBook(load_assignment("roofline-1"), seed="once")
    students = [f"s{n}" for n in range(300)]
    chosen = {fresh.of_student(s).index for s in students}
    for student in students:
        fresh.expectations(fresh.of_student(student))
    assert fresh.solved == len(chosen)
    one = fresh.of_student("s1")
    assert fresh.expectations(one) is fresh.expectations(one)


def test_the_student_id_decides_and_a_disagreeing_code_is_a_note() -> None:
    roofline = book("roofline-1")
    own = roofline.of_student("s1")
    other = next(v for v in roofline.pool.variants if v.index != own.index)
    agreeing = choose_variant(roofline, "s1", roofline.code(own))
    assert agreeing.variant == own and agreeing.note is None
    copied = choose_variant(roofline, "s1", roofline.code(other))
    assert copied.variant == own
    assert copied.note and roofline.code(other) in copied.note and roofline.code(own) in copied.note
    code = roofline.code(own)
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    mistyped = choose_variant(roofline, "s1", typo)
    assert mistyped.variant == own and mistyped.note and "mistyped" in mistyped.note
    assert choose_variant(roofline, "S1", None).variant == own  # ids ignore case


@pytest.mark.parametrize("sheet", SHEETS)
def test_every_variant_satisfies_the_sheets_constraints(sheet: str) -> None:
    # Independently of the pool's filter: the verdict parts of every variant are clear of the
    # margin, and roofline-1's QKV projection is bound differently on the two devices.
    pool_book = book(sheet)
    margin = pool_book.assignment.grading.verdict_margin
    checks = {
        "roofline-1": [("q5.conv.intensity", "q3.a"), ("q5.conv.intensity", "q4.a"),
                       ("q5.qkv.intensity", "q3.a"), ("q5.qkv.intensity", "q4.a")],
        "llm-inference-1": [("q4.b", "q5.a"), ("q4.c", "q5.a")],
    }[sheet]  # fmt: skip
    for variant in pool_book.pool.variants:
        answers = pool_book.expectations(variant).answers
        for intensity, ridge in checks:
            ratio = float(answers[intensity]) / float(answers[ridge])
            assert abs(ratio - 1) > margin, (variant, intensity, ridge)
        if sheet == "roofline-1":
            assert answers["q5.qkv.gpu"] != answers["q5.qkv.pim"]
        else:
            assert answers["q5.c"] == "compute-bound"


@pytest.mark.parametrize(
    ("text", "student", "code"),
    [
        ("student: {id: s7}\nvariant: V11X\nanswers: {}\n", "s7", "V11X"),
        ("student: s7\nvariant: '  v11x '\nanswers: {}\n", "s7", "v11x"),
        ("variant: V11X\nanswers: {}\n", "from-name", "V11X"),  # no id: the file name's
        ("student: {id: s7}\nvariant: [1, 2]\nanswers: {}\n", "s7", "(not text)"),
        ("student: {id: s7}\nvariant:\nanswers: {}\n", "s7", None),
    ],
)
def test_the_student_and_code_a_file_carries(
    tmp_path: Path, text: str, student: str, code: str | None
) -> None:
    path = tmp_path / "from-name.yaml"
    path.write_text("assignment: roofline-1\n" + text, "utf-8")
    roofline = book("roofline-1")
    done = FileGrader("tests").grade(path, roofline.assignment)
    own = roofline.of_student(student)
    assert done.choice is not None and done.choice.variant == own  # the student id decides
    assert done.graded.result.variant == roofline.code(own)
    expected_note = choose_variant(roofline, student, code).note
    assert done.choice.note == expected_note
    notes = [f for f in done.graded.result.flags if f.startswith("variant code:")]
    assert notes == ([expected_note] if expected_note else [])
    if code == "(not text)":
        assert expected_note and "not a variant code" in expected_note
