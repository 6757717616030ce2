"""The candidates a sheet's pool keeps, remembered on disk between runs.

Building a pool solves every candidate and each of its alternatives (``variants.py``): a
noticeable pause before a student's ``grader check`` or a class run can start, repeated on
every run although the answer only changes when the sheet or the grader does. The kept
candidates are therefore stored in the user's cache folder, under a digest of everything the
pool is computed from: the sheet as loaded, every Python file of its folder (its solver and
what that imports) and the source of the layers the pool reads (``grader/sheets``,
``grader/answers``, the base modules and ``reference/``). Any change to one of those is a new
digest, so a stored pool is never used for a sheet or a grader that could build another.

What is stored is only a list of candidate numbers; one that does not read back as a sorted
list of distinct numbers below the product's size is ignored and the pool built again. The
cache is an optimisation only: a folder that cannot be read or written costs the build, never
an error. ``ROOFLINE_GRADER_CACHE`` names another folder, or turns the cache off (``off``).

Every edit of a sheet or update of the grader leaves an entry no run will read again, so
entries no run has read for ``UNUSED_DAYS`` are removed whenever a new one is stored (a read
marks its entry as used, at most once a day).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeGuard

from grader.sheets.assignment import Assignment

CACHE_VARIABLE = "ROOFLINE_GRADER_CACHE"
"""Environment variable: the cache folder, or ``off``."""
_FORMAT = "pool-1"  # bumped when what is stored changes meaning
UNUSED_DAYS = 60
"""An entry no run has read for this many days is removed when another is stored."""
_DAY = 24 * 3600.0
# Far above any pool (at most 4,096 numbers, see grader.sheets.assignment): an entry larger
# is no entry this module wrote, and is not read whole.
_MAX_ENTRY_BYTES = 1024 * 1024

_PACKAGE = Path(__file__).resolve().parent.parent  # grader/
_SOURCES = (
    (_PACKAGE, False),  # the base modules only
    (_PACKAGE / "sheets", True),
    (_PACKAGE / "answers", True),
    (_PACKAGE.parent / "reference", True),
)
_SOURCE_SUFFIXES = (".py", ".txt")  # code, and the unit definitions the givens are read with

_code_digest: str | None = None


def cache_folder() -> Path | None:
    """Where pools are kept (None: the cache is off)."""
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    # Relative paths are refused (the XDG spec ignores one in XDG_CACHE_HOME; a home that
    # cannot be found stays "~"): the cache would land in whatever folder a run started in,
    # perhaps a class folder, whose next run would take the pool's .json for an answer file.
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "roofline-grader" if os.path.isabs(base) else None


def kept_candidates(assignment: Assignment, size: int, build: Callable[[], list[int]]) -> list[int]:
    """The candidates the pool keeps: read from the cache when an entry for this sheet and
    grader is there and usable, else ``build()``, stored for the next run (silently not when
    the folder cannot be written)."""
    path = _entry(assignment)  # the digest is worked out once, for the read and the write
    if path is None:
        return build()
    stored = _read_entry(path)
    if _well_formed(stored, size):
        with contextlib.suppress(OSError):
            _mark_used(path)
        return list(stored)
    kept = build()
    with contextlib.suppress(OSError):
        _store(path, kept)
        _prune(path)
    return kept


def _read_entry(path: Path) -> object:
    """What the entry at ``path`` holds, or None when it is no regular file of a plausible
    size or no JSON: whatever sits under its name (a FIFO nobody writes to, a link to an
    endless device, brackets nested past the decoder's recursion) costs the build, never a
    hang or an error."""
    try:
        # Not blocking: opening a FIFO for reading would wait for a writer.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        with os.fdopen(handle, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                return None
            data = stream.read(_MAX_ENTRY_BYTES + 1)
        if len(data) > _MAX_ENTRY_BYTES:
            return None
        return json.loads(data.decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None


def _mark_used(path: Path) -> None:
    """Date the entry today (its modification time), unless it already is."""
    if time.time() - path.stat().st_mtime > _DAY:
        os.utime(path)


def _prune(kept: Path) -> None:
    """Remove the entries beside ``kept`` that no run has read for ``UNUSED_DAYS`` (each on
    its own: one that cannot be removed is left)."""
    oldest = time.time() - UNUSED_DAYS * _DAY
    for entry in kept.parent.glob("*.json"):
        with contextlib.suppress(OSError):
            if entry != kept and entry.stat().st_mtime < oldest:
                entry.unlink()


def _store(path: Path, kept: list[int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole and then named, so that a run reading it meanwhile never sees half.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pool-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(kept, stream)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _well_formed(kept: object, size: int) -> TypeGuard[list[int]]:
    return (
        isinstance(kept, list)
        and len(kept) > 0
        and all(type(n) is int and 0 <= n < size for n in kept)
        and all(a < b for a, b in itertools.pairwise(kept))
    )


def _entry(assignment: Assignment) -> Path | None:
    folder = cache_folder()
    if folder is None or assignment.folder is None:
        return None  # a sheet built in memory has no files to vouch for what it computes
    try:
        digest = _sheet_digest(assignment, assignment.folder)
    except OSError:
        return None
    return folder / "pools" / f"{digest}.json"


def _sheet_digest(assignment: Assignment, folder: Path) -> str:
    digest = hashlib.sha256()
    digest.update(f"{_FORMAT}\0{_code()}\0".encode())
    digest.update(assignment.model_dump_json().encode())
    for path in _python_files(folder):
        digest.update(f"\0{path.relative_to(folder).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _python_files(folder: Path) -> list[Path]:
    return _source_files(folder, (".py",), recursive=True)


def _source_files(root: Path, suffixes: tuple[str, ...], *, recursive: bool) -> list[Path]:
    """The files of ``root`` (and its subfolders) with one of ``suffixes``, in a fixed order;
    compiled caches left out."""
    found = root.rglob("*") if recursive else root.glob("*")
    return sorted(
        path
        for path in found
        if path.suffix in suffixes and "__pycache__" not in path.parts and path.is_file()
    )


def _code() -> str:
    """The digest of the grader's source that a pool depends on (once per process)."""
    global _code_digest
    if _code_digest is None:
        digest = hashlib.sha256()
        for root, recursive in _SOURCES:
            for path in _source_files(root, _SOURCE_SUFFIXES, recursive=recursive):
                digest.update(f"\0{path.relative_to(_PACKAGE.parent).as_posix()}\0".encode())
                digest.update(path.read_bytes())
        _code_digest = digest.hexdigest()
    return _code_digest
