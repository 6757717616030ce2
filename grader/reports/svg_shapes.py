"""SVG elements written as text: the few shapes and labels the roofline plots are made of.

Every number is written with two decimals and every text escaped (even our own: no label can
ever break the drawing or the page around it), so the same drawing gives the same bytes.

:func:`text_width` estimates how wide a label is without a renderer, for placing labels: from
the advance widths of DejaVu Sans, the widest font of the page's font stack and the one Linux
falls back to, so an estimate is rarely short on the fonts a reader has.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"

# Advance widths of the printable ASCII characters (space to ~), in thousandths of the em.
# fmt: off
_REGULAR = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)
_BOLD = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365,
    696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580,
    1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
    733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500,
    500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687,
    716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
)
# fmt: on
_SUPERSCRIPTS = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_OTHER = 1000  # any other character (an em: letters of other scripts, symbols)

ASCENT = 0.78  # of the font size above the baseline: capitals, digits, parentheses
DESCENT = 0.24  # below it: p, g, y, the comma


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The estimated advance width of ``text`` at ``size`` (viewBox units)."""
    table = _BOLD if bold else _REGULAR
    total = 0
    for char in text:
        code = ord(char) - 32
        if 0 <= code < len(table):
            total += table[code]
        else:
            total += 550 if char in _SUPERSCRIPTS else _OTHER
    return total * size / 1000


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: float,
    fill: str,
    anchor: str = "start",
    bold: bool = False,
    transform: str = "",
) -> str:
    """A ``<text>`` element; ``transform`` (if any) applies to ``x``/``y``."""
    extra = ' font-weight="bold"' if bold else ""
    if anchor != "start":
        extra += f' text-anchor="{anchor}"'
    if transform:
        extra += f' transform="{transform}"'
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size:g}" fill="{fill}"{extra}>'
        f"{html.escape(content)}</text>"
    )


def line(
    x1: float, y1: float, x2: float, y2: float, *, stroke: str, width: float, dash: str = ""
) -> str:
    """A ``<line>``; ``dash`` is an SVG dash array ("1 1.65" dotted, "3 2" dashed)."""
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" y2="{y2:.2f}" stroke="{stroke}" '
        f'stroke-width="{width:g}"{dashed}/>'
    )


def polyline(points: Iterable[tuple[float, float]], *, stroke: str, width: float) -> str:
    """An open ``<polyline>`` with round joins."""
    coords = " ".join(f"{x:.2f},{y:.2f}" for x, y in points)
    return (
        f'<polyline points="{coords}" fill="none" stroke="{stroke}" stroke-width="{width:g}" '
        'stroke-linejoin="round"/>'
    )


def rect(
    x: float, y: float, width: float, height: float, *, fill: str, stroke: str = "", extra: str = ""
) -> str:
    """A ``<rect>``; ``stroke`` "" for none, ``extra`` more attributes (written as given)."""
    outline = f' stroke="{stroke}"' if stroke else ""
    more = f" {extra}" if extra else ""
    return (
        f'<rect x="{x:.2f}" y="{y:.2f}" width="{width:.2f}" height="{height:.2f}" '
        f'fill="{fill}"{outline}{more}/>'
    )


def marker(
    shape: str,
    x: float,
    y: float,
    r: float,
    *,
    fill: str,
    stroke: str = "#1a1a1a",
    stroke_width: float = 0.9,
    extra: str = "",
) -> str:
    """A marker centred on (x, y): circle, square, diamond or triangle, ``r`` its half size."""
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width:g}"'
    if extra:
        paint += f" {extra}"
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
