"""A sheet's pool of variants: the finite, declared set of givens its students may get.

The product of the values ``variants.givens`` declares is enumerated in a fixed order (the
givens in the order declared, each given's values in the order declared, the last given
varying fastest, as :func:`itertools.product`), and each candidate is kept when it is a good
exercise: every named constraint holds, and no two alternatives of a part (nor an alternative
with partial credit and the reference) have the same value, for then a student's answer could
not be told apart. A product larger than ``pool_size`` is sampled deterministically (the
candidates' order is drawn with sha256 from the sheet id; ``docs/variants.md``), so the pool
depends on the sheet's text only: the same on every machine and Python version.

A constraint that no candidate satisfies is a sheet error when the sheet is loaded, naming the
constraint (:func:`variant_problems`).
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from grader.errors import AssignmentError, UsageError
from grader.sheets.assignment import Assignment, GivenSpec, Part
from grader.sheets.formulas import FormulaError, evaluate_formula, names_in, number_of
from grader.sheets.formulas import Value as FormulaValue
from grader.sheets.pool_cache import kept_candidates
from grader.sheets.sheet_texts import SheetTexts
from grader.sheets.solving import (
    GivenValue,
    parse_conventions,
    resolve_givens,
    solve_assignment,
)
from grader.sheets.variant_values import VariantValueError, given_values
from reference import Conventions
from reference.solution import Solution

DISTINCT_ALTERNATIVES = "distinct_alternatives"
"""The built-in check's name, as an unsatisfiable-constraint error names it."""
MARGIN_NAME = "verdict_margin"
"""The sheet's verdict margin, a name constraints may read."""
MAX_CANDIDATES_FACTOR = 20
"""A sampled pool tries at most this many candidates per place in the pool."""


@dataclass(frozen=True)
class Variant:
    """One variant of a sheet.

    Attributes:
        index: its place in the sheet's pool (what its code encodes).
        candidate: its place in the product of the declared values.
        givens: the varied givens' texts (``{"gpu.bandwidth": "700 GB/s"}``), in the order
            ``variants.givens`` declares them; the other givens are the sheet's own.
    """

    index: int
    candidate: int
    givens: Mapping[str, str]


@dataclass(frozen=True)
class VariantPool:
    """The variants of one sheet, in pool order."""

    sheet_id: str
    variants: tuple[Variant, ...]

    def __len__(self) -> int:
        return len(self.variants)

    def __getitem__(self, index: int) -> Variant:
        return self.variants[index]


@dataclass(frozen=True)
class _Declared:
    names: tuple[str, ...]
    values: tuple[tuple[tuple[str, GivenValue], ...], ...]

    @property
    def size(self) -> int:
        return math.prod(len(values) for values in self.values)

    def candidate(self, number: int) -> dict[str, str]:
        """The ``number``-th element of the product (mixed radix, last given fastest)."""
        texts: dict[str, str] = {}
        for name, values in zip(reversed(self.names), reversed(self.values), strict=True):
            number, digit = divmod(number, len(values))
            texts[name] = values[digit][0]
        return {name: texts[name] for name in self.names}


_POOLS: dict[int, tuple[Assignment, VariantPool]] = {}


def variant_pool(assignment: Assignment) -> VariantPool:
    """The sheet's pool (remembered per loaded sheet: a loaded sheet is one object per text).

    Raises:
        AssignmentError: the sheet declares no variants, a declared value is not a value of
            its given, a constraint does not parse, or no candidate satisfies a constraint.
    """
    known = _POOLS.get(id(assignment))
    if known is not None and known[0] is assignment:
        return known[1]
    pool = _build_pool(assignment)
    _POOLS[id(assignment)] = (assignment, pool)  # holding the sheet keeps its id unique
    return pool


def variant_problems(assignment: Assignment) -> list[str]:
    """What is wrong with a sheet's variants (empty when it has none, or they are fine):
    what loading checks."""
    if assignment.variants is None:
        return []
    static = list(_static_problems(assignment))
    if static:
        return static
    try:
        # One good variant proves every constraint satisfiable; the whole pool (every
        # candidate solved) waits until variants are used, so loading a sheet stays quick.
        _kept(assignment, limit=1)
    except (AssignmentError, UsageError) as error:
        return str(error).splitlines()
    return []


def varied_givens(assignment: Assignment) -> tuple[str, ...]:
    """The givens a variant changes, in the order declared (none without variants)."""
    return tuple(assignment.variants.givens) if assignment.variants else ()


def variant_overrides(variant: Variant) -> dict[str, str]:
    """The variant's givens as ``--set``-style overrides (given -> text)."""
    return dict(variant.givens)


def variant_sheet(assignment: Assignment, variant: Variant) -> Assignment:
    """The sheet as it reads for one variant: the varied givens' values replaced, so that a
    question sheet or answer template shows the variant's numbers as the sheet writes them."""
    givens = {
        name: GivenSpec.model_validate({**spec.model_dump(), "value": variant.givens[name]})
        if name in variant.givens
        else spec
        for name, spec in assignment.givens.items()
    }
    changed = assignment.model_copy(update={"givens": givens})
    return changed.at(assignment.folder) if assignment.folder is not None else changed


def _static_problems(assignment: Assignment) -> Iterator[str]:
    spec = assignment.variants
    assert spec is not None
    for name in spec.givens:
        if name not in assignment.givens:
            yield f"variants.givens.{name}: no such given"
            continue
        try:
            given_values(assignment, name)
        except VariantValueError as error:
            yield f"variants.givens.{name}: {error}"
    names = {*assignment.givens, *assignment.symbols, *assignment.part_ids, MARGIN_NAME}
    for name, condition in spec.constraints.items():
        try:
            unknown = [n for n in names_in(condition, condition=True) if n not in names]
        except FormulaError as error:
            yield f"variants.constraints.{name} {condition!r}: {error}"
            continue
        for missing in unknown:
            yield (
                f"variants.constraints.{name} {condition!r}: names {missing!r}, "
                "which is no given, symbol or part"
            )


def _declared(assignment: Assignment) -> _Declared:
    spec = assignment.variants
    if spec is None:
        raise AssignmentError(f"sheet {assignment.id} declares no variants")
    try:
        values = tuple(given_values(assignment, name) for name in spec.givens)
    except (VariantValueError, KeyError) as error:
        raise AssignmentError(f"sheet {assignment.id}: variants: {error}") from None
    return _Declared(tuple(spec.givens), values)


def candidate_order(sheet_id: str, size: int, pool_size: int) -> Iterator[int]:
    """The product's elements in the order they are tried: all, in order, when there are at
    most ``pool_size``; else distinct draws ``int(sha256("<sheet id>:<k>")[:8]) mod size`` for
    k = 0, 1, 2, ..., skipping repeats, at most ``MAX_CANDIDATES_FACTOR * pool_size`` of them.
    """
    if size <= pool_size:
        yield from range(size)
        return
    seen: set[int] = set()
    for k in itertools.count():
        if len(seen) >= min(size, MAX_CANDIDATES_FACTOR * pool_size):
            return
        digest = hashlib.sha256(f"{sheet_id}:{k}".encode()).digest()
        number = int.from_bytes(digest[:8], "big") % size
        if number not in seen:
            seen.add(number)
            yield number


def _build_pool(assignment: Assignment) -> VariantPool:
    declared = _declared(assignment)
    kept = kept_candidates(assignment, declared.size, lambda: _kept(assignment, limit=None))
    variants = tuple(
        Variant(index, number, declared.candidate(number)) for index, number in enumerate(kept)
    )
    return VariantPool(assignment.id, variants)


def _kept(assignment: Assignment, *, limit: int | None) -> list[int]:
    """The candidates (product numbers, ascending) the pool keeps, or the first ``limit``
    kept in the order tried.

    Raises:
        AssignmentError: none is kept; the message names the constraint to blame.
    """
    declared = _declared(assignment)
    spec = assignment.variants
    assert spec is not None
    kept: list[int] = []
    failures: dict[str, int] = dict.fromkeys([*spec.constraints, DISTINCT_ALTERNATIVES], 0)
    tried = 0
    for number in candidate_order(assignment.id, declared.size, spec.pool_size):
        tried += 1
        failed = _failed_checks(assignment, declared.candidate(number))
        for name in failed:
            failures[name] += 1
        if not failed:
            kept.append(number)
            if len(kept) == (limit or spec.pool_size):
                break
    if not kept:
        raise AssignmentError(_unsatisfiable(assignment, failures, tried))
    return sorted(kept)


def _unsatisfiable(assignment: Assignment, failures: Mapping[str, int], tried: int) -> str:
    """Which constraint to blame: one that no candidate satisfies; else the built-in check,
    when candidates satisfied every constraint but not it; else all of them together."""
    spec = assignment.variants
    assert spec is not None
    never = [name for name in spec.constraints if failures[name] == tried]
    if never:
        described = [f"{name} ({spec.constraints[name]!r})" for name in never]
        return (
            f"variants.constraints: no variant satisfies {', '.join(described)} (of {tried} tried)"
        )
    if failures[DISTINCT_ALTERNATIVES]:
        return (
            f"variants: no variant that satisfies the constraints passes the built-in check "
            f"{DISTINCT_ALTERNATIVES} (two alternatives of a part, or a partly credited one "
            f"and the reference, have the same value; of {tried} tried)"
        )
    return (
        f"variants.constraints: no variant satisfies all of {', '.join(spec.constraints)} "
        f"together (of {tried} tried)"
    )


def _failed_checks(assignment: Assignment, texts: Mapping[str, str]) -> list[str]:
    """The constraints one candidate fails; the built-in check (which solves every
    alternative) only for a candidate that satisfies them all."""
    givens = resolve_givens(assignment, texts)
    solution = solve_assignment(assignment, givens)
    values: dict[str, FormulaValue] = dict(SheetTexts(assignment, givens, solution).values)
    values[MARGIN_NAME] = assignment.grading.verdict_margin
    spec = assignment.variants
    assert spec is not None
    failed = []
    for name, condition in spec.constraints.items():
        try:
            holds = evaluate_formula(condition, values, condition=True)
        except FormulaError:
            holds = False  # a variant where a constraint cannot even be evaluated is no good
        if holds is not True:
            failed.append(name)
    if not failed and not _alternatives_distinct(assignment, givens, solution, values):
        failed.append(DISTINCT_ALTERNATIVES)
    return failed


def _alternatives_distinct(
    assignment: Assignment,
    givens: Mapping[str, GivenValue],
    solution: Solution,
    values: Mapping[str, FormulaValue],
) -> bool:
    """Whether, for every part, its alternatives' values differ from each other and a
    partly-credited alternative's from the reference (within the part's tolerance)."""
    solved: dict[tuple[object, ...], Solution] = {}
    base = Conventions()
    for part in assignment.parts:
        if not part.alternatives:
            continue
        reference = solution.answers.get(part.id)
        seen: list[object] = []
        for alt in part.alternatives:
            if alt.formula is not None:
                try:
                    value: object = number_of(alt.formula, values)
                except FormulaError:
                    return False
            else:
                key = (tuple(sorted(alt.givens.items())), tuple(sorted(alt.conventions.items())))
                if key not in solved:
                    changed = dict(givens)
                    if alt.givens:
                        overridden = resolve_givens(assignment, alt.givens)
                        changed.update({name: overridden[name] for name in alt.givens})
                    conventions = parse_conventions(
                        {k: str(v) for k, v in alt.conventions.items()}, base
                    )
                    solved[key] = solve_assignment(assignment, changed, conventions)
                value = solved[key].answers.get(part.id)
            if any(_same(part, assignment, value, other) for other in seen):
                return False
            if alt.credit < 1.0 and _same(part, assignment, value, reference):
                return False
            seen.append(value)
    return True


def _same(part: Part, assignment: Assignment, one: object, other: object) -> bool:
    numbers = (int, float)
    if isinstance(one, numbers) and isinstance(other, numbers):
        policy = part.policy(assignment.grading)
        tolerance = max(policy.count_rtol if part.kind == "count" else policy.real_rtol, 1e-9)
        return math.isclose(float(one), float(other), rel_tol=tolerance)
    return one == other


def describe(variant: Variant, names: Sequence[str] | None = None) -> str:
    """``attention.seq_len = 128, gpu.bandwidth = 700 GB/s``."""
    shown = names if names is not None else tuple(variant.givens)
    return ", ".join(f"{name} = {variant.givens[name]}" for name in shown)
