"""Placing labels where they meet neither each other nor the lines they would hide.

A label offers candidate positions, best first; each covers a convex outline, possibly turned.
:class:`Layout` takes, for each label in turn, the first candidate that stays inside the area
and overlaps nothing, or the least bad one: outside the area is worse than covering another
label, which is worse than crossing a few lines (each line or marker weighs what hiding it
costs the reader). Overlap is tested exactly for convex outlines
(separating axes), so a label turned along a slope is not taken for its bounding box.
:func:`place_all` tries the labels in a few orders and keeps the layout that covers least.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from grader.reports.svg_shapes import ASCENT, DESCENT, text, text_width

Point = tuple[float, float]
Outline = tuple[Point, ...]
"""A convex polygon (corners in order), or a segment (two points)."""

PAD = 2.0  # viewBox units kept clear around every label
LINE_SPACING = 1.2  # of the font size, between the baselines of a label's lines

OUTSIDE, ON_LABEL = 10_000, 100  # what a conflict costs; crossing a line costs its weight
_ANCHORS = {"left": "start", "center": "middle", "right": "end"}


@dataclass(frozen=True)
class Label:
    """What a label says and how: its lines, font size, colour, weight."""

    lines: tuple[str, ...]
    size: float
    colour: str
    bold: bool = False

    @functools.cached_property
    def width(self) -> float:
        return max(text_width(line, self.size, bold=self.bold) for line in self.lines)

    @property
    def height(self) -> float:
        return (len(self.lines) - 1) * LINE_SPACING * self.size + (ASCENT + DESCENT) * self.size


@dataclass(frozen=True)
class Candidate:
    """A label at one position: its box's ``align`` side (left, center, right) and ``valign``
    side (top, middle, bottom) at (x, y), turned by ``angle`` degrees (clockwise, SVG's sense)
    about that point; and the outline it covers, padded."""

    label: Label
    x: float
    y: float
    align: str
    valign: str
    angle: float
    outline: Outline

    def svg(self) -> str:
        """The label's ``<text>`` elements, one per line."""
        label = self.label
        top = _top(label, self.valign)
        elements = []
        for index, line in enumerate(label.lines):
            baseline = top + ASCENT * label.size + index * LINE_SPACING * label.size
            x, y, transform = self.x, self.y + baseline, ""
            if self.angle:
                x, y = 0.0, baseline
                transform = f"translate({self.x:.2f} {self.y:.2f}) rotate({self.angle:.2f})"
            elements.append(
                text(
                    x,
                    y,
                    line,
                    size=label.size,
                    fill=label.colour,
                    anchor=_ANCHORS[self.align],
                    bold=label.bold,
                    transform=transform,
                )
            )
        return "".join(elements)


def _top(label: Label, valign: str) -> float:
    return {"top": 0.0, "middle": -label.height / 2, "bottom": -label.height}[valign]


def place_label(
    label: Label, x: float, y: float, *, align: str, valign: str, angle: float = 0.0
) -> Candidate:
    """The label at (x, y) as :class:`Candidate` describes, with its outline."""
    width, height = label.width, label.height
    left = {"left": 0.0, "center": -width / 2, "right": -width}[align]
    top = _top(label, valign)
    corners = (
        (left - PAD, top - PAD),
        (left + width + PAD, top - PAD),
        (left + width + PAD, top + height + PAD),
        (left - PAD, top + height + PAD),
    )
    if angle:
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        outline = tuple((x + cx * cos - cy * sin, y + cx * sin + cy * cos) for cx, cy in corners)
    else:
        outline = tuple((x + cx, y + cy) for cx, cy in corners)
    return Candidate(label, x, y, align, valign, angle, outline)


def box(left: float, top: float, right: float, bottom: float) -> Outline:
    """An upright rectangle as an outline."""
    return ((left, top), (right, top), (right, bottom), (left, bottom))


def overlap(a: Outline, b: Outline) -> bool:
    """Whether two convex outlines share more than an edge (separating axis theorem).

    Two segments are taken to overlap only where they cross.
    """
    if not _bounds_meet(a, b):
        return False
    if len(a) == 2 and len(b) == 2:
        return _segments_cross(a, b)
    for shape in (a, b):
        count = len(shape)
        for i in range(count if count > 2 else 1):
            (x1, y1), (x2, y2) = shape[i], shape[(i + 1) % count]
            axis = (y1 - y2, x2 - x1)  # the edge's normal
            low_a, high_a = _project(a, axis)
            low_b, high_b = _project(b, axis)
            if high_a <= low_b or high_b <= low_a:
                return False
    return True


def _bounds_meet(a: Outline, b: Outline) -> bool:
    """Whether the outlines' upright bounding boxes overlap (a cheap first test)."""
    return not (
        max(x for x, _ in a) <= min(x for x, _ in b)
        or max(x for x, _ in b) <= min(x for x, _ in a)
        or max(y for _, y in a) <= min(y for _, y in b)
        or max(y for _, y in b) <= min(y for _, y in a)
    )


def _project(shape: Outline, axis: Point) -> tuple[float, float]:
    values = [x * axis[0] + y * axis[1] for x, y in shape]
    return min(values), max(values)


def _segments_cross(a: Outline, b: Outline) -> bool:
    def side(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return (side(a[0], a[1], b[0]) * side(a[0], a[1], b[1]) < 0) and (
        side(b[0], b[1], a[0]) * side(b[0], b[1], a[1]) < 0
    )


def inside(outline: Outline, area: tuple[float, float, float, float]) -> bool:
    """Whether every corner lies within ``area`` (left, top, right, bottom)."""
    left, top, right, bottom = area
    return all(left <= x <= right and top <= y <= bottom for x, y in outline)


@dataclass
class Layout:
    """Labels placed so far, within an area, around lines and markers that stay visible.

    Attributes:
        area: where labels must stay (left, top, right, bottom).
        lines: outlines labels should not cross (segments, markers' boxes), each with the
            cost of crossing it.
        taken: outlines of what is placed (labels, the legend).
    """

    area: tuple[float, float, float, float]
    lines: Sequence[tuple[Outline, int]] = ()
    taken: list[Outline] = field(default_factory=list)

    def cost(self, outline: Outline) -> int:
        """What placing ``outline`` would cover (0: nothing)."""
        cost = 0 if inside(outline, self.area) else OUTSIDE
        cost += ON_LABEL * sum(overlap(outline, other) for other in self.taken)
        return cost + sum(weight for line, weight in self.lines if overlap(outline, line))

    def place(self, candidates: Sequence[Candidate]) -> tuple[Candidate, int]:
        """The first candidate that covers nothing, else the least bad one (first of
        equals), and its cost; it is taken from then on."""
        best, best_cost = candidates[0], math.inf
        for candidate in candidates:
            cost = self.cost(candidate.outline)
            if cost < best_cost:
                best, best_cost = candidate, cost
                if cost == 0:
                    break
        self.taken.append(best.outline)
        return best, int(best_cost)


def place_all(
    area: tuple[float, float, float, float],
    lines: Sequence[tuple[Outline, int]],
    taken: Sequence[Outline],
    labels: Sequence[Sequence[Candidate]],
    orders: Sequence[Sequence[int]],
) -> tuple[list[Candidate], int]:
    """A candidate for each label (in the labels' order), placed one label after another in
    each of ``orders`` (permutations of the labels' indexes) until one covers nothing; the
    layout that covers least, once improved label by label (:func:`_improve`), wins (the
    first of equals). Returns it and what it covers."""
    best: list[Candidate] = []
    best_cost = OUTSIDE * len(labels) * 100
    for order in orders:
        layout = Layout(area, lines, list(taken))
        chosen: dict[int, Candidate] = {}
        for index in order:
            chosen[index], _cost = layout.place(labels[index])
        placed = [chosen[i] for i in range(len(labels))]
        total = _improve(area, lines, taken, labels, placed)
        if total < best_cost:
            best, best_cost = placed, total
            if total == 0:
                break
    return best, best_cost


def _improve(
    area: tuple[float, float, float, float],
    lines: Sequence[tuple[Outline, int]],
    taken: Sequence[Outline],
    labels: Sequence[Sequence[Candidate]],
    placed: list[Candidate],
    passes: int = 2,
) -> int:
    """Move each label to its best candidate with all the others where they are, while that
    lowers what the layout covers; return what it covers (the labels' conflicts with each
    other counted once per pair)."""
    for _ in range(passes):
        moved = False
        for index, candidates in enumerate(labels):
            others = [p.outline for i, p in enumerate(placed) if i != index]
            layout = Layout(area, lines, [*taken, *others])
            current = layout.cost(placed[index].outline)
            if current == 0:
                continue
            better, cost = layout.place(candidates)
            if cost < current:
                placed[index], moved = better, True
        if not moved:
            break
    layout = Layout(area, lines, list(taken))
    total = 0
    for candidate in placed:
        total += layout.cost(candidate.outline)
        layout.taken.append(candidate.outline)
    return total


def settle(
    placed: Sequence[Candidate],
    area: tuple[float, float, float, float],
    taken: Sequence[Outline],
) -> list[bool]:
    """Which placed labels to draw: each, in order, that lies inside the area and clear of
    ``taken`` and of the labels kept before it. The others have no room (drawn, they would
    cover text or leave the plot); their caller says what they say elsewhere."""
    kept_outlines = list(taken)
    kept = []
    for candidate in placed:
        clear = inside(candidate.outline, area) and not any(
            overlap(candidate.outline, other) for other in kept_outlines
        )
        if clear:
            kept_outlines.append(candidate.outline)
        kept.append(clear)
    return kept
