"""Imports only go downwards, and the folders are the layers: each subpackage of ``grader``
may import the base modules and the subpackages below it, never one above. Only the command
line talks to the terminal. ``reference`` never imports ``grader`` (test_reference_imports)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GRADER = Path(__file__).resolve().parent.parent / "grader"

ORDER = ("base", "answers", "sheets", "input", "grading", "reports", "run", "cli")
"""The layers from the bottom: pure readers of text, the sheet model, untrusted input, pure
grading, outputs built from results, running many files, the command line."""
ENTRY = {"__main__"}  # python -m grader: the command line's entry point


def layer_of(path: Path) -> str:
    relative = path.relative_to(GRADER)
    return relative.parts[0] if len(relative.parts) > 1 else "base"


def grader_imports(path: Path) -> set[str]:
    """The layers a module imports from (``grader.x`` of a base module counts as base)."""
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("grader"):
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names if a.name.startswith("grader")]
        for name in names:
            parts = name.split(".")
            found.add(parts[1] if len(parts) > 1 and parts[1] in ORDER else "base")
    return found


MODULES = sorted(GRADER.rglob("*.py"))


def test_every_folder_is_a_layer() -> None:
    folders = {p.name for p in GRADER.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(ORDER) - {"base"}


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(GRADER)) for p in MODULES])
def test_imports_only_go_downwards(path: Path) -> None:
    if path.stem in ENTRY:
        return
    own = ORDER.index(layer_of(path))
    for imported in grader_imports(path):
        assert ORDER.index(imported) <= own, f"{path.relative_to(GRADER)} imports {imported}"


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(GRADER)) for p in MODULES])
def test_only_the_cli_talks_to_the_terminal(path: Path) -> None:
    if layer_of(path) == "cli" or path.stem in ENTRY:
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


@pytest.mark.parametrize(
    "path", [p for p in GRADER.rglob("__init__.py") if p.parent != GRADER], ids=str
)
def test_every_layer_says_what_it_is_and_what_it_holds(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    assert ast.get_docstring(tree), path
    if path.parent.name == "cli":
        return
    (listed,) = [
        node.value for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__all__"
    ]  # fmt: skip
    names = {ast.literal_eval(element) for element in listed.elts}  # type: ignore[attr-defined]
    modules = {p.stem for p in path.parent.glob("*.py")} - {"__init__"}
    assert names == modules, path
