"""``reference`` and the bundled sheets' solvers stand alone: they never import ``grader`` and
use only the standard library (and ``reference``), so that a sheet's values can be checked
without the grader and the grader cannot make them depend on a student's file."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "reference"
SHEETS = ROOT / "sheets"
SOURCES = sorted([*REFERENCE.rglob("*.py"), *SHEETS.rglob("*.py")])
ALLOWED = set(sys.stdlib_module_names) | {"reference", "sheets"}


def _name(path: Path) -> str:
    return path.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".")


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in a file; relative imports are 'reference'."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # `from . import x` stays inside the package
                found.append((node.lineno, "reference"))
            else:
                assert node.module is not None
                found.append((node.lineno, node.module))
    return found


def test_reference_has_sources() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in SOURCES}
    assert {"reference/conv.py", "reference/roofline.py", "sheets/roofline_1/solver.py"} <= names


def test_imports_are_seen_by_the_parser() -> None:
    # The checker itself finds the imports it is meant to find.
    found = {name for _, name in _imported_modules(SHEETS / "roofline_1" / "solver.py")}
    assert {"reference", "reference.conventions", "reference.solution"} <= found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_source_imports_grader(path: Path) -> None:
    offending = [
        (line, name)
        for line, name in _imported_modules(path)
        if name == "grader" or name.startswith("grader.")
    ]
    assert offending == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_only_standard_library_and_reference(path: Path) -> None:
    top_level = {(line, name.split(".")[0]) for line, name in _imported_modules(path)}
    outside = sorted((line, top) for line, top in top_level if top not in ALLOWED)
    assert outside == []


def test_importing_reference_loads_no_grader_module() -> None:
    code = (
        "import reference, sys; import sheets.roofline_1.solver, sheets.llm_inference_1.solver; "
        "assert not any(m == 'grader' or m.startswith('grader.') for m in sys.modules), "
        "sorted(m for m in sys.modules if m.split('.')[0] == 'grader')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_importing_every_reference_module_loads_only_the_standard_library() -> None:
    modules = sorted(_name(p) for p in SOURCES if p.name != "__init__.py")
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "allowed = set(sys.stdlib_module_names) | {'reference', 'sheets'}\n"
        "new = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "extra = sorted(m for m in new if m not in allowed)\n"
        "assert not extra, extra\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
