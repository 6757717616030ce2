"""Finding and loading sheets: the bundled ones (each a folder of the ``sheets`` package, found
by being there) and a TA's own (``--assignment`` a folder with ``sheet.yaml``, or such a
file).

An answer file may select a sheet only by the id of an installed one, never by a path (its
text must not make the grader read a file of its choosing); a TA's ``--assignment`` may be a
path. Loading validates the sheet completely (:mod:`grader.sheets.checks`): a bad sheet stops
a run before anyone is graded, with one line per problem naming the file, part and field.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from grader.errors import AssignmentError
from grader.sheets.assignment import Assignment
from grader.sheets.sheet_lines import SheetLines
from grader.sheets.solvers import sheet_module

SHEET_FILE = "sheet.yaml"
COURSE_FILE = "course.yaml"
BUNDLED_PACKAGE = "sheets"
_ID_LINE = re.compile(r"^id:\s*['\"]?([A-Za-z0-9-]+)", re.MULTILINE)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it: faster


@functools.cache
def bundled_sheets() -> dict[str, Path]:
    """The installed sheets: id -> folder, in the order of their folders' names."""
    found: dict[str, Path] = {}
    root = Path(str(resources.files(BUNDLED_PACKAGE)))
    for folder in sorted(root.iterdir()):
        sheet = folder / SHEET_FILE
        if not sheet.is_file():
            continue
        match = _ID_LINE.search(sheet.read_text("utf-8"))
        if match:
            found.setdefault(match.group(1), folder)
    return found


def bundled_assignment_ids() -> list[str]:
    """Ids of the sheets shipped with the package, in the course's order (``course.yaml``),
    then any others by id."""
    order = [sheet for sheet in course_order() if sheet in bundled_sheets()]
    return order + sorted(set(bundled_sheets()) - set(order))


def default_sheet_id() -> str:
    """The sheet a file that names none is graded against: the course's first."""
    return bundled_assignment_ids()[0]


@functools.cache
def course_order() -> tuple[str, ...]:
    """The bundled sheets' ids in the order the course sets them (``sheets/course.yaml``)."""
    path = Path(str(resources.files(BUNDLED_PACKAGE))) / COURSE_FILE
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError):
        return ()
    sheets = data.get("sheets") if isinstance(data, dict) else None
    return tuple(str(sheet) for sheet in sheets) if isinstance(sheets, list) else ()


@functools.cache
def course_seed() -> str | None:
    """The course's variant seed (``seed:`` in ``sheets/course.yaml``), as text; None when
    the course sets none (then nobody has a variant unless ``--seed`` gives one)."""
    path = Path(str(resources.files(BUNDLED_PACKAGE))) / COURSE_FILE
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError):
        return None
    seed = data.get("seed") if isinstance(data, dict) else None
    if seed is None or isinstance(seed, bool | dict | list) or not str(seed).strip():
        return None
    return str(seed).strip()


def load_assignment(name_or_path: str | Path) -> Assignment:
    """A sheet by installed id (``roofline-1``), or by path (a folder with ``sheet.yaml``,
    or a sheet file).

    Raises:
        AssignmentError: no such sheet, or the sheet is not valid (every problem listed).
    """
    path = Path(name_or_path)
    text = str(name_or_path)
    if text in bundled_sheets() and not path.exists():
        return load_bundled_assignment(text)
    if path.is_dir():
        return _load_file(path / SHEET_FILE)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return _load_file(path)
    known = ", ".join(bundled_assignment_ids())
    raise AssignmentError(f"unknown sheet {text[:60]!r}; installed: {known}")


def load_bundled_assignment(assignment_id: str) -> Assignment:
    """An installed sheet by id, and never a file: what an answer file's ``assignment:`` may
    select (``assignment: /dev/zero`` must not read anything).

    Raises:
        AssignmentError: no installed sheet has this id.
    """
    folder = bundled_sheets().get(assignment_id)
    if folder is None:
        known = ", ".join(bundled_assignment_ids())
        raise AssignmentError(f"unknown sheet {assignment_id[:60]!r}; installed: {known}")
    return _load_file(folder / SHEET_FILE)


def _load_file(path: Path) -> Assignment:
    """A sheet file, validated; its folder is the file's."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise AssignmentError(f"cannot read sheet {where}: {reason}") from None
    return _validated(path, text)


@functools.lru_cache(maxsize=32)
def _validated(path: Path, text: str) -> Assignment:
    """The sheet in ``text``, read from ``path`` (remembered by content: an edited sheet is
    read again)."""
    from grader.sheets.checks import check_sheet  # imports the solver: only when loading

    where = str(path)
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        raise AssignmentError(_yaml_problem(where, error)) from None
    lines = SheetLines(text)
    kinds = data.get("kinds") if isinstance(data, dict) else None
    if isinstance(kinds, str):  # its own answer kinds, registered before its parts are read
        sheet_module(path.parent, kinds, "kinds")
    try:
        assignment = Assignment.model_validate(data).at(path.parent)
    except ValidationError as error:
        problems = []
        for problem in error.errors()[:20]:
            line = lines.line(problem["loc"])
            at = f"{where}:{line}" if line is not None else where
            problems.append(f"{at}: {_location(data, problem['loc'])}: {problem['msg']}")
        raise AssignmentError("\n".join(problems)) from None
    problems = check_sheet(assignment, where, lines)
    if problems:
        raise AssignmentError("\n".join(problems))
    return assignment


def _yaml_problem(where: str, error: yaml.YAMLError) -> str:
    """One line, at the file's line: PyYAML's own text spans four and names no file."""
    if not isinstance(error, yaml.MarkedYAMLError) or error.problem_mark is None:
        return f"{where}: not valid YAML: {error}"
    problem = error.problem or "syntax error"
    if error.context and error.context_mark is not None:
        problem += f" ({error.context} on line {error.context_mark.line + 1})"
    return f"{where}:{error.problem_mark.line + 1}: not valid YAML: {problem}"


def _location(data: object, loc: tuple[int | str, ...]) -> str:
    """Where in the sheet a problem is: ``parts[3] (q2.b): kind``, with the part's id when the
    file gives one."""
    if len(loc) >= 2 and loc[0] == "parts" and isinstance(loc[1], int):
        parts = data.get("parts") if isinstance(data, dict) else None
        part = parts[loc[1]] if isinstance(parts, list) and loc[1] < len(parts) else None
        part_id = part.get("id") if isinstance(part, dict) else None
        named = f"parts[{loc[1]}]" + (f" ({str(part_id)[:40]})" if part_id else "")
        rest = ".".join(str(x) for x in loc[2:])
        return f"{named}: {rest}" if rest else named
    return ".".join(str(x) for x in loc)
