"""A sheet's declared variants: values and ranges, the pool's order, constraints, the built-in
check, deterministic sampling, and the sheet errors (docs/variants.md)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from cli_runs import grader

from grader.errors import AssignmentError
from grader.sheets.library import load_assignment
from grader.sheets.variant_expectations import VariantBook
from grader.sheets.variant_values import VariantValueError, declared_texts
from grader.sheets.variants import variant_pool

TINY = """\
id: tiny
title: Tiny
givens:
  a: {{value: "2", symbol: A}}
  b: {{value: "10", symbol: B}}
  bw: {{value: 100 GB/s, unit: byte/s}}
parts:
  - id: q1.a
    title: product
    kind: count
    points: 1
    formula: "A*B"
{alternatives}
variants:
{variants}
"""


def write_sheet(folder: Path, variants: str, alternatives: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sheet.yaml").write_text(
        TINY.format(variants=variants, alternatives=alternatives), "utf-8"
    )
    return folder


def pool_of(folder: Path) -> list[tuple[int, dict[str, str]]]:
    pool = variant_pool(load_assignment(folder))
    return [(v.candidate, dict(v.givens)) for v in pool.variants]


def test_pool_is_the_product_in_order_filtered_by_the_constraints(tmp_path: Path) -> None:
    folder = write_sheet(
        tmp_path / "s",
        """  givens:
    a: [1, 2, 3]
    b: [10, 20]
  constraints:
    not_forty: "q1.a != 40"
""",
    )
    # candidates (last given fastest): 0 (1,10) 1 (1,20) 2 (2,10) 3 (2,20)=40 4 (3,10) 5 (3,20)
    assert pool_of(folder) == [
        (0, {"a": "1", "b": "10"}),
        (1, {"a": "1", "b": "20"}),
        (2, {"a": "2", "b": "10"}),
        (4, {"a": "3", "b": "10"}),
        (5, {"a": "3", "b": "20"}),
    ]


def test_alternatives_with_one_value_leave_the_pool(tmp_path: Path) -> None:
    # 2AB == AB + 10A exactly when B = 10: those variants could not tell the two apart.
    alternatives = """    alternatives:
      - {name: twice, formula: "2*A*B", credit: 0.5, feedback: Twice.}
      - {name: plus, formula: "A*B + 10*A", credit: 0.5, feedback: Plus.}
"""
    folder = write_sheet(
        tmp_path / "s",
        """  givens:
    a: [1, 2, 3]
    b: [10, 20]
""",
        alternatives,
    )
    assert [candidate for candidate, _ in pool_of(folder)] == [1, 3, 5]


def test_a_partly_credited_alternative_equal_to_the_reference_leaves_the_pool(
    tmp_path: Path,
) -> None:
    alternatives = """    alternatives:
      - {name: ten, formula: "10*A", credit: 0.5, feedback: Ten.}
"""
    folder = write_sheet(
        tmp_path / "s", "  givens:\n    a: [1, 2]\n    b: [10, 20]\n", alternatives
    )
    assert [givens["b"] for _, givens in pool_of(folder)] == ["20", "20"]


def test_a_range_with_units_gives_each_step_and_its_solver_value(tmp_path: Path) -> None:
    folder = write_sheet(tmp_path / "s", "  givens:\n    bw: 100..300 GB/s step 100\n")
    sheet = load_assignment(folder)
    book = VariantBook(sheet, seed="x")
    texts = [v.givens["bw"] for v in book.pool.variants]
    assert texts == ["100 GB/s", "200 GB/s", "300 GB/s"]
    values = [book.expectations(v).givens["bw"] for v in book.pool.variants]
    assert values == [100e9, 200e9, 300e9]


def test_declared_ranges_step_in_decimal() -> None:
    assert declared_texts("0.1..0.3 step 0.1") == ("0.1", "0.2", "0.3")
    assert declared_texts("32..128 step 32") == ("32", "64", "96", "128")
    assert declared_texts("1..2 TFLOP/s step 0.5") == ("1 TFLOP/s", "1.5 TFLOP/s", "2 TFLOP/s")
    for bad in ("1..2", "3..1 step 1", "1..2 step 0", "a..b step 1", "1..2 step -1"):
        with pytest.raises(VariantValueError):
            declared_texts(bad)


def test_a_large_product_is_sampled_as_documented(tmp_path: Path) -> None:
    folder = write_sheet(
        tmp_path / "s", "  pool_size: 5\n  givens:\n    a: 1..40 step 1\n    b: [10, 20]\n"
    )
    drawn: list[int] = []
    k = 0
    while len(drawn) < 5:
        digest = hashlib.sha256(f"tiny:{k}".encode()).digest()
        number = int.from_bytes(digest[:8], "big") % 80
        if number not in drawn:
            drawn.append(number)
        k += 1
    assert [candidate for candidate, _ in pool_of(folder)] == sorted(drawn)
    # and candidate n is (a, b) = (n // 2 + 1, [10, 20][n % 2])
    for candidate, givens in pool_of(folder):
        assert givens == {"a": str(candidate // 2 + 1), "b": ["10", "20"][candidate % 2]}


def test_an_unsatisfiable_constraint_is_named_when_the_sheet_loads(tmp_path: Path) -> None:
    folder = write_sheet(
        tmp_path / "s",
        """  givens:
    a: [1, 2]
  constraints:
    fine: "q1.a < 100"
    too_big: "q1.a > 1000"
""",
    )
    with pytest.raises(AssignmentError, match="no variant satisfies too_big") as raised:
        load_assignment(folder)
    assert "fine" not in str(raised.value)


def test_constraints_that_only_fail_together_are_named_together(tmp_path: Path) -> None:
    folder = write_sheet(
        tmp_path / "s",
        """  givens:
    a: [1, 2]
  constraints:
    small: "A < 2"
    large: "A > 1"
""",
    )
    with pytest.raises(AssignmentError, match="all of small, large together"):
        load_assignment(folder)


@pytest.mark.parametrize(
    ("variants", "message"),
    [
        ("  givens:\n    nope: [1, 2]\n", "variants.givens.nope: no such given"),
        ("  givens:\n    bw: [600]\n", "variants.givens.bw: '600': give a unit"),
        ("  givens:\n    a: [1, 1]\n", "declared twice"),
        ("  givens:\n    a: [0]\n", "positive whole number"),
        ("  givens:\n    a: 1..3\n", "LOW..HIGH"),
        ("  givens:\n    a: [1]\n  constraints:\n    c: 'q9.z > 1'\n", "names 'q9.z'"),
        ("  givens:\n    a: [1]\n  constraints:\n    c: 'import os'\n", "does not parse"),
        ("  givens:\n    a: [1]\n  constraints:\n    c: '__import__(1)'\n", "functions"),
    ],
)
def test_bad_declarations_are_sheet_errors(tmp_path: Path, variants: str, message: str) -> None:
    with pytest.raises(AssignmentError, match=message):
        load_assignment(write_sheet(tmp_path / "s", variants))


def test_the_console_script_names_the_constraint_and_exits_2(tmp_path: Path) -> None:
    folder = write_sheet(
        tmp_path / "s", "  givens:\n    a: [1, 2]\n  constraints:\n    too_big: 'q1.a > 1000'\n"
    )
    for args in (["solve", "-a", str(folder)], ["template", "-a", str(folder), "--student", "s1"]):
        code, output = grader(*args)
        assert code == 2, output
        assert "too_big" in output and "q1.a > 1000" in output
        assert "Traceback" not in output


def test_sheets_without_variants_have_no_pool() -> None:
    sheet = load_assignment("roofline-1").model_copy(update={"variants": None})
    with pytest.raises(AssignmentError, match="declares no variants"):
        variant_pool(sheet)
