"""A sheet's self-test (:mod:`grader.run.selftest`) as a table: one row per part with the
result of each kind of check, then every failure with what is wrong."""

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


class _SelfTest(Protocol):
    @property
    def sheet(self) -> str: ...
    @property
    def checks(self) -> Sequence[_Check]: ...
    @property
    def parts(self) -> Sequence[str]: ...


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
    failures = [check for check in test.checks if not check.ok]
    total = len(test.checks)
    if failures:
        lines += ["", f"FAILED: {len(failures)} of {total} checks"]
        lines += [f"  {check.part}: {check.check}: {check.detail}" for check in failures]
    else:
        lines += ["", f"passed: all {total} checks"]
    return "\n".join(lines)


def _cell(results: list[bool]) -> str:
    if not results:
        return "-"
    if len(results) == 1:
        return "ok" if results[0] else "FAIL"
    passed = sum(results)
    return f"{passed}/{len(results)}" + ("" if passed == len(results) else " FAIL")
