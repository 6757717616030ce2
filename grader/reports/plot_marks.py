"""The marks added to the shared roofline drawing: one student's operations and turning points,
or a class's dots, as a few SVG elements (see :mod:`grader.reports.plots`).

Every value drawn is the student's own (possibly wrong or absurd: clamped to the edge with an
arrow when off scale); nothing here knows an expected value.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Sequence
from typing import Any, Protocol

from grader.reports.label_layout import Outline, box, overlap
from grader.reports.roofline_background import (
    CLASS_COLOURS,
    DEVICE_COLOURS,
    FONT_STACK,
    SHAPES,
    STUDENT_COLOUR,
    Frame,
    PlotKey,
    short_number,
)
from grader.reports.svg_shapes import marker, text_width
from grader.results import ResultLike, Status

Operations = Sequence[tuple[str, str]]
"""The operations placed on the rooflines: (intensity part id, label), from the sheet's
``plots.roofline.operations``."""

TEXT_STYLE = f"font-family: {FONT_STACK}; font-size: 9px"


class _Valued(Protocol):
    """A part as the plot reads it (a result's part, or a part of a student's view)."""

    @property
    def id(self) -> str: ...
    @property
    def status(self) -> Status: ...
    @property
    def value(self) -> Any: ...


class Marked(Protocol):
    """A graded file as the plot reads it: ``SubmissionResult`` or ``grader.reveal.StudentView``."""

    @property
    def status(self) -> str: ...
    @property
    def parts(self) -> Sequence[_Valued]: ...


def student_intensity(result: Marked | ResultLike, part_id: str) -> float | None:
    """The student's own (possibly wrong or absurd) value of a part; None if unusable."""
    part = next((p for p in result.parts if p.id == part_id), None)
    if part is None:
        return None
    if part.status in (Status.INVALID, Status.MISSING):
        return None
    value = part.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


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


def student_elements(
    frame: Frame, key: PlotKey, result: Marked, operations: Operations
) -> tuple[list[str], list[str]]:
    """The student's markers (on every roofline) and notes on what could not be drawn."""
    elements = ['<g class="student-marks">']
    notes = []
    for index, (part_id, label) in enumerate(operations):
        value = student_intensity(result, part_id)
        if value is None:
            notes.append(f"your {label}: no usable intensity, not plotted")
            continue
        drawn, side = clamp(value, frame.limits.xlim)
        for device in key.devices:
            x, y = frame.to_svg(drawn, device.attainable(drawn))
            shape = SHAPES[index % len(SHAPES)]
            elements.append(marker(shape, x, y, 4.2, fill=STUDENT_COLOUR))
            if side:
                elements.append(_off_scale_arrow(x, y, side))
        if side:
            notes.append(
                f"your {label} = {short_number(value)} FLOP/byte is off scale, drawn at the edge"
            )
    elements.append("</g>")
    return elements, notes


def class_elements(
    frame: Frame, key: PlotKey, results: Sequence[ResultLike], operations: Operations
) -> tuple[list[str], int]:
    """A translucent dot per student, operation and roofline; and how many were off scale."""
    elements = ['<g class="class-marks" stroke="none" fill-opacity="0.35">']
    off_scale = 0
    for index, (part_id, _label) in enumerate(operations):
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


LABEL_WIDTH = 9.0  # viewBox units a turning-point label (8px text, turned upright) takes
SLIDE = 10.0  # viewBox units a turning-point label moves up its line at a time


def own_ridge_elements(
    frame: Frame,
    key: PlotKey,
    result: Marked,
    parts: Sequence[tuple[str, int]],
    avoid: Sequence[Outline] = (),
) -> tuple[list[str], list[str]]:
    """The student's own turning points: a dashed line in the device's colour from the axis
    up to its roofline, labelled as theirs, clear of ``avoid`` (the shared drawing's labels)
    where it can be; notes for values not drawn or off scale."""
    drawn: list[tuple[float, float, int]] = []  # (x, y, device index)
    elements, notes = ['<g class="own-ridges">'], []
    for part_id, index in parts:
        device = key.devices[index]
        value = student_intensity(result, part_id)
        if value is None:
            notes.append(f"your {device.name} turning point: no usable value, not drawn")
            continue
        intensity, side = clamp(value, frame.limits.xlim)
        x, y = frame.to_svg(intensity, device.attainable(intensity))
        drawn.append((x, y, index))
        if side:
            elements.append(_off_scale_arrow(x, y, side))
            notes.append(
                f"your {device.name} turning point = {short_number(value)} FLOP/byte is off "
                "scale, drawn at the edge"
            )
    bottom = (1.0 - frame.box[1]) * frame.height
    placed: list[Outline] = []
    for x, y, index in sorted(drawn):
        colour = DEVICE_COLOURS[index % len(DEVICE_COLOURS)]
        elements.append(
            f'<line x1="{x:.2f}" y1="{bottom:.2f}" x2="{x:.2f}" y2="{y:.2f}" stroke="{colour}" '
            'stroke-width="1.3" stroke-dasharray="3 2"/>'
        )
        elements.append(marker("diamond", x, y, 3.6, fill="#ffffff", stroke=colour))
        label = f"your {key.devices[index].name} turning point"
        span = ((1.0 - frame.box[3]) * frame.height + 2, bottom)
        elements.append(_turning_label(label, (x, y), colour, span, placed, avoid))
    elements.append("</g>")
    return elements, notes


def _turning_label(
    label: str,
    point: tuple[float, float],
    colour: str,
    span: tuple[float, float],
    placed: list[Outline],
    avoid: Sequence[Outline],
) -> str:
    """A turning point's label, upright beside its dashed line: from the axis up, left of the
    line, else right of it; else slid up the line a step at a time, above the point if need
    be; else level, beside the line at some height. The first place clear of the labels
    placed before and of ``avoid``; else the first clear of those placed before. Its
    outline joins ``placed``."""
    top, bottom = span
    x, y = point
    length = text_width(label, 8.0)
    upright = (
        (base, start, "up")
        for start in _steps(bottom - 6, top + length, SLIDE)
        for base in (x - 3, x + 2 + LABEL_WIDTH)  # the baselines left and right of the line
    )
    level = (
        (start, baseline, side)
        for baseline in _steps(bottom - 4, max(top + 8, y - 8), SLIDE)
        for start, side in ((x + 4, "right"), (x - 4, "left"))
    )
    first = (x - 3, bottom - 6, "up")
    chosen: tuple[tuple[float, float, str], Outline] | None = None
    for option in itertools.chain(upright, level):  # the first one free is usually the first
        outline = _turning_outline(option, length)
        if any(overlap(outline, other) for other in placed):
            continue
        chosen = chosen or (option, outline)  # clear of the turning points at least
        if not any(overlap(outline, other) for other in avoid):
            chosen = (option, outline)
            break
    (at, along, how), outline = chosen or (first, _turning_outline(first, length))
    placed.append(outline)
    style = f'fill="{colour}" style="{TEXT_STYLE}; font-size: 8px"'
    if how == "up":
        place = f'transform="translate({at:.2f} {along:.2f}) rotate(-90)"'
    else:
        anchor = ' text-anchor="end"' if how == "left" else ""
        place = f'x="{at:.2f}" y="{along:.2f}"{anchor}'
    return f"<text {place} {style}>{html.escape(label)}</text>"


def _turning_outline(option: tuple[float, float, str], length: float) -> Outline:
    """What a turning point's label covers: ``option`` is (baseline x, start y, "up") for an
    upright label, (start x, baseline y, "right" or "left") for a level one."""
    at, along, how = option
    if how == "up":
        return box(at - 6.3, along - length, at + 2, along)
    left = at if how == "right" else at - length
    return box(left, along - 6.3, left + length, along + 2)


def _steps(first: float, last: float, step: float) -> list[float]:
    """``first``, ``first - step``, ... down to no less than ``last`` (at least ``first``)."""
    count = max(0, int((first - last) // step))
    return [first - step * i for i in range(count + 1)]


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
