"""How the roofline plot looks: colours, marker shapes and sizes, and where a device's
roofline runs on screen (shared by the modules that draw the plot)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: that module builds its drawing from these modules
    from grader.reports.roofline_background import Device, Frame

DEVICE_COLOURS = ("#1f5fa8", "#1b8a4b", "#8e44ad", "#b8860b")
STUDENT_COLOUR = "#e8590c"
REFERENCE_COLOUR = "#222222"
CLASS_COLOURS = ("#e8590c", "#7b2cbf", "#0f7c8c", "#a61e4d")
SHAPES = ("circle", "square", "diamond", "triangle")
LINE_WIDTH = 2.2  # a roofline's
REFERENCE_SIZE = 5.5  # a reference marker's half size
STUDENT_SIZE = 4.2  # a student's marker's half size
CLASS_DOT = 2.6  # a class's dot's radius
RIDGE_DOT = 2.75  # a ridge point's radius
LEGEND_INSET = 5.0  # between the axes' top-left corner and the legend


def device_colour(index: int) -> str:
    """The colour of the sheet's ``index``-th device (the palette repeats after four)."""
    return DEVICE_COLOURS[index % len(DEVICE_COLOURS)]


def roofline_corners(frame: Frame, device: Device) -> list[tuple[float, float]]:
    """A device's roofline on screen: at the left edge, at the ridge, at the right edge."""
    low, high = frame.limits.xlim
    return [frame.to_svg(x, device.attainable(x)) for x in (low, device.ridge, high)]
