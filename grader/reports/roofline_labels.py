"""Where a roofline's labels may go, best first (see :mod:`grader.reports.label_layout`).

- The ridge label (name and value) beside the ridge point: above-left of a ridge in the left
  part of the plot (over its own slope), below-right of one in the right part (under its own
  roof), then the other corners, further out, and beside the drop line lower down.
- The bandwidth along the slope, turned to the slope's angle on screen: near the left edge,
  where few answers fall; under the line for the slowest memory, above for the others, then
  further up the slope; as a last resort without the device's name, or upright beside a slope
  too short for it.
- The peak above the highest roof, under the others; short of the right edge (where off-scale
  answers get their arrows), then further left.

A label that finds no room anywhere (it would cover another or leave the plot) is written under
the plot instead (:class:`Placement`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from grader.reports.label_layout import (
    Candidate,
    Label,
    Outline,
    box,
    overlap,
    place_all,
    place_label,
    settle,
)
from grader.reports.log_axes import AXIS_COLOUR, TICK_FONT
from grader.reports.roofline_legend import Legend
from grader.reports.roofline_style import REFERENCE_SIZE, RIDGE_DOT, device_colour, roofline_corners
from grader.reports.svg_shapes import text_width

if TYPE_CHECKING:  # types only: that module builds its drawing from this one
    from grader.reports.roofline_background import Frame, PlotKey

CLEARANCE = 3.6  # between a label's text and the line it labels (half the line + padding)
NEAR, FAR = 6.0, 16.0  # a ridge label's distance from its point, diagonally
RIGHT_ROOM = 22.0  # kept free at the right end of a roof
STEP = 14.0  # between candidate positions along a line
OTHER_SIDE = 2.5  # steps along the slope worth staying on a bandwidth label's own side
_CORNERS = {
    "above-left": (-1, -1, "right", "bottom"),
    "below-right": (1, 1, "left", "top"),
    "above-right": (1, -1, "left", "bottom"),
    "below-left": (-1, 1, "right", "top"),
}


def ridge_candidates(
    label: Label, point: tuple[float, float], *, left_part: bool
) -> list[Candidate]:
    """A ridge label around the ridge point (x, y)."""
    x, y = point
    order = ["above-left", "below-right"] if left_part else ["below-right", "above-left"]
    order += ["above-right", "below-left"]
    out = []
    for distance in (NEAR, FAR):
        for name in order:
            sx, sy, align, valign = _CORNERS[name]
            out.append(
                place_label(label, x + sx * distance, y + sy * distance, align=align, valign=valign)
            )
    for drop in (40.0, 80.0, 120.0):  # beside the drop line, lower down
        for side, align in ((1, "left"), (-1, "right")):
            out.append(place_label(label, x + side * 5, y + drop, align=align, valign="top"))
    return out


def slope_candidates(
    labels: tuple[Label, Label],
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    below: bool,
) -> list[Candidate]:
    """A bandwidth label along the slope from ``start`` (left edge) to ``end`` (the ridge);
    ``labels`` the full text and a shorter one for a slope too short for it."""
    length = math.dist(start, end)
    ux, uy = (end[0] - start[0]) / length, (end[1] - start[1]) / length
    angle = math.degrees(math.atan2(uy, ux))
    up = (uy, -ux)  # the normal pointing up from the line
    preferred = -1 if below else 1
    out = []
    for label in labels:
        half = label.width / 2
        first, last = half + 8, length - half - 12
        steps = [first + STEP * i for i in range(int((last - first) / STEP) + 1)] or [length / 2]
        # The other side only after a few steps further along on the preferred one.
        ranked = sorted(
            (k + (0 if side == preferred else OTHER_SIDE), k, side)
            for k in range(len(steps))
            for side in (1, -1)
        )
        for _rank, k, side in ranked:
            x = start[0] + ux * steps[k] + side * up[0] * CLEARANCE
            y = start[1] + uy * steps[k] + side * up[1] * CLEARANCE
            valign = "bottom" if side > 0 else "top"
            out.append(place_label(label, x, y, align="center", valign=valign, angle=angle))
    middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    for label in labels:  # upright, beside the middle of a slope too short to write along
        out.append(place_label(label, middle[0] + 5, middle[1] + 3, align="left", valign="top"))
        out.append(place_label(label, middle[0] - 5, middle[1] - 3, align="right", valign="bottom"))
    return out


def peak_candidates(
    label: Label, ridge: tuple[float, float], right: float, *, above: bool
) -> list[Candidate]:
    """A peak label along the roof from the ridge point (x, y) to ``right``, the axes' edge:
    from the right leftwards, no more than half of it beyond the ridge point."""
    x, y = ridge
    sides = ((-1, "bottom"), (1, "top")) if above else ((1, "top"), (-1, "bottom"))
    anchors: list[float] = []
    anchor = right - RIGHT_ROOM
    while anchor - label.width / 2 >= x or not anchors:
        anchors.append(anchor)
        anchor -= STEP
    out = []
    for at in [*anchors, right - 4]:
        for side, valign in sides:
            out.append(place_label(label, at, y + side * CLEARANCE, align="right", valign=valign))
    return out


@dataclass(frozen=True)
class Placement:
    """Where the labels go.

    Attributes:
        labels: the labels drawn on the plot, each where it covers least.
        notes: the labels that found no room on the plot (they would cover text or leave
            it), each as one line to write under the plot instead.
        cost: what the layout covers (see :mod:`grader.reports.label_layout`; 0: nothing).
    """

    labels: tuple[Candidate, ...]
    notes: tuple[Label, ...]
    cost: int


def place_labels(key: PlotKey, frame: Frame, legend: Legend) -> Placement:
    """The ridge labels (with the answers), the bandwidths and the peaks, placed clear of
    each other, of the legend and of the lines (see
    :func:`grader.reports.label_layout.place_all`)."""
    left, top, right, bottom = frame.axes()
    groups = [_ridge_labels(key, frame), _slope_labels(key, frame), _peak_labels(key, frame)]
    labels = [candidates for group in groups for candidates, _note in group]
    notes = [note for group in groups for _candidates, note in group]
    firsts = [sum(len(g) for g in groups[:i]) for i in range(len(groups))]
    orders = [
        [firsts[g] + i for g in permutation for i in range(len(groups[g]))]
        for permutation in ORDERS
    ]
    taken = [legend.outline(frame)] if legend.rows else []
    area = (left + 0.5, top + 0.5, right - 0.5, bottom - 0.5)
    obstacles = _obstacles(key, frame) + _turning_point_zones(key, frame)
    placed, cost = place_all(area, obstacles, taken, labels, orders)
    kept = settle(placed, area, taken)
    return Placement(
        tuple(label for label, keep in zip(placed, kept, strict=True) if keep),
        tuple(note for note, keep in zip(notes, kept, strict=True) if not keep),
        cost,
    )


ORDERS = ((0, 1, 2), (2, 0, 1), (0, 2, 1), (1, 0, 2), (2, 1, 0), (1, 2, 0))
"""The orders in which the groups of labels (ridges, bandwidths, peaks) are tried: the most
tied to one point first, then others until one covers nothing."""


Group = list[tuple[list[Candidate], Label]]
"""Per label: its candidate positions, and the line that says the same under the plot."""


def _ridge_labels(key: PlotKey, frame: Frame) -> Group:
    if not key.answers:
        return []
    left, _top, right, _bottom = frame.axes()
    out = []
    for index, device in enumerate(key.devices):
        point = frame.to_svg(device.ridge, device.peak)
        lines = (f"{device.name} ridge", f"{plain(device.ridge)} FLOP/byte")
        label = Label(lines, TICK_FONT, device_colour(index), bold=True)
        left_part = (point[0] - left) / (right - left) < 0.55
        note = Label((" ".join(lines),), TICK_FONT, label.colour)
        out.append((ridge_candidates(label, point, left_part=left_part), note))
    return out


def _slope_labels(key: PlotKey, frame: Frame) -> Group:
    """A bandwidth label per device; under the slowest memory's line, above the others."""
    slowest = min(d.bandwidth for d in key.devices)
    out = []
    for index, device in enumerate(key.devices):
        colour, rate = device_colour(index), bandwidth_text(device.bandwidth)
        full = Label((f"{device.name} {rate}",), TICK_FONT, colour)
        start, ridge, _end = roofline_corners(frame, device)
        below = device.bandwidth == slowest
        short = Label((rate,), TICK_FONT, colour)
        out.append((slope_candidates((full, short), start, ridge, below=below), full))
    return out


def _peak_labels(key: PlotKey, frame: Frame) -> Group:
    """A peak label per roof height, the highest first; above the highest roof, under the
    others. Devices with the same peak share a roof, so they share a label naming them."""
    right = frame.axes()[2]
    limits = frame.limits
    roofs: dict[float, list[int]] = {}
    for index, device in enumerate(key.devices):
        roofs.setdefault(device.peak, []).append(index)
    out = []
    for rank, peak in enumerate(sorted(roofs, reverse=True)):
        indexes = roofs[peak]
        text = f"peak {peak / limits.y_scale:,g} {limits.y_unit}"
        names = ", ".join(key.devices[i].name for i in indexes)
        if len(indexes) > 1:
            label = Label((f"{text} ({names})",), TICK_FONT, AXIS_COLOUR)
        else:
            label = Label((text,), TICK_FONT, device_colour(indexes[0]))
        ridge = max(frame.x_of(key.devices[i].ridge) for i in indexes), frame.y_of(peak)
        note = Label((f"{names} {text}",), TICK_FONT, label.colour)
        out.append((peak_candidates(label, ridge, right, above=rank == 0), note))
    return out


def covers_a_line(key: PlotKey, frame: Frame, outline: Outline) -> bool:
    """Whether ``outline`` (the legend's) would cover a roofline or a marker."""
    return any(overlap(outline, obstacle) for obstacle, _weight in _obstacles(key, frame))


ROOFLINE_WEIGHT, MARKER_WEIGHT, DROP_WEIGHT = 3, 2, 1
"""What a label crossing each costs (see :mod:`grader.reports.label_layout`): a roofline most, a
dotted drop line least (a label over it stays readable, and so does the line)."""


def _obstacles(key: PlotKey, frame: Frame) -> list[tuple[Outline, int]]:
    """What labels should leave visible: the rooflines, and with the answers the drop lines,
    ridge points and reference markers; each with the cost of hiding it."""
    bottom = frame.axes()[3]
    out: list[tuple[Outline, int]] = []
    for device in key.devices:
        corners = roofline_corners(frame, device)
        out += [((corners[0], corners[1]), ROOFLINE_WEIGHT)]
        out += [((corners[1], corners[2]), ROOFLINE_WEIGHT)]
        if key.answers:
            x, y = corners[1]
            dot = box(x - RIDGE_DOT, y - RIDGE_DOT, x + RIDGE_DOT, y + RIDGE_DOT)
            out += [(((x, y), (x, bottom)), DROP_WEIGHT), (dot, MARKER_WEIGHT)]
        for _label, intensity in key.references:
            x, y = frame.to_svg(intensity, device.attainable(intensity))
            r = REFERENCE_SIZE + 0.7
            out.append((box(x - r, y - r, x + r, y + r), MARKER_WEIGHT))
    return out


TURNING_POINT_WEIGHT = 5
TURNING_POINT_FONT = 8.0  # of a student's "your GPU turning point" (grader.reports.plot_marks)


def _turning_point_zones(key: PlotKey, frame: Frame) -> list[tuple[Outline, int]]:
    """Where a student's own turning point of a device is labelled when it is right: upright
    beside the ridge, from the bottom of the axes up (see :mod:`grader.reports.plot_marks`)."""
    bottom = frame.axes()[3]
    out = []
    for device in key.devices:
        x = frame.x_of(device.ridge)
        height = text_width(f"your {device.name} turning point", TURNING_POINT_FONT) + 8
        out.append((box(x - 12, bottom - height, x + 13, bottom), TURNING_POINT_WEIGHT))
    return out


def plain(value: float) -> str:
    """A number to 3 significant figures, written out with thousands separators where that
    is short (``3.33``, ``250``, ``12,300``), else in scientific notation (``1.5e+07``).

    >>> [plain(v) for v in (10 / 3, 250.0, 12345.0, 0.001234, 1.5e7)]
    ['3.33', '250', '12,300', '0.00123', '1.5e+07']
    """
    if 1e-3 <= abs(value) < 1e6:
        return f"{float(f'{value:.3g}'):,g}"
    return f"{value:.3g}"


def bandwidth_text(bandwidth: float) -> str:
    """A bandwidth in GB/s (``800 GB/s``, ``6,000 GB/s``), or in the SI prefix that keeps
    it short where GB/s would not (``2 PB/s``, ``50 kB/s``).

    >>> [bandwidth_text(b) for b in (8e11, 6e12, 2e15, 5e4)]
    ['800 GB/s', '6,000 GB/s', '2 PB/s', '50 kB/s']
    """
    if 1e6 <= bandwidth < 1e14:
        return f"{bandwidth / 1e9:,g} GB/s"
    for exponent, prefix in ((18, "E"), (15, "P"), (12, "T"), (9, "G"), (6, "M"), (3, "k")):
        if bandwidth >= 10.0**exponent:
            return f"{bandwidth / 10.0**exponent:,g} {prefix}B/s"
    return f"{bandwidth:,g} B/s"
