"""Logarithmic axes as SVG: which decades get a label, how a decade is written, the ticks,
their labels and the grid lines, for an axis whose data -> SVG position is given."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from grader.reports.svg_shapes import ASCENT, line, text, text_width

AXIS_COLOUR = "#1a1a1a"
GRID_COLOUR = "#e2e2e2"
TICK_FONT = 9.5
MAJOR, MINOR = 3.5, 2.0  # tick lengths (outwards)
LABEL_GAP = 3.5  # between a tick's end and its label
MINOR_SPACING = 24.0  # viewBox units a decade needs before its 2..9 ticks are drawn
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def decade_label(exponent: int) -> str:
    """10^k as a plot's reader expects it: ``0.0001`` ... ``100,000`` plain, else ``10⁶``.

    >>> [decade_label(k) for k in (-5, -1, 0, 3, 5, 6)]
    ['10⁻⁵', '0.1', '1', '1,000', '100,000', '10⁶']
    """
    if -4 <= exponent <= 5:
        return f"{10.0**exponent:,.{max(0, -exponent)}f}"
    return "10" + str(exponent).translate(_SUPERSCRIPT)


@dataclass(frozen=True)
class Ticks:
    """The ticks of a log axis over whole decades.

    Attributes:
        decades: every decade's exponent in the range (a major tick each).
        labelled: those written out (each with a grid line): every decade, or every
            2nd, 3rd, 5th... when labels side by side would not fit.
        minor: 2..9 x 10^k inside the range, when a decade is wide enough to show them.
    """

    decades: tuple[int, ...]
    labelled: tuple[int, ...]
    minor: tuple[float, ...]


STEPS = (1, 2, 3, 5, 10, 20, 50, 100)


def decade_ticks(
    limits: tuple[float, float], length: float, extent: Callable[[str], float], gap: float
) -> Ticks:
    """The ticks of an axis from ``limits[0]`` to ``limits[1]`` (whole decades) drawn
    ``length`` long, whose labels take ``extent(label)`` along it, ``gap`` apart at least."""
    first = round(math.log10(limits[0]))
    last = max(first + 1, round(math.log10(limits[1])))
    decades = tuple(range(first, last + 1))
    per_decade = length / (last - first)
    needed = max(extent(decade_label(k)) for k in decades) + gap
    step = next((s for s in STEPS if s * per_decade >= needed), STEPS[-1])
    labelled = tuple(k for k in decades if k % step == 0)
    minor: tuple[float, ...] = ()
    if per_decade >= MINOR_SPACING:
        minor = tuple(m * 10.0**k for k in decades[:-1] for m in range(2, 10))
    return Ticks(decades, labelled, minor)


def label_height(size: float = TICK_FONT) -> float:
    """How much of an upright axis a tick label takes (for :func:`decade_ticks`)."""
    return size * 1.1


def x_ticks(
    ticks: Ticks, position: Callable[[float], float], y: float, *, labels: bool
) -> list[str]:
    """Ticks below a horizontal axis at ``y``; with their labels when ``labels``."""
    out = [_tick(position(v), y, 0, MINOR, 0.6) for v in ticks.minor]
    out += [_tick(position(10.0**k), y, 0, MAJOR, 0.8) for k in ticks.decades]
    if labels:
        baseline = y + MAJOR + LABEL_GAP + ASCENT * TICK_FONT
        for k in ticks.labelled:
            x = position(10.0**k)
            out.append(
                text(
                    x, baseline, decade_label(k), size=TICK_FONT, fill=AXIS_COLOUR, anchor="middle"
                )
            )
    return out


def y_ticks(ticks: Ticks, position: Callable[[float], float], x: float) -> list[str]:
    """Ticks left of a vertical axis at ``x``, with their labels (right-aligned)."""
    out = [_tick(x, position(v), -MINOR, 0, 0.6) for v in ticks.minor]
    out += [_tick(x, position(10.0**k), -MAJOR, 0, 0.8) for k in ticks.decades]
    right = x - MAJOR - LABEL_GAP
    for k in ticks.labelled:
        baseline = position(10.0**k) + 0.35 * TICK_FONT
        out.append(
            text(right, baseline, decade_label(k), size=TICK_FONT, fill=AXIS_COLOUR, anchor="end")
        )
    return out


def widest_label(ticks_range: tuple[float, float], size: float = TICK_FONT) -> float:
    """The width of the widest decade label in a range (for the margin beside the axis)."""
    first = round(math.log10(ticks_range[0]))
    last = round(math.log10(ticks_range[1]))
    return max(text_width(decade_label(k), size) for k in range(first, last + 1))


def grid(
    ticks: Ticks, position: Callable[[float], float], span: tuple[float, float], *, vertical: bool
) -> list[str]:
    """Light lines across the axes at the labelled decades (``span``: from, to)."""
    out = []
    for k in ticks.labelled:
        at = position(10.0**k)
        if vertical:
            out.append(line(at, span[0], at, span[1], stroke=GRID_COLOUR, width=0.6))
        else:
            out.append(line(span[0], at, span[1], at, stroke=GRID_COLOUR, width=0.6))
    return out


def _tick(x: float, y: float, dx: float, dy: float, width: float) -> str:
    return line(x, y, x + dx, y + dy, stroke=AXIS_COLOUR, width=width)
