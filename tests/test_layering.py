"""Imports only go downwards (DESIGN.md): the CLI on top, pure grading in the middle, result
models and parsers at the bottom. Only the CLI prints, reads argv or exits."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GRADER = Path(__file__).resolve().parent.parent / "grader"

LAYERS: dict[str, int] = {
    # 0: models, errors and pure parsers of text
    **dict.fromkeys(
        [
            "__init__",
            "errors",
            "escaping",
            "results",
            "serialize",
            "outcome",
            "mistakes",
            "compare",
            "atomic",
            "expression",
            "simple_units",
            "units",
            "numbers",
            "answer_tree",
            "loading",
            "yaml_strict",
            "yaml_fast",
            "yaml_salvage",
            "json_strict",
            "spreadsheet",
            "fingerprint",
            "attachments",
            "sketches",
        ],
        0,
    ),
    # 1: the only modules that read input files
    **dict.fromkeys(["assignment", "submission", "roster", "identity"], 1),
    # 2: solving and what grading compares against
    **dict.fromkeys(["solving", "expectations"], 2),
    # 3: pure grading
    **dict.fromkeys(["grade_numeric", "grade_other", "grade"], 3),
    # 4: files in, results out
    **dict.fromkeys(["pipeline", "decisions", "decision_files", "time_budget"], 4),
    # 5: outputs built from results
    **dict.fromkeys(
        [
            "report",
            "plots",
            "plot_marks",
            "reveal",
            "roofline_background",
            "roofline_drawing",
            "roofline_labels",
            "roofline_legend",
            "roofline_strip",
            "roofline_style",
            "label_layout",
            "log_axes",
            "svg_shapes",
            "stats",
            "common_mistakes",
            "summary",
            "gradebook",
            "regrade",
            "gradescope",
            "check_view",
            "solution_view",
            "template",
            "batch",
            "outputs",
            "class_grading",
            "decisions_view",
            "lms_exports",
            "review_page",
            "gradescope_zip",
        ],
        5,
    ),
    # 6: the command line
    **dict.fromkeys(["cli", "__main__"], 6),
}


def grader_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("grader"):
            names.add(node.module.split(".")[1] if "." in node.module else "__init__")
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[1] for a in node.names if a.name.startswith("grader."))
    return names


MODULES = sorted(GRADER.glob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_imports_only_go_downwards(path: Path) -> None:
    assert path.stem in LAYERS, f"put grader/{path.name} in a layer of this test"
    own = LAYERS[path.stem]
    for imported in grader_imports(path):
        assert LAYERS[imported] <= own, f"{path.stem} (layer {own}) imports {imported}"


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_only_the_cli_talks_to_the_terminal(path: Path) -> None:
    if path.stem in ("cli", "__main__"):
        return
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in ("print", "input", "exit"), (path.stem, node.lineno)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            assert (node.value.id, node.attr) not in (("sys", "exit"), ("sys", "argv")), path.stem
        if isinstance(node, ast.Import | ast.ImportFrom):
            module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
            assert module != "click", f"{path.stem} imports click"
