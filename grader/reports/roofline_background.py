"""What every roofline plot of a sheet shares, drawn once as SVG and kept.

Everything that is the same for every student (axes, the rooflines, ridge points and labels,
the reference operations, the legend, the memory-/compute-bound strip) is drawn ONCE per set
of givens (and mode) and cached as SVG text, together with the data -> SVG transform of the
axes (:class:`Frame`); :mod:`grader.reports.plots` adds each student's marks to it.

The drawing is written as SVG elements directly (:mod:`grader.reports.roofline_drawing`), quickly,
so that a class whose students have a dozen different sets of givens costs a
dozen of those, not a plotting library's import and renders. It is driven by data only
(devices, operations, reference intensities), and its labels are placed clear of each other,
of the legend and of the lines, whatever the givens.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace

from grader.reports.label_layout import Outline
from grader.reports.log_axes import LABEL_GAP, MAJOR, TICK_FONT, decade_label, widest_label
from grader.reports.roofline_drawing import NOTE_LINE, draw_body
from grader.reports.roofline_labels import covers_a_line, place_labels
from grader.reports.roofline_legend import legend_for
from grader.reports.roofline_strip import REGION_COLOURS, STRIP_GAP, strip_height
from grader.reports.roofline_style import (
    CLASS_COLOURS,
    DEVICE_COLOURS,
    REFERENCE_COLOUR,
    SHAPES,
    STUDENT_COLOUR,
)
from grader.reports.svg_shapes import ASCENT, DESCENT, FONT_STACK, text_width

__all__ = [
    "CLASS_COLOURS",
    "DEVICE_COLOURS",
    "FONT_STACK",
    "REFERENCE_COLOUR",
    "REGION_COLOURS",
    "SHAPES",
    "STUDENT_COLOUR",
]

SI_PREFIXES = {0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"}
WIDTH = 460.8  # the viewBox's width (a 6.4-inch figure in points)
TOP = 8.0  # above the main axes
MAIN_HEIGHT = 219.5  # the main axes' height above the strip (answers shown)
ALONE_HEIGHT = 265.6  # the main axes' height when no strip is drawn below them
TEXT_HEIGHT = (ASCENT + DESCENT) * TICK_FONT
ROOM_DECADES = 2  # at most, added above the highest roof for the legend, and for labels


@dataclass(frozen=True)
class Device:
    """A machine of the sheet: its name and its rates in base units."""

    name: str
    bandwidth: float  # byte/s
    peak: float  # FLOP/s

    @property
    def ridge(self) -> float:
        """Intensity (FLOP/byte) where the bandwidth slope meets the compute roof."""
        return self.peak / self.bandwidth

    def attainable(self, intensity: float) -> float:
        """Attainable performance (FLOP/s) at an intensity: min(peak, bandwidth x intensity)."""
        return min(self.peak, self.bandwidth * intensity)


@dataclass(frozen=True)
class PlotKey:
    """Everything the shared drawing depends on (hashable: the cache key).

    Attributes:
        devices: the machines, from the givens.
        operations: the labels of the operations placed (legend entries).
        references: (label, intensity) of the reference operations; empty when the answers
            are not shown (see ``answers``).
        class_mode: the class's dots instead of one student's markers.
        answers: whether the drawing shows what answers the sheet: ridge points with their
            values, reference markers, and the memory-/compute-bound strip (which marks the
            ridges). Without, it shows the rooflines as the givens define them.
        intensity_range: what the x axis spans at least (the sheet's ``intensity_range``).
    """

    devices: tuple[Device, ...]
    operations: tuple[str, ...]
    references: tuple[tuple[str, float], ...]
    class_mode: bool = False
    answers: bool = True
    intensity_range: tuple[float, float] | None = None


@dataclass(frozen=True)
class Limits:
    """The axes' ranges, chosen from the devices and reference operations."""

    xlim: tuple[float, float]  # FLOP/byte
    ylim: tuple[float, float]  # in y_unit
    y_scale: float  # FLOP/s per y unit (1e12 for TFLOP/s)
    y_unit: str


@dataclass(frozen=True)
class Frame:
    """The data -> SVG transform of the main axes (log-log; SVG y grows downwards).

    Attributes:
        width: the viewBox width.
        height: the viewBox height without notes.
        box: the axes' left, bottom, right, top in figure fraction (bottom up).
        limits: the axes' ranges.
    """

    width: float
    height: float
    box: tuple[float, float, float, float]
    limits: Limits

    def to_svg(self, intensity: float, flops: float) -> tuple[float, float]:
        """SVG coordinates of a point in FLOP/byte and FLOP/s (both positive)."""
        return self.x_of(intensity), self.y_of(flops)

    def x_of(self, intensity: float) -> float:
        """SVG x of an intensity (FLOP/byte, positive)."""
        left, _bottom, right, _top = self.box
        fraction = log_fraction(intensity, self.limits.xlim)
        return (left + fraction * (right - left)) * self.width

    def y_of(self, flops: float) -> float:
        """SVG y of a performance (FLOP/s, positive)."""
        _left, bottom, _right, top = self.box
        fraction = log_fraction(flops / self.limits.y_scale, self.limits.ylim)
        return (1.0 - (bottom + fraction * (top - bottom))) * self.height

    def axes(self) -> tuple[float, float, float, float]:
        """The main axes' left, top, right, bottom in viewBox units."""
        left, bottom, right, top = self.box
        return (
            left * self.width,
            (1.0 - top) * self.height,
            right * self.width,
            (1.0 - bottom) * self.height,
        )


@dataclass(frozen=True)
class Background:
    """The cached shared drawing: the SVG body (no opening or closing tag), its frame, and
    the outlines of its labels and legend (for marks added later to keep clear of)."""

    body: str
    frame: Frame
    labels: tuple[Outline, ...] = ()


def short_number(value: float) -> str:
    """A number to 3 significant figures (``3.33``, ``250``, ``-1``, ``1e+300``)."""
    return f"{value:.3g}"


def log_fraction(value: float, limits: tuple[float, float]) -> float:
    low, high = math.log10(limits[0]), math.log10(limits[1])
    return (math.log10(value) - low) / (high - low)


@functools.lru_cache(maxsize=128)
def shared_background(key: PlotKey) -> Background:
    """Draw the shared part once per givens (and mode); remember its SVG body and frame.

    Raises:
        ValueError: the sheet gives no device to draw (see ``has_roofline``).
    """
    if not key.devices:
        raise ValueError("no device with a .peak and a .bandwidth among the givens")
    frame = figure_frame(key, choose_limits(key))
    legend = legend_for(key, frame)
    for _ in range(ROOM_DECADES):  # room above the roofs for a tall or wide legend
        if not legend.rows or not covers_a_line(key, frame, legend.outline(frame)):
            break
        frame = figure_frame(key, _higher(frame.limits))
    placement = place_labels(key, frame, legend)
    trial = frame
    for _ in range(ROOM_DECADES):  # crowded labels: try with more room above the roofs
        if placement.cost == 0:
            break
        trial = figure_frame(key, _higher(trial.limits))
        roomier = place_labels(key, trial, legend)
        if roomier.cost < placement.cost:
            frame, placement = trial, roomier
    if placement.notes:  # labels with no room on the plot are written under it
        frame = figure_frame(key, frame.limits, notes=len(placement.notes))
    outlines = tuple(label.outline for label in placement.labels)
    if legend.rows:
        outlines += (legend.outline(frame),)
    return Background(draw_body(key, frame, legend, placement), frame, outlines)


def _higher(limits: Limits) -> Limits:
    """The limits with one more decade on top."""
    return replace(limits, ylim=(limits.ylim[0], limits.ylim[1] * 10))


def choose_limits(key: PlotKey) -> Limits:
    """Whole decades around the ridges and references, with room for answers off by 10x, and
    at least the sheet's intensity range."""
    points = [d.ridge for d in key.devices] + [value for _label, value in key.references]
    xlim = (_decade_below(min(points) / 10), _decade_above(max(points) * 8))
    if key.intensity_range is not None:  # the sheet's: at least this, whatever is shown
        low, high = key.intensity_range
        xlim = (min(xlim[0], _decade_below(low)), max(xlim[1], _decade_above(high)))
    top_peak = max(d.peak for d in key.devices)
    exponent = max(0, min(18, 3 * math.floor(math.log10(top_peak) / 3)))
    y_scale = 10.0**exponent
    lowest = min(d.attainable(xlim[0]) for d in key.devices) / y_scale
    ylim = (_decade_below(lowest), _decade_above(top_peak / y_scale * 2.5))
    return Limits(xlim, ylim, y_scale, f"{SI_PREFIXES[exponent]}FLOP/s")


def figure_frame(key: PlotKey, limits: Limits, notes: int = 0) -> Frame:
    """Where the main axes go: margins wide enough for the labels beside them, a strip row
    per device below them when the answers are shown, and ``notes`` lines under it all."""
    beside = MAJOR + LABEL_GAP + widest_label(limits.ylim)
    if key.answers:  # the strip's rows are named left of it
        beside = max(beside, LABEL_GAP + max(text_width(d.name, TICK_FONT) for d in key.devices))
    left = 4 + TEXT_HEIGHT + 4 + beside  # the axis label, turned upright, then the ticks
    last = decade_label(round(math.log10(limits.xlim[1])))
    right = WIDTH - max(14.0, text_width(last, TICK_FONT) / 2 + 4)
    main_bottom = TOP + (MAIN_HEIGHT if key.answers else ALONE_HEIGHT)
    below = MAJOR + LABEL_GAP + 2 * TEXT_HEIGHT + 9  # tick labels and the axis label
    height = main_bottom + below + (NOTE_LINE * notes + 4 if notes else 0)
    if key.answers:
        height += STRIP_GAP + strip_height(len(key.devices))
    box = (left / WIDTH, 1 - main_bottom / height, right / WIDTH, 1 - TOP / height)
    return Frame(WIDTH, height, box, limits)


def _decade_below(value: float) -> float:
    return float(10.0 ** math.floor(math.log10(value)))


def _decade_above(value: float) -> float:
    return float(10.0 ** math.ceil(math.log10(value)))
