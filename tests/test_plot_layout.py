"""The roofline drawing for other givens: texts apart and inside the drawing, ticks, the frame
transform, determinism, escaping, and what the drawing without the answers leaves out.

Boxes of text are estimated from font size and characters (``plot_geometry``), not with the
renderer's font table; ``test_rendered_texts_stay_apart`` measures them in a real browser.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from browser import chromium, needs_browser
from hypothesis import given, settings
from hypothesis import strategies as st
from leaks import numbers_in
from plot_geometry import (
    SVG,
    axes_frame,
    line_crosses,
    polygons_overlap,
    rooflines,
    text_boxes,
    view_box,
)

from grader.reports.log_axes import decade_label, decade_ticks
from grader.reports.plots import drawing_svg
from grader.reports.roofline_background import Device, PlotKey, shared_background
from grader.reports.summary import _inline_svg

OPS = ("conv", "QKV")
DEVICE_SETS: dict[str, tuple[tuple[Device, ...], tuple[tuple[str, float], ...]]] = {
    "roofline-1": (
        (Device("GPU", 800e9, 200e12), Device("PIM", 6e12, 20e12)),
        (("conv", 2.25), ("QKV", 16.0)),
    ),
    "one device, three operations": (
        (Device("GPU", 2.039e12, 312e12),),
        (("decode, b = 1", 1.0), ("decode, b = 16", 15.9), ("prefill", 1170.0)),
    ),
    "ridges close together": (
        (Device("GPU", 1e12, 100e12), Device("TPU", 1.2e12, 150e12)),
        (("conv", 2.25), ("QKV", 16.0)),
    ),
    "same bandwidth": (
        (Device("GPU", 1e12, 100e12), Device("GPU2", 1e12, 30e12)),
        (("conv", 2.25), ("QKV", 16.0)),
    ),
    "same peak": (
        (Device("GPU", 1e12, 100e12), Device("HBM", 3e12, 100e12)),
        (("conv", 2.25), ("QKV", 16.0)),
    ),
    "four devices": (
        (
            Device("CPU", 2e11, 2e12),
            Device("GPU", 2e12, 200e12),
            Device("TPU", 1.2e12, 275e12),
            Device("PIM", 6e12, 20e12),
        ),
        (("conv", 2.25), ("QKV", 16.0)),
    ),
    "very high peaks": (
        (Device("EXA", 1e15, 1e18), Device("PETA", 5e13, 2e16)),
        (("conv", 300.0), ("QKV", 5000.0)),
    ),
    "very low peaks": (
        (Device("MCU", 1e6, 5e5), Device("DSP", 2e7, 8e7)),
        (("conv", 0.05), ("QKV", 1.0)),
    ),
    "ridges far apart": (
        (Device("A", 1e13, 1e11), Device("B", 1e9, 1e13)),
        (("conv", 0.01), ("QKV", 2e4)),
    ),
    "long names": (
        (Device("H100_SXM5", 3.35e12, 989e12), Device("MI300X_OAM", 5.3e12, 1307e12)),
        (("conv", 2.25), ("QKV", 16.0)),
    ),
}
MODES = ("answers", "feedback", "class")
CASES = [(name, mode) for name in DEVICE_SETS for mode in MODES]


def key_of(name: str, mode: str) -> PlotKey:
    devices, references = DEVICE_SETS[name]
    operations = tuple(label for label, _value in references)
    answers = mode != "feedback"
    return PlotKey(devices, operations, references if answers else (), mode == "class", answers)


def drawing(key: PlotKey) -> str:
    return drawing_svg(key)


def assert_texts_apart_and_inside(svg: str) -> None:
    boxes = text_boxes(svg)
    width, height = view_box(svg)
    for box in boxes:
        assert all(0 <= x <= width and 0 <= y <= height for x, y in box.corners), box.text
    for i, first in enumerate(boxes):
        for second in boxes[i + 1 :]:
            assert not polygons_overlap(first.corners, second.corners), (first.text, second.text)


# ------------------------------------------------------------------------------ readability


@pytest.mark.parametrize(("name", "mode"), CASES)
def test_texts_stay_apart_and_inside_the_drawing(name: str, mode: str) -> None:
    assert_texts_apart_and_inside(drawing(key_of(name, mode)))


@pytest.mark.parametrize(("name", "mode"), CASES)
def test_labels_stay_inside_the_axes(name: str, mode: str) -> None:
    svg = drawing(key_of(name, mode))
    left, top, right, bottom = axes_frame(svg)
    labels = [box for box in text_boxes(svg) if box.group == "labels"]
    assert labels
    for box in labels:
        assert all(left <= x <= right and top <= y <= bottom for x, y in box.corners), box.text


# Four devices leave some label no place clear of every other device's roofline.
@pytest.mark.parametrize(("name", "mode"), [c for c in CASES if c[0] != "four devices"])
def test_labels_leave_the_rooflines_uncovered(name: str, mode: str) -> None:
    svg = drawing(key_of(name, mode))
    for box in (box for box in text_boxes(svg) if box.group == "labels"):
        for line in rooflines(svg):
            for start, end in itertools.pairwise(line):
                assert not line_crosses(box.corners, start, end), box.text


@pytest.mark.parametrize(("name", "mode"), CASES)
def test_every_device_is_labelled(name: str, mode: str) -> None:
    """Each device's bandwidth and peak (and ridge, with the answers) is written: on the plot,
    or, where it found no room, under it."""
    key = key_of(name, mode)
    shown = " | ".join(box.text for box in text_boxes(drawing(key)))
    for device in key.devices:
        # In GB/s as the givens are written; the one device faster than 100,000 GB/s in PB/s.
        rate = f"{device.bandwidth / 1e15:g} PB/s" if device.bandwidth >= 1e14 else None
        rate = rate or f"{device.bandwidth / 1e9:,g} GB/s"
        assert rate in shown and f"{device.name} " in shown
        assert (f"{device.name} ridge" in shown) == key.answers
    assert shown.count("peak ") == len({d.peak for d in key.devices})


DEVICE_ST = st.builds(
    lambda peak, ridge, name: Device(name, 10**peak / 10**ridge, 10**peak),
    st.floats(9, 18),
    st.floats(-1, 3),
    st.sampled_from(["GPU", "PIM", "CPU", "TPU", "H100_SXM", "A"]),
)


@settings(max_examples=30, deadline=None)
@given(
    devices=st.lists(DEVICE_ST, min_size=1, max_size=4).map(tuple),
    references=st.lists(st.floats(-1, 4), min_size=2, max_size=2),
    mode=st.sampled_from(MODES),
)
def test_any_givens_keep_texts_apart_and_inside(
    devices: tuple[Device, ...], references: list[float], mode: str
) -> None:
    named = tuple(Device(f"{d.name}{i}", d.bandwidth, d.peak) for i, d in enumerate(devices))
    answers = mode != "feedback"
    refs = tuple((op, 10**value) for op, value in zip(OPS, references, strict=True))
    key = PlotKey(named, OPS, refs if answers else (), mode == "class", answers)
    assert_texts_apart_and_inside(drawing(key))


# ------------------------------------------------------------------------------------ ticks


@pytest.mark.parametrize(
    ("exponent", "written"),
    [
        (-5, "10⁻⁵"),
        (-4, "0.0001"),
        (-1, "0.1"),
        (0, "1"),
        (3, "1,000"),
        (5, "100,000"),
        (6, "10⁶"),
        (12, "10¹²"),
    ],
)
def test_decades_are_written_as_plain_numbers_where_short(exponent: int, written: str) -> None:
    assert decade_label(exponent) == written


@pytest.mark.parametrize(
    ("limits", "length", "labelled", "minor"),
    [
        # 5 decades over 380: 76 a decade, the widest label ("10,000", 36) + 8 fits: all.
        ((0.1, 1e4), 380.0, [-1, 0, 1, 2, 3, 4], True),
        # 15 decades: 25.3 a decade; "100,000" needs 42 + 8 = 50: every 2nd (50.7).
        ((1e-8, 1e7), 380.0, [-8, -6, -4, -2, 0, 2, 4, 6], True),
        # 18 decades over 120: 6.7 a decade; 50 needs every 10th (66.7) but not every 5th.
        ((1e-6, 1e12), 120.0, [0, 10], False),
        # 2 decades over 40: 20 a decade, "1,000" needs 30 + 8 = 38: every 2nd, no minor.
        ((10, 1e3), 40.0, [2], False),
    ],
)
def test_decade_labels_are_thinned_until_they_fit(
    limits: tuple[float, float], length: float, labelled: list[int], minor: bool
) -> None:
    ticks = decade_ticks(limits, length, lambda label: 6.0 * len(label), gap=8)
    first, last = round(math.log10(limits[0])), round(math.log10(limits[1]))
    assert list(ticks.decades) == list(range(first, last + 1))
    assert list(ticks.labelled) == labelled
    assert bool(ticks.minor) == minor
    if minor:  # 2..9 in every decade
        assert len(ticks.minor) == 8 * (last - first)
        assert all(limits[0] < v < limits[1] for v in ticks.minor)


def test_tick_labels_sit_on_their_decades() -> None:
    """Each x label of the bundled sheet's plot is centred where its decade is."""
    key = key_of("roofline-1", "feedback")
    frame = shared_background(key).frame
    root = ET.fromstring(drawing(key))
    expected = {"0.1": 0.1, "1": 1.0, "10": 10.0, "100": 100.0, "1,000": 1e3, "10,000": 1e4}
    bottom = frame.axes()[3]
    found = {
        node.text: float(node.get("x", "nan"))
        for node in root.iter(f"{SVG}text")
        if node.get("text-anchor") == "middle" and float(node.get("y", "0")) > bottom
    }
    for label, value in expected.items():
        assert found[label] == pytest.approx(frame.x_of(value), abs=0.01)
    spacing = [frame.x_of(10.0 ** (k + 1)) - frame.x_of(10.0**k) for k in range(-1, 4)]
    assert max(spacing) - min(spacing) < 1e-9  # a log scale: every decade as wide


# -------------------------------------------------------------------------- frame transform


@pytest.mark.parametrize("name", list(DEVICE_SETS))
@pytest.mark.parametrize("answers", [True, False])
def test_a_point_at_the_ridge_lies_on_both_segments(name: str, answers: bool) -> None:
    key = key_of(name, "answers" if answers else "feedback")
    frame = shared_background(key).frame
    lines = rooflines(drawing(key))
    assert len(lines) == len(key.devices)
    for device, corners in zip(key.devices, lines, strict=True):
        point = frame.to_svg(device.ridge, device.peak)
        (x0, y0), (x1, y1), (x2, y2) = corners
        for (ax, ay), (bx, by) in (((x0, y0), (x1, y1)), ((x1, y1), (x2, y2))):
            # On the segment's line (cross product ~ 0) and between its ends.
            cross = (bx - ax) * (point[1] - ay) - (by - ay) * (point[0] - ax)
            assert abs(cross) / math.hypot(bx - ax, by - ay) < 0.02
            assert min(ax, bx) - 0.01 <= point[0] <= max(ax, bx) + 0.01
        # The slope starts on the left edge at bandwidth x lowest intensity; the roof is flat.
        low, high = frame.limits.xlim
        assert (x0, y0) == pytest.approx(frame.to_svg(low, device.bandwidth * low), abs=0.01)
        assert y2 == pytest.approx(y1, abs=0.01)
        assert x2 == pytest.approx(frame.x_of(high), abs=0.01)


def test_the_frame_maps_the_limits_to_the_axes_corners() -> None:
    key = key_of("roofline-1", "answers")
    frame = shared_background(key).frame
    left, top, right, bottom = axes_frame(drawing(key))
    limits = frame.limits
    low = frame.to_svg(limits.xlim[0], limits.ylim[0] * limits.y_scale)
    high = frame.to_svg(limits.xlim[1], limits.ylim[1] * limits.y_scale)
    assert low == pytest.approx((left, bottom), abs=0.01)
    assert high == pytest.approx((right, top), abs=0.01)


# ---------------------------------------------------------------------------- determinism


def test_the_same_key_draws_the_same_bytes() -> None:
    key = key_of("four devices", "answers")
    first = drawing(key)
    shared_background.cache_clear()
    assert drawing(key) == first


DIGEST = (
    "import hashlib, sys; sys.path.insert(0, 'tests');"
    "from test_plot_layout import key_of, drawing;"
    "print(hashlib.sha256(''.join(drawing(key_of(n, m)) for n in ('roofline-1', 'four devices')"
    " for m in ('answers', 'feedback', 'class')).encode()).hexdigest())"
)


def test_other_processes_draw_the_same_bytes() -> None:
    """Nothing depends on the process: not the hash seed, not what was drawn before."""
    root = Path(__file__).resolve().parent.parent
    here = hashlib.sha256(
        "".join(
            drawing(key_of(n, m)) for n in ("roofline-1", "four devices") for m in MODES
        ).encode()
    ).hexdigest()
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", DIGEST], cwd=root, env=env, capture_output=True, text=True
        )
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == here


# ------------------------------------------------------------------------------- escaping


@pytest.mark.parametrize(
    "name", ['<b>&"GPU"</b>', "X</text><script>alert(1)</script>", "A&amp;B", "GPU'onload='x"]
)
def test_every_text_is_escaped(name: str) -> None:
    key = PlotKey(
        (Device(name, 800e9, 200e12), Device("PIM", 6e12, 20e12)),
        (name, "QKV"),
        ((name, 2.25), ("QKV", 16.0)),
    )
    svg = drawing(key)
    root = ET.fromstring(svg)  # still well-formed
    texts = ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]
    assert f"your {name}" in texts and f"reference {name}" in texts
    assert any(f"{name} ridge" in text for text in texts)  # on the plot, or under it
    assert "<script" not in svg and "<b>" not in svg
    _inline_svg(svg)  # the summary page takes it: no element or handler that would run


# -------------------------------------------------------------------------- without answers


@pytest.mark.parametrize("name", list(DEVICE_SETS))
def test_without_answers_no_ridge_value_and_no_reference_is_drawn(name: str) -> None:
    key = key_of(name, "feedback")
    svg = drawing(key)
    for word in ("ridge", "reference", "memory-bound", "compute-bound", 'fill="none" stroke="#222'):
        assert word not in svg  # the last: a hollow reference marker
    ridges = [d.ridge for d in key.devices]
    for box in text_boxes(svg):
        if box.text in {decade_label(k) for k in range(-30, 30)}:
            continue  # a tick label: a power of ten, the same for any ridge
        for found in numbers_in(box.text):
            assert not any(math.isclose(found.value, r, rel_tol=5e-3) for r in ridges), box.text


# ------------------------------------------------------------------------------- a browser

BOXES_JS = """
return Array.from(document.querySelectorAll('svg.roofline')).map(svg => {
  const view = svg.viewBox.baseVal;
  const texts = Array.from(svg.querySelectorAll('text')).map(t => {
    const b = t.getBBox(), s = svg.getScreenCTM().inverse().multiply(
      t.getScreenCTM());
    const corner = (x, y) => [s.a * x + s.c * y + s.e, s.b * x + s.d * y + s.f];
    return {text: t.textContent, corners: [corner(b.x, b.y), corner(b.x + b.width, b.y),
      corner(b.x + b.width, b.y + b.height), corner(b.x, b.y + b.height)]};
  });
  return {width: view.width, height: view.height, texts: texts};
});
"""


@needs_browser
def test_rendered_texts_stay_apart(tmp_path: Path) -> None:
    """In a real browser, with the fonts it has, no two texts of any drawing of the table
    overlap (by more than half a unit, for antialiasing) and none leaves the drawing."""
    page = tmp_path / "plots.html"
    svgs = "".join(f'<div style="width:780px">{drawing(key_of(n, m))}</div>' for n, m in CASES)
    page.write_text(f"<!DOCTYPE html><meta charset=utf-8><body>{svgs}</body>", "utf-8")
    with chromium(tmp_path / "downloads") as driver:
        driver.get(page.as_uri())
        drawings = driver.execute_script(BOXES_JS)
    assert len(drawings) == len(CASES)
    for (name, mode), found in zip(CASES, drawings, strict=True):
        boxes = [(t["text"], tuple(map(tuple, _shrunk(t["corners"])))) for t in found["texts"]]
        for text, corners in boxes:
            assert all(
                -0.5 <= x <= found["width"] + 0.5 and -0.5 <= y <= found["height"] + 0.5
                for x, y in corners
            ), (name, mode, text)
        for i, (text, corners) in enumerate(boxes):
            for other, other_corners in boxes[i + 1 :]:
                assert not polygons_overlap(corners, other_corners), (name, mode, text, other)


def _shrunk(corners: list[list[float]]) -> list[tuple[float, float]]:
    """A box's corners moved half a unit towards its centre."""
    cx = sum(c[0] for c in corners) / 4
    cy = sum(c[1] for c in corners) / 4
    out = []
    for x, y in corners:
        dx, dy = cx - x, cy - y
        length = math.hypot(dx, dy) or 1.0
        out.append((x + dx / length * 0.5, y + dy / length * 0.5))
    return out
