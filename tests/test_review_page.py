"""The review page: what it holds (from the class run), and the loop in a real browser: fill two
items, export, pass the export back with --overrides, see the points in the gradebook."""

from __future__ import annotations

import csv
import io
import shutil
import time
from pathlib import Path

import pytest
from browser import chromium, needs_browser
from click.testing import CliRunner

from grader.cli import main
from grader.run.decision_files import read_ledger

SAMPLES = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout + result.stderr


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


@pytest.fixture()
def report(tmp_path: Path) -> tuple[Path, Path]:
    klass = tmp_path / "class"
    shutil.copytree(SAMPLES, klass)
    out = tmp_path / "report"
    code, text = run("grade", str(klass), "--out", str(out))
    assert code == 0, text
    return klass, out


def test_the_page_holds_every_waiting_answer_grouped_by_part(report: tuple[Path, Path]) -> None:
    _, out = report
    page = (out / "review.html").read_text("utf-8")
    waiting = [r for r in rows(out / "review.csv") if r["status"] == "open"]
    assert page.count('<article class="item"') == len(waiting)
    for row in waiting:
        assert f'data-key="{row["student"]}|{row["part"]}|{row["answer id"]}"' in page
    # Sketches are shown from the checked copies, never from the student's folder.
    images = [line for line in page.splitlines() if "<img" in line]
    assert images and all('src="sketches/' in line for line in images)
    for line in images:
        name = line.split('src="', 1)[1].split('"', 1)[0]
        assert (out / name).read_bytes().startswith(b"\x89PNG")
    # Student text is escaped (s1000008's name is an HTML tag).
    assert "<img src=x" not in page
    assert "for staff" in page


def test_a_file_named_like_an_image_that_is_not_one_is_not_copied(tmp_path: Path) -> None:
    klass = tmp_path / "class"
    klass.mkdir()
    shutil.copy(SAMPLES / "perfect.yaml", klass / "perfect.yaml")
    (klass / "q3-sketch.png").write_text("<script>alert(1)</script>", "utf-8")
    (klass / "q4-sketch.png").write_bytes((SAMPLES / "q4-sketch.png").read_bytes())
    out = tmp_path / "report"
    assert run("grade", str(klass), "--out", str(out))[0] == 0
    copies = list((out / "sketches").iterdir())
    assert len(copies) == 1 and copies[0].read_bytes().startswith(b"\x89PNG")
    page = (out / "review.html").read_text("utf-8")
    assert page.count("<img") == 1


@needs_browser
def test_decide_in_the_browser_export_and_regrade(
    report: tuple[Path, Path], tmp_path: Path
) -> None:
    klass, out = report
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with chromium(downloads) as browser:
        browser.get((out / "review.html").as_uri())
        browser.find_element("id", "ta-name").send_keys("Tess")
        decisions = {
            ("s1000001", "q6.advantages"): ("1.5", "parallelism and long range, well put"),
            ("s1000009", "q3.b"): ("0.5", "=the axes are not labelled"),
        }
        for (student, part), (points, comment) in decisions.items():
            item = browser.find_element(
                "css selector", f'article[data-student="{student}"][data-part="{part}"]'
            )
            item.find_element("css selector", "input.points").send_keys(points)
            item.find_element("css selector", "textarea.comment").send_keys(comment)
        status = browser.find_element("id", "status").text
        assert status == "2 decisions entered on this page"
        # What was entered is kept in the browser: a reload finds it again.
        browser.refresh()
        kept = browser.find_element(
            "css selector",
            'article[data-student="s1000001"][data-part="q6.advantages"] input.points',
        )
        assert kept.get_attribute("value") == "1.5"
        browser.find_element("id", "export").click()
        exported = _wait_for_download(downloads)
    table = rows(exported)
    assert {(r["student"], r["part"], r["points"], r["by"]) for r in table} == {
        ("s1000001", "q6.advantages", "1.5", "Tess"),
        ("s1000009", "q3.b", "0.5", "Tess"),
    }
    code, text = run("grade", str(klass), "--out", str(out), "--overrides", str(exported))
    assert code == 0, text
    gradebook = {r["id"]: r for r in rows(out / "gradebook.csv")}
    assert gradebook["s1000001"]["q6.advantages"] == "1.5"
    assert gradebook["s1000009"]["q3.b"] == "0.5"
    # The ledger file neutralises the formula-like comment for spreadsheets; read back, it is
    # what the TA wrote.
    assert {d.comment for d in read_ledger(out)} == {
        "parallelism and long range, well put",
        "=the axes are not labelled",
    }
    page = (out / "review.html").read_text("utf-8")
    assert "Decided: 1.5 points (parallelism and long range, well put), by Tess" in page


@needs_browser
def test_points_out_of_range_are_refused_before_export(
    report: tuple[Path, Path], tmp_path: Path
) -> None:
    _, out = report
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with chromium(downloads) as browser:
        browser.get((out / "review.html").as_uri())
        item = browser.find_element(
            "css selector", 'article[data-student="s1000001"][data-part="q3.b"]'
        )
        item.find_element("css selector", "input.points").send_keys("5")
        assert "between 0 and 1" in item.find_element("css selector", ".problem").text
        browser.find_element("id", "export").click()
        assert "needs fixing" in browser.find_element("id", "status").text
        time.sleep(0.5)
        assert list(downloads.iterdir()) == []


def _wait_for_download(folder: Path, seconds: float = 20) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == ".csv"]
        if done:
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no download in {folder}: {list(folder.iterdir())}")
