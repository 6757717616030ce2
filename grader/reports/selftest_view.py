"""A sheet's self-test (:mod:`grader.run.selftest`) as a table: one row per part with the
result of each kind of check, then (for a sheet with variants) one row per variant checked,
then every failure with what is wrong, a variant's named by its code and givens."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from tabulate import tabulate

COLUMNS = ("texts", "reference", "alternatives", "distinct")


class _Check(Protocol):
    @property
    def part(self) -> str: ...
    @property
    def check(self) -> str: ...
    @property
    def ok(self) -> bool: ...
    @property
    def detail(self) -> str: ...


class _VariantTest(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def givens(self) -> str: ...
    @property
    def checks(self) -> Sequence[_Check]: ...


class _SelfTest(Protocol):
    @property
    def sheet(self) -> str: ...
    @property
    def checks(self) -> Sequence[_Check]: ...
    @property
    def parts(self) -> Sequence[str]: ...
    @property
    def variants(self) -> Sequence[_VariantTest]: ...
    @property
    def pool_size(self) -> int: ...


def selftest_table(test: _SelfTest) -> str:
    """The self-test of one sheet: a summary row per part (``ok``, ``FAIL``, ``3/4`` of its
    alternatives, ``-`` when not checked), then the failures, one line each."""
    # The sheet's own checks first, then the parts in the sheet's order.
    rows: dict[str, dict[str, list[bool]]] = {"sheet": {}, **{part: {} for part in test.parts}}
    for check in test.checks:
        column = "alternatives" if check.check.startswith("alternative ") else check.check
        rows.setdefault(check.part, {}).setdefault(column, []).append(check.ok)
    columns = list(COLUMNS) + sorted(
        {column for row in rows.values() for column in row} - set(COLUMNS)
    )
    table = [
        [part] + [_cell(row.get(column, [])) for column in columns]
        for part, row in rows.items()
        if row  # a part nothing checks (a sketch without feedback texts) has no row
    ]
    lines = [f"Self-test of {test.sheet}", "", tabulate(table, headers=["Part", *columns])]
    lines += _variant_lines(test)
    failures = [
        f"  {check.part}: {check.check}: {check.detail}" for check in test.checks if not check.ok
    ]
    for variant in test.variants:
        failures += [
            f"  variant {variant.code} ({variant.givens}): {check.part}: {check.check}: "
            f"{check.detail}"
            for check in variant.checks
            if not check.ok
        ]
    total = len(test.checks) + sum(len(variant.checks) for variant in test.variants)
    if failures:
        lines += ["", f"FAILED: {len(failures)} of {total} checks", *failures]
    else:
        lines += ["", f"passed: all {total} checks"]
    return "\n".join(lines)


def _variant_lines(test: _SelfTest) -> list[str]:
    """A row per variant checked: its code, givens, and how many of its checks passed."""
    if not test.pool_size:
        return []
    checked = len(test.variants)
    lines = [
        "",
        f"Variants: {checked} of the {test.pool_size} in the pool checked, each for the checks "
        "above" + ("" if checked == test.pool_size else " (--variants N or all to check more)"),
    ]
    if not checked:
        return lines
    rows = []
    for variant in test.variants:
        passed = sum(check.ok for check in variant.checks)
        result = "ok" if passed == len(variant.checks) else "FAIL"
        rows.append([variant.code, variant.givens, f"{passed}/{len(variant.checks)}", result])
    return [*lines, "", tabulate(rows, headers=["Variant", "Givens", "Passed", "Result"])]


def _cell(results: list[bool]) -> str:
    if not results:
        return "-"
    if len(results) == 1:
        return "ok" if results[0] else "FAIL"
    passed = sum(results)
    return f"{passed}/{len(results)}" + ("" if passed == len(results) else " FAIL")
