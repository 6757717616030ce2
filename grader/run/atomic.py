"""Atomic file writes: a reader (or a killed run) sees the old file or the new one, never half;
and the bounded, non-blocking read that answer files and unchanged outputs are read with.

Write to a temporary file in the same folder, then ``os.replace`` it over the target (atomic on
POSIX and Windows): a killed run leaves the old file or the new one. On Linux a new file that
need not be durable is written with no name and named whole in one step (O_TMPFILE, linkat).
A *durable* write also fsyncs the file before the rename and the folder after it, so that the
new file survives a power cut too; that costs two disk flushes, more than grading a file, so
the per-student files of a batch are written without it (a killed or crashed run is repaired by
running it again) and the class files with it. Leftover temporary files of a killed run end in
``.tmp`` and are removed by ``remove_stale_temporaries``."""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import sys
from pathlib import Path

from grader.input.bounded_read import read_regular_file

TEMP_SUFFIX = ".tmp"


def write_bytes_atomic(
    path: str | Path, data: bytes, *, durable: bool = True, skip_unchanged: bool = False
) -> None:
    """Replace ``path`` with ``data`` atomically, creating parent folders.

    Args:
        durable: also flush the file and the rename to disk before returning.
        skip_unchanged: leave ``path`` alone when it already holds exactly ``data``. A regrade
            rewrites mostly identical files, and reading one back costs a tenth of replacing
            it (ext4 flushes a file renamed over another); unchanged files also keep their
            modification time, so syncing the folder to a course site sends only what changed.
    """
    if skip_unchanged and _holds(path, data):
        return
    target = os.fspath(path)
    folder, name = os.path.split(target)
    if _ANONYMOUS and not durable and _write_new(folder, name, data):
        return
    temporary = os.path.join(folder, f".{name}.{_PID[0]}.{next(_COUNTER)}{TEMP_SUFFIX}")
    try:
        handle = os.open(temporary, _CREATE, 0o666)
    except FileNotFoundError:
        Path(folder).mkdir(parents=True, exist_ok=True)
        handle = os.open(temporary, _CREATE, 0o666)
    try:
        try:
            _write_all(handle, data)
            if durable:
                os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if durable:
        _fsync_folder(Path(folder))


# A fresh temporary name per write (process id and a counter) opened exclusively: no other
# writer can be using it, and unlike tempfile.mkstemp the file gets the usual permissions
# (0666 less the umask), which the renamed output keeps.
_COUNTER = itertools.count()
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_PID = [os.getpid()]  # asked once per process (each getpid() is a system call)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=lambda: _PID.__setitem__(0, os.getpid()))
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY


# Linux can write a file with no name (O_TMPFILE) and give it its name, whole, in one step
# (linkat): one change to the folder where a temporary file and a rename make two, and a killed
# run leaves nothing behind. It only makes new files
# (linkat does not replace), so a file that exists already goes the temporary way. Used for
# the many files of a batch, which are not durable; linkat needs the folder open, and the
# open folders are kept until release_folders() (the end of a batch).
_ANONYMOUS = sys.platform.startswith("linux") and hasattr(os, "O_TMPFILE")
_FOLDERS: dict[str, int] = {}  # open folders, for linkat
_UNSUPPORTED = frozenset({errno.EISDIR, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS, errno.EXDEV})


def _write_new(folder: str, name: str, data: bytes) -> bool:
    """Write ``data`` as the new file ``folder/name`` through an anonymous file; False when
    that cannot be done (the file exists, the folder is missing, no O_TMPFILE or /proc), with
    nothing written."""
    global _ANONYMOUS
    try:
        handle = os.open(folder or ".", os.O_WRONLY | os.O_TMPFILE, 0o666)
    except OSError as error:
        _ANONYMOUS = error.errno not in _UNSUPPORTED  # not on this file system: not again
        return False
    try:
        _write_all(handle, data)
        try:
            where = _folder_descriptor(folder)
            os.link(f"/proc/self/fd/{handle}", name, dst_dir_fd=where, follow_symlinks=True)
        except FileExistsError:
            return False
        except OSError as error:
            _ANONYMOUS = error.errno not in _UNSUPPORTED and os.path.isdir("/proc/self/fd")
            release_folders()  # the folder may have gone: open it again next time
            return False
    finally:
        os.close(handle)
    return True


def _folder_descriptor(folder: str) -> int:
    found = _FOLDERS.get(folder)
    if found is None:
        if len(_FOLDERS) >= 16:
            release_folders()
        found = _FOLDERS[folder] = os.open(folder or ".", os.O_RDONLY | os.O_DIRECTORY)
    return found


def release_folders() -> None:
    """Close the folders kept open for writing new files (a batch calls it when done)."""
    for descriptor in _FOLDERS.values():
        with contextlib.suppress(OSError):
            os.close(descriptor)
    _FOLDERS.clear()


def _write_all(handle: int, data: bytes) -> None:
    """Write all of ``data`` (``os.write`` may write less than asked; it hardly ever does)."""
    written = os.write(handle, data)
    if written < len(data):
        view = memoryview(data)[written:]
        while view:
            view = view[os.write(handle, view) :]


def _holds(path: str | Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data`` (False if it cannot be read)."""
    try:
        return read_regular_file(path, len(data) + 1) == data
    except OSError:
        return False


def write_text_atomic(
    path: str | Path, text: str, *, durable: bool = True, skip_unchanged: bool = False
) -> None:
    """Replace ``path`` with UTF-8 ``text`` atomically (see :func:`write_bytes_atomic`)."""
    write_bytes_atomic(path, text.encode("utf-8"), durable=durable, skip_unchanged=skip_unchanged)


def _fsync_folder(folder: Path) -> None:
    # Not possible on every platform (Windows): the rename is still atomic there.
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary files a killed run left under ``folder``; returns how many."""
    removed = 0
    if not folder.is_dir():
        return 0
    for stale in folder.rglob(f".*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            stale.unlink()
            removed += 1
    return removed
