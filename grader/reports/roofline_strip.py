"""The memory-/compute-bound strip under the roofline plot: one row per device, memory-bound
left of its ridge, compute-bound right of it (drawn only where the answers are shown)."""

from __future__ import annotations

from dataclasses import dataclass

from grader.reports.log_axes import AXIS_COLOUR, LABEL_GAP, TICK_FONT
from grader.reports.svg_shapes import line, rect, text, text_width

REGION_COLOURS = {"memory-bound": "#fbe3bf", "compute-bound": "#dcd3f5"}
SHORT = {"memory-bound": "memory", "compute-bound": "compute"}
STRIP_FONT = 8.5
ROW = 17.0  # viewBox units per device
INSET = 0.06  # of a row, above and below its two regions
STRIP_GAP = 12.0  # between the main axes and the strip


@dataclass(frozen=True)
class StripRow:
    """A device's row: its name, its ridge's x on screen, its colour."""

    name: str
    ridge_x: float
    colour: str


def strip_height(rows: int) -> float:
    return rows * ROW


def strip_svg(rows: list[StripRow], left: float, right: float, top: float) -> str:
    """The strip's rows between ``left`` and ``right``, from ``top`` down, framed."""
    out = ['<g class="strip">']
    for index, row in enumerate(rows):
        row_top = top + index * ROW
        middle = row_top + ROW / 2
        regions = ((left, row.ridge_x, "memory-bound"), (row.ridge_x, right, "compute-bound"))
        for start, end, region in regions:
            height = ROW * (1 - 2 * INSET)
            out.append(
                rect(start, row_top + ROW * INSET, end - start, height, fill=REGION_COLOURS[region])
            )
            words = _fitting(region, end - start)
            if words:
                out.append(
                    text(
                        (start + end) / 2,
                        middle + 0.35 * STRIP_FONT,
                        words,
                        size=STRIP_FONT,
                        fill="#1a1a1a",
                        anchor="middle",
                    )
                )
        out.append(
            line(
                row.ridge_x,
                row_top,
                row.ridge_x,
                row_top + ROW,
                stroke=row.colour,
                width=1,
                dash="1 1.65",
            )
        )
        out.append(
            text(
                left - LABEL_GAP,
                middle + 0.35 * TICK_FONT,
                row.name,
                size=TICK_FONT,
                fill=AXIS_COLOUR,
                anchor="end",
            )
        )
    out.append(
        rect(
            left,
            top,
            right - left,
            strip_height(len(rows)),
            fill="none",
            stroke=AXIS_COLOUR,
            extra='stroke-width="0.8"',
        )
    )
    out.append("</g>")
    return "".join(out)


def _fitting(region: str, width: float) -> str:
    """The region's name, or its short name, whichever fits the width; else nothing."""
    for words in (region, SHORT[region]):
        if text_width(words, STRIP_FONT) + 6 <= width:
            return words
    return ""
