"""What every roofline plot of a sheet shares, drawn once with matplotlib and kept as SVG.

Everything that is the same for every student (axes, both rooflines, ridge points and labels,
the reference operations, the legend, the memory-/compute-bound strips) is drawn ONCE per set of
givens (and mode) and cached as SVG text, together with the data -> SVG transform of the axes
(:class:`Frame`); :mod:`grader.plots` adds each student's marks to it. A batch of 500 reports
then costs string concatenation, not 500 matplotlib renders (about 100 ms each).

matplotlib is imported only inside the cached renderer, so importing this module costs nothing
for commands that never draw. It draws on a ``Figure`` with an explicit Agg canvas inside
``rc_context``, never through pyplot, so no global state leaks between calls or into a caller's
own plots.
"""

from __future__ import annotations

import functools
import io
import math
import re
from dataclasses import dataclass
from typing import Any

DEVICE_COLOURS = ("#1f5fa8", "#1b8a4b", "#8e44ad", "#b8860b")
STUDENT_COLOUR = "#e8590c"
REFERENCE_COLOUR = "#222222"
CLASS_COLOURS = ("#e8590c", "#7b2cbf", "#0f7c8c", "#a61e4d")
REGION_COLOURS = {"memory-bound": "#fbe3bf", "compute-bound": "#dcd3f5"}
SHAPES = ("circle", "square", "diamond", "triangle")
MPL_MARKERS = {"circle": "o", "square": "s", "diamond": "D", "triangle": "^"}

FIGSIZE = (6.4, 4.3)  # inches; the SVG viewBox is this times 72 (points)
MAIN_RECT = (0.115, 0.265, 0.84, 0.709)  # left, bottom, width, height (figure fraction)
STRIP_RECT = (0.115, 0.116, 0.84, 0.11)
ALONE_RECT = (0.115, 0.116, 0.84, 0.858)  # the main axes where the strip is not drawn
FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"
SI_PREFIXES = {0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"}


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
    """

    devices: tuple[Device, ...]
    operations: tuple[str, ...]
    references: tuple[tuple[str, float], ...]
    class_mode: bool = False
    answers: bool = True


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
        width: the viewBox width (figure width in points).
        height: the viewBox height without notes.
        box: the axes' left, bottom, right, top in figure fraction.
        limits: the axes' ranges.
    """

    width: float
    height: float
    box: tuple[float, float, float, float]
    limits: Limits

    def to_svg(self, intensity: float, flops: float) -> tuple[float, float]:
        """SVG coordinates of a point in FLOP/byte and FLOP/s (both positive)."""
        left, bottom, right, top = self.box
        fx = log_fraction(intensity, self.limits.xlim)
        fy = log_fraction(flops / self.limits.y_scale, self.limits.ylim)
        return (left + fx * (right - left)) * self.width, (
            1.0 - (bottom + fy * (top - bottom))
        ) * self.height


@dataclass(frozen=True)
class Background:
    """The cached shared drawing: the SVG body (no opening or closing tag) and its frame."""

    body: str
    frame: Frame


def short_number(value: float) -> str:
    """A number to 3 significant figures (``3.33``, ``250``, ``-1``, ``1e+300``)."""
    return f"{value:.3g}"


def log_fraction(value: float, limits: tuple[float, float]) -> float:
    low, high = math.log10(limits[0]), math.log10(limits[1])
    return (math.log10(value) - low) / (high - low)


# ---------------------------------------------------------------------------------- public API


# ------------------------------------------------------------------- the shared background


@functools.lru_cache(maxsize=16)
def shared_background(key: PlotKey) -> Background:
    """Draw the shared part once per givens (and mode); remember its SVG body and frame.

    Raises:
        ValueError: the sheet gives no device to draw (see ``has_roofline``).
    """
    if not key.devices:
        raise ValueError("no device with a .peak and a .bandwidth among the givens")
    limits = choose_limits(key)
    left, bottom, width, height = MAIN_RECT if key.answers else ALONE_RECT
    frame = Frame(
        width=FIGSIZE[0] * 72,
        height=FIGSIZE[1] * 72,
        box=(left, bottom, left + width, bottom + height),
        limits=limits,
    )
    return Background(_svg_body(_draw(key, limits)), frame)


def choose_limits(key: PlotKey) -> Limits:
    """Whole decades around the ridges and references, with room for answers off by 10x."""
    points = [d.ridge for d in key.devices] + [value for _label, value in key.references]
    xlim = (_decade_below(min(points) / 10), _decade_above(max(points) * 8))
    top_peak = max(d.peak for d in key.devices)
    exponent = max(0, min(18, 3 * math.floor(math.log10(top_peak) / 3)))
    y_scale = 10.0**exponent
    lowest = min(d.attainable(xlim[0]) for d in key.devices) / y_scale
    ylim = (_decade_below(lowest), _decade_above(top_peak / y_scale * 2.5))
    return Limits(xlim, ylim, y_scale, f"{SI_PREFIXES[exponent]}FLOP/s")


def _decade_below(value: float) -> float:
    return float(10.0 ** math.floor(math.log10(value)))


def _decade_above(value: float) -> float:
    return float(10.0 ** math.ceil(math.log10(value)))


_SVG_OPEN = re.compile(r"<svg [^>]*>")
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_FONT_FAMILY = re.compile(r"font-family: [^;\"]+")


def _svg_body(svg: str) -> str:
    """matplotlib's SVG without prolog, metadata, opening and closing tags; made inline-safe.

    The opening tag is written per call (its height depends on the notes). matplotlib's
    ``*{...}`` style rule is scoped to this SVG (inline in HTML it would apply to the whole
    page), and the DejaVu font (absent on phones) gives way to the system's sans-serif.
    """
    match = _SVG_OPEN.search(svg)
    if match is None:  # pragma: no cover - matplotlib always writes one
        raise ValueError("no <svg> element in matplotlib's output")
    body = svg[match.end() : svg.rindex("</svg>")]
    body = _METADATA.sub("", body, count=1)
    body = body.replace("*{stroke-linejoin", "svg.roofline *{stroke-linejoin", 1)
    return _FONT_FAMILY.sub(f"font-family: {FONT_STACK}", body)


# -------------------------------------------------------------- drawing with matplotlib (once)


def _draw(key: PlotKey, limits: Limits) -> str:
    """Render the shared drawing with matplotlib and return matplotlib's SVG text."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rc = {
        "svg.fonttype": "none",  # text stays text: small, selectable, no glyph outlines
        "svg.hashsalt": "roofline",  # stable ids: the same givens give the same bytes
        "font.family": "sans-serif",
        "font.size": 9.5,
        "axes.linewidth": 0.8,
    }
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]  # keys typed as Literal
        figure = Figure(figsize=FIGSIZE, dpi=72)
        FigureCanvasAgg(figure)  # an explicit Agg canvas: no pyplot, no global backend
        main = figure.add_axes(MAIN_RECT if key.answers else ALONE_RECT)
        _draw_main(main, key, limits)
        if key.answers:
            _draw_strip(figure.add_axes(STRIP_RECT, sharex=main), key, limits)
        else:
            _label_x_axis(main)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _draw_main(ax: Any, key: PlotKey, limits: Limits) -> None:
    """Both rooflines, their ridges and labels, the reference operations and the legend."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(*limits.xlim)
    ax.set_ylim(*limits.ylim)
    ax.set_ylabel(f"attainable performance ({limits.y_unit})")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.tick_params(axis="x", which="both", labelbottom=False)  # the strip's axis has them
    ax.grid(True, which="major", color="#e2e2e2", linewidth=0.6)
    ax.set_axisbelow(True)
    for index in range(len(key.devices)):
        _draw_roofline(ax, key, index, limits)
    _draw_references(ax, key, limits)
    _draw_legend(ax, key)


def _draw_roofline(ax: Any, key: PlotKey, index: int, limits: Limits) -> None:
    """One device: the roofline, its ridge point and label, the peak and bandwidth labels."""
    device = key.devices[index]
    colour = DEVICE_COLOURS[index % len(DEVICE_COLOURS)]
    low, high = limits.xlim
    scale = limits.y_scale
    xs = [low, device.ridge, high]
    ax.plot(xs, [device.attainable(x) / scale for x in xs], color=colour, linewidth=2.2, zorder=3)
    ridge_y = device.peak / scale
    top = device.peak == max(d.peak for d in key.devices)
    peak = f"peak {device.peak / scale:,g} {limits.y_unit}"
    ax.annotate(peak, (high, ridge_y), xytext=(-22, 4 if top else -4), textcoords="offset points",
                ha="right", va="bottom" if top else "top", color=colour)  # fmt: skip
    below = device.bandwidth == min(d.bandwidth for d in key.devices)
    _slope_label(ax, device, colour, limits, below=below)
    if key.answers:
        _draw_ridge(ax, device, colour, limits)


def _draw_ridge(ax: Any, device: Device, colour: str, limits: Limits) -> None:
    """A device's ridge point, its drop line to the axis and its label with the value."""
    ridge_y = device.peak / limits.y_scale
    ax.plot([device.ridge] * 2, [limits.ylim[0], ridge_y], color=colour, linestyle=":", lw=1)
    ax.plot([device.ridge], [ridge_y], "o", color=colour, markersize=5.5, zorder=4)
    # Where labels go so that they meet neither the legend (top left), the operations (just
    # right of a low ridge) nor each other: a ridge in the left part above-left of it, over
    # its own slope; one in the right part below-right, under its own roof. The highest roof's
    # peak label goes above it, the others below theirs; all short of the right edge, where
    # off-scale answers get their arrows.
    left_part = log_fraction(device.ridge, limits.xlim) < 0.55
    label = f"{device.name} ridge\n{short_number(device.ridge)} FLOP/byte"
    ax.annotate(label, (device.ridge, ridge_y), xytext=(-6, 8) if left_part else (6, -7),
                textcoords="offset points", ha="right" if left_part else "left",
                va="bottom" if left_part else "top", color=colour, fontweight="bold",
                multialignment="right" if left_part else "left")  # fmt: skip


def _slope_label(ax: Any, device: Device, colour: str, limits: Limits, *, below: bool) -> None:
    """The bandwidth along the slope, turned to the slope's on-screen angle.

    The slowest memory's label goes under its line (nothing is drawn there), the others above
    theirs; near the left edge, where few answers fall.
    """
    x = limits.xlim[0] * 10**0.7
    axes_w, axes_h = MAIN_RECT[2] * FIGSIZE[0], MAIN_RECT[3] * FIGSIZE[1]
    decades_x = math.log10(limits.xlim[1] / limits.xlim[0])
    decades_y = math.log10(limits.ylim[1] / limits.ylim[0])
    angle = math.degrees(math.atan2(axes_h / decades_y, axes_w / decades_x))
    text = f"{device.name} {device.bandwidth / 1e9:,g} GB/s"
    ax.annotate(text, (x, device.attainable(x) / limits.y_scale), xytext=(2 if below else -2,
                -4 if below else 4), textcoords="offset points", ha="center",
                va="top" if below else "bottom", rotation=angle, rotation_mode="anchor",
                color=colour)  # fmt: skip


def _draw_references(ax: Any, key: PlotKey, limits: Limits) -> None:
    """Each reference operation on every roofline, as a hollow marker."""
    for index, (_label, intensity) in enumerate(key.references):
        marker = MPL_MARKERS[SHAPES[index % len(SHAPES)]]
        for device in key.devices:
            ax.plot([intensity], [device.attainable(intensity) / limits.y_scale], marker,
                    markersize=11, markerfacecolor="none", markeredgecolor=REFERENCE_COLOUR,
                    markeredgewidth=1.3, zorder=5)  # fmt: skip


def _draw_legend(ax: Any, key: PlotKey) -> None:
    """The markers' legend (lines are labelled directly); the same for every student."""
    from matplotlib.lines import Line2D

    handles, labels = [], []
    for index, label in enumerate(key.operations):
        marker = MPL_MARKERS[SHAPES[index % len(SHAPES)]]
        if key.class_mode:
            colour = CLASS_COLOURS[index % len(CLASS_COLOURS)]
            handles.append(Line2D([], [], ls="", marker="o", ms=5.2, color=colour, alpha=0.5))
            labels.append(f"students' {label}")
        else:
            handles.append(
                Line2D([], [], ls="", marker=marker, ms=8.4, mfc=STUDENT_COLOUR, mec="#1a1a1a")
            )
            labels.append(f"your {label}")
    # Two columns, filled column by column: the student's marks left, the references right.
    # (The student's own turning points are labelled where they are drawn.)
    for index, (label, _value) in enumerate(key.references):
        marker = MPL_MARKERS[SHAPES[index % len(SHAPES)]]
        handles.append(Line2D([], [], ls="", marker=marker, ms=11, mfc="none", mec="#222"))
        labels.append(f"reference {label}")
    ax.legend(handles, labels, loc="upper left", ncols=2, fontsize=8.8, framealpha=0.92,
              borderaxespad=0.4, handletextpad=0.3, columnspacing=1.0)  # fmt: skip


def _label_x_axis(ax: Any) -> None:
    """The intensity axis on the main axes, where no strip is drawn below them."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    ax.tick_params(axis="x", which="both", labelbottom=True)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("arithmetic intensity (FLOP/byte)")


def _draw_strip(ax: Any, key: PlotKey, limits: Limits) -> None:
    """One row per device: memory-bound left of its ridge, compute-bound right of it."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    low, high = limits.xlim
    rows = len(key.devices)
    ax.set_ylim(0, rows)
    ax.set_yticks([rows - i - 0.5 for i in range(rows)], [d.name for d in key.devices])
    ax.tick_params(axis="y", length=0)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("arithmetic intensity (FLOP/byte)")
    for i, device in enumerate(key.devices):
        y = rows - i - 1
        regions = ((low, device.ridge, "memory-bound"), (device.ridge, high, "compute-bound"))
        for start, end, region in regions:
            ax.fill_between([start, end], y + 0.06, y + 0.94, color=REGION_COLOURS[region], lw=0)
            middle = math.sqrt(start * end)  # the middle on a log axis
            ax.text(middle, y + 0.5, region, ha="center", va="center", fontsize=8.5)
        colour = DEVICE_COLOURS[i % len(DEVICE_COLOURS)]
        ax.plot([device.ridge] * 2, [y, y + 1], color=colour, linestyle=":", lw=1)
