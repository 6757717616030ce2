"""The output folder of a class run: one run at a time writes it, and it is never inside what
is graded (nor what is graded inside it).

Two runs into one folder would mix their outputs (a gradebook of one beside the result files
of the other), so a run holds an exclusive lock (``flock``) on a file in the folder for its
whole length, which names it (process, host, command, start). The kernel releases the lock
when its holder ends, however it ends; a run killed with SIGKILL leaves the file, and the next
run takes it over and says so. A run that ends removes the file while it still holds the lock;
a run that opened the file just before is told by comparing the file it locked with the one
the name now gives, and tries again.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from grader.errors import OutputError, UsageError

try:
    import fcntl
except ImportError:  # Windows: no flock; runs are not kept apart there
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".grader.lock"
MAIN_SHEET_NAME = ".grader-sheet"
"""Records the id of the sheet whose outputs an output folder holds (a later run must agree)."""
RUN_FILES = frozenset({LOCK_NAME, MAIN_SHEET_NAME})
"""What a run puts into an output folder before anything is graded."""
_NO_LOCKS_HERE = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS})


def check_apart(inputs: Sequence[Path], out_dir: Path) -> None:
    """Refuse an output folder inside a graded path, or a graded path inside it: the next run
    would grade the results as submissions, or this one overwrite what it grades.

    Raises:
        UsageError: they overlap (exit 2).
    """
    out_real = os.path.realpath(out_dir)
    for path in inputs:
        real = os.path.realpath(path)
        if _within(out_real, real):
            raise UsageError(
                f"the output folder {out_dir} is inside {path}, which is graded: the next "
                "run would grade its results as answer files; choose an --out outside it"
            )
        if _within(real, out_real):
            raise UsageError(
                f"{path} is inside the output folder {out_dir}: grading would read what it "
                "writes; move it out, or choose another --out"
            )


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@contextlib.contextmanager
def output_lock(out_dir: Path, command: Sequence[str]) -> Iterator[str | None]:
    """Hold ``out_dir`` for this run (it must exist). Yields who held it last without
    finishing (a killed run), else None.

    Raises:
        UsageError: another run holds it (exit 2, naming that run).
        OutputError: the lock file cannot be made (a read-only folder).
    """
    path = os.path.join(out_dir, LOCK_NAME)
    handle = _acquire(path, out_dir)
    try:
        previous = _holder(handle)
        text = f"pid {os.getpid()} on {socket.gethostname()}, started "
        text += time.strftime("%Y-%m-%d %H:%M:%S") + f", command: {' '.join(command)}\n"
        os.ftruncate(handle, 0)
        os.pwrite(handle, text.encode("utf-8", "replace"), 0)
    except OSError as error:
        os.close(handle)
        raise OutputError(f"cannot write to {out_dir}: {error.strerror or error}") from None
    try:
        yield previous or None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # while still held: see the module's docstring
        os.close(handle)


def _acquire(path: str, out_dir: Path) -> int:
    """An open lock file, locked by this process."""
    for _ in range(10):
        try:
            handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise OutputError(f"cannot write to {out_dir}: {error.strerror or error}") from None
        if fcntl is None:
            return handle
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(handle) or "it is just starting"
            os.close(handle)
            raise UsageError(
                f"{out_dir} is being written by another grader run ({holder}); wait for it "
                "to finish, or choose another --out"
            ) from None
        except OSError as error:
            if error.errno in _NO_LOCKS_HERE:  # a file system without locks: run unguarded
                return handle
            os.close(handle)
            raise OutputError(f"cannot lock {path}: {error.strerror or error}") from None
        if _same_file(handle, path):
            return handle
        os.close(handle)  # removed by a run that just ended: lock the new one
    raise UsageError(f"{out_dir} keeps changing hands between grader runs; try again")


def _same_file(handle: int, path: str) -> bool:
    try:
        named = os.stat(path)
    except OSError:
        return False
    held = os.fstat(handle)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def _holder(handle: int) -> str:
    """What the lock file says about the run that holds (or held) it, as one line."""
    try:
        text = os.pread(handle, 1024, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    return "".join(char if char.isprintable() else " " for char in text)


@contextlib.contextmanager
def writing_into(out_dir: Path) -> Iterator[None]:
    """Turn a failed write under ``out_dir`` (read-only, full, no permission) into one line
    naming the folder and the reason (exit 2); whatever was written is whole (atomic writes).
    """
    try:
        yield
    except OSError as error:
        raise cannot_write(out_dir, error) from None


def cannot_write(out_dir: Path, error: OSError) -> OutputError:
    """The one line for a write under ``out_dir`` that failed."""
    return OutputError(f"cannot write to {out_dir}: {error.strerror or error}")
