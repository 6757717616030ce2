"""The sheet's roofline plot as self-contained SVG, with a student's (or a class's) operations.

What every plot of the sheet shares (axes, rooflines, ridges, references, legend, strips) comes
drawn once from :mod:`grader.reports.roofline_background`; here only a few ``<circle>``/``<rect>``/
``<text>`` elements are added for each student (or each class) before ``</svg>``, with notes
for values off the scale.

What is drawn comes from the sheet's ``plots.roofline`` only: its devices (each by the prefix of
its ``.peak`` and ``.bandwidth`` givens), the parts whose values are the operations' intensities,
and the parts that ask for each device's turning point. A sheet without it has no plot.

Two modes: with the answers (ridge values, reference points, the memory-/compute-bound strip:
``reveal: answers`` and the class plot for TAs), or without (the rooflines as the givens define
them, with only the student's own marks: ``reveal: feedback``). The student's own turning points
are drawn in both, as dashed lines marked as theirs."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

from grader.reports.plot_marks import (
    TEXT_STYLE,
    Marked,
    class_elements,
    own_ridge_elements,
    student_elements,
)
from grader.reports.roofline_background import (
    Background,
    Device,
    Frame,
    PlotKey,
    shared_background,
)
from grader.results import ResultLike
from grader.sheets.expectations import Expectations

NOTE_LINE = 12.0  # viewBox units added under the figure per note line


def roofline_svg(exp: Expectations, result: Marked | None = None, *, answers: bool) -> str:
    """The sheet's roofline plot, with the student's own operations when a result is given.

    Args:
        exp: the assignment's expectations (devices from ``exp.givens``, reference
            intensities from ``exp.solution.answers``).
        result: a graded file; its usable intensities are drawn as filled markers on every
            roofline and its turning points as dashed lines, clamped to the edge (with an
            arrow) when off scale.
        answers: whether to draw what answers the sheet (ridge values, reference points, the
            memory-/compute-bound strip); see :mod:`grader.reveal` for who may see it.

    Returns:
        A self-contained ``<svg>`` element that scales to its container's width.

    Raises:
        ValueError: the sheet has no roofline plot, or no device of it can be drawn with
            these givens (see ``has_roofline``).
    """
    key = plot_key(exp, answers=answers)
    background = shared_background(key)
    if result is None or result.status != "graded":
        return _finish(background, [], [])
    marks, notes = student_elements(background.frame, key, result, plot_operations(exp))
    ridges, ridge_notes = own_ridge_elements(
        background.frame, key, result, ridge_parts(exp), background.labels
    )
    return _finish(background, ridges + marks, notes + ridge_notes)


def class_roofline_svg(exp: Expectations, results: Sequence[ResultLike]) -> str | None:
    """The roofline plot with every student's intensities as small translucent dots.

    Args:
        exp: the assignment's expectations.
        results: the class's results; error results and invalid/missing parts are skipped.

    Returns:
        A self-contained ``<svg>`` element that scales to its container's width; None for a
        sheet without a roofline plot (see ``has_roofline``).
    """
    if not has_roofline(exp):
        return None
    key = plot_key(exp, class_mode=True)
    background = shared_background(key)
    marks, off_scale = class_elements(background.frame, key, results, plot_operations(exp))
    notes = [f"{off_scale} value(s) off scale, drawn at the edge"] if off_scale else []
    return _finish(background, marks, notes)


def drawing_svg(key: PlotKey) -> str:
    """The shared drawing of a key alone, as a self-contained ``<svg>`` element (a plot whose
    devices, operations and references do not come from an assignment, or a test's)."""
    return _finish(shared_background(key), [], [])


def has_roofline(exp: Expectations) -> bool:
    """Whether the sheet has a roofline plot with at least one device that can be drawn (a
    positive ``<name>.peak`` and ``<name>.bandwidth`` among the givens)."""
    return bool(plot_devices(exp))


def plot_frame(exp: Expectations, *, answers: bool = True) -> Frame:
    """The data -> SVG transform of the sheet's plot (to place more marks, or to test)."""
    return shared_background(plot_key(exp, answers=answers)).frame


def plot_key(exp: Expectations, *, class_mode: bool = False, answers: bool = True) -> PlotKey:
    """The devices and operations of a sheet (with the reference intensities when the
    answers are drawn), as a hashable cache key."""
    operations = plot_operations(exp)
    references = []
    for part_id, label in operations:
        value = _positive(exp.solution.answers.get(part_id))
        if value is not None and answers:
            references.append((label, value))
    roofline = exp.assignment.plots.roofline
    return PlotKey(
        plot_devices(exp),
        tuple(label for _part_id, label in operations),
        tuple(references),
        class_mode,
        answers,
        roofline.intensity_range if roofline is not None else None,
    )


def plot_operations(exp: Expectations) -> tuple[tuple[str, str], ...]:
    """The operations the sheet places on its rooflines: (intensity part id, label, with its
    placeholders filled in); none without a roofline plot."""
    roofline = exp.assignment.plots.roofline
    if roofline is None:
        return ()
    return tuple((operation.part, operation.label) for operation in roofline.operations)


def plot_devices(exp: Expectations) -> tuple[Device, ...]:
    """The devices of the sheet's roofline plot that can be drawn with its givens."""
    roofline = exp.assignment.plots.roofline
    return devices_of(exp.givens, roofline.devices) if roofline is not None else ()


def ridge_parts(exp: Expectations) -> tuple[tuple[str, int], ...]:
    """The parts that ask for a device's turning point (the plot's ``turning_points``), each
    with the index of its device among those drawn."""
    roofline = exp.assignment.plots.roofline
    if roofline is None:
        return ()
    drawn = [device.name for device in plot_devices(exp)]
    found = []
    for device, part_id in roofline.turning_points.items():
        if _device_name(device) in drawn:
            found.append((part_id, drawn.index(_device_name(device))))
    return tuple(found)


def devices_of(givens: Mapping[str, Any], names: Sequence[str]) -> tuple[Device, ...]:
    """The devices ``names`` (prefixes of givens: ``gpu`` for ``gpu.peak`` and
    ``gpu.bandwidth``), in that order; one whose rates are missing or not positive numbers
    (a ``--set`` may make them so) is left out."""
    devices = []
    for name in names:
        peak = _positive(givens.get(f"{name}.peak"))
        bandwidth = _positive(givens.get(f"{name}.bandwidth"))
        if peak is not None and bandwidth is not None:
            devices.append(Device(_device_name(name), bandwidth, peak))
    return tuple(devices)


def _device_name(prefix: str) -> str:
    """How the plot names a device: its givens' prefix in capitals (``GPU``)."""
    return prefix.upper()


def _positive(value: object) -> float | None:
    """A finite positive number as float, else None (givens and answers may be anything)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value > 0 else None


def _notes(frame: Frame, notes: list[str]) -> str:
    """Notes in the band added under the figure for them, one line each."""
    left = frame.box[0] * frame.width
    return "".join(
        _text(left, frame.height + NOTE_LINE * (i + 0.8), f"\u25b8 {note}")
        for i, note in enumerate(notes)
    )


def _text(x: float, y: float, text: str) -> str:
    # Every text is escaped, even our own, so that no label can ever break the SVG.
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" fill="#333" style="{TEXT_STYLE}">{html.escape(text)}</text>'
    )


def _finish(background: Background, marks: list[str], notes: list[str]) -> str:
    """The SVG: an opening tag tall enough for the notes, the shared body, the overlay."""
    frame = background.frame
    height = frame.height + (NOTE_LINE * len(notes) + 4 if notes else 0)
    opening = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'class="roofline" viewBox="0 0 {frame.width:g} {height:g}" width="100%" '
        'role="img" aria-label="Roofline plot: attainable performance against arithmetic '
        'intensity" style="height: auto; display: block">'
    )
    return opening + background.body + "".join(marks) + _notes(frame, notes) + "</svg>\n"
