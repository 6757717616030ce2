"""Digit grouping: thousands separators, decimal marks, both readings of one group, a file's habit.

Every expected text below is written out by hand from the rule it checks.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grader.answers.digit_grouping import Ungrouped, decimal_habit, ungroup
from grader.errors import AnswerFormatError

# text, first reading, other reading, ambiguous group, mark
READINGS = [
    ("1806336", "1806336", None, None, ""),
    ("1,806,336", "1806336", None, None, ""),
    ("1 806 336", "1806336", None, None, ""),
    ("1\u2009806\u2009336", "1806336", None, None, ""),
    ("1'806'336", "1806336", None, None, ""),
    ("1.806.336", "1806336", None, None, ""),  # two dots or more: German thousands
    ("1.806.336,5", "1806336.5", None, None, ""),
    ("1.806,5", "1806.5", None, None, ""),  # a comma after dot groups: the decimal mark
    ("1,806,336.5", "1806336.5", None, None, ""),
    ("1 806,5", "1806.5", None, None, ""),
    ("2,25", "2.25", None, None, ""),  # a fraction of other than three digits
    ("0,804", "0.804", None, None, ""),  # a thousands group never follows a lone 0
    ("12,3456", "12.3456", None, None, ""),
    ("2.25", "2.25", None, None, ""),
    # one group of three after one mark: both readings, the caller settles it
    ("3,333", "3333", "3.333", "3,333", ","),
    ("65,536", "65536", "65.536", "65,536", ","),
    ("65.536", "65.536", "65536", "65.536", "."),
    ("2 × 1,806 + 1", "2 × 1806 + 1", "2 × 1.806 + 1", "1,806", ","),
    ("2,048 + 1,024", "2048 + 1024", "2.048 + 1.024", "2,048", ","),
    # not numbers with separators: left as they are
    ("2 × 56 × 56", "2 × 56 × 56", None, None, ""),
    ("2.5e2", "2.5e2", None, None, ""),
]

# text, what the message says (never that the student's grouping is something it is not)
REFUSED = [
    ("1,806,33", "the group '33' has 2 digits, but every group after a thousands separator"),
    ("1,806,3", "the group '3' has 1 digit,"),
    ("1806,336,000", "the digits before the first separator are 4"),
    ("1,806 336", "it mixes ' ' and ','"),
    ("1'806,336,000", "it mixes ''' and ',' as thousands separators"),
    ("1.5.2", "more than one decimal mark"),
    ("1,806.336,5", "more than one decimal mark"),
    ("1.806,336.5", "more than one decimal mark"),
]


@pytest.mark.parametrize(("text", "first", "other", "ambiguous", "mark"), READINGS)
def test_readings(
    text: str, first: str, other: str | None, ambiguous: str | None, mark: str
) -> None:
    assert ungroup(text) == Ungrouped(first, other, ambiguous, mark)


@pytest.mark.parametrize(("text", "fragment"), REFUSED)
def test_unreadable_grouping_says_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(AnswerFormatError) as caught:
        ungroup(text)
    assert fragment in caught.value.message
    assert f"'{text}'" in caught.value.message


def test_a_grouping_that_reads_is_never_told_to_be_grouped_otherwise() -> None:
    # 1.806.336 is groups of three: the old message ("separate thousands in groups of three")
    # contradicted what the student wrote; it now simply reads.
    assert ungroup("1.806.336").text == "1806336"


HABITS = [
    (["2,25"], "decimal comma"),
    (["0,804 MB", "3,333"], "decimal comma"),
    (["1.806,5"], "decimal comma"),
    (["1,806,336"], "thousands comma"),
    (["1,806.5", "3,333"], "thousands comma"),
    (["3,333"], None),  # ambiguous only: settles nothing
    (["2.25", "3,333"], None),  # a decimal point does not say what a comma means
    (["2,25", "1,806,336"], None),  # both habits: settles nothing
    ([], None),
    (["memory-bound, since 2 < 250"], None),
]


@pytest.mark.parametrize(("texts", "habit"), HABITS)
def test_decimal_habit_of_a_file(texts: list[str], habit: str | None) -> None:
    assert decimal_habit(texts) == habit


@given(st.integers(min_value=1_000_000, max_value=10**15))
def test_german_grouping_reads_back(number: int) -> None:
    german = f"{number:,}".replace(",", ".")
    assert ungroup(german).text == str(number)
    assert ungroup(german + ",25").text == f"{number}.25"


@given(st.integers(min_value=1000, max_value=999_999), st.booleans())
def test_one_group_always_has_both_readings(number: int, comma: bool) -> None:
    written = f"{number:,}" if comma else f"{number:,}".replace(",", ".")
    whole, fraction = divmod(number, 1000)
    found = ungroup(written)
    thousands, decimal = str(number), f"{whole}.{fraction:03d}"
    assert {found.text, found.other} == {thousands, decimal}
    assert found.ambiguous == written
