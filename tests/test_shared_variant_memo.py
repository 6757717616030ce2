"""The memo a sheet's variants share: an answer graded under one variant is reused by another
only where the two grade it alike, so that a file graded after others, against any variant,
gets exactly what it gets graded alone against that variant's own expectations."""

from __future__ import annotations

import json
from collections.abc import Mapping

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.grading.grade import grade_submission
from grader.input.submission import parse_submission
from grader.results import Status, SubmissionResult
from grader.sheets.expectations import Expectations, build_expectations
from grader.sheets.library import load_assignment
from grader.sheets.part_signature import SHAREABLE_KINDS
from grader.sheets.solving import resolve_givens, solve_assignment, symbol_values
from grader.sheets.variant_expectations import VariantBook
from grader.sheets.variants import Variant, variant_overrides

SHEETS = ("roofline-1", "llm-inference-1")
SOME = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _book(sheet: str) -> VariantBook:
    # A new book per example: its memo starts empty, and fills only with this example's files.
    return VariantBook(load_assignment(sheet), seed="shared-memo")


def _grade(exp: Expectations, answers: Mapping[str, str], student: str) -> SubmissionResult:
    document = {"assignment": exp.assignment.id, "student": {"id": student}, "answers": answers}
    data = json.dumps(document).encode()
    submission = parse_submission(data, exp.assignment, fmt="json", name=f"{student}.json")
    return grade_submission(exp, submission)


def _alone(sheet: str, variant: Variant) -> Expectations:
    """The variant's expectations with a memo of their own, shared with nothing."""
    return build_expectations(load_assignment(sheet), variant_overrides(variant))


def _values(sheet: str, variant: Variant) -> tuple[dict[str, object], dict[str, float]]:
    """The solver's answers and the symbols' values for a variant, straight from the solver."""
    model = load_assignment(sheet)
    givens = resolve_givens(model, variant_overrides(variant))
    return dict(solve_assignment(model, givens).answers), symbol_values(model, givens)


def _answers(sheet: str, variant: Variant, other: Variant, data: st.DataObject) -> dict[str, str]:
    """A file for ``variant``: per part, the variant's right value, the other variant's (a
    copied answer), an expression over the symbols that is right in one of the two (its value
    is each variant's own), a number a little off, or text that cannot be read."""
    own, symbols = _values(sheet, variant)
    theirs, their_symbols = _values(sheet, other)
    answers: dict[str, str] = {}
    for part in load_assignment(sheet).parts:
        right, copied = own.get(part.id), theirs.get(part.id)
        if right is None:
            continue
        if not isinstance(right, int | float) or not isinstance(copied, int | float):
            answers[part.id] = data.draw(st.sampled_from([str(right), str(copied), "maybe"]))
            continue
        symbol = data.draw(st.sampled_from(sorted(symbols))) if symbols else None
        choices = [repr(float(right)), repr(float(copied)), repr(float(right) * 1.3), "1/0 +"]
        if symbol is not None and symbols[symbol] and their_symbols[symbol]:
            # k * symbol: right under one variant, and under the other whatever that symbol's
            # value there makes of it.
            choices.append(f"{float(right) / symbols[symbol]!r} * {symbol}")
            choices.append(f"{float(copied) / their_symbols[symbol]!r} * {symbol}")
        answers[part.id] = data.draw(st.sampled_from(choices))
    return answers


@SOME
@given(st.sampled_from(SHEETS), st.data())
def test_files_graded_one_after_another_get_what_they_get_alone(
    sheet: str, data: st.DataObject
) -> None:
    book = _book(sheet)
    pool = book.pool
    indices = st.integers(0, len(pool) - 1)
    files = [
        (pool[data.draw(indices)], pool[data.draw(indices)])
        for _ in range(data.draw(st.integers(2, 5)))
    ]
    for number, (variant, other) in enumerate(files):
        answers = _answers(sheet, variant, other, data)
        shared = _grade(book.expectations(variant), answers, f"s{number}")
        alone = _grade(_alone(sheet, variant), answers, f"s{number}")
        assert shared.model_dump() == alone.model_dump()


def _sharing_pair(sheet: str) -> tuple[VariantBook, Variant, Variant, str, str]:
    """Two variants, a part they grade alike (one slot) and a symbol whose value they do not
    share: an expression over that symbol means another number in each."""
    book = _book(sheet)
    pool = book.pool
    for first in pool:
        exp = book.expectations(first)
        for second in pool:
            other = book.expectations(second)
            differ = [s for s in exp.symbols if exp.symbols[s] != other.symbols[s]]
            for part in exp.assignment.parts:
                same_slot = exp.slots[part.id].shared == other.slots[part.id].shared
                if part.is_numeric and same_slot and differ and exp.symbols[differ[0]]:
                    return book, first, second, part.id, differ[0]
    raise AssertionError("no two variants share a part's slot")


def test_an_expression_over_the_symbols_is_graded_with_each_variants_values() -> None:
    book, first, second, part_id, symbol = _sharing_pair("roofline-1")
    exp_first, exp_second = book.expectations(first), book.expectations(second)
    assert exp_first.memo is exp_second.memo
    # Right under the first variant: expected value / the symbol's value there, times it.
    right = float(exp_first.expected(part_id))  # type: ignore[arg-type]
    text = f"{right / exp_first.symbols[symbol]!r} * {symbol}"
    assert _grade(exp_first, {part_id: text}, "s1").part(part_id).status is Status.CORRECT
    second_result = _grade(exp_second, {part_id: text}, "s2").part(part_id)
    expected_value = right / exp_first.symbols[symbol] * exp_second.symbols[symbol]
    assert second_result.value == expected_value  # the second variant's own value
    assert second_result.status is not Status.CORRECT


def test_a_plain_number_is_graded_once_for_the_variants_that_grade_it_alike() -> None:
    book, first, second, part_id, _ = _sharing_pair("roofline-1")
    exp_first, exp_second = book.expectations(first), book.expectations(second)
    answer = {part_id: repr(float(exp_first.expected(part_id)) * 1.3)}  # type: ignore[arg-type]
    slots = {*exp_first.slots[part_id], *exp_second.slots[part_id]} - {None}

    def about_the_part() -> list[object]:
        return [key for key in exp_first.memo if any(slot in key for slot in slots)]

    _grade(exp_first, answer, "s1")
    remembered = about_the_part()
    assert remembered  # the outcome, and the whole part at its line
    again = _grade(exp_second, answer, "s2")
    assert about_the_part() == remembered  # nothing new: the first variant's outcome is used
    assert again.part(part_id) == _grade(_alone("roofline-1", second), answer, "s2").part(part_id)


def test_parts_share_a_slot_exactly_when_grading_reads_the_same_of_both_variants() -> None:
    book = _book("roofline-1")
    solved = [book.expectations(variant) for variant in book.pool]
    for part in solved[0].assignment.parts:
        for exp in solved[1:]:
            same = exp.slots[part.id].shared == solved[0].slots[part.id].shared
            if part.kind not in SHAREABLE_KINDS:
                assert not same  # never shared: each variant's own
                continue
            texts = [e.assignment.part(part.id).model_dump() for e in (exp, solved[0])]
            alike = (
                exp.expected(part.id) == solved[0].expected(part.id)
                and exp.alternatives[part.id] == solved[0].alternatives[part.id]
                and texts[0] == texts[1]
            )
            if same:
                assert alike, part.id
