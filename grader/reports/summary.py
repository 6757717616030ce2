"""The class summary for TAs: Markdown, a self-contained HTML page, and a terminal table.

Both documents are Jinja2 templates in ``grader/templates``. Student text (ids, names, answers,
error messages) is hostile until proven otherwise:

- HTML uses ``autoescape=True`` and ``StrictUndefined`` (a typo in a template fails loudly
  instead of printing nothing). Only the roofline SVG, which our own plotting code draws, is
  inserted as markup.
- Markdown has no autoescape, so its environment escapes *every* ``{{ ... }}`` output with
  ``escape_markdown`` through Jinja's ``finalize`` hook; only values wrapped in ``Raw`` (our own
  formatted numbers and bars) pass unchanged. Forgetting a filter therefore cannot open a hole.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from html.parser import HTMLParser
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from tabulate import tabulate

from grader.escaping import escape_markdown, terminal_safe
from grader.input.student_files import NotGraded
from grader.reports.common_mistakes import MistakeCount
from grader.reports.plot_text import PlotText
from grader.reports.stats import ClassStatistics, PartStatistics
from grader.results import Status
from grader.sheets.assignment import Assignment
from grader.spreadsheet import plain_number

TOP_MISTAKES = 3
NOT_GRADED_SHOWN = 100
"""Entries of the not-graded list a summary shows (it gives the count of the rest)."""
NOT_GRADED_PRINTED = 10
"""Entries of the not-graded list printed on the terminal."""
BAR_WIDTH = 30
LOW_DISCRIMINATION = 0.2
"""Below this a part separates strong from weak students poorly (Ebel's rule of thumb)."""

SHARE_COLUMNS: tuple[tuple[Status, str], ...] = (
    (Status.CORRECT, "correct"),
    (Status.PARTIAL, "partial"),
    (Status.INCORRECT, "incorrect"),
    (Status.INVALID, "invalid"),
    (Status.MISSING, "missing"),
    (Status.NEEDS_REVIEW, "review"),
)
_XML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_RAW_SCRIPT = re.compile(r"<\s*script", re.IGNORECASE)


class Raw(str):
    """Text the Markdown template writes as is: our own numbers, bars and labels."""

    __slots__ = ()


def _finalize_markdown(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return escape_markdown(str(value))


def percent(share: float | None) -> str:
    """A share as a whole percentage (``38 %``), ``—`` when undefined."""
    return "—" if share is None else f"{share * 100:.0f} %"


def fixed(value: float | None, digits: int = 2) -> str:
    """A number with fixed decimals, ``—`` when undefined."""
    return "—" if value is None else f"{value:.{digits}f}"


def is_low(value: float | None) -> bool:
    """Whether a discrimination index is worth a look (low or negative)."""
    return value is not None and value < LOW_DISCRIMINATION


def top_mistakes(part: PartStatistics) -> tuple[MistakeCount, ...]:
    """The most frequent mistakes of a part (already sorted by count, then tag)."""
    return part.mistakes[:TOP_MISTAKES]


def text_bar(count: int, largest: int, width: int = BAR_WIDTH) -> str:
    """A bar of ``█`` proportional to ``count``; any nonzero count shows at least one block."""
    if count <= 0 or largest <= 0:
        return ""
    return "█" * max(1, round(count * width / largest))


def bar_height(count: int, largest: int) -> float:
    """Height of an HTML histogram bar in percent of the tallest."""
    return 0.0 if largest <= 0 else round(100 * count / largest, 1)


_FORMATTERS: dict[str, Callable[..., str]] = {
    "percent": percent,
    "fixed": fixed,
    "plain": plain_number,
}


def _as_raw(formatter: Callable[..., str]) -> Callable[..., Raw]:
    """A formatter whose output the Markdown template writes unescaped (our own numbers)."""

    @functools.wraps(formatter)
    def wrapped(*args: Any, **kwargs: Any) -> Raw:
        return Raw(formatter(*args, **kwargs))

    return wrapped


@functools.cache
def _environment(kind: str) -> Environment:
    """The environment for ``html`` (autoescape) or ``markdown`` (escape by ``finalize``)."""
    loader = PackageLoader("grader.reports", "templates")
    layout: dict[str, Any] = {"trim_blocks": True, "lstrip_blocks": True}
    layout["keep_trailing_newline"] = True
    if kind == "html":
        env = Environment(loader=loader, autoescape=True, undefined=StrictUndefined, **layout)
        env.filters.update(_FORMATTERS)
    else:
        env = Environment(
            loader=loader,
            autoescape=False,
            undefined=StrictUndefined,
            finalize=_finalize_markdown,
            **layout,
        )
        env.filters.update({name: _as_raw(f) for name, f in _FORMATTERS.items()})
        env.filters["raw"] = Raw
    env.filters.update(is_low=is_low, top_mistakes=top_mistakes)
    return env


def prepare(*, html: bool) -> None:
    """Compile the summary templates now (Markdown, and HTML if ``html``), not at first use."""
    _environment("markdown").get_template("summary.md.j2")
    if html:
        _environment("html").get_template("summary.html.j2")


def _context(
    stats: ClassStatistics, assignment: Assignment, not_graded: Sequence[NotGraded] | None
) -> dict[str, Any]:
    largest = max((b.count for b in stats.scores.histogram), default=0)
    skipped = answers_first(not_graded or ())
    # Every entry that may be a student's answer is listed, however many other files there are.
    shown = max(NOT_GRADED_SHOWN, sum(1 for entry in skipped if entry.may_be_answer))
    return {
        "not_graded": None if not_graded is None else skipped[:shown],
        "not_graded_count": len(skipped),
        "not_graded_more": max(0, len(skipped) - shown),
        "stats": stats,
        "assignment": assignment,
        "scores": stats.scores,
        "share_columns": SHARE_COLUMNS,
        "largest_bin": largest,
        "low_discrimination": LOW_DISCRIMINATION,
        "bars": [Raw(text_bar(b.count, largest)) for b in stats.scores.histogram],
        "heights": [bar_height(b.count, largest) for b in stats.scores.histogram],
        "bin_labels": [Raw(f"{b.low}–{b.high} %".rjust(9)) for b in stats.scores.histogram],
    }


def summary_markdown(
    stats: ClassStatistics,
    assignment: Assignment,
    *,
    not_graded: Sequence[NotGraded] | None = None,
) -> str:
    """The class summary as Markdown (student text escaped, histogram as a text bar chart).

    Args:
        stats: the class statistics (``class_statistics``).
        assignment: the sheet, for its title and point totals.
        not_graded: what under the graded paths got no row, and why (None: not known, no
            section); every entry that may be an answer and at least the first
            ``NOT_GRADED_SHOWN`` are listed, with the count.
    """
    context = _context(stats, assignment, not_graded)
    context["review_rows"] = _review_rows_markdown(stats)
    return _environment("markdown").get_template("summary.md.j2").render(context)


def _review_rows_markdown(stats: ClassStatistics) -> list[Raw]:
    """The review queue's table rows, as the template would write them cell by cell (student
    text escaped, points plain): a jinja expression per cell took most of the summary's time
    for a class of 10,000."""
    parts: dict[tuple[str, ...], str] = {}
    rows = []
    for item in stats.review_queue:
        waiting = parts.get(item.parts)
        if waiting is None:
            waiting = parts[item.parts] = escape_markdown(", ".join(item.parts))
        student, name, file = map(escape_markdown, (item.student, item.name, item.file))
        points = plain_number(item.points)
        rows.append(Raw(f"| {student} | {name} | {file} | {waiting} | {points} |"))
    return rows


def summary_html(
    stats: ClassStatistics,
    assignment: Assignment,
    *,
    roofline_svg: str | None = None,
    plot_data: PlotText | None = None,
    not_graded: Sequence[NotGraded] | None = None,
) -> str:
    """The class summary as one self-contained HTML page (inline CSS, no script, no links).

    Args:
        stats: the class statistics (``class_statistics``).
        assignment: the sheet, for its title and point totals.
        roofline_svg: an SVG drawing made by our own plotting code (never student markup);
            embedded as is, without its XML prolog.
        plot_data: the plot's numbers, shown as tables under it (``plot_text`` with the
            answers: the summary is for staff).
        not_graded: as for :func:`summary_markdown`.

    Raises:
        ValueError: the SVG is not an ``<svg>`` element or carries a script.
    """
    context = _context(stats, assignment, not_graded)
    context["roofline_svg"] = None if roofline_svg is None else _inline_svg(roofline_svg)
    context["plot_data"] = plot_data if roofline_svg is not None else None
    return _environment("html").get_template("summary.html.j2").render(context)


def _inline_svg(svg: str) -> Markup:
    """An SVG document ready to sit inside HTML: prolog and doctype dropped, checked for script.

    Raises:
        ValueError: no ``<svg>`` element, or a script element, event handler or
            ``javascript:`` link (see ``_ScriptFinder``).
    """
    start = svg.find("<svg")
    if start < 0:
        raise ValueError("roofline_svg is not an SVG drawing (no <svg> element)")
    # Comments (some SVG writers copy labels into them) are inert; dropping them keeps the
    # page small and leaves nothing for a stray "-->" to end early.
    body = _XML_COMMENT.sub("", svg[start:]).strip()
    finder = _ScriptFinder()
    finder.feed(body)
    finder.close()
    # HTMLParser reads <style> as raw text, a browser's SVG parser does not: also look for
    # "<script" anywhere (escaped labels never contain a raw "<").
    if not finder.found and _RAW_SCRIPT.search(body):
        finder.found = "<script>"
    # A drawing never needs script; refuse rather than strip, so a bug upstream shows.
    if finder.found:
        raise ValueError(f"roofline_svg contains script ({finder.found}); refusing to embed it")
    return Markup(body)


class _ScriptFinder(HTMLParser):
    """Finds what would run in a browser: elements and attribute *names*, not text.

    Labels (a student's name in a legend, which some SVG writers also copy into XML comments)
    are text, comments or attribute values, so they can never make a drawing be refused.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "foreignobject", "iframe", "object", "embed"):
            self.found = self.found or f"<{tag}>"
        for name, value in attrs:
            link = (value or "").strip().lower().replace(" ", "")
            if name.startswith("on") or link.startswith(("javascript:", "data:text/html")):
                self.found = self.found or f"{tag} {name}"


LOW_DISCRIMINATION_MARK = " !"
LOW_DISCRIMINATION_NOTE = (
    f"discrimination below {LOW_DISCRIMINATION}: the students who did well overall did not do "
    "better on this part (worth a look at the question or its grading)."
)
"""The mark after a low discrimination in the terminal table, and the legend line for it."""


def summary_table(stats: ClassStatistics) -> str:
    """The per-part table for a terminal (one row per part, compact columns)."""
    headers = ["part", "mean credit"]
    # every share, review too: a part waiting for a TA adds up to 100 % and says why
    headers += [f"% {label}" for _, label in SHARE_COLUMNS]
    headers += ["discrimination", "top mistake (count)"]
    rows = [_table_row(part) for part in stats.parts]
    table = tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)
    if any(is_low(part.discrimination) for part in stats.parts):
        table += f"\n\n{LOW_DISCRIMINATION_MARK.strip()}: {LOW_DISCRIMINATION_NOTE}"
    return table


def _table_row(part: PartStatistics) -> list[str]:
    shares = [f"{part.shares[status] * 100:.0f}" for status, _ in SHARE_COLUMNS]
    mistake = part.mistakes[0] if part.mistakes else None
    top = f"{terminal_safe(mistake.label)} ({mistake.count})" if mistake else ""
    discrimination = fixed(part.discrimination)
    if is_low(part.discrimination):
        discrimination += LOW_DISCRIMINATION_MARK
    return [part.id, fixed(part.mean_credit), *shares, discrimination, top]


def answers_first(entries: Sequence[NotGraded]) -> list[NotGraded]:
    """``entries`` with those that may be a student's answer (named like an answer file, or
    a folder that could not be listed) first, each group in its order: a list cut after its
    first lines must not hide them behind the write-ups and sketches of a class."""
    return sorted(entries, key=lambda entry: not entry.may_be_answer)


def not_graded_text(entries: Sequence[NotGraded], *, shown: int = NOT_GRADED_PRINTED) -> str:
    """What got no gradebook row, for a terminal: a count, then a line per entry (the first
    ``shown``, those that may be an answer first); empty when every file was graded."""
    if not entries:
        return ""
    entries = answers_first(entries)
    count = len(entries)
    lines = [f"not graded: {count} file{'s' if count != 1 else ''} under the given paths:"]
    lines += [f"  {terminal_safe(e.name)}: {e.reason}" for e in entries[:shown]]
    if count > shown:
        lines.append(f"  ... and {count - shown} more (listed in summary.md)")
    return "\n".join(lines)
