"""Checking a sheet when it is loaded: every problem at once, each naming the file, the part
and the field, so that a course author fixes a sheet in one go and a bad sheet never reaches
a student (exit 2, never a traceback).

What is checked: the solver's parts against the sheet's (a part without a value, a value
without a part), formulas (they parse, and read only givens, symbols and parts), carry-forward
rules (over parts that exist), placeholders in texts (they name a given, a symbol or a part),
choices (the vocabulary exists and holds the solver's answer), growth classes (their variable
is a symbol), plots (devices with a peak and a bandwidth, parts that exist), conventions and
generic mistakes (names the grader knows).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from grader.errors import AssignmentError, UsageError
from grader.sheets.assignment import Assignment, LevelledText, Part, RubricItem
from grader.sheets.formulas import FormulaError, names_in
from grader.sheets.mistakes import GENERIC_TRANSFORMS
from grader.sheets.placeholders import unknown_names
from grader.sheets.sheet_lines import SheetLines
from grader.sheets.variants import variant_problems


def check_sheet(assignment: Assignment, where: str, lines: SheetLines | None = None) -> list[str]:
    """Every problem with a sheet (read from ``where``, whose ``lines`` place each problem);
    empty when it is fine."""

    def placed(problem: str) -> str:
        line = lines.problem_line(problem) if lines is not None else None
        return f"{where}:{line}: {problem}" if line is not None else f"{where}: {problem}"

    problems = [placed(problem) for problem in _problems(assignment)]
    if not problems:
        problems = [placed(problem) for problem in _solution_problems(assignment)]
    if not problems:  # solves every candidate variant: only for an otherwise good sheet
        problems = [placed(problem) for problem in variant_problems(assignment)]
    return problems


def _problems(assignment: Assignment) -> Iterator[str]:
    part_ids = set(assignment.part_ids)
    names = {*assignment.givens, *assignment.symbols, *part_ids}
    seen: set[str] = set()
    for part in assignment.parts:
        if part.id in seen:
            yield f"part {part.id}: defined twice"
        seen.add(part.id)
        yield from _part_problems(assignment, part, names)
    for part_id, rule in assignment.carry_forward.items():
        if part_id not in part_ids:
            yield f"carry_forward.{part_id}: no such part"
        for index, formula in enumerate(rule.formulas):
            yield from _formula(f"carry_forward.{part_id}.formulas[{index}]", formula, names)
        for dependency in rule.depends_on:
            if dependency not in part_ids:
                yield f"carry_forward.{part_id}.depends_on: no part {dependency!r}"
        if rule.verdict is not None:
            for field in ("intensity", "ridge"):
                if getattr(rule.verdict, field) not in part_ids:
                    yield f"carry_forward.{part_id}.verdict.{field}: no such part"
    for mistake in assignment.grading.generic_mistakes:
        if mistake.name not in GENERIC_TRANSFORMS:
            known = ", ".join(GENERIC_TRANSFORMS)
            yield f"grading.generic_mistakes: unknown {mistake.name!r} (known: {known})"
    yield from _plot_problems(assignment, part_ids)
    missing = [p.id for p in assignment.parts if p.formula is None and p.answer_kind.solved]
    if assignment.solver is None and missing:
        yield f"no solver, and parts without a formula: {', '.join(missing)}"


def _part_problems(assignment: Assignment, part: Part, names: set[str]) -> Iterator[str]:
    at = f"part {part.id}"
    if part.formula is not None:
        yield from _formula(f"{at}: formula", part.formula, names)
    for alt in part.alternatives:
        if alt.formula is not None:
            yield from _formula(f"{at}: alternative {alt.name}: formula", alt.formula, names)
        for given in alt.givens:
            if given not in assignment.givens:
                yield f"{at}: alternative {alt.name}: givens: no given {given!r}"
    for problem in part.answer_kind.problems(part, assignment):
        yield f"{at}: {problem}"
    for mistake in part.item_mistakes:
        yield from _formula(f"{at}: item_mistakes.{mistake.name}: factor", mistake.factor, names)
    for field, text in part_texts(part):
        for name in unknown_names(text, names):
            yield f"{at}: {field}: placeholder {{{name}}} names no given, symbol or part"


def part_texts(part: Part) -> Iterator[tuple[str, str]]:
    """Every text of a part that may hold placeholders, with the field it is in (as a
    message names it: ``alternative macs: feedback.hint``)."""
    for alt in part.alternatives:
        yield from levelled_texts(f"alternative {alt.name}: feedback", alt.feedback)
    for key, feedback in part.mistake_feedback.items():
        yield from levelled_texts(f"mistake_feedback[{key}]", feedback)
    for mistake in part.item_mistakes:
        yield f"item_mistakes.{mistake.name}: feedback", mistake.feedback
    for index, item in enumerate(part.rubric):
        yield f"rubric[{index}]", item.item if isinstance(item, RubricItem) else item


def levelled_texts(field: str, feedback: str | LevelledText) -> Iterable[tuple[str, str]]:
    """A feedback text's texts: one, or a hint and an answer (a text written per level)."""
    if isinstance(feedback, LevelledText):
        return ((f"{field}.hint", feedback.hint), (f"{field}.answer", feedback.answer))
    return ((field, feedback),)


def _formula(field: str, formula: str, names: set[str]) -> Iterator[str]:
    try:
        unknown = [name for name in names_in(formula) if name not in names]
    except FormulaError as error:
        yield f"{field} {formula!r}: {error}"
        return
    for name in unknown:
        yield f"{field} {formula!r}: names {name!r}, which is no given, symbol or part"


def _plot_problems(assignment: Assignment, part_ids: set[str]) -> Iterator[str]:
    roofline = assignment.plots.roofline
    if roofline is None:
        return
    for device in roofline.devices:
        for rate in ("peak", "bandwidth"):
            if f"{device}.{rate}" not in assignment.givens:
                yield f"plots.roofline.devices: {device!r} has no given {device}.{rate}"
    names = {*assignment.givens, *assignment.symbols, *part_ids}
    for operation in roofline.operations:
        if operation.part not in part_ids:
            yield f"plots.roofline.operations: no part {operation.part!r}"
        for name in unknown_names(operation.label, names):
            yield f"plots.roofline.operations: label placeholder {{{name}}} names nothing known"
    for device, part_id in roofline.turning_points.items():
        if device not in roofline.devices:
            yield f"plots.roofline.turning_points: {device!r} is not one of the devices"
        if part_id not in part_ids:
            yield f"plots.roofline.turning_points.{device}: no part {part_id!r}"


def _solution_problems(assignment: Assignment) -> Iterator[str]:
    """What only solving shows: the solver's parts against the sheet's, the choices' answers,
    the alternatives' conventions and the texts' placeholders filled in."""
    from grader.sheets.expectations import build_expectations  # solves: only for a good sheet

    try:
        exp = build_expectations(assignment)
    except (AssignmentError, UsageError) as error:
        yield str(error)
        return
    solved = set(exp.answers)
    for part in assignment.parts:
        if part.id not in solved and part.answer_kind.solved:
            yield f"part {part.id}: the solver gives it no value (and it has no formula)"
        if part.id in solved:
            for problem in part.answer_kind.answer_problems(part, assignment, exp.answers[part.id]):
                yield f"part {part.id}: {problem}"
    for part_id in sorted(solved - set(assignment.part_ids)):
        yield f"the solver answers {part_id!r}, which is no part of the sheet"
