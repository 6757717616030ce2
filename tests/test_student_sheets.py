"""A student's own question sheet (``grader sheet --student``) and every roster student's
(``grader sheet --roster --out-dir``), run as users run them: the console script in a
subprocess. The variant a student gets is recomputed here from its documented definition
(``docs/variants.md``), not asked of the grader."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from browser import chromium, needs_browser
from cli_runs import grader

from grader.sheets.library import load_assignment
from grader.sheets.variant_codes import variant_code
from grader.sheets.variants import Variant, variant_pool

SEED = "sheet-tests"
SHEET = "llm-inference-1"


def own_variant(sheet: str, student: str, seed: str = SEED) -> tuple[Variant, str]:
    """The student's variant and code, from the documented key and index."""
    pool = variant_pool(load_assignment(sheet))
    key = f"{seed}\n{sheet}\n{student.strip().lower()}"
    index = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") % len(pool)
    return pool[index], variant_code(index, len(pool))


def given_cells(markdown: str) -> dict[str, str]:
    """The givens table of a Markdown sheet: given -> its value cell and unit, joined."""
    rows = re.findall(r"^\| `([^`]+)` \| [^|]* \| ([^|]*) \| ([^|]*) \|$", markdown, re.M)
    return {name: f"{value} {unit}".strip() for name, value, unit in rows}


def two_students_apart(sheet: str) -> tuple[str, str]:
    """Two students whose variants differ in every varied given."""
    first = "s1000"
    mine = own_variant(sheet, first)[0].givens
    for n in range(1001, 1400):
        other = own_variant(sheet, f"s{n}")[0].givens
        if all(other[name] != mine[name] for name in mine):
            return first, f"s{n}"
    raise AssertionError("no two students found whose variants differ everywhere")


@pytest.mark.parametrize("sheet", ["llm-inference-1", "roofline-1"])
def test_a_students_sheet_shows_their_code_and_their_givens(sheet: str) -> None:
    for student in two_students_apart(sheet):
        variant, code = own_variant(sheet, student)
        status, out = grader("sheet", sheet, "--student", student, "--seed", SEED)
        assert status == 0, out
        lines = out.splitlines()
        # The code right under the title, with what to do with it.
        assert lines[0].startswith("# ") and lines[1] == ""
        assert f"**Variant {code}** for student {student}" in lines[2]
        assert f'`variant: "{code}"`' in lines[2]
        cells = given_cells(out)
        for name, value in variant.givens.items():
            assert cells[name] == value, (student, name)
        assert "{" not in out.partition("## Givens")[0]  # every placeholder filled in


def test_two_students_get_their_own_numbers_in_the_questions() -> None:
    # inference.context is L in the questions' text ("a context of **L = 4096** tokens").
    first, second = two_students_apart(SHEET)
    texts = {}
    for student in (first, second):
        status, out = grader("sheet", SHEET, "--student", student, "--seed", SEED)
        assert status == 0, out
        context = own_variant(SHEET, student)[0].givens["inference.context"]
        assert f"**L = {context}**" in out
        texts[student] = out
    assert texts[first] != texts[second]


def test_the_seed_changes_nobodys_pool_but_may_change_their_variant() -> None:
    seeds = [f"term-{n}" for n in range(40)]
    codes = {own_variant(SHEET, "s1000", seed)[1] for seed in seeds}
    assert len(codes) > 1  # else the seed would not matter
    for seed in seeds[:3]:
        status, out = grader("sheet", SHEET, "--student", "s1000", "--seed", seed)
        assert status == 0, out
        assert f"**Variant {own_variant(SHEET, 's1000', seed)[1]}**" in out


def test_refused_without_a_seed_without_variants_or_with_a_bad_id(tmp_path: Path) -> None:
    status, out = grader("sheet", SHEET, "--student", "s1000")
    assert status == 2 and "no course seed is set" in out and "--seed" in out
    # a student cannot edit the installed course file: they are told where a seed comes from
    assert "students: the course's seed" in out
    assert "Traceback" not in out
    for bad in ("../x", "s 1", "", "a" * 80, "con"):
        status, out = grader("sheet", SHEET, "--student", bad, "--seed", SEED)
        assert status == 2 and "not a student id" in out, bad
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "sheet.yaml").write_text(PLAIN_SHEET, "utf-8")
    (folder / "questions.md").write_text("# Plain\n\nA grid of {R} rows.\n", "utf-8")
    status, out = grader("sheet", str(folder), "--student", "s1000", "--seed", SEED)
    assert status == 2 and "declares no variants" in out and "Traceback" not in out


PLAIN_SHEET = """\
id: plain-1
title: Plain
givens:
  grid.rows: {value: "12", symbol: R}
parts:
  - {id: q1.a, title: Rows, kind: count, points: 1, formula: R}
"""


def test_the_roster_gets_one_sheet_each_the_same_as_asked_one_by_one(tmp_path: Path) -> None:
    roster = tmp_path / "class.csv"
    roster.write_text("id,name\ns1000,Ada\nS2000,Bob\ns3000,Cy\n", "utf-8")
    out_dir = tmp_path / "handout"
    status, out = grader(
        "sheet", SHEET, "--roster", str(roster), "--out-dir", str(out_dir), "--seed", SEED
    )
    assert status == 0, out
    assert sorted(p.name for p in out_dir.iterdir()) == ["S2000.md", "s1000.md", "s3000.md"]
    for student in ("s1000", "S2000", "s3000"):
        alone, text = grader("sheet", SHEET, "--student", student, "--seed", SEED)
        assert alone == 0
        assert (out_dir / f"{student}.md").read_text("utf-8") == text
        assert f"**Variant {own_variant(SHEET, student)[1]}**" in text
    status, out = grader(
        "sheet", SHEET, "--roster", str(roster), "--out-dir", str(tmp_path / "web"),
        "--seed", SEED, "--format", "html",
    )  # fmt: skip
    assert status == 0, out
    assert sorted(p.name for p in (tmp_path / "web").iterdir()) == [
        "S2000.html",
        "s1000.html",
        "s3000.html",
    ]


def test_roster_options_go_together_and_a_case_clash_is_refused(tmp_path: Path) -> None:
    roster = tmp_path / "class.csv"
    roster.write_text("id,name\ns1000,Ada\n", "utf-8")
    status, out = grader("sheet", SHEET, "--roster", str(roster), "--seed", SEED)
    assert status == 2 and "--roster and --out-dir go together" in out
    status, out = grader(
        "sheet", SHEET, "--roster", str(roster), "--out-dir", str(tmp_path / "o"),
        "--student", "s1000", "--seed", SEED,
    )  # fmt: skip
    assert status == 2 and "not with --student" in out
    roster.write_text("id,name\ns1000,Ada\nS1000,Ada again\n", "utf-8")
    status, out = grader(
        "sheet", SHEET, "--roster", str(roster), "--out-dir", str(tmp_path / "o"), "--seed", SEED
    )
    assert status == 2 and "S1000 is also on line 2" in out  # one file would hide the other
    assert not (tmp_path / "o").exists()  # nothing written


@needs_browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_html_sheet_shows_the_code_under_the_title(tmp_path: Path, width: int) -> None:
    student = "s1000"
    variant, code = own_variant(SHEET, student)
    page = tmp_path / f"{student}.html"
    status, out = grader(
        "sheet", SHEET, "--student", student, "--seed", SEED, "--format", "html", "-o", str(page)
    )
    assert status == 0, out
    with chromium(tmp_path / "downloads") as driver:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
        )
        driver.get(page.as_uri())
        title, banner, first_h2, text, wide, screen = driver.execute_script(
            "const b = document.querySelector('.variant');"
            "const box = e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; };"
            "return [box(document.querySelector('h1')), box(b),"
            " box(document.querySelector('.questions h2')), b.innerText,"
            " document.documentElement.scrollWidth, window.innerWidth];"
        )
        driver.save_screenshot(str(tmp_path / "sheet.png"))
    assert title[1] <= banner[0] < banner[1] <= first_h2[0]  # under the title, first thing
    assert banner[1] <= 900  # seen without scrolling
    assert f"Variant {code} for student {student}" in text
    assert f'variant: "{code}"' in text
    assert wide <= screen  # nothing wider than the screen
    html = page.read_text("utf-8")
    givens_table = html.partition('id="givens-title"')[2]
    context = variant.givens["inference.context"]
    assert re.search(
        rf"<code>inference\.context</code>.*?<td class=\"value\">{context}<", givens_table, re.S
    )
