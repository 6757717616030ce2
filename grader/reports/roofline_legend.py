"""The legend of the roofline plot: the markers explained (lines are labelled where they are).

Two columns: the student's marks (or the class's dots) on the left, the reference operations
on the right; the same for every student, so it belongs to the shared drawing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from grader.reports.label_layout import Outline, box
from grader.reports.roofline_style import (
    CLASS_COLOURS,
    CLASS_DOT,
    LEGEND_INSET,
    REFERENCE_COLOUR,
    REFERENCE_SIZE,
    SHAPES,
    STUDENT_COLOUR,
    STUDENT_SIZE,
)
from grader.reports.svg_shapes import marker, rect, text, text_width

if TYPE_CHECKING:  # types only: that module builds its drawing from this one
    from grader.reports.roofline_background import Frame, PlotKey

LEGEND_FONT = 8.8
ROW = LEGEND_FONT * 1.4
PAD = 4.0  # inside the frame
HANDLE = 14.0  # the marker's column
HANDLE_GAP = 3.0  # between a marker and its text
COLUMN_GAP = 10.0


@dataclass(frozen=True)
class Entry:
    """A marker as drawn in the legend, and what it stands for."""

    shape: str
    label: str
    size: float  # the marker's half size
    fill: str
    stroke: str
    stroke_width: float
    opacity: float = 1.0


@dataclass(frozen=True)
class Legend:
    """The entries in columns, and the size of the legend's frame."""

    columns: tuple[tuple[Entry, ...], ...]

    @property
    def rows(self) -> int:
        return max((len(column) for column in self.columns), default=0)

    def column_widths(self) -> list[float]:
        return [
            HANDLE + HANDLE_GAP + max(text_width(e.label, LEGEND_FONT) for e in column)
            for column in self.columns
        ]

    @property
    def width(self) -> float:
        widths = self.column_widths()
        return sum(widths) + COLUMN_GAP * (len(widths) - 1) + 2 * PAD if widths else 0.0

    @property
    def height(self) -> float:
        return self.rows * ROW + 2 * PAD if self.rows else 0.0

    def outline(self, frame: Frame) -> Outline:
        """Where the legend goes: the top-left corner of the axes."""
        left, top, _right, _bottom = frame.axes()
        x, y = left + LEGEND_INSET, top + LEGEND_INSET
        return box(x, y, x + self.width, y + self.height)

    def svg(self, frame: Frame) -> str:
        """The legend in the top-left corner of the axes; "" when it has no entry."""
        if not self.rows:
            return ""
        left, top = self.outline(frame)[0]
        out = ['<g class="legend">']
        out.append(
            rect(
                left,
                top,
                self.width,
                self.height,
                fill="#ffffff",
                stroke="#cccccc",
                extra='fill-opacity="0.92" stroke-width="0.8" rx="2"',
            )
        )
        x = left + PAD
        for column, width in zip(self.columns, self.column_widths(), strict=True):
            for row, entry in enumerate(column):
                middle = top + PAD + (row + 0.5) * ROW
                opacity = f'fill-opacity="{entry.opacity:g}"' if entry.opacity < 1 else ""
                out.append(
                    marker(
                        entry.shape,
                        x + HANDLE / 2,
                        middle,
                        entry.size,
                        fill=entry.fill,
                        stroke=entry.stroke,
                        stroke_width=entry.stroke_width,
                        extra=opacity,
                    )
                )
                out.append(
                    text(
                        x + HANDLE + HANDLE_GAP,
                        middle + 0.35 * LEGEND_FONT,
                        entry.label,
                        size=LEGEND_FONT,
                        fill="#1a1a1a",
                    )
                )
            x += width + COLUMN_GAP
        out.append("</g>")
        return "".join(out)


def legend_for(key: PlotKey, frame: Frame) -> Legend:
    """The markers' legend: the student's (or class's) marks, then the references; in one
    column where two side by side would take most of the axes' width."""
    marks = []
    for index, label in enumerate(key.operations):
        if key.class_mode:
            colour = CLASS_COLOURS[index % len(CLASS_COLOURS)]
            marks.append(Entry("circle", f"students' {label}", CLASS_DOT, colour, "none", 0, 0.5))
        else:
            shape = SHAPES[index % len(SHAPES)]
            marks.append(
                Entry(shape, f"your {label}", STUDENT_SIZE, STUDENT_COLOUR, "#1a1a1a", 0.9)
            )
    references = [
        Entry(
            SHAPES[index % len(SHAPES)],
            f"reference {label}",
            REFERENCE_SIZE,
            "none",
            REFERENCE_COLOUR,
            1.3,
        )
        for index, (label, _value) in enumerate(key.references)
    ]
    legend = Legend(tuple(column for column in (tuple(marks), tuple(references)) if column))
    left, _top, right, _bottom = frame.axes()
    if len(legend.columns) > 1 and legend.width > 0.6 * (right - left):
        legend = Legend((tuple(marks) + tuple(references),))
    return legend
