"""Whose file is it: identity from the submission channel and the roster, not from the file.

The id a student writes into their answer file is a claim. Where the class comes from a
learning management system, the LMS says who submitted each file through the names it gives
folders and files:

- Moodle (download all submissions): a folder (or a file name prefix)
  ``Full Name_12345_assignsubmission_file_``, where 12345 is the participant id;
- Canvas (download submissions): a file name ``lastfirst_12345_67890_answers.yaml``, where 12345
  is the student's Canvas user id (``lastfirst_LATE_12345_...`` for a late one).

With a roster that knows those LMS ids, the channel decides whose row a file fills and the
file's own id is only checked against it. Every disagreement becomes a flag for the TA; no
file ever takes another student's row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from grader.results import Student

if TYPE_CHECKING:  # the roster module reads ids as answer files do, which need this one
    from grader.input.roster import Roster

# Moodle's mark after the full name: "<full name>_<participant>_assignsubmission_<plugin>_".
_MOODLE_MARK = re.compile(r"_(?P<id>\d+)_assignsubmission_[a-z]+_")
# Canvas's name is the student's sortable name run together: letters (any script) and digits.
_CANVAS = re.compile(r"^(?P<name>[^\W_]+)_(?:late_)?(?P<id>\d+)_\d+_.+", re.IGNORECASE)


@dataclass(frozen=True)
class Channel:
    """Who submitted a file, according to the LMS that handed it out.

    Attributes:
        system: ``moodle`` or ``canvas``.
        lms_id: the participant id (Moodle) or user id (Canvas).
        name: the student's name as the LMS wrote it.
        where: the folder or file name it was read from.
    """

    system: str
    lms_id: str
    name: str
    where: str

    @property
    def label(self) -> str:
        """``moodle:12345``: what a result records."""
        return f"{self.system}:{self.lms_id}"

    def describe(self) -> str:
        """For messages: ``Moodle participant 12345 (folder 'Ada Lovelace_12345_...')``."""
        kind = "participant" if self.system == "moodle" else "user"
        return f"{self.system.capitalize()} {kind} {self.lms_id} ({self.where!r})"


def channel_of(relative: str) -> Channel | None:
    """The submission channel of a file, from its path relative to the class folder.

    >>> channel_of("Ada Lovelace_12345_assignsubmission_file_/answers.yaml").label
    'moodle:12345'
    >>> channel_of("lovelaceada_LATE_4711_99_answers.yaml").label
    'canvas:4711'
    >>> channel_of("s1234.yaml") is None
    True
    """
    components = relative.replace("\\", "/").split("/")
    for component in components[:-1]:
        marks = _moodle_marks(component)
        if marks:
            # The outermost Moodle folder is the LMS's; what it holds is the student's.
            prefix = _moodle_prefix(component, marks, folder=True)
            return prefix.channel(component) if prefix is not None else None
    prefix = _prefix_of(components[-1])
    return prefix.channel(components[-1]) if prefix is not None else None


class _Prefix(NamedTuple):
    """The part of a name an LMS wrote: who submitted, and where the student's part starts."""

    system: str
    lms_id: str
    name: str
    end: int

    def channel(self, where: str) -> Channel:
        return Channel(self.system, self.lms_id, self.name, where)


def _moodle_marks(name: str) -> list[re.Match[str]]:
    return [mark for mark in _MOODLE_MARK.finditer(name) if mark.start() > 0]


def _moodle_prefix(name: str, marks: list[re.Match[str]], *, folder: bool) -> _Prefix | None:
    """Moodle's own mark among ``marks``: the full name before it is the student's profile
    and may read like another participant's mark (``x_102_assignsubmission_file_ Smith``).
    A folder's mark ends its name (Moodle writes it last); in a file name the upload's own
    name follows it, so only a single mark is Moodle's for sure. None: no telling which."""
    mark = marks[-1] if folder and marks[-1].end() == len(name) else None
    if mark is None and len(marks) == 1:
        mark = marks[0]
    if mark is None:
        return None
    return _Prefix("moodle", mark["id"], name[: mark.start()], mark.end())


def _prefix_of(name: str) -> _Prefix | None:
    """The LMS prefix a file's own name starts with: Canvas's (a download) or Moodle's (a
    download without folders). Canvas writes the student's name with letters and digits
    only, so its prefix is the LMS's own; the name the student gave the upload follows it
    and may read like a Moodle folder (``smithalice_123_456_x_777_assignsubmission_file_``).

    >>> _prefix_of("smithalice_123_456_x_777_assignsubmission_file_.yaml").lms_id
    '123'
    >>> _prefix_of("Ada_5_assignsubmission_file_lovelace_7_8_a.yaml").system
    'moodle'
    """
    canvas = _CANVAS.match(name)
    if canvas is not None:
        return _Prefix("canvas", canvas["id"], canvas["name"], canvas.end("id"))
    marks = _moodle_marks(name)
    return _moodle_prefix(name, marks, folder=False) if marks else None


def upload_copy_pattern(answer_file: str, name: str) -> re.Pattern[str] | None:
    """The names the LMS gave the file ``name`` of the same upload as ``answer_file`` (a file
    name), when that name carries the uploader's prefix: a Canvas download, or Moodle's
    without folders. The student wrote ``image: q3-sketch.png``; the LMS saved it as
    ``lovelaceada_4711_99124_q3-sketch.png`` (Canvas numbers each file of an upload on its
    own) or ``Ada Lovelace_12345_assignsubmission_file_q3-sketch.png``. Only the uploader's
    own prefix matches: another student's copy is never theirs. None: no prefix, or a name
    with a folder in it.

    >>> pattern = upload_copy_pattern("lovelaceada_4711_99123_a.yaml", "q3.png")
    >>> [bool(pattern.fullmatch(n)) for n in ("lovelaceada_4711_9_q3.png", "x_4711_9_q3.png")]
    [True, False]
    """
    prefix = _prefix_of(answer_file)
    if prefix is None or "/" in name or "\\" in name:
        return None
    if prefix.system == "moodle":
        return re.compile(re.escape(answer_file[: prefix.end]) + re.escape(name))
    return re.compile(
        f"{re.escape(prefix.name)}_(?i:late_)?{prefix.lms_id}_[0-9]+_{re.escape(name)}"
    )


@dataclass(frozen=True)
class Identity:
    """Whose row a file fills, and what a TA must look at.

    Attributes:
        student: the id (and name) the row is keyed by.
        channel: the channel's label, if the file came through one.
        flags: disagreements between the file, the channel and the roster.
    """

    student: Student
    channel: str | None
    flags: tuple[str, ...]


def resolve_identity(claimed: Student, channel: Channel | None, roster: Roster | None) -> Identity:
    """Whose file it is, from what the file claims, the channel and the roster.

    With a channel the roster knows, the roster's student (flagged when the file claims
    someone else). Otherwise the file's claim, flagged when a roster is given and does not
    list it (or lists the channel's id under nobody).
    """
    flags: list[str] = []
    label = channel.label if channel else None
    if channel is not None and roster is not None:
        enrolled = roster.by_lms(channel.lms_id, channel.system)
        if enrolled is not None:
            if enrolled.id.lower() != claimed.id.lower():
                flags.append(
                    f"the file says student {claimed.id!r}, but it was submitted by "
                    f"{enrolled.id} ({channel.describe()})"
                )
            return Identity(Student(id=enrolled.id, name=enrolled.name), label, tuple(flags))
        flags.append(f"{channel.describe()} is not on the roster")
    if roster is not None:
        enrolled = roster.by_id(claimed.id)
        if enrolled is None:
            flags.append(f"student {claimed.id!r} is not on the roster")
        else:
            named = Student(id=enrolled.id, name=claimed.name or enrolled.name)
            return Identity(named, label, tuple(flags))
    return Identity(claimed, label, tuple(flags))
