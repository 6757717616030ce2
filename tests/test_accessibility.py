"""The summary, feedback and review pages as a screen-reader user, a keyboard user and a phone
user meet them: in headless Chromium, axe-core finds no violation (WCAG 2.1 A and AA and its
best-practice rules) and no page is wider than the screen, at 1280 and at 390 px; the roofline
plot scales to the page and its content is on the page as text (what the reveal level shows,
nothing more); the student's own sketch is in their report.

axe-core is not a Python package: the browser tests read its ``axe.min.js`` from ``AXE_CORE_JS``
(``.ci/run`` fetches it with ``npm pack axe-core``) and are skipped, with the reason, without it.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import chromium, needs_browser
from click.testing import CliRunner

from grader.cli import main
from grader.input.attachments import Attachment
from grader.reports.report import MAX_EMBEDDED_SKETCH, sketch_views
from grader.reports.reveal import student_view
from grader.run.pipeline import expectations_for, grade_file
from grader.sheets.library import load_assignment

SAMPLES = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"
AXE_JS = os.environ.get("AXE_CORE_JS", "")
needs_axe = pytest.mark.skipif(
    not AXE_JS or not Path(AXE_JS).is_file(),
    reason="needs axe-core: set AXE_CORE_JS to its axe.min.js "
    "(npm pack axe-core && tar xzf axe-core-*.tgz: package/axe.min.js; .ci/run does it)",
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PHONE = 390
WIDTHS = [1280, PHONE]
LONG_NAME = "Maximiliana" * 12  # one unbroken word of 132 letters


def _grade(klass: Path, out: Path, *options: str) -> None:
    result = CliRunner().invoke(main, ["grade", str(klass), "--out", str(out), *options])
    assert result.exit_code in (0, 1), result.output  # 1: the broken sample is not graded


@pytest.fixture(scope="module")
def outs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """A class run over the samples (and a student with a very long unbroken name), once at the
    sheet's reveal level and once with the answers."""
    root = tmp_path_factory.mktemp("a11y")
    klass = root / "class"
    shutil.copytree(SAMPLES, klass)
    text = (klass / "perfect.yaml").read_text("utf-8")
    long = text.replace("id: s1000001", "id: s1000099").replace("Ada Lovelace", LONG_NAME)
    assert long != text
    (klass / "long-name.yaml").write_text(long, "utf-8")
    _grade(klass, root / "out")
    _grade(klass, root / "out-answers", "--reveal", "answers")
    yield {"feedback": root / "out", "answers": root / "out-answers"}


@pytest.fixture(scope="module")
def pages(outs: dict[str, Path]) -> dict[str, Path]:
    out, answers = outs["feedback"], outs["answers"]
    for page in ("summary.html", "review.html"):  # the long name is in the review queue
        assert LONG_NAME in (out / page).read_text("utf-8"), page
    return {
        "summary": out / "summary.html",
        "review": out / "review.html",
        "feedback (mistakes, plot)": out / "feedback" / "s1000002.html",
        "feedback (sketches, long name)": out / "feedback" / "s1000099.html",
        "feedback (not graded)": out / "feedback" / "s1000007.html",
        "feedback (hostile)": out / "feedback" / "s1000008.html",
        "feedback with answers": answers / "feedback" / "s1000002.html",
    }


def _open(driver: Any, page: Path, width: int) -> None:
    # Chromium's window is never narrower than 500 px: a phone's width is emulated.
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    driver.get(page.as_uri())


def _axe(driver: Any) -> list[dict[str, Any]]:
    driver.execute_script(Path(AXE_JS).read_text("utf-8"))
    driver.set_script_timeout(120)
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify(String(e))));",
        AXE_TAGS,
    )
    violations = json.loads(found)
    assert isinstance(violations, list), violations  # else axe itself failed: its message
    return violations


def _described(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(str(node["target"]) for node in v["nodes"][:4])
        for v in violations
    )


@needs_browser
@needs_axe
@pytest.mark.parametrize("width", WIDTHS)
def test_no_axe_violation_and_nothing_wider_than_the_screen(
    pages: dict[str, Path], width: int, tmp_path: Path
) -> None:
    problems = []
    with chromium(tmp_path / "downloads") as driver:
        for name, page in pages.items():
            assert page.is_file(), page
            _open(driver, page, width)
            violations = _axe(driver)
            if violations:
                problems.append(f"{name} at {width} px:\n{_described(violations)}")
            wide, screen = driver.execute_script(
                "return [document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert screen == width
            if wide > screen:
                problems.append(f"{name} at {width} px is {wide} px wide")
    assert not problems, "\n".join(problems)


@needs_browser
def test_on_a_phone_the_plot_fits_and_can_be_reached_by_keyboard(
    pages: dict[str, Path], tmp_path: Path
) -> None:
    with chromium(tmp_path / "downloads") as driver:
        _open(driver, pages["feedback with answers"], PHONE)
        figure, svg, tab_index = driver.execute_script(
            "const f = document.querySelector('.roofline-figure');"
            "return [[f.scrollWidth, f.clientWidth], f.querySelector('svg')"
            ".getBoundingClientRect().right, f.tabIndex]"
        )
        assert figure[0] <= figure[1]  # nothing to scroll to: the whole plot is in view
        assert svg <= PHONE
        assert tab_index == 0
        # The GPU's ridge (at 250 FLOP/byte, on the right) is drawn inside the screen.
        right_edge = driver.execute_script(
            "return Math.max(...[...document.querySelectorAll('.roofline-figure svg text')]"
            ".map(t => t.getBoundingClientRect().right))"
        )
        assert right_edge <= PHONE


@needs_browser
@pytest.mark.parametrize("page", ["summary", "feedback (mistakes, plot)"])  # review: no table
def test_on_a_phone_column_headers_stay_for_screen_readers(
    pages: dict[str, Path], page: str, tmp_path: Path
) -> None:
    with chromium(tmp_path / "downloads") as driver:
        _open(driver, pages[page], PHONE)
        hidden = driver.execute_script(
            "return [...document.querySelectorAll('thead, thead th')].filter(e => {"
            "  const s = getComputedStyle(e);"
            "  return s.display === 'none' || s.visibility === 'hidden'; }).length"
        )
        headers = driver.execute_script("return document.querySelectorAll('thead th').length")
        assert headers and hidden == 0


def test_the_summary_has_a_main_landmark_and_focusable_scroll_boxes(
    pages: dict[str, Path],
) -> None:
    page = pages["summary"].read_text("utf-8")
    assert page.count("<main>") == 1 and "</main>" in page
    boxes = re.findall(r'<div class="scroll"[^>]*>', page)
    assert boxes and all('tabindex="0"' in box and "aria-label=" in box for box in boxes)
    assert "display: none; }" not in page.split("thead {", 1)[1][:40]


# --- the plot as text -----------------------------------------------------------------------


def _plot_numbers(page: str) -> str:
    """The text of the plot's tables (tags stripped)."""
    start = page.index("The plot's numbers")
    return re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", page[start : page.index("</section>", start)])
    )


def test_the_plot_as_text_shows_the_givens_and_the_students_own_values(
    pages: dict[str, Path],
) -> None:
    text = _plot_numbers(pages["feedback (mistakes, plot)"].read_text("utf-8"))
    # The givens: 200 TFLOP/s and 800 GB/s (GPU), 20 TFLOP/s and 6000 GB/s (PIM).
    for words in ["GPU 200 TFLOP/s 800 GB/s", "PIM 20 TFLOP/s 6 TB/s"]:
        assert words in text
    # s1000002's own answers: conv 903168 / 803968 = 1.1234 FLOP/byte, QKV 8; the verdicts.
    assert "conv 1.12 FLOP/byte" in text and "QKV 8 FLOP/byte" in text
    assert "QKV PIM compute-bound" in text and "conv GPU memory-bound" in text
    # No reference at reveal: feedback: not the reference intensity, ridge, nor a verdict column.
    exp = expectations_for(load_assignment("roofline-1"))
    conv = float(exp.answers["q5.conv.intensity"])  # type: ignore[arg-type]
    assert f"{conv:.3g} FLOP/byte" not in text
    assert "Turning point" not in text and "Verdict " not in text


def test_the_plot_as_text_shows_the_reference_where_the_answers_are_revealed(
    pages: dict[str, Path],
) -> None:
    text = _plot_numbers(pages["feedback with answers"].read_text("utf-8"))
    exp = expectations_for(load_assignment("roofline-1"))
    conv = float(exp.answers["q5.conv.intensity"])  # type: ignore[arg-type]
    ridge = 200e12 / 800e9  # the GPU's turning point, from its givens
    assert f"conv 1.12 FLOP/byte {conv:.3g} FLOP/byte" in text
    assert f"{ridge:.3g} FLOP/byte" in text and "Turning point" in text


def test_a_value_the_plot_cannot_place_is_said_so_in_the_text(tmp_path: Path) -> None:
    answers = tmp_path / "s5.yaml"
    answers.write_text(
        "assignment: roofline-1\nstudent: {id: s5}\n"
        "answers:\n  q5:\n    conv: {intensity: 1e9}\n    qkv: {intensity: lots}\n",
        "utf-8",
    )
    out = tmp_path / "out"
    _grade(answers, out)
    text = _plot_numbers((out / "feedback" / "s5.html").read_text("utf-8"))
    assert "conv 1e+09 FLOP/byte: off the scale, drawn at the edge" in text
    assert "QKV no usable intensity: not plotted" in text


# --- the student's own sketch ---------------------------------------------------------------


def _embedded_images(page: str) -> list[bytes]:
    return [
        base64.b64decode(data)
        for data in re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    ]


def test_the_students_own_sketches_are_in_their_report_next_to_the_plot(
    pages: dict[str, Path],
) -> None:
    page = pages["feedback (sketches, long name)"].read_text("utf-8")
    images = _embedded_images(page)
    assert images == [
        (SAMPLES / "q3-sketch.png").read_bytes(),
        (SAMPLES / "q4-sketch.png").read_bytes(),
    ]
    plot = page.index('<figure class="roofline-figure"')
    assert plot < page.index('<figure class="sketch">') < page.index("The plot's numbers")
    assert 'alt="Your sketch for q3.b' in page
    # Someone else's report holds no sketch of theirs.
    assert _embedded_images(pages["feedback (mistakes, plot)"].read_text("utf-8")) == []


def test_the_sketch_is_shown_at_every_reveal_level_without_the_plot_at_none(
    tmp_path: Path,
) -> None:
    klass = tmp_path / "class"
    klass.mkdir()
    for name in ("perfect.yaml", "q3-sketch.png", "q4-sketch.png"):
        shutil.copy(SAMPLES / name, klass / name)
    _grade(klass, tmp_path / "out", "--reveal", "none")
    page = (tmp_path / "out" / "feedback" / "s1000001.html").read_text("utf-8")
    assert len(_embedded_images(page)) == 2  # the student's own answer, which "none" shows
    assert "<svg" not in page and "The plot's numbers" not in page


def test_a_file_named_like_an_image_that_is_not_one_is_not_shown(tmp_path: Path) -> None:
    klass = tmp_path / "class"
    klass.mkdir()
    shutil.copy(SAMPLES / "perfect.yaml", klass / "perfect.yaml")
    (klass / "q3-sketch.png").write_bytes(b"<svg onload=alert(1)>")  # not a PNG by content
    shutil.copy(SAMPLES / "q4-sketch.png", klass / "q4-sketch.png")
    _grade(klass, tmp_path / "out")
    page = (tmp_path / "out" / "feedback" / "s1000001.html").read_text("utf-8")
    assert _embedded_images(page) == [(SAMPLES / "q4-sketch.png").read_bytes()]
    assert "onload" not in page


def test_a_sketch_too_large_to_embed_is_named_not_embedded(tmp_path: Path) -> None:
    exp = expectations_for(load_assignment("roofline-1"))
    shown = student_view(grade_file(SAMPLES / "perfect.yaml", exp).result, exp)
    png = (SAMPLES / "q3-sketch.png").read_bytes()
    large = png + b"\0" * (MAX_EMBEDDED_SKETCH + 1 - len(png))
    fake = Attachment("0" * 64, "gif", png)  # says GIF, is a PNG: the content decides
    views = sketch_views(shown, {"q3.b": Attachment("1" * 64, "png", large), "q4.b": fake})
    assert [(v.part_id, v.source, bool(v.note)) for v in views] == [("q3.b", None, True)]
    assert "too large" in (views[0].note or "")


def test_the_class_plot_as_text_shows_the_devices_and_the_reference(
    pages: dict[str, Path],
) -> None:
    text = _plot_numbers(pages["summary"].read_text("utf-8"))
    exp = expectations_for(load_assignment("roofline-1"))
    qkv = float(exp.answers["q5.qkv.intensity"])  # type: ignore[arg-type]
    ridge = 20e12 / 6000e9  # the PIM's turning point, from its givens
    assert f"PIM 20 TFLOP/s 6 TB/s {ridge:.3g} FLOP/byte" in text
    verdicts = f"{exp.answers['q5.qkv.gpu']} {exp.answers['q5.qkv.pim']}"
    assert f"QKV {qkv:.3g} FLOP/byte {verdicts}" in text
