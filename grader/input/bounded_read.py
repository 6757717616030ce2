"""One bounded, non-blocking file reader: how answer files, the files they name, decision
files and rosters are read (and the output writer checks an unchanged file).

A file whose name a student controls may be a FIFO (an open would wait for a writer), a
device, a link, or far larger than any answer file: it is opened without blocking, checked on
the open file (regular or not), and read up to a limit.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def read_regular_file(path: str | Path, limit: int, *, follow_links: bool = True) -> bytes | None:
    """At most ``limit`` bytes of a regular file; None for anything else (a folder, a FIFO).

    Opened without blocking (a FIFO would wait for a writer) and checked on the open file, in
    four system calls: a class is read file by file, and Python's ``open`` makes seven. The
    first read asks for one byte more than the file's size: when exactly the size comes back,
    that is the whole file, without another read to find its end (a file that grew, or one
    whose size says nothing, such as those in /proc, is read on to its end).

    With ``follow_links`` False, a symbolic link is not opened: ``OSError`` with ``ELOOP``
    (the open flag O_NOFOLLOW, so that a plain file costs no extra system call).

    Raises:
        OSError: the path cannot be opened or read.
    """
    flags = os.O_RDONLY | _NONBLOCK | _BINARY
    if not follow_links:
        if not _NOFOLLOW and os.path.islink(path):
            raise OSError(errno.ELOOP, "a symbolic link", os.fspath(path))
        flags |= _NOFOLLOW
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return None
        size = info.st_size
        chunk = os.read(descriptor, min(limit, size + 1))
        if len(chunk) == size or not chunk:
            return chunk
        chunks = [chunk]
        limit -= len(chunk)
        while limit > 0:
            chunk = os.read(descriptor, limit)
            if not chunk:
                break
            chunks.append(chunk)
            limit -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)
