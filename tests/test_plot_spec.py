"""The roofline plot is drawn from the sheet's `plots.roofline` alone (devices, operations and
their labels, the parts asking for turning points), and a sheet without one has no plot: not
in a student's report, not in the class summary (and `grader grade` does not fail on it)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from cli_runs import grader

from grader.reports.plots import (
    class_roofline_svg,
    has_roofline,
    plot_frame,
    plot_key,
    ridge_parts,
    roofline_svg,
)
from grader.reports.report import feedback_html
from grader.results import SubmissionResult
from grader.run.pipeline import grade_bytes, grade_file
from grader.sheets.expectations import Expectations, build_expectations
from grader.sheets.library import load_assignment

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"

# A matrix-vector product on one accelerator: acc.peak / acc.bandwidth = 2e12 / 1e11 = 20.
GIVENS = """\
id: plotted-1
title: Plotted
givens:
  matrix.rows: {value: "1000", symbol: M}
  matrix.cols: {value: "500", symbol: N}
  acc.peak: {value: 2 TFLOP/s, unit: FLOP/s}
  acc.bandwidth: {value: 100 GB/s, unit: byte/s}
  other.peak: {value: 1 TFLOP/s, unit: FLOP/s}
  other.bandwidth: {value: 1 GB/s, unit: byte/s}
parts:
  - {id: q1.a, title: FLOPs, kind: count, unit: FLOP, points: 1, formula: 2*M*N}
  - {id: q1.b, title: Bytes, kind: count, unit: byte, points: 1, formula: 4*(M*N + M + N)}
  - {id: q1.c, title: Intensity, kind: real, unit: FLOP/byte, points: 1, formula: q1.a / q1.b}
  - id: q2.a
    title: Turning point
    kind: real
    unit: FLOP/byte
    points: 1
    formula: acc.peak / acc.bandwidth
"""
PLOTS = """\
plots:
  roofline:
    devices: [acc]
    operations:
      - {part: q1.c, label: "{M}-row matvec"}
    turning_points: {acc: q2.a}
"""


def expectations_of(folder: Path, text: str) -> Expectations:
    folder.mkdir(parents=True)
    (folder / "sheet.yaml").write_text(text, encoding="utf-8")
    return build_expectations(load_assignment(folder))


def graded(exp: Expectations, answers: dict[str, object]) -> SubmissionResult:
    document = {"assignment": exp.assignment.id, "student": {"id": "s1"}, "answers": answers}
    return grade_bytes(json.dumps(document).encode(), exp, fmt="json", name="s1.json").result


def student_marks(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "student-marks")
    return list(group)


def texts(svg: str) -> str:
    return " | ".join("".join(node.itertext()) for node in ET.fromstring(svg).iter(f"{SVG}text"))


def test_the_plot_shows_what_the_spec_names_and_only_that(tmp_path: Path) -> None:
    exp = expectations_of(tmp_path / "plotted", GIVENS + PLOTS)
    key = plot_key(exp)
    # Only the device the spec names, though `other` has a peak and a bandwidth too.
    assert [(device.name, device.ridge) for device in key.devices] == [("ACC", 20.0)]
    assert key.operations == ("1,000-row matvec",)  # the label's placeholder filled in
    assert ridge_parts(exp) == (("q2.a", 0),)
    own = graded(exp, {"q1.a": 1_000_000, "q1.b": 4000, "q2.a": 8})  # intensity missing
    svg = roofline_svg(exp, graded(exp, {"q1.c": 5, "q2.a": 8}), answers=False)
    assert "1,000-row matvec" in texts(svg) and "OTHER" not in texts(svg)
    (marker,) = student_marks(svg)  # one operation on one roofline
    frame = plot_frame(exp, answers=False)
    x, _ = frame.to_svg(5.0, key.devices[0].attainable(5.0))
    assert float(marker.get("cx", "nan")) == pytest.approx(x, abs=0.01)
    assert "your ACC turning point" in texts(svg)
    notes = texts(roofline_svg(exp, own, answers=False))
    assert "your 1,000-row matvec: no usable intensity, not plotted" in notes


def test_a_sheet_without_a_roofline_spec_has_no_plot(tmp_path: Path) -> None:
    exp = expectations_of(tmp_path / "plain", GIVENS)  # devices in the givens, no plots
    assert not has_roofline(exp)
    assert ridge_parts(exp) == ()
    result = graded(exp, {"q1.c": 0.5})
    assert class_roofline_svg(exp, [result]) is None
    page = feedback_html(result, exp)
    assert "<svg" not in page and "Plotted" in page


def test_the_second_sheet_places_its_own_operations() -> None:
    # Before the plot read the spec, it looked for roofline-1's part ids and drew nothing here.
    folder = ROOT / "sheets" / "llm_inference_1"
    spec = yaml.safe_load((folder / "sheet.yaml").read_text("utf-8"))["plots"]["roofline"]
    exp = build_expectations(load_assignment("llm-inference-1"))
    result = grade_file(folder / "samples" / "perfect.yaml", exp).result
    svg = roofline_svg(exp, result, answers=True)
    assert len(student_marks(svg)) == len(spec["operations"]) * len(spec["devices"])
    assert "decode, b = 16" in texts(svg)  # "decode, b = {b}" with the sheet's batch


SHEET_WITHOUT_PLOTS = """\
id: no-plot-1
title: No plot
givens:
  n: {value: "6", symbol: n}
parts:
  - {id: q1.a, title: Pairs, kind: count, points: 1, formula: n*(n-1)/2}
  - {id: q1.b, title: Triangles, kind: count, points: 1, formula: n*(n-1)*(n-2)/6}
"""


def test_grade_with_reports_on_a_sheet_without_plots(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet"
    sheet.mkdir()
    (sheet / "sheet.yaml").write_text(SHEET_WITHOUT_PLOTS, encoding="utf-8")
    answers = tmp_path / "answers"
    answers.mkdir()
    (answers / "s1.yaml").write_text("answers: {q1: {a: 15, b: 20}}\n", encoding="utf-8")
    (answers / "s2.yaml").write_text("answers: {q1: {a: 30, b: 2}}\n", encoding="utf-8")
    out = tmp_path / "out"
    code, output = grader("grade", "-a", str(sheet), "-o", str(out), str(answers))
    assert code == 0, output
    summary = (out / "summary.html").read_text("utf-8")
    assert "<svg" not in summary
    assert "<svg" not in (out / "feedback" / "s1.html").read_text("utf-8")
    rows = (out / "gradebook.csv").read_text("utf-8")
    assert "s1" in rows and "s2" in rows


def test_the_sheets_intensity_range_widens_the_axis_where_answers_are_hidden(
    tmp_path: Path,
) -> None:
    # Around the turning point alone (20 FLOP/byte): 1 to 1000; the sheet asks for 0.05 to 5e4.
    plain = expectations_of(tmp_path / "a", GIVENS + PLOTS)
    assert plot_frame(plain, answers=False).limits.xlim == (1.0, 1000.0)
    ranged = PLOTS + "    intensity_range: [0.05, 50000]\n"
    exp = expectations_of(tmp_path / "b", GIVENS + ranged)
    assert plot_frame(exp, answers=False).limits.xlim == (0.01, 100000.0)
    svg = roofline_svg(exp, graded(exp, {"q1.c": 0.1}), answers=False)
    assert "off scale" not in texts(svg)


def test_an_intensity_range_upside_down_is_a_sheet_error(tmp_path: Path) -> None:
    folder = tmp_path / "upside"
    folder.mkdir()
    text = GIVENS + PLOTS + "    intensity_range: [100, 1]\n"
    (folder / "sheet.yaml").write_text(text, encoding="utf-8")
    code, out = grader("selftest", "-a", str(folder))
    assert code == 2, out
    assert "plots.roofline" in out and "the lowest first" in out and "Traceback" not in out


def test_the_second_sheets_operations_are_on_scale_without_the_answers() -> None:
    exp = build_expectations(load_assignment("llm-inference-1"))
    folder = ROOT / "sheets" / "llm_inference_1" / "samples"
    svg = roofline_svg(exp, grade_file(folder / "perfect.yaml", exp).result, answers=False)
    assert "off scale" not in texts(svg) and len(student_marks(svg)) == 4
