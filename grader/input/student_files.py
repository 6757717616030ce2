"""The only module that touches the file system for names a student controls: answer files,
the folders they lie in, the image files an answer names, and the listing of a class.

A student controls the name and contents of everything under a graded folder (a zip restores
symbolic links, permission bits and names that are not UTF-8; a tar also FIFOs and devices),
and the text of an answer that names an image. Every call here fails only into a value for
that student (an :class:`Unreadable` reason, a :class:`NotGraded` entry, a problem text), never
into the run: every ``OSError``, ``ValueError`` and ``RuntimeError`` the operating system can
give (a name too long, a link loop, no permission, a folder where a file was expected, a NUL
in a name) is caught here. Names are decoded with ``surrogateescape`` (Python's file system
encoding) and shown with :func:`shown_name`.

Links: a symbolic link that leads out of the folder given on the command line is not followed
(a link to a TA's private file would put it in the student's report); links that stay inside
are followed. Loops and links to nothing are reported, never followed for ever.
"""

from __future__ import annotations

import errno
import functools
import operator
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from grader.input.bounded_read import read_regular_file

ANSWER_SUFFIXES = (".yaml", ".yml", ".json")
NOT_AN_ANSWER_FILE = "not an answer file (.yaml, .yml, .json)"
LINK_LEADS_OUT = (
    "the answer file is a symbolic link leading out of the folder being graded, so it was not "
    "followed: submit the file itself"
)


def shown_name(path: str | bytes | os.PathLike[str]) -> str:
    r"""A file name as text that is safe to show anywhere (terminal, HTML, JSON, CSV): bytes
    that are not UTF-8 as ``\xff``, invisible and bidirectional characters as ``<U+202E>``.

    >>> shown_name(b"caf\xc3\xa9-\xff.yaml"), shown_name("a\u202eb\n.json")
    ('café-\\xff.yaml', 'a<U+202E>b<U+000A>.json')
    """
    text = os.fsdecode(path)
    if text.isascii() and text.isprintable():  # nearly every name: nothing to show otherwise
        return text
    return "".join(map(_shown_char, text))


def _shown_char(char: str) -> str:
    if "\udc80" <= char <= "\udcff":  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{ord(char) - 0xDC00:02x}"
    return char if char.isprintable() else f"<U+{ord(char):04X}>"


class Unreadable(NamedTuple):
    """Why a student's file could not be read (a message for that student's result)."""

    reason: str


_REASONS = {
    errno.ENOENT: "not found",
    errno.ENOTDIR: "not found",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENAMETOOLONG: "the name is too long for a file name",
    errno.ELOOP: "a symbolic link loop",
    errno.EISDIR: "a folder, not a file",
}


def reason_of(error: BaseException) -> str:
    """What went wrong, in a few words for a message (never a traceback or a TA's path)."""
    if isinstance(error, OSError):
        return _REASONS.get(error.errno or 0) or (error.strerror or type(error).__name__).lower()
    if isinstance(error, RuntimeError):  # pathlib's word for a link loop
        return "a symbolic link loop"
    return "the name cannot be a file name"  # ValueError: a NUL character in it


@dataclass(frozen=True)
class Boundary:
    """The folders given on the command line (a file given stands for its own folder): links
    in them are followed only while they stay inside the one that holds them."""

    folders: tuple[str, ...]

    @classmethod
    def around(cls, paths: Iterable[str | os.PathLike[str]]) -> Boundary:
        """The boundary of the paths a command was given."""
        folders = []
        for path in paths:
            text = os.fspath(path)
            folders.append(text if os.path.isdir(text) else os.path.dirname(text) or ".")
        return cls(tuple(folders))

    def folder_of(self, path: str) -> str:
        """The given folder that holds ``path`` (the innermost one), else its own folder."""
        found = ""
        for folder in self.folders:
            if _under(path, folder) and len(folder) > len(found):
                found = folder
        return found or os.path.dirname(path) or "."


def _under(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or lies below it (as text: no file system call)."""
    top = folder.rstrip(os.sep) + os.sep
    return path == folder or path.startswith(top)


@functools.lru_cache(maxsize=64)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _leads_out(path: str, folder: str) -> bool:
    """Whether the link ``path`` leads out of ``folder`` (where it ends, followed all the way)."""
    return not _under(os.path.realpath(path), _real_folder(folder))


def read_student_file(
    path: str | os.PathLike[str], limit: int, *, within: Boundary | None = None
) -> bytes | Unreadable:
    """At most ``limit`` bytes of an answer file, or why it cannot be read.

    Opened without following a link (no system call more for a plain file); a link is
    followed only when it stays inside the folder of ``within`` that holds it (without
    ``within``: the file's own folder).
    """
    text = os.fspath(path)
    try:
        try:
            data = read_regular_file(text, limit, follow_links=False)
        except OSError as error:
            if error.errno not in (errno.ELOOP, errno.EMLINK) or not os.path.islink(text):
                raise
            folder = within.folder_of(text) if within else os.path.dirname(text) or "."
            if _leads_out(text, folder):
                return Unreadable(LINK_LEADS_OUT)
            data = read_regular_file(text, limit)
    except (OSError, ValueError, RuntimeError) as error:
        return Unreadable(f"cannot read file: {reason_of(error)}")
    if data is None:
        return Unreadable("cannot read file: not a regular file")
    return data


_IMAGE_REASONS = {
    errno.ENOENT: "not found next to the answer file",
    errno.ENOTDIR: "not found next to the answer file",
    errno.ENAMETOOLONG: "not found: the text is too long to be a file name (write the "
    "image file's name, e.g. q3-sketch.png)",
}


def image_problem(folder: str | os.PathLike[str], name: str) -> str | None:
    """Why the image ``name`` (relative to the answer file's ``folder``) cannot go to a TA;
    None when it is a readable regular file inside ``folder``."""
    base = os.fspath(folder) or "."
    try:
        target = os.path.realpath(os.path.join(base, name), strict=True)
        if not _under(target, _real_folder(base)):
            return "is not inside the answer file's folder (links are not followed out of it)"
        if not stat.S_ISREG(os.stat(target).st_mode):
            return "is not a regular file"
        if not os.access(target, os.R_OK):
            return "cannot be read: permission denied"
    except (OSError, ValueError, RuntimeError) as error:
        number = error.errno if isinstance(error, OSError) else None
        return _IMAGE_REASONS.get(number or 0) or f"cannot be read: {reason_of(error)}"
    return None


def names_matching(folder: str | os.PathLike[str], pattern: re.Pattern[str]) -> list[str]:
    """The names in ``folder`` that ``pattern`` matches whole, sorted; none when the folder
    cannot be listed (the caller's lookup then fails as it would have)."""
    try:
        with os.scandir(os.fspath(folder) or ".") as listing:
            return sorted(entry.name for entry in listing if pattern.fullmatch(entry.name))
    except (OSError, ValueError):
        return []


@dataclass(frozen=True)
class NotGraded:
    """An entry under the given paths that gets no gradebook row, and why.

    Attributes:
        name: shown, relative to the folder given (the path as listed when several were).
        may_be_answer: named like an answer file, or a folder that could not be listed (it
            may hold some): a student's work may be missing.
    """

    name: str
    reason: str
    may_be_answer: bool = False
    path: str = ""  # as listed (not shown): what the file system calls it


@dataclass
class ClassListing:
    """Everything under the given paths: answer files to grade, and what is not graded."""

    files: list[str] = field(default_factory=list)  # in the order sorted() gives paths
    not_graded: list[NotGraded] = field(default_factory=list)
    boundary: Boundary = field(default_factory=lambda: Boundary(()))


def list_class(paths: Sequence[str | os.PathLike[str]]) -> ClassListing:
    """List the answer files under ``paths`` (a file given is listed as it is, whatever its
    name); each folder's entries by name, a subfolder's files where its name sorts.

    Never fails: a folder that cannot be read, a link loop, a FIFO become ``not_graded``
    entries. Links to folders are not followed, so no folder is listed twice.
    ``os.scandir`` knows from the folder listing which entries are plain files, where
    ``Path.rglob`` would ask the disk again for each.
    """
    listing = ClassListing(boundary=Boundary.around(paths))
    for path in paths:
        text = os.fspath(path)
        if os.path.isdir(text):
            _Walk(listing, text, relative=len(paths) == 1).run()
        else:
            listing.files.append(text)
    if len(paths) > 1:
        # Paths that overlap (a folder given twice, or with a file or folder in it, or through
        # a link) would list a file twice, and it would claim its own id against itself.
        listing.files = _first_of_each(listing.files, _entry)
        listing.not_graded = _first_of_each(listing.not_graded, lambda e: _entry(e.path or e.name))
    return listing


_T = TypeVar("_T")


def _first_of_each(items: list[_T], key: Callable[[_T], str]) -> list[_T]:
    seen: set[str] = set()
    kept = []
    for item in items:
        found = key(item)
        if found not in seen:
            seen.add(found)
            kept.append(item)
    return kept


def _entry(path: str) -> str:
    """Which folder entry ``path`` names, however it was reached: its folder with links
    resolved, and its own name as it is (a link in the class is an entry of its own)."""
    folder, name = os.path.split(os.path.abspath(path.rstrip(os.sep) or path))
    return os.path.join(os.path.realpath(folder), name)


_NAME = operator.attrgetter("name")


class _Walk:
    """One given folder listed depth first, without recursion (a zip may nest deeply)."""

    def __init__(self, listing: ClassListing, top: str, *, relative: bool) -> None:
        self.listing = listing
        self.top = top
        self.strip = len(top.rstrip(os.sep)) + 1 if relative else 0

    def label(self, path: str) -> str:
        return shown_name(path[self.strip :] or path)

    def run(self) -> None:
        files, suffixes = self.listing.files, ANSWER_SUFFIXES
        stack: list[Iterator[os.DirEntry[str]]] = [self.entries(self.top)]
        while stack:
            entry = next(stack[-1], None)
            if entry is None:
                stack.pop()
                continue
            # By the name's end: splitext takes a leading dot for part of the name, so
            # `..yaml` or `.json` would have no suffix, yet check and load read them.
            answer_like = entry.name.lower().endswith(suffixes)
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(self.entries(entry.path))
                    continue
                if entry.is_file(follow_symlinks=False):
                    if answer_like:
                        files.append(entry.path)
                        continue
                    reason: str | None = NOT_AN_ANSWER_FILE
                else:
                    reason = self.special(entry, answer_like)
            except (OSError, ValueError, RuntimeError) as error:
                reason = f"cannot be looked at: {reason_of(error)}"
            if reason is None:
                files.append(entry.path)
            else:
                self.skip(entry.path, reason, may_be_answer=answer_like)

    def entries(self, folder: str) -> Iterator[os.DirEntry[str]]:
        """The entries of ``folder`` by name; none (and a note) when it cannot be read."""
        try:
            with os.scandir(folder) as listing:
                return iter(sorted(listing, key=_NAME))
        except (OSError, ValueError) as error:
            reason = f"folder cannot be read ({reason_of(error)}): its files were not listed"
            self.skip(folder.rstrip(os.sep) + os.sep, reason, may_be_answer=True)
            return iter(())

    def skip(self, path: str, reason: str, *, may_be_answer: bool) -> None:
        entry = NotGraded(self.label(path), reason, may_be_answer, path)
        self.listing.not_graded.append(entry)

    def special(self, entry: os.DirEntry[str], answer_like: bool) -> str | None:
        """Why a link, FIFO, device or socket is not graded; None for an answer file to grade
        (a link to a file inside, or one leading out, whose row then says why it was not)."""
        if not entry.is_symlink():
            return _kind(entry.stat(follow_symlinks=False).st_mode)
        if answer_like and _leads_out(entry.path, self.top):
            return None
        try:
            mode = os.stat(entry.path).st_mode
        except (OSError, ValueError) as error:
            number = error.errno if isinstance(error, OSError) else None
            reason = _LINK_REASONS.get(number or 0)
            return reason or f"a link that cannot be followed: {reason_of(error)}"
        if stat.S_ISREG(mode):
            return None if answer_like else NOT_AN_ANSWER_FILE
        if stat.S_ISDIR(mode):
            return "a link to a folder (not followed)"
        return f"a link to {_kind(mode)}"


_LINK_REASONS = {
    errno.ENOENT: "a link to nothing (its target does not exist)",
    errno.ENOTDIR: "a link to nothing (its target does not exist)",
    errno.ELOOP: "a symbolic link loop",
    errno.EACCES: "a link that cannot be followed: permission denied",
}


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, for a message."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    return "not a regular file"
