"""Grading operation counts by type (the softmax of q2.c): per-operation credit.

Students give the counts as a mapping (``{exp: 4096, add: 4032, div: 4096}``, the template's
form, whose optional keys may stay empty), or on one line: ``4096 exp, 4032 add, 4096 div``,
``exp=4096; add=4032; div=4096``, ``4096 exp + 4032 add + 4096 div`` or ``exp: 4096, add:
4032, div: 4096`` written as one text (also as a list of such items), perhaps after the name of
the softmax form (``stable softmax: max 4032, ...``), which the question asks for. Operation
names go through the part's aliases.

Credit is per graded operation (the required ones and any other given). A mistake the part
declares for its items (``per_row``: every count is for one row of the matrix) is stated once
for all the counts it explains, with its credit for each of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from grader.answers.numbers import read_number
from grader.errors import AnswerFormatError
from grader.grading.compare import is_right
from grader.grading.file_context import FileContext
from grader.grading.outcome import Outcome, credited
from grader.input.answer_tree import Node, is_blank
from grader.sheets.assignment import ItemMistake, Part
from grader.sheets.expectations import Expectations, evaluate_formula
from reference.solution import format_number as fmt

__all__ = ["grade_op_counts"]

# Items of a one-line answer: split at ";", new lines, " and ", or a comma and a space
# ("4,096 exp" keeps its grouping comma).
_ITEM_SEPARATOR = re.compile(r"\s*(?:[;\n]|,\s+|\s+and\s+)\s*")
_NAME_FIRST = re.compile(r"(?P<name>[A-Za-z][A-Za-z _-]*?)\s*(?:[:=]\s*|\s+)(?P<value>\S.*)")
_NAME_LAST = re.compile(r"(?P<value>.*?\S)\s*(?P<name>[A-Za-z][A-Za-z_-]*)\.?")
# "4096 exp + 4032 add + 4096 div": a "+" right after an operation's name, before the next
# count, separates items; any other "+" is arithmetic inside a count ("add: 4032 + 64").
_PLUS_AFTER_NAME = re.compile(r"(?P<name>[A-Za-z]+)\.?\s*\+\s*(?=\d)")
# "stable softmax: ...", "basic - ...": the form the question asks to name, before the counts.
_LABEL = re.compile(
    r"(?P<label>[A-Za-z][A-Za-z ()-]*?)\s*(?::|\s[-–—]\s)\s*(?P<rest>\S.*)", re.DOTALL
)


class _Entry(NamedTuple):
    key: str
    text: str
    line: int | None


def grade_op_counts(
    part: Part,
    node: Node,
    exp: Expectations,
    own: Mapping[str, float] | None = None,
    context: FileContext | None = None,
) -> Outcome:
    """Counts by operation type; credit per operation, all accepted conventions right."""
    given = _operation_counts(part, node, exp)
    accepted = [v for v in exp.accepted[part.id] if isinstance(v, dict)]
    graded = [
        op for op in _all_operations(accepted) if op in part.required_operations or op in given
    ]
    right: list[str] = []
    explained: dict[str, list[str]] = {}  # item mistake -> the operations it explains
    notes: list[str] = []
    for op in graded:
        options = sorted({counts[op] for counts in accepted if op in counts})
        if op not in given:
            notes.append(f"{op}: missing")
        elif any(is_right(given[op], float(o), rtol=0.0) for o in options):
            right.append(op)
        else:
            mistake = _item_mistake(part, given[op], options, exp)
            if mistake is not None:
                explained.setdefault(mistake.name, []).append(op)
            else:
                notes.append(f"{op}: {fmt(given[op])} is not right")
    return _outcome(part, given, graded, right, explained, notes)


def _outcome(
    part: Part,
    given: dict[str, float],
    graded: list[str],
    right: list[str],
    explained: dict[str, list[str]],
    notes: list[str],
) -> Outcome:
    mistakes = {m.name: m for m in part.item_mistakes}
    earned = len(right) + sum(mistakes[n].credit * len(ops) for n, ops in explained.items())
    credit = earned / len(graded) if graded else 0.0
    if not explained and not notes:
        return credited(credit, value=given, feedback="Right.")
    said = [f"Right: {', '.join(right)}." if right else ""]
    said += [f"{', '.join(ops)}: {mistakes[n].feedback}" for n, ops in explained.items()]
    said += ["; ".join(notes) + "." if notes else ""]
    tag = next(iter(explained)) if len(explained) == 1 and not notes else "operation_counts"
    return credited(
        credit, value=given, mistake=tag, feedback=" ".join(text for text in said if text)
    )


def _all_operations(accepted: list[dict[str, int]]) -> list[str]:
    ops: list[str] = []
    for counts in accepted:
        ops += [op for op in counts if op not in ops]
    return ops


def _item_mistake(
    part: Part, value: float, options: list[int], exp: Expectations
) -> ItemMistake | None:
    for mistake in part.item_mistakes:
        factor = evaluate_formula(mistake.factor, exp.formula_values)
        if any(is_right(value * factor, float(o), rtol=0.0) for o in options):
            return mistake
    return None


def _operation_counts(part: Part, node: Node, exp: Expectations) -> dict[str, float]:
    aliases = {
        alias.lower(): op for op, names in part.operation_aliases.items() for alias in (*names, op)
    }
    counts: dict[str, float] = {}
    for key, text, line in _entries(node, aliases):
        op = aliases.get(key.strip().lower())
        where = f" (line {line})" if line else ""
        if op is None:
            raise AnswerFormatError(
                f"unknown operation {key[:30]!r}; use {', '.join(part.operation_aliases)}"
            )
        if is_blank(text):
            continue  # an optional key of the template left empty (or "-"): not given
        if op in counts:
            raise AnswerFormatError(f"operation {op} given twice{where}")
        try:
            counts[op] = read_number(text, unit="1", symbols=exp.symbols, whole=True).value
        except AnswerFormatError as error:
            raise AnswerFormatError(f"{key}{where}: {error.message}") from None
    return counts


def _entries(node: Node, aliases: dict[str, str]) -> Iterable[_Entry]:
    """``(operation, count text, line)`` from a mapping, a one-line text, or a list of them."""
    value = node.value
    if isinstance(value, dict):
        for key, child in value.items():
            if not isinstance(child.value, str):
                raise AnswerFormatError(f"{key}: write a number (line {child.line})")
            yield _Entry(key, child.value, child.line)
        return
    texts = [value] if isinstance(value, str) else [_leaf(item) for item in value]
    for text in texts:
        yield from _one_line(text.strip(), aliases, node.line)


def _one_line(text: str, aliases: dict[str, str], line: int | None) -> list[_Entry]:
    """The items of one text; a label naming the softmax form before them is left out."""
    labelled = _LABEL.fullmatch(text)
    if labelled is not None and labelled.group("label").strip().lower() not in aliases:
        text = labelled.group("rest")
    return _items(text, aliases, line)


def _items(text: str, aliases: dict[str, str], line: int | None) -> list[_Entry]:
    def plus_after_a_name(match: re.Match[str]) -> str:
        return f"{match.group('name')};" if match.group("name").lower() in aliases else match[0]

    text = _PLUS_AFTER_NAME.sub(plus_after_a_name, text)
    return [_item(item, aliases, line) for item in filter(None, _ITEM_SEPARATOR.split(text))]


def _leaf(node: Node) -> str:
    if not isinstance(node.value, str):
        raise AnswerFormatError("write one operation and its count per item")
    return node.value


def _item(item: str, aliases: dict[str, str], line: int | None) -> _Entry:
    """One ``exp: 4096`` or ``4096 exp`` of a one-line answer."""
    first = _NAME_FIRST.fullmatch(item)
    if first and first.group("name").strip().lower() in aliases:
        return _Entry(first.group("name"), first.group("value"), line)
    last = _NAME_LAST.fullmatch(item)
    if last and last.group("name").lower() in aliases:
        return _Entry(last.group("name"), last.group("value"), line)
    raise AnswerFormatError(
        "write the count of each operation type, e.g. {exp: ..., add: ..., div: ...}"
        f" or 'exp: 4096, add: 4032, div: 4096' (could not read '{item[:30]}')"
    )
