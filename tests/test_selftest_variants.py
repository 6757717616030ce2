"""``grader selftest`` of a sheet with variants: the sheet's own givens and a sample of its pool
(``--variants N|all``) go through the same checks, and a failure names the variant's code and
the check. Run through the console script, on a small sheet written in a temporary folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_runs import grader

from grader.errors import UsageError
from grader.run.selftest import sampled_variants
from grader.sheets.variants import Variant

# grid.rows takes 6, 2, 12: the pool is the three in that order (nothing leaves it: rows_only
# is R, the cells R*S, never equal for S = 10). Its codes, from docs/variants.md: a pool of 3
# has width 2; index 0 is "00" with check 0 -> V000; index 1 is "01": the 1 doubled is 2,
# (32 - 2) mod 32 = 30 = "Y" -> V01Y; index 2 is "02": 4, 28 = "W" -> V02W.
# The feedback divides by R - 2: fine for the sheet's own 12 and for 6, a division by zero
# for 2, which only the self-test finds (the pool does not fill in feedback texts).
SHEET = """\
id: tiny-var-1
title: Tiny sheet with variants
givens:
  grid.rows: {value: "12", symbol: R}
  grid.cols: {value: "10", symbol: S}
variants:
  givens:
    grid.rows: [6, 2, 12]
parts:
  - id: q1.a
    title: Cells
    kind: count
    points: 1
    formula: R*S
    alternatives:
      - name: rows_only
        formula: R
        credit: 0.25
        feedback: "{R} is the rows alone, {100/(R-2)} percent of the rest."
  - id: q1.b
    title: Edges
    kind: count
    points: 1
    formula: R*(S-1) + S*(R-1)
"""
QUESTIONS = "# Tiny\n\nA grid of **{R} x {S}** cells.\n"
CODES = {"6": "V000", "2": "V01Y", "12": "V02W"}


def write_sheet(folder: Path, sheet: str = SHEET) -> Path:
    folder.mkdir(parents=True)
    (folder / "sheet.yaml").write_text(sheet, "utf-8")
    (folder / "questions.md").write_text(QUESTIONS, "utf-8")
    return folder


def variant_rows(out: str) -> dict[str, tuple[str, str]]:
    """Variant code -> (its givens, its result), from the table of variants."""
    rows = re.findall(r"^(V[0-9A-Z]+)\s+(.+?)\s+\d+/\d+\s+(ok|FAIL)$", out, re.M)
    return {code: (givens, result) for code, givens, result in rows}


def test_a_text_that_fails_for_one_variant_is_named_with_its_code(tmp_path: Path) -> None:
    folder = write_sheet(tmp_path / "tiny")
    code, out = grader("selftest", str(folder))
    assert code == 1, out
    assert "Variants: 3 of the 3 in the pool checked" in out
    rows = variant_rows(out)
    assert rows == {
        CODES["6"]: ("grid.rows = 6", "ok"),
        CODES["2"]: ("grid.rows = 2", "FAIL"),
        CODES["12"]: ("grid.rows = 12", "ok"),
    }
    failures = out.partition("FAILED:")[2]
    assert f"variant {CODES['2']} (grid.rows = 2): q1.a: texts:" in failures
    assert "rows_only" in failures
    assert "variant V000" not in failures and "variant V02W" not in failures
    # The sheet's own givens (R = 12) pass: the first table has no failure.
    assert "FAIL" not in out.partition("Variants:")[0]


def test_the_sample_size_decides_which_variants_are_checked(tmp_path: Path) -> None:
    folder = write_sheet(tmp_path / "tiny")
    # One of three: place 0 (R = 6), which passes.
    code, out = grader("selftest", str(folder), "--variants", "1")
    assert code == 0, out
    assert set(variant_rows(out)) == {CODES["6"]}
    assert "Variants: 1 of the 3 in the pool checked" in out and "--variants N or all" in out
    # Two of three: places 0 * 3 // 2 = 0 and 1 * 3 // 2 = 1 (R = 2), which fails.
    code, out = grader("selftest", str(folder), "--variants", "2")
    assert code == 1 and set(variant_rows(out)) == {CODES["6"], CODES["2"]}
    code, out = grader("selftest", str(folder), "--variants", "all")
    assert code == 1 and len(variant_rows(out)) == 3
    code, out = grader("selftest", str(folder), "--variants", "0")
    assert code == 0 and variant_rows(out) == {} and "Variants: 0 of the 3" in out
    code, out = grader("selftest", str(folder), "--variants", "some")
    assert code == 2 and "--variants 'some'" in out and "Traceback" not in out


def test_set_changes_the_sheets_own_check_not_the_variants(tmp_path: Path) -> None:
    folder = write_sheet(tmp_path / "tiny")
    # R = 2 by --set: the first table fails; the variants (6, 2, 12 from the pool) are the same.
    code, out = grader("selftest", str(folder), "--set", "grid.rows=2", "--variants", "1")
    assert code == 1
    own = out.partition("Variants:")[0]
    assert "FAIL" in own and variant_rows(out) == {CODES["6"]: ("grid.rows = 6", "ok")}
    assert "variant " not in out.partition("FAILED:")[2]


def test_a_sheet_whose_variants_all_pass_passes(tmp_path: Path) -> None:
    folder = write_sheet(tmp_path / "fine", SHEET.replace("{100/(R-2)}", "{100/(R+2)}"))
    code, out = grader("selftest", str(folder), "--variants", "all")
    assert code == 0, out
    assert {result for _, result in variant_rows(out).values()} == {"ok"}
    assert re.search(r"passed: all \d+ checks", out)


def test_the_bundled_sheets_check_sixteen_variants_by_default() -> None:
    code, out = grader("selftest")
    assert code == 0, out
    assert out.count("Variants: 16 of the 64 in the pool checked") == 2
    assert len(re.findall(r"^V[0-9A-Z]{3}\s.*\sok$", out, re.M)) == 32


def _pool(size: int) -> list[Variant]:
    return [Variant(index, index, {"g": str(index)}) for index in range(size)]


@pytest.mark.parametrize(
    ("size", "count", "places"),
    [
        (10, 4, [0, 2, 5, 7]),  # i * 10 // 4 for i = 0..3
        (10, 1, [0]),
        (3, 2, [0, 1]),
        (5, 5, [0, 1, 2, 3, 4]),
        (5, 9, [0, 1, 2, 3, 4]),  # more than the pool: all of it
        (5, "all", [0, 1, 2, 3, 4]),
        (5, 0, []),
    ],
)
def test_the_sample_is_spread_over_the_pool(size: int, count: int | str, places: list[int]) -> None:
    chosen = sampled_variants(_pool(size), count)  # type: ignore[arg-type]
    assert [variant.index for variant in chosen] == places


def test_a_negative_sample_is_refused() -> None:
    with pytest.raises(UsageError, match="--variants -1"):
        sampled_variants(_pool(5), -1)


def test_a_constraint_no_variant_satisfies_stops_the_selftest_with_its_name(
    tmp_path: Path,
) -> None:
    # R*S is at most 12 x 10 = 120 in every variant: the constraint holds for none.
    sheet = SHEET.replace(
        "    grid.rows: [6, 2, 12]\n",
        '    grid.rows: [6, 2, 12]\n  constraints:\n    many_cells: "q1.a > 500"\n',
    )
    code, out = grader("selftest", str(write_sheet(tmp_path / "never", sheet)))
    assert code == 2 and "Traceback" not in out
    assert "no variant satisfies many_cells ('q1.a > 500')" in out


def test_a_students_sheet_of_a_folder_sheet_has_their_rows(tmp_path: Path) -> None:
    folder = write_sheet(tmp_path / "tiny")
    shown = {}
    for n in range(40):
        code, out = grader("sheet", str(folder), "--student", f"s{n}", "--seed", "t")
        assert code == 0, out
        found = re.search(r"\*\*Variant (V\w+)\*\* for student s\d+", out)
        assert found, out
        rows = {c: r for r, c in CODES.items()}[found.group(1)]
        assert f"A grid of **{rows} x 10** cells." in out
        shown[found.group(1)] = rows
        if len(shown) == 3:
            break
    assert len(shown) == 3  # every variant of the pool reached some student
