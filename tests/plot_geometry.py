"""Reading a roofline SVG back as geometry (a helper of test_plot_layout.py): where each text
is and how much room it takes, the rooflines' corners, the axes' frame.

Text boxes are estimated here on their own, from the font size and the characters (narrow
punctuation, capitals, wide m and w, the rest), not with the renderer's font metrics; and
their overlap is tested by crossing edges and contained corners, not the renderer's method.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = "{http://www.w3.org/2000/svg}"
Point = tuple[float, float]
NARROW = set(" .,:;'|!il/()-")


def estimated_width(text: str, size: float, *, bold: bool) -> float:
    """A sans-serif text's width: 0.3 em for narrow characters, 0.9 for m and w, 0.68 for
    other capitals, 0.56 for the rest (digits, lower case), 8 % more in bold."""
    ems = 0.0
    for char in text:
        if char in NARROW:
            ems += 0.3
        elif char in "mwMW":
            ems += 0.9
        elif char.isupper():
            ems += 0.68
        else:
            ems += 0.56
    return ems * size * (1.08 if bold else 1.0)


@dataclass(frozen=True)
class TextBox:
    """A ``<text>`` element's content, class of its group, and corners on screen."""

    text: str
    group: str
    corners: tuple[Point, ...]


def text_boxes(svg: str) -> list[TextBox]:
    """Every ``<text>`` of the drawing with its estimated box (turned with the text)."""
    boxes: list[TextBox] = []
    _walk(ET.fromstring(svg), "", boxes)
    return boxes


def _walk(node: ET.Element, group: str, boxes: list[TextBox]) -> None:
    for child in node:
        if child.tag == f"{SVG}text":
            boxes.append(_box(child, group))
        else:
            _walk(child, child.get("class") or group, boxes)


def _box(node: ET.Element, group: str) -> TextBox:
    content = "".join(node.itertext())
    size = float(node.get("font-size", "9"))
    width = estimated_width(content, size, bold=node.get("font-weight") == "bold")
    x, y = float(node.get("x", "0")), float(node.get("y", "0"))
    start = {"start": 0.0, "middle": -width / 2, "end": -width}[node.get("text-anchor", "start")]
    local = [
        (x + start, y - 0.75 * size),
        (x + start + width, y - 0.75 * size),
        (x + start + width, y + 0.2 * size),
        (x + start, y + 0.2 * size),
    ]
    return TextBox(content, group, tuple(_transformed(p, node.get("transform", "")) for p in local))


def _transformed(point: Point, transform: str) -> Point:
    """``point`` under ``translate(a b) rotate(c)`` (either part may be missing)."""
    x, y = point
    turn = re.search(r"rotate\(([-\d.]+)\)", transform)
    if turn:
        angle = math.radians(float(turn.group(1)))
        x, y = x * math.cos(angle) - y * math.sin(angle), x * math.sin(angle) + y * math.cos(angle)
    shift = re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", transform)
    if shift:
        x, y = x + float(shift.group(1)), y + float(shift.group(2))
    return x, y


def view_box(svg: str) -> tuple[float, float]:
    """The drawing's width and height."""
    _x, _y, width, height = map(float, ET.fromstring(svg).get("viewBox", "").split())
    return width, height


def axes_frame(svg: str) -> tuple[float, float, float, float]:
    """The main axes' left, top, right, bottom: their frame's rectangle."""
    for node in ET.fromstring(svg).iter(f"{SVG}rect"):
        if node.get("class") == "axes":
            x, y = float(node.get("x", "nan")), float(node.get("y", "nan"))
            return x, y, x + float(node.get("width", "nan")), y + float(node.get("height", "nan"))
    raise AssertionError("no axes frame")


def rooflines(svg: str) -> list[list[Point]]:
    """The corners of each roofline polyline, in the devices' order."""
    root = ET.fromstring(svg)
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "rooflines")
    return [
        [tuple(map(float, pair.split(","))) for pair in line.get("points", "").split()]  # type: ignore[misc]
        for line in group.iter(f"{SVG}polyline")
    ]


# ---------------------------------------------------------------------------------- overlap


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def segments_cross(p: Point, q: Point, r: Point, s: Point) -> bool:
    """Whether segments pq and rs cross at a point inside both."""
    return (_cross(p, q, r) * _cross(p, q, s) < 0) and (_cross(r, s, p) * _cross(r, s, q) < 0)


def contains(polygon: tuple[Point, ...], point: Point) -> bool:
    """Whether a convex polygon (corners in order) holds ``point`` strictly inside."""
    signs = [
        _cross(polygon[i], polygon[(i + 1) % len(polygon)], point) for i in range(len(polygon))
    ]
    return all(s > 0 for s in signs) or all(s < 0 for s in signs)


def polygons_overlap(a: tuple[Point, ...], b: tuple[Point, ...]) -> bool:
    """Whether two convex polygons share area: edges crossing, or one inside the other."""
    for i in range(len(a)):
        for j in range(len(b)):
            if segments_cross(a[i], a[(i + 1) % len(a)], b[j], b[(j + 1) % len(b)]):
                return True
    return contains(a, b[0]) or contains(b, a[0])


def line_crosses(polygon: tuple[Point, ...], p: Point, q: Point) -> bool:
    """Whether segment pq passes through a convex polygon."""
    edges = [(polygon[i], polygon[(i + 1) % len(polygon)]) for i in range(len(polygon))]
    return any(segments_cross(p, q, r, s) for r, s in edges) or contains(polygon, p)
