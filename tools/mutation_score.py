"""The mutation score of the last mutmut run, per group and file, checked against its targets.

Reads ``mutmut results --all true`` (run from the repository's root, after
``bash tools/mutation.sh``). A mutant counts as killed when a test failed or the mutant hung
(a timeout); every other state (survived, no tests, not checked...) counts against the
score. Every mutant that is not killed must be listed, with the reason it is equivalent, in
``mutation-survivors.md``; a listed mutant that is killed now is reported too, so that the list
stays true. Exit status 1 when a group misses its target or the list is not right.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

TARGET = 0.95
GROUPS = {
    "reference/ and the sheets' solvers (the answer key)": ("reference.", "sheets."),
    "grading predicates": ("grader.",),
}
KILLED = ("killed", "timeout")
NOT_CHECKED = "not checked"
SURVIVORS_FILE = Path("mutation-survivors.md")
_RESULT = re.compile(r"^\s*(?P<name>\S+__mutmut_\d+): (?P<status>.+?)\s*$")
_LISTED = re.compile(r"^\|\s*`(?P<name>[^`]+__mutmut_\d+)`")


def read_results() -> dict[str, str]:
    """Status of every mutant of the last run, by mutant name."""
    shown = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {m["name"]: m["status"] for line in shown.splitlines() if (m := _RESULT.match(line))}


def module_of(name: str) -> str:
    """``reference.conv`` from ``reference.conv.x_conv_flops__mutmut_3``."""
    return re.split(r"\.x[_ǁ]", name, maxsplit=1)[0]


def listed_survivors(path: Path = SURVIVORS_FILE) -> set[str]:
    """Mutant names in the first column of the survivors table."""
    if not path.exists():
        return set()
    lines = path.read_text("utf-8").splitlines()
    return {m["name"] for line in lines if (m := _LISTED.match(line))}


def report(results: dict[str, str], listed: set[str]) -> tuple[list[str], bool]:
    """Lines to print, and whether every target holds and the list is right."""
    lines, ok = [], True
    for label, prefix in GROUPS.items():
        names = [n for n in results if n.startswith(prefix)]
        killed = sum(results[n] in KILLED for n in names)
        share = killed / len(names) if names else 0.0
        met = share >= TARGET
        ok &= met
        lines.append(f"{label}: {killed}/{len(names)} killed, {share:.1%} (target {TARGET:.0%})")
        by_module = Counter(module_of(n) for n in names)
        killed_by_module = Counter(module_of(n) for n in names if results[n] in KILLED)
        for module in sorted(by_module):
            lines.append(f"    {module}: {killed_by_module[module]}/{by_module[module]}")
    unchecked = {n for n, status in results.items() if status == NOT_CHECKED}
    alive = {n for n, status in results.items() if status not in KILLED} - unchecked
    unexplained = sorted(alive - listed)
    stale = sorted(listed - alive - unchecked)
    if unchecked:
        ok = False
        lines.append(
            f"{len(unchecked)} mutants not checked (a partial or interrupted run; "
            "bash tools/mutation.sh with no argument checks them all)"
        )
    if unexplained:
        ok = False
        lines.append(f"not killed and not in {SURVIVORS_FILE} ({len(unexplained)}):")
        lines += [f"    {n}: {results[n]}" for n in unexplained]
    if stale:
        ok = False
        lines.append(f"listed in {SURVIVORS_FILE} but killed or gone now ({len(stale)}):")
        lines += [f"    {n}: {results.get(n, 'no such mutant')}" for n in stale]
    lines.append(f"survivors listed as equivalent: {len(alive & listed)}")
    return lines, ok


def main() -> int:
    results = read_results()
    if not results:
        print("no mutmut results here: run bash tools/mutation.sh first", file=sys.stderr)
        return 1
    lines, ok = report(results, listed_survivors())
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
