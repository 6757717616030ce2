"""The roofline plot's content as text, for those who cannot see the drawing (screen readers skip
an SVG's inner texts) and for anyone who wants the numbers: the devices' peaks and bandwidths,
the turning points, and per operation the intensities and verdicts.

It shows exactly what the drawing shows at the same reveal level (see :mod:`grader.reports.reveal`
and :mod:`grader.reports.plots`): the givens (peaks, bandwidths) always; the student's own
intensities, turning points and verdicts always; the reference turning points, intensities and
verdicts only in the ``answers`` mode. Values that the drawing cannot place say so, as its notes
do ("not plotted", "off the scale").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from grader.reports.plot_marks import Marked, clamp, student_intensity
from grader.reports.plots import plot_frame
from grader.results import Status
from grader.sheets.expectations import Expectations

__all__ = ["DeviceText", "OperationText", "PlotText", "plot_text"]

_PREFIXES = ((1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))


@dataclass(frozen=True)
class DeviceText:
    """One device: name, peak, bandwidth; its turning point (reference, when shown) and the
    student's own."""

    name: str
    peak: str
    bandwidth: str
    turning_point: str | None
    yours: str | None


@dataclass(frozen=True)
class OperationText:
    """One operation: the student's intensity (or why it is not plotted), the reference's when
    shown, and per device the student's verdict and the reference's when shown."""

    label: str
    yours: str
    reference: str | None
    verdicts: tuple[tuple[str, str, str | None], ...]  # device, yours, reference


@dataclass(frozen=True)
class PlotText:
    """Everything the plot shows, as rows of text; ``answers``: whether references are in it."""

    devices: tuple[DeviceText, ...]
    operations: tuple[OperationText, ...]
    answers: bool


def plot_text(exp: Expectations, marked: Marked | None, *, answers: bool) -> PlotText | None:
    """The plot's content for ``marked`` (a student's view; None for the plot alone).

    Args:
        exp: the assignment's expectations (its roofline spec, givens and solution).
        marked: the student's graded file as shown to them (``grader.reports.reveal``).
        answers: whether the reference values may be shown (the plot's ``answers`` mode).

    Returns:
        The rows, or None when the sheet draws no roofline.
    """
    spec = exp.assignment.plots.roofline
    if spec is None:
        return None
    givens = exp.givens
    reference: Mapping[str, Any] = exp.solution.answers if answers else {}
    own = marked if marked is not None and marked.status == "graded" else None
    devices = []
    for name in spec.devices:
        peak = _number(givens.get(f"{name}.peak"))
        bandwidth = _number(givens.get(f"{name}.bandwidth"))
        if peak is None or bandwidth is None:
            continue
        part = spec.turning_points.get(name)
        ridge = _number(reference.get(part)) if part else None
        yours = student_intensity(own, part) if own is not None and part else None
        devices.append(
            DeviceText(
                name=name.upper(),
                peak=_si(peak, "FLOP/s"),
                bandwidth=_si(bandwidth, "B/s"),
                turning_point=_intensity(ridge) if ridge is not None else None,
                yours=_intensity(yours) if yours is not None else None,
            )
        )
    xlim = plot_frame(exp, answers=answers).limits.xlim
    verdict_parts = _verdict_parts(exp)
    operations = []
    for operation in spec.operations:
        value = student_intensity(own, operation.part) if own is not None else None
        expected = _number(reference.get(operation.part))
        verdicts = []
        for device in spec.devices:
            part = verdict_parts.get((operation.part, spec.turning_points.get(device, "")))
            if part is None:
                continue
            theirs = _choice(own, part) if own is not None else None
            verdicts.append((device.upper(), theirs or "—", _text(reference.get(part))))
        operations.append(
            OperationText(
                label=operation.label,
                yours=_placed(value, xlim) if own is not None else "—",
                reference=_intensity(expected) if expected is not None else None,
                verdicts=tuple(verdicts),
            )
        )
    return PlotText(tuple(devices), tuple(operations), answers)


def _verdict_parts(exp: Expectations) -> dict[tuple[str, str], str]:
    """The verdict part of each (intensity part, turning point part) pair of the sheet."""
    found = {}
    for part_id, rule in exp.assignment.carry_forward.items():
        if rule.verdict is not None:
            found[(rule.verdict.intensity, rule.verdict.ridge)] = part_id
    return found


def _placed(value: float | None, xlim: tuple[float, float]) -> str:
    """The student's intensity as the drawing places it, with the drawing's notes."""
    if value is None:
        return "no usable intensity: not plotted"
    _drawn, side = clamp(value, xlim)
    if side:
        return f"{_intensity(value)}: off the scale, drawn at the edge"
    return _intensity(value)


def _choice(marked: Marked, part_id: str) -> str | None:
    for part in marked.parts:
        if part.id == part_id and part.status not in (Status.INVALID, Status.MISSING):
            return part.value if isinstance(part.value, str) else None
    return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _intensity(value: float) -> str:
    return f"{_figures(value)} FLOP/byte"


def _si(value: float, unit: str) -> str:
    """``2e14`` FLOP/s as ``200 TFLOP/s``: three significant figures and an SI prefix."""
    for scale, prefix in _PREFIXES:
        if abs(value) >= scale:
            return f"{_figures(value / scale)} {prefix}{unit}"
    return f"{_figures(value)} {unit}"


def _figures(value: float) -> str:
    """Three significant figures, without an exponent for everyday sizes (``3.33``, ``250``)."""
    if value != 0 and not 1e-3 <= abs(value) < 1e6:
        return f"{value:.3g}"
    text = f"{value:.3g}"
    return text if "e" not in text else f"{value:,.0f}"
