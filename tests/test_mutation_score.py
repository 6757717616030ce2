"""The mutation score tool: grouping, targets and the list of equivalent survivors."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "mutation_score", ROOT / "tools" / "mutation_score.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _results(reference_killed: int, reference_alive: int, grader_alive: int) -> dict[str, str]:
    results = {
        f"reference.conv.x_conv_flops__mutmut_{i}": "killed" for i in range(reference_killed)
    }
    for i in range(reference_alive):
        results[f"reference.roofline.x_bound_verdict__mutmut_{i}"] = "survived"
    results["grader.grading.compare.xǁThingǁmethod__mutmut_1"] = "timeout"  # a hang is detected
    for i in range(grader_alive):
        results[f"grader.grading.compare.x_is_close__mutmut_{i}"] = "no tests"
    return results


def test_module_of_a_mutant() -> None:
    tool = _tool()
    assert tool.module_of("sheets.roofline_1.solver.x__conv_steps__mutmut_3") == (
        "sheets.roofline_1.solver"
    )
    assert tool.module_of("reference.solution.xǁSolutionǁstep__mutmut_2") == "reference.solution"


def test_targets_and_listed_survivors() -> None:
    tool = _tool()
    results = _results(reference_killed=19, reference_alive=1, grader_alive=0)
    alive = "reference.roofline.x_bound_verdict__mutmut_0"
    lines, ok = tool.report(results, {alive})
    assert ok, lines
    assert lines[0].startswith("reference/ and the sheets' solvers (the answer key): 19/20 killed")
    assert "    reference.roofline: 0/1" in lines
    # the same survivor, not explained
    lines, ok = tool.report(results, set())
    assert not ok and f"    {alive}: survived" in lines
    # explained, but a killed mutant is listed too: the list is stale
    stale = "reference.conv.x_conv_flops__mutmut_0"
    lines, ok = tool.report(results, {alive, stale})
    assert not ok and f"    {stale}: killed" in lines
    # below the target
    lines, ok = tool.report(_results(18, 2, 0), {f"{alive[:-1]}{i}" for i in range(2)})
    assert not ok and "90.0%" in lines[0]
    # "no tests" counts against the score like a survivor
    lines, ok = tool.report(_results(19, 0, 1), set())
    assert not ok and "grading predicates: 1/2 killed, 50.0% (target 95%)" in lines


def test_survivors_table_is_read_by_its_first_column(tmp_path: Path) -> None:
    tool = _tool()
    table = tmp_path / "survivors.md"
    table.write_text(
        "| mutant | function | why equivalent |\n|---|---|---|\n"
        "| `grader.grading.compare.x_same_number__mutmut_7` | same_number | default |\n"
        "text `reference.x__mutmut_1` outside the table\n",
        "utf-8",
    )
    assert tool.listed_survivors(table) == {"grader.grading.compare.x_same_number__mutmut_7"}
    assert tool.listed_survivors(tmp_path / "absent.md") == set()


def test_a_partial_run_is_summed_up_not_listed() -> None:
    tool = _tool()
    results = _results(reference_killed=19, reference_alive=1, grader_alive=0)
    alive = "reference.roofline.x_bound_verdict__mutmut_0"
    results["reference.conv.x_conv_flops__mutmut_5"] = "not checked"
    results[alive] = "not checked"  # listed, not checked in this run: not stale either
    lines, ok = tool.report(results, {alive})
    assert not ok
    assert any(line.startswith("2 mutants not checked") for line in lines)
    assert not any("x_conv_flops__mutmut_5" in line for line in lines)
    assert not any("killed or gone" in line for line in lines)


_ROW = re.compile(
    r"^\| (?P<name>[^|]+?) \| (?P<mutants>[\d,]+) \| (?P<killed>[\d,]+) \([\d.]+ %\) "
    r"\| (?P<alive>\d+) \|$"
)


def _recorded_score() -> list[tuple[str, int, int, int]]:
    """The score table in the README's "Mutation testing" section: name, mutants, killed,
    survivors per row."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Mutation testing", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if m := _ROW.match(line):
            counts = (int(m[k].replace(",", "")) for k in ("mutants", "killed", "alive"))
            rows.append((m["name"].strip("*` "), *counts))
    return rows


def test_the_recorded_score_adds_up() -> None:
    """The README's figures are copied from a run by hand: each group is the sum of its
    modules, the overall row the sum of the groups, every module in a group of the tool, and
    no fewer survivors than mutation-survivors.md lists as equivalent. Without a table (no
    valid full run yet), the section says that the score is not known."""
    tool = _tool()
    rows = _recorded_score()
    if not rows:  # no full run to record: the section must say so, not show an old figure
        readme = (ROOT / "README.md").read_text("utf-8")
        assert "**Score: not known yet.**" in readme.split("## Mutation testing", 1)[1]
        return
    groups = {label.split(" (")[0]: prefix for label, prefix in tool.GROUPS.items()}
    totals = [0, 0, 0]
    current: list[int] | None = None
    for name, mutants, killed, alive in rows:
        assert killed + alive == mutants, name
        if name in groups or name == "overall":
            if current is not None:
                assert current == [0, 0, 0], f"the modules above {name} do not add up"
            if name == "overall":
                assert [mutants, killed, alive] == totals
                continue
            current = [mutants, killed, alive]
            prefix = groups[name]
            totals = [t + v for t, v in zip(totals, (mutants, killed, alive), strict=True)]
        else:
            assert current is not None and name.startswith(prefix), name
            current = [c - v for c, v in zip(current, (mutants, killed, alive), strict=True)]
    assert rows[-1][0] == "overall"
    assert rows[-1][3] >= len(tool.listed_survivors(ROOT / "mutation-survivors.md"))
