"""The sheet's roofline plot as self-contained SVG, with a student's (or a class's) operations.

What every plot of the sheet shares (axes, rooflines, ridges, references, legend, strips) comes
drawn once from :mod:`grader.roofline_background`; here only a few ``<circle>``/``<rect>``/
``<text>`` elements are added for each student (or each class) before ``</svg>``, with notes
for values off the scale. Importing this module (or ``grader.report``) does not import
matplotlib."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

from grader.expectations import Expectations
from grader.results import ResultLike, Status, SubmissionResult, find_part
from grader.roofline_background import (
    CLASS_COLOURS,
    FONT_STACK,
    SHAPES,
    STUDENT_COLOUR,
    Background,
    Device,
    Frame,
    PlotKey,
    shared_background,
    short_number,
)

OPERATIONS: tuple[tuple[str, str], ...] = (
    ("q5.conv.intensity", "conv"),
    ("q5.qkv.intensity", "QKV"),
)
"""The operations placed on the rooflines: (intensity part id, short label)."""

NOTE_LINE = 12.0  # viewBox units added under the figure per note line
TEXT_STYLE = f"font-family: {FONT_STACK}; font-size: 9px"


def roofline_svg(exp: Expectations, result: SubmissionResult | None = None) -> str:
    """The sheet's roofline plot, with the student's own operations when a result is given.

    Args:
        exp: the assignment's expectations (devices from ``exp.givens``, reference
            intensities from ``exp.solution.answers``).
        result: a graded submission; its usable intensities are drawn as filled markers
            on every roofline, clamped to the edge (with an arrow) when off scale.

    Returns:
        A self-contained ``<svg>`` element that scales to its container's width.

    Raises:
        ValueError: the sheet gives no device to draw (see ``has_roofline``).
    """
    key = plot_key(exp)
    background = shared_background(key)
    if result is None or result.status != "graded":
        return _finish(background, [], [])
    marks, notes = _student_elements(background.frame, key, result)
    return _finish(background, marks, notes)


def class_roofline_svg(exp: Expectations, results: Sequence[ResultLike]) -> str:
    """The roofline plot with every student's intensities as small translucent dots.

    Args:
        exp: the assignment's expectations.
        results: the class's results; error results and invalid/missing parts are skipped.

    Returns:
        A self-contained ``<svg>`` element that scales to its container's width.
    """
    key = plot_key(exp, class_mode=True)
    background = shared_background(key)
    marks, off_scale = _class_elements(background.frame, key, results)
    notes = [f"{off_scale} value(s) off scale, drawn at the edge"] if off_scale else []
    return _finish(background, marks, notes)


def has_roofline(exp: Expectations) -> bool:
    """Whether the sheet gives at least one device (``<name>.peak`` and ``<name>.bandwidth``)."""
    return bool(devices_of(exp.givens))


def plot_frame(exp: Expectations) -> Frame:
    """The data -> SVG transform of the sheet's plot (to place more marks, or to test)."""
    return shared_background(plot_key(exp)).frame


def plot_key(exp: Expectations, *, class_mode: bool = False) -> PlotKey:
    """The devices and reference operations of a sheet, as a hashable cache key."""
    references = []
    for part_id, label in OPERATIONS:
        value = _positive(exp.solution.answers.get(part_id))
        if value is not None:
            references.append((label, value))
    return PlotKey(devices_of(exp.givens), tuple(references), class_mode)


def devices_of(givens: Mapping[str, Any]) -> tuple[Device, ...]:
    """Every device with a ``<name>.peak`` and ``<name>.bandwidth`` given, in the sheet's order."""
    devices = []
    for name in givens:
        prefix = name.removesuffix(".peak")
        peak = _positive(givens[name])
        bandwidth = _positive(givens.get(f"{prefix}.bandwidth"))
        if name.endswith(".peak") and peak is not None and bandwidth is not None:
            devices.append(Device(prefix.upper(), bandwidth, peak))
    return tuple(devices)


def student_intensity(result: ResultLike, part_id: str) -> float | None:
    """The student's own (possibly wrong or absurd) value of a part; None if unusable."""
    part = find_part(result.parts, part_id)
    if part is None:
        return None
    if part.status in (Status.INVALID, Status.MISSING):
        return None
    value = part.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _positive(value: object) -> float | None:
    """A finite positive number as float, else None (givens and answers may be anything)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value > 0 else None


# ------------------------------------------------------------------------ per-student overlay


def clamp(intensity: float, xlim: tuple[float, float]) -> tuple[float, int]:
    """An intensity moved into the x range: (value drawn, -1 left edge / 0 on scale / 1 right).

    0, negative values and NaN go to the left edge, inf and huge values to the right edge.
    """
    low, high = xlim
    if math.isnan(intensity) or intensity < low:
        return low, -1
    if intensity > high:
        return high, 1
    return intensity, 0


def _student_elements(
    frame: Frame, key: PlotKey, result: SubmissionResult
) -> tuple[list[str], list[str]]:
    """The student's markers (on every roofline) and notes on what could not be drawn."""
    elements = ['<g class="student-marks">']
    notes = []
    for index, (part_id, label) in enumerate(OPERATIONS):
        value = student_intensity(result, part_id)
        if value is None:
            notes.append(f"your {label}: no usable intensity, not plotted")
            continue
        drawn, side = clamp(value, frame.limits.xlim)
        for device in key.devices:
            x, y = frame.to_svg(drawn, device.attainable(drawn))
            shape = SHAPES[index % len(SHAPES)]
            elements.append(_marker(shape, x, y, 4.2, fill=STUDENT_COLOUR))
            if side:
                elements.append(_off_scale_arrow(x, y, side))
        if side:
            notes.append(
                f"your {label} = {short_number(value)} FLOP/byte is off scale, drawn at the edge"
            )
    elements.append("</g>")
    return elements, notes


def _class_elements(
    frame: Frame, key: PlotKey, results: Sequence[ResultLike]
) -> tuple[list[str], int]:
    """A translucent dot per student, operation and roofline; and how many were off scale."""
    elements = ['<g class="class-marks" stroke="none" fill-opacity="0.35">']
    off_scale = 0
    for index, (part_id, _label) in enumerate(OPERATIONS):
        colour = CLASS_COLOURS[index % len(CLASS_COLOURS)]
        for result in results:
            value = student_intensity(result, part_id) if result.status == "graded" else None
            if value is None:
                continue
            drawn, side = clamp(value, frame.limits.xlim)
            off_scale += side != 0
            for device in key.devices:
                x, y = frame.to_svg(drawn, device.attainable(drawn))
                elements.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.6" fill="{colour}"/>')
    elements.append("</g>")
    return elements, off_scale


def _marker(shape: str, x: float, y: float, r: float, *, fill: str) -> str:
    """A marker as SVG, of the same shape and size as its matplotlib legend entry."""
    paint = f'fill="{fill}" stroke="#1a1a1a" stroke-width="0.9"'
    if shape == "circle":
        return f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{r:.2f}" {paint}/>'
    if shape == "square":
        side = r * 1.75
        return (
            f'<rect x="{x - side / 2:.2f}" y="{y - side / 2:.2f}" width="{side:.2f}" '
            f'height="{side:.2f}" {paint}/>'
        )
    if shape == "diamond":
        points = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    else:
        points = [(x, y - r), (x + r, y + r * 0.8), (x - r, y + r * 0.8)]
    coords = " ".join(f"{px:.2f},{py:.2f}" for px, py in points)
    return f'<polygon points="{coords}" {paint}/>'


def _off_scale_arrow(x: float, y: float, side: int) -> str:
    """An arrow inside the axes pointing through a marker clamped to the edge ("further out").

    Inside, so that it never covers the tick labels beyond the axes; and off the line: below
    it at the left edge (the slope rises to the right), above it at the right (the flat roof).
    """
    tail, tip = x - side * 20, x - side * 5
    y -= side * 8
    return (
        f'<path class="off-scale" d="M{tail:.2f},{y:.2f} L{tip:.2f},{y:.2f} '
        f"M{tip - side * 4.5:.2f},{y - 3.5:.2f} L{tip:.2f},{y:.2f} "
        f'L{tip - side * 4.5:.2f},{y + 3.5:.2f}" fill="none" stroke="{STUDENT_COLOUR}" '
        'stroke-width="1.6"/>'
    )


def _notes(frame: Frame, notes: list[str]) -> str:
    """Notes in the band added under the figure for them, one line each."""
    left = frame.box[0] * frame.width
    return "".join(
        _text(left, frame.height + NOTE_LINE * (i + 0.8), f"\u25b8 {note}")
        for i, note in enumerate(notes)
    )


def _text(x: float, y: float, text: str) -> str:
    # Every text is escaped, even our own, so that no label can ever break the SVG.
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" fill="#333" style="{TEXT_STYLE}">{html.escape(text)}</text>'
    )


def _finish(background: Background, marks: list[str], notes: list[str]) -> str:
    """The SVG: an opening tag tall enough for the notes, the shared body, the overlay."""
    frame = background.frame
    height = frame.height + (NOTE_LINE * len(notes) + 4 if notes else 0)
    opening = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'class="roofline" viewBox="0 0 {frame.width:g} {height:g}" width="100%" '
        'role="img" aria-label="Roofline plot: attainable performance against arithmetic '
        'intensity" style="height: auto; display: block">'
    )
    return opening + background.body + "".join(marks) + _notes(frame, notes) + "</svg>\n"
