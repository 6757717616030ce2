"""The mutation score tool: grouping, targets and the list of equivalent survivors."""

from __future__ import annotations

import importlib.util
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
        results[f"grader.compare.x_is_close__mutmut_{i}"] = "no tests"
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
