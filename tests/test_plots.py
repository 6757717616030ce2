"""The roofline plot: well-formed self-contained SVG, both rooflines, the student's markers."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from leaks import html_text, leaks
from plot_geometry import polygons_overlap, text_boxes, view_box

from grader.reports.plot_marks import LABEL_WIDTH, clamp
from grader.reports.plots import (
    class_roofline_svg,
    devices_of,
    plot_frame,
    plot_key,
    ridge_parts,
    roofline_svg,
)
from grader.reports.roofline_background import DEVICE_COLOURS, shared_background
from grader.results import SubmissionResult
from grader.run.pipeline import grade_file
from grader.sheets.expectations import Expectations

SUBMISSIONS = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"
SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def graded(name: str, exp: Expectations) -> SubmissionResult:
    return grade_file(SUBMISSIONS / name, exp).result


def with_intensities(result: SubmissionResult, conv: float, qkv: float) -> SubmissionResult:
    """The result with the student's two intensities replaced (as if they had written them)."""
    values = {"q5.conv.intensity": conv, "q5.qkv.intensity": qkv}
    parts = tuple(
        part.model_copy(update={"value": values[part.id]}) if part.id in values else part
        for part in result.parts
    )
    return result.model_copy(update={"parts": parts})


def texts(svg: str) -> list[str]:
    return ["".join(node.itertext()) for node in ET.fromstring(svg).iter(f"{SVG}text")]


def student_xs(svg: str) -> list[float]:
    """x of the student's circles (conv: one per roofline)."""
    root = ET.fromstring(svg)
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "student-marks")
    return [float(c.get("cx", "nan")) for c in group.iter(f"{SVG}circle")]


def reference_markers(svg: str) -> list[tuple[float, float]]:
    """The centres of the hollow reference markers (circles, squares, diamonds)."""
    root = ET.fromstring(svg)
    group = next((g for g in root.iter(f"{SVG}g") if g.get("class") == "references"), None)
    if group is None:
        return []
    centres = []
    for node in group:
        if node.tag == f"{SVG}circle":
            centres.append((float(node.get("cx", "nan")), float(node.get("cy", "nan"))))
        elif node.tag == f"{SVG}rect":
            x, y = float(node.get("x", "nan")), float(node.get("y", "nan"))
            side = float(node.get("width", "nan"))
            centres.append((x + side / 2, y + side / 2))
        else:  # a diamond: the middle of its corners
            corners = [tuple(map(float, p.split(","))) for p in node.get("points", "").split()]
            xs, ys = [c[0] for c in corners], [c[1] for c in corners]
            centres.append(((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2))
    return centres


@pytest.fixture(scope="module")
def macs(expectations: Expectations) -> SubmissionResult:
    return graded("macs-instead-of-flops.yaml", expectations)


def test_svg_is_well_formed_self_contained_and_responsive(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    svg = roofline_svg(expectations, macs, answers=True)
    root = ET.fromstring(svg)  # raises if not well-formed XML
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "100%"
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox", ""))
    assert "pt" not in (root.get("width") or "") and root.get("height") is None
    hrefs = [node.get(XLINK_HREF) or node.get("href") or "" for node in root.iter()]
    assert all(h.startswith("#") for h in hrefs if h), "only internal references"
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<image" not in svg
    assert "@import" not in svg and "url(http" not in svg


def test_both_rooflines_ridges_and_regions_are_labelled(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    labels = " | ".join(texts(roofline_svg(expectations, macs, answers=True)))
    for expected in ("GPU ridge", "250 FLOP/byte", "PIM ridge", "3.33 FLOP/byte"):
        assert expected in labels
    for expected in ("GPU 800 GB/s", "PIM 6,000 GB/s", "peak 200 TFLOP/s", "peak 20 TFLOP/s"):
        assert expected in labels
    assert labels.count("memory-bound") == 2 and labels.count("compute-bound") == 2
    for legend in ("your conv", "your QKV", "reference conv", "reference QKV"):
        assert legend in labels


def test_reference_points_are_drawn_where_the_frame_puts_them(
    expectations: Expectations,
) -> None:
    """Each reference operation sits on every roofline, where the recorded data -> SVG
    transform (log scale, y flipped) puts it; so do the students' marks drawn later."""
    key = plot_key(expectations)
    frame = plot_frame(expectations)
    drawn = reference_markers(roofline_svg(expectations, answers=True))
    assert len(drawn) == len(key.references) * len(key.devices) == 4
    for _label, intensity in key.references:
        for device in key.devices:
            x, y = frame.to_svg(intensity, device.attainable(intensity))
            assert any(math.hypot(x - dx, y - dy) < 0.05 for dx, dy in drawn), (x, y)


def test_macs_student_conv_is_left_of_the_reference(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    assert macs.part("q5.conv.intensity").value == pytest.approx(1.1234, abs=1e-3)
    svg = roofline_svg(expectations, macs, answers=True)
    key = plot_key(expectations)
    frame = plot_frame(expectations)
    reference_x, _ = frame.to_svg(key.references[0][1], key.devices[0].peak)
    own_x, _ = frame.to_svg(1.1234, key.devices[0].peak)
    xs = student_xs(svg)
    assert len(xs) == 2  # on the GPU and on the PIM roofline
    assert all(x == pytest.approx(own_x, abs=0.01) and x < reference_x - 10 for x in xs)


def test_perfect_student_sits_on_the_reference(expectations: Expectations) -> None:
    svg = roofline_svg(expectations, graded("perfect.yaml", expectations), answers=True)
    reference_xs = sorted({round(x, 1) for x, _ in reference_markers(svg)})
    assert all(min(abs(x - r) for r in reference_xs) < 1.0 for x in student_xs(svg))


def test_invalid_or_missing_intensities_are_omitted_with_a_note(
    expectations: Expectations,
) -> None:
    hostile = graded("hostile-input.yaml", expectations)
    svg = roofline_svg(expectations, hostile, answers=True)
    assert student_xs(svg) == []
    assert "\u25b8 your conv: no usable intensity, not plotted" in texts(svg)
    assert "&lt;img" not in svg and "<img" not in svg  # no student text is drawn at all


@pytest.mark.parametrize(
    ("conv", "qkv", "sides"),
    [
        (0.0, 16.0, (-1, 0)),
        (-3.0, 1e300, (-1, 1)),
        (float("nan"), float("inf"), (-1, 1)),
        (1e-300, 5e4, (-1, 1)),
        (2.25, 16.0, (0, 0)),
    ],
)
def test_off_scale_values_are_clamped_with_an_arrow_and_never_crash(
    expectations: Expectations,
    macs: SubmissionResult,
    conv: float,
    qkv: float,
    sides: tuple[int, int],
) -> None:
    frame = plot_frame(expectations)
    assert (clamp(conv, frame.limits.xlim)[1], clamp(qkv, frame.limits.xlim)[1]) == sides
    svg = roofline_svg(expectations, with_intensities(macs, conv, qkv), answers=True)
    root = ET.fromstring(svg)
    arrows = [p for p in root.iter(f"{SVG}path") if p.get("class") == "off-scale"]
    assert len(arrows) == 2 * sum(side != 0 for side in sides)  # one per roofline
    left, _bottom, right, _top = frame.box
    assert all(
        left * frame.width - 0.01 <= x <= right * frame.width + 0.01 for x in student_xs(svg)
    )
    if any(sides):
        assert any("off scale" in text for text in texts(svg))
    numbers = re.findall(r'\s(?:cx|cy|x|y|width|height)="([^"]+)"', svg)
    assert all(math.isfinite(float(n)) for n in numbers if n != "100%")


def test_error_result_and_no_result_draw_the_background_only(
    expectations: Expectations, tmp_path: Path
) -> None:
    bad = tmp_path / "list.yaml"
    bad.write_text("- 1\n", encoding="utf-8")
    error = grade_file(bad, expectations).result
    assert error.status == "error"
    assert roofline_svg(expectations, error, answers=True) == roofline_svg(
        expectations, answers=True
    )
    assert 'class="student-marks"' not in roofline_svg(expectations, answers=True)


def test_background_is_drawn_once(expectations: Expectations, macs: SubmissionResult) -> None:
    roofline_svg(expectations, macs, answers=True)
    before = shared_background.cache_info()
    first = roofline_svg(expectations, macs, answers=True)
    second = roofline_svg(expectations, macs, answers=True)
    after = shared_background.cache_info()
    assert first == second
    assert after.misses == before.misses and after.hits >= before.hits + 2


def test_class_plot_has_a_dot_per_student_operation_and_device(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    perfect = graded("perfect.yaml", expectations)
    hostile = graded("hostile-input.yaml", expectations)
    odd = with_intensities(macs, 0.0, 1e9)
    svg = class_roofline_svg(expectations, [macs, perfect, hostile, odd])
    root = ET.fromstring(svg)
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "class-marks")
    assert len(list(group.iter(f"{SVG}circle"))) == 3 * 2 * 2  # hostile has none
    labels = texts(svg)
    assert "students' conv" in labels and "2 value(s) off scale" in labels[-1]


def test_devices_come_from_the_givens(expectations: Expectations) -> None:
    devices = devices_of(expectations.givens, ("gpu", "pim"))
    assert [(d.name, d.ridge) for d in devices] == [
        ("GPU", pytest.approx(250.0)),
        ("PIM", pytest.approx(10 / 3)),
    ]
    assert [d.name for d in devices_of(expectations.givens, ("pim",))] == ["PIM"]
    odd = {"x.peak": 1.0, "x.bandwidth": 0.0, "y.peak": "fast", "y.bandwidth": 2.0}
    assert devices_of(odd, ("x", "y", "z")) == ()


# ------------------------------------------------------------- without the answers (feedback)


def own_ridge_lines(svg: str) -> list[tuple[float, str]]:
    """(x, colour) of the dashed lines marking the student's own turning points."""
    root = ET.fromstring(svg)
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "own-ridges")
    return [
        (float(line.get("x1", "nan")), line.get("stroke", "")) for line in group.iter(f"{SVG}line")
    ]


def test_without_answers_only_the_givens_and_the_students_marks_are_drawn(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    svg = roofline_svg(expectations, macs, answers=False)
    ET.fromstring(svg)
    labels = " | ".join(texts(svg))
    for given in ("GPU 800 GB/s", "PIM 6,000 GB/s", "peak 200 TFLOP/s", "peak 20 TFLOP/s"):
        assert given in labels
    assert "your conv" in labels and "your QKV" in labels
    shown = html_text(svg)  # the texts, comments and labels read aloud
    for answer in ("ridge", "reference", "memory-bound", "compute-bound", "250", "3.33"):
        assert answer not in shown, answer
    assert leaks(shown, expectations) == []
    assert reference_markers(svg) == [] and 'class="references"' not in svg
    assert "ridge-points" not in svg and 'class="strip"' not in svg
    assert len(student_xs(svg)) == 2  # the student's conv on both rooflines
    frame = plot_frame(expectations, answers=False)
    assert frame.limits == plot_frame(expectations).limits  # whole decades from the givens


@pytest.mark.parametrize("answers", [False, True])
def test_the_students_own_turning_points_are_drawn_as_theirs(
    expectations: Expectations, answers: bool
) -> None:
    own = graded("error-carried-forward.yaml", expectations)  # q3.a = 4, q4.a = 3.333
    assert ridge_parts(expectations) == (("q3.a", 0), ("q4.a", 1))  # GPU, PIM
    svg = roofline_svg(expectations, own, answers=answers)
    frame = plot_frame(expectations, answers=answers)
    gpu, pim = plot_key(expectations).devices
    lines = own_ridge_lines(svg)
    assert [x for x, _ in lines] == pytest.approx(
        sorted(frame.to_svg(v, d.attainable(v))[0] for v, d in ((4.0, gpu), (3.333, pim))),
        abs=0.01,
    )
    assert {colour for _, colour in lines} == {DEVICE_COLOURS[0], DEVICE_COLOURS[1]}
    labels = [t for t in texts(svg) if "turning point" in t]
    assert sorted(labels) == ["your GPU turning point", "your PIM turning point"]
    root = ET.fromstring(svg)
    anchors = sorted(
        float(re.search(r"translate\(([-\d.]+)", node.get("transform", "")).group(1))  # type: ignore[union-attr]
        for node in root.iter(f"{SVG}text")
        if "turning point" in "".join(node.itertext())
    )
    assert anchors[1] - anchors[0] >= LABEL_WIDTH  # 3.333 and 4 are close: labels apart


def test_an_own_turning_point_off_scale_or_missing_gets_a_note(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    parts = tuple(
        part.model_copy(update={"value": 1e6, "status": "incorrect"})
        if part.id == "q3.a"
        else part.model_copy(update={"value": None, "status": "missing"})
        if part.id == "q4.a"
        else part
        for part in macs.parts
    )
    svg = roofline_svg(expectations, macs.model_copy(update={"parts": parts}), answers=False)
    notes = texts(svg)
    assert any("your GPU turning point = 1e+06 FLOP/byte is off scale" in n for n in notes)
    assert any("your PIM turning point: no usable value, not drawn" in n for n in notes)
    frame = plot_frame(expectations, answers=False)
    [(x, _)] = own_ridge_lines(svg)
    assert x == pytest.approx(frame.box[2] * frame.width, abs=0.01)  # at the right edge


def test_drawing_imports_no_plotting_library() -> None:
    """The plot is written as SVG text: drawing it (uncached) loads no plotting library."""
    code = (
        "import sys; from grader.sheets.library import load_assignment;"
        "from grader.sheets.expectations import build_expectations;"
        "from grader.reports.plots import class_roofline_svg, roofline_svg;"
        "exp = build_expectations(load_assignment('roofline-1'));"
        "roofline_svg(exp, answers=True); roofline_svg(exp, answers=False);"
        "class_roofline_svg(exp, []);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('matplotlib', 'PIL', 'numpy', 'cairo')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("answers", [False, True])
@pytest.mark.parametrize("gpu_turning_point", [0.15, 0.3, 0.6, 4.0, 250.0, 3000.0])
def test_own_turning_point_labels_keep_clear_of_the_drawings_texts(
    expectations: Expectations, macs: SubmissionResult, answers: bool, gpu_turning_point: float
) -> None:
    """Wherever a student puts a turning point (here low on the slopes, where the bandwidth
    labels are), its upright label finds a place that covers no text of the drawing."""
    values = {"q3.a": gpu_turning_point, "q4.a": 3.333}
    parts = tuple(
        part.model_copy(update={"value": values[part.id], "status": "incorrect"})
        if part.id in values
        else part
        for part in macs.parts
    )
    svg = roofline_svg(expectations, macs.model_copy(update={"parts": parts}), answers=answers)
    boxes = text_boxes(svg)
    own = [box for box in boxes if box.group == "own-ridges"]
    assert len(own) == 2
    width, height = view_box(svg)
    for box in own:
        assert all(0 <= x <= width and 0 <= y <= height for x, y in box.corners)
        for other in boxes:
            if other is not box:
                assert not polygons_overlap(box.corners, other.corners), (box.text, other.text)
