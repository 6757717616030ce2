"""The shared roofline drawing as SVG elements: grid, rooflines, ridges, reference markers,
axes with their ticks, the legend, the labels and the strip (see
:mod:`grader.reports.roofline_background` for what is shared and why)."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from grader.reports.label_layout import Label
from grader.reports.log_axes import (
    AXIS_COLOUR,
    LABEL_GAP,
    MAJOR,
    TICK_FONT,
    Ticks,
    decade_ticks,
    grid,
    label_height,
    x_ticks,
    y_ticks,
)
from grader.reports.roofline_labels import Placement
from grader.reports.roofline_legend import Legend
from grader.reports.roofline_strip import STRIP_GAP, StripRow, strip_height, strip_svg
from grader.reports.roofline_style import (
    LINE_WIDTH,
    REFERENCE_COLOUR,
    REFERENCE_SIZE,
    RIDGE_DOT,
    SHAPES,
    device_colour,
    roofline_corners,
)
from grader.reports.svg_shapes import (
    ASCENT,
    DESCENT,
    FONT_STACK,
    line,
    marker,
    polyline,
    rect,
    text,
    text_width,
)

if TYPE_CHECKING:  # types only: that module calls this one to draw
    from grader.reports.roofline_background import Frame, PlotKey

X_LABEL = "arithmetic intensity (FLOP/byte)"
NOTE_LINE = 12.0  # viewBox units per line of the notes under the figure
NOTE_FONT = 9.0


def draw_body(key: PlotKey, frame: Frame, legend: Legend, placement: Placement) -> str:
    """The whole shared drawing (everything inside the ``<svg>`` element), with the labels
    where :func:`grader.reports.roofline_labels.place_labels` put them."""
    left, top, _right, bottom = frame.axes()
    x_axis, y_axis = _ticks(frame)
    out = [f'<g font-family="{html.escape(FONT_STACK)}">']
    out += grid(x_axis, frame.x_of, (top, bottom), vertical=True)
    out += grid(y_axis, _y_position(frame), (left, frame.axes()[2]), vertical=False)
    if key.answers:
        out += _drop_lines(key, frame)
    out.append('<g class="rooflines">')
    for index, device in enumerate(key.devices):
        points = roofline_corners(frame, device)
        out.append(polyline(points, stroke=device_colour(index), width=LINE_WIDTH))
    out.append("</g>")
    if key.answers:
        out += _ridge_dots(key, frame)
        out += _references(key, frame)
    out += _axes(key, frame, x_axis, y_axis)
    out.append(legend.svg(frame))
    out += ['<g class="labels">', *(label.svg() for label in placement.labels), "</g>"]
    if key.answers:
        out += _strip(key, frame, x_axis)
    out += _notes(frame, placement.notes)
    out.append("</g>")
    return "".join(out)


def _ticks(frame: Frame) -> tuple[Ticks, Ticks]:
    left, top, right, bottom = frame.axes()
    x_axis = decade_ticks(frame.limits.xlim, right - left, _tick_width, gap=8)
    y_axis = decade_ticks(frame.limits.ylim, bottom - top, lambda _label: label_height(), gap=3)
    return x_axis, y_axis


def _tick_width(label: str) -> float:
    return text_width(label, TICK_FONT)


def _y_position(frame: Frame) -> Callable[[float], float]:
    """SVG y of a value in the y axis' unit (TFLOP/s, ...)."""
    scale = frame.limits.y_scale
    return lambda value: frame.y_of(value * scale)


def _drop_lines(key: PlotKey, frame: Frame) -> list[str]:
    bottom = frame.axes()[3]
    out = []
    for index, device in enumerate(key.devices):
        x, y = frame.to_svg(device.ridge, device.peak)
        out.append(line(x, y, x, bottom, stroke=device_colour(index), width=1, dash="1 1.65"))
    return out


def _ridge_dots(key: PlotKey, frame: Frame) -> list[str]:
    out = ['<g class="ridge-points" stroke="none">']
    for index, device in enumerate(key.devices):
        x, y = frame.to_svg(device.ridge, device.peak)
        out.append(marker("circle", x, y, RIDGE_DOT, fill=device_colour(index), stroke="none"))
    return [*out, "</g>"]


def _references(key: PlotKey, frame: Frame) -> list[str]:
    """Each reference operation on every roofline, as a hollow marker."""
    out = ['<g class="references">']
    for index, (_label, intensity) in enumerate(key.references):
        shape = SHAPES[index % len(SHAPES)]
        for device in key.devices:
            x, y = frame.to_svg(intensity, device.attainable(intensity))
            out.append(
                marker(
                    shape,
                    x,
                    y,
                    REFERENCE_SIZE,
                    fill="none",
                    stroke=REFERENCE_COLOUR,
                    stroke_width=1.3,
                )
            )
    return [*out, "</g>"]


def _axes(key: PlotKey, frame: Frame, x_axis: Ticks, y_axis: Ticks) -> list[str]:
    """The axes' frame, ticks and labels (the x labels under the strip when it is drawn)."""
    left, top, right, bottom = frame.axes()
    out = [
        rect(
            left,
            top,
            right - left,
            bottom - top,
            fill="none",
            stroke=AXIS_COLOUR,
            extra='stroke-width="0.8" class="axes"',
        )
    ]
    out += x_ticks(x_axis, frame.x_of, bottom, labels=not key.answers)
    out += y_ticks(y_axis, _y_position(frame), left)
    y_label = f"attainable performance ({frame.limits.y_unit})"
    turn = f"translate({4 + ASCENT * TICK_FONT:.2f} {(top + bottom) / 2:.2f}) rotate(-90)"
    out.append(
        text(0, 0, y_label, size=TICK_FONT, fill=AXIS_COLOUR, anchor="middle", transform=turn)
    )
    if not key.answers:
        out.append(_x_label(frame, bottom))
    return out


def _x_label(frame: Frame, axis: float) -> str:
    """The intensity axis' name under the tick labels of the axis at ``axis``."""
    left, _top, right, _bottom = frame.axes()
    height = (ASCENT + DESCENT) * TICK_FONT
    baseline = axis + MAJOR + LABEL_GAP + height + 4 + ASCENT * TICK_FONT
    return text(
        (left + right) / 2, baseline, X_LABEL, size=TICK_FONT, fill=AXIS_COLOUR, anchor="middle"
    )


def _strip(key: PlotKey, frame: Frame, x_axis: Ticks) -> list[str]:
    left, _top, right, bottom = frame.axes()
    top = bottom + STRIP_GAP
    rows = [
        StripRow(device.name, frame.x_of(device.ridge), device_colour(index))
        for index, device in enumerate(key.devices)
    ]
    strip_bottom = top + strip_height(len(rows))
    out = [strip_svg(rows, left, right, top)]
    out += x_ticks(x_axis, frame.x_of, strip_bottom, labels=True)
    out.append(_x_label(frame, strip_bottom))
    return out


def _notes(frame: Frame, notes: tuple[Label, ...]) -> list[str]:
    """The labels that found no room on the plot, one line each at the bottom of the figure
    (the frame's height has room for them)."""
    left = frame.axes()[0]
    first = frame.height - NOTE_LINE * len(notes) - 4
    return [
        text(
            left,
            first + NOTE_LINE * (i + 0.8),
            f"\u25b8 {note.lines[0]}",
            size=NOTE_FONT,
            fill=note.colour,
        )
        for i, note in enumerate(notes)
    ]
