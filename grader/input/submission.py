"""Reading a student's answer file into part ids, raw answers and their lines.

With ``assignment``, the only module that reads input files (the file system calls on a
student's names are :mod:`grader.student_files`'). Everything that is wrong with one answer
becomes a ``Problem`` attached to that part (graded ``invalid`` later); only a file that cannot
be read at all, or whose student id is unusable, raises ``SubmissionError``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from grader.errors import SubmissionError
from grader.input.answer_tree import Node, shown_key
from grader.input.attachments import Attachment, AttachmentError, read_attachment
from grader.input.identity import upload_copy_pattern
from grader.input.issue_owners import issue_owners
from grader.input.loading import LoadResult, load_answer_bytes, load_answer_file
from grader.input.student_files import Boundary, image_problem, names_matching, shown_name
from grader.input.yaml_chunks import glued_key_of
from grader.results import Student
from grader.sheets.assignment import Assignment

STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
TOP_LEVEL_KEYS = ("assignment", "student", "variant", "answers")


class Answer(NamedTuple):
    """A student's answer to one part, as written (a named tuple: one is made per answer)."""

    part_id: str
    node: Node

    @property
    def line(self) -> int | None:
        """1-based line of the answer."""
        return self.node.line


@dataclass(frozen=True)
class Problem:
    """Something wrong with one part (or, with ``part_id`` None, with the file)."""

    message: str
    line: int | None = None
    part_id: str | None = None
    source: str | None = None  # the refused text of the part, when known (see LoadIssue)


@dataclass
class Submission:
    """A loaded answer file."""

    student: Student
    assignment: str | None = None
    assignment_line: int | None = None
    """The line of ``assignment:``, for the message when it names another sheet."""
    variant: str | None = None
    """The variant code the file carries (``variant: 3KX``), as written; checked when graded."""
    answers: dict[str, Answer] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    path: Path | None = None
    attachments: dict[str, Attachment] = field(default_factory=dict)
    """The files image answers name, read and checked, by part id."""

    def part_problems(self) -> dict[str, Problem]:
        """The first problem attached to each part that has one."""
        first: dict[str, Problem] = {}
        for problem in self.problems:
            if problem.part_id is not None:
                first.setdefault(problem.part_id, problem)
        return first

    @property
    def file_problems(self) -> list[Problem]:
        """Problems not attached to a part (unknown keys, salvaged syntax errors...)."""
        return [p for p in self.problems if p.part_id is None]


def valid_student_id(text: str) -> bool:
    """Whether a student id is safe to use as a file name."""
    return bool(STUDENT_ID.fullmatch(text)) and text.split(".")[0].lower() not in _RESERVED


def load_submission(
    path: Path, assignment: Assignment, *, within: Boundary | None = None
) -> Submission:
    """Load an answer file (YAML or JSON by suffix); links are not followed out of ``within``.

    Raises:
        SubmissionError: the file cannot be read at all, or has no usable student id.
    """
    return build_submission(load_answer_file(path, within=within), assignment, path=path)


def parse_submission(data: bytes, assignment: Assignment, *, fmt: str, name: str) -> Submission:
    """Load an answer file from bytes (``name`` stands in for the file name)."""
    return build_submission(load_answer_bytes(data, fmt=fmt), assignment, path=Path(name))


def build_submission(loaded: LoadResult, assignment: Assignment, *, path: Path) -> Submission:
    """Turn a loaded tree into a ``Submission``; see ``load_submission``."""
    tree = loaded.tree
    if tree is None or not isinstance(tree.value, dict):
        issue = loaded.issues[0] if loaded.issues else None
        message = issue.message if issue else "the file is empty"
        raise SubmissionError(message, line=issue.line if issue else None)
    top = tree.value
    submission = Submission(student=_student(top, path), path=path)
    _note_id_not_text(submission, top)
    named = top.get("assignment")
    submission.assignment = sheet_named(named)
    submission.assignment_line = named.line if named is not None else None
    submission.variant = _variant_code(top.get("variant"))
    _attach_load_issues(submission, loaded, assignment)
    nested = _refuse_answers_nested(submission, top, assignment)
    if named is not None and not isinstance(named.value, str) and "assignment" not in nested:
        # A list or mapping names no sheet: said, or the file would be graded against the
        # run's sheet without a word (perhaps not the one the student meant). One that holds
        # the answers is told that instead.
        submission.problems.append(
            Problem(
                "'assignment' must be one sheet's id as text, not a list or mapping; this "
                f"file was graded against {assignment.id}",
                named.line,
            )
        )
    answers = top.get("answers")
    if answers is None:
        answers = Node({k: v for k, v in top.items() if k not in TOP_LEVEL_KEYS}, tree.line)
    else:
        for key, node in top.items():
            if key not in TOP_LEVEL_KEYS:
                submission.problems.append(Problem(f"unknown key {key!r} ignored", node.line))
    if not isinstance(answers.value, dict):
        submission.problems.append(
            Problem("'answers' must be a mapping of question → answer", answers.line)
        )
    else:
        _collect(answers.value, "", assignment, submission)
    _refuse_if_nothing_read(submission)
    _check_images(submission, assignment, path)
    return submission


def _refuse_if_nothing_read(submission: Submission) -> None:
    """A file of which no answer could be read, for reasons of the file's own, cannot be graded
    at all: its reason is the result's, shown wherever the result is, never a footnote under
    a column of "No answer."

    Raises:
        SubmissionError: no answer and no part's problem, but problems of the file.
    """
    if submission.answers or any(p.part_id for p in submission.problems):
        return
    problems = submission.file_problems
    if not problems:
        return  # a file left empty (the template as it came): every part is missing
    others = len(problems) - 1
    more = f" (and {others} more problem{'s' if others > 1 else ''})" if others else ""
    raise NothingRead(
        f"no answer could be read: {problems[0].message}{more}",
        line=problems[0].line,
        student=submission.student,
    )


class NothingRead(SubmissionError):
    """A file whose student is known but of which no answer could be read."""

    def __init__(self, message: str, *, line: int | None, student: Student) -> None:
        super().__init__(message, line=line)
        self.student = student


_YAML_NULLS = frozenset({"~", "null"})


def sheet_named(node: Node | None) -> str | None:
    """The sheet id an ``assignment:`` line names, or None: a line left empty or null (YAML's
    ``~``, ``null``; every scalar is read as text) names no sheet, as a file without the line
    does, and the file is graded against the run's sheet in its student's variant. Sheet ids
    are lower case, so a letter case of the student's own (``LLM-Inference-1``) names the
    same sheet."""
    text = _given(node)
    return text.lower() if text else None


def _text(node: Node | None) -> str | None:
    return node.value.strip() if node is not None and isinstance(node.value, str) else None


def _given(node: Node | None) -> str | None:
    """The text of a line, None when it is empty or YAML's null."""
    text = _text(node)
    return None if not text or text.lower() in _YAML_NULLS else text


NOT_A_CODE = "(not text)"
"""The variant code of a file whose ``variant:`` is a list or mapping: refused when checked."""


def _variant_code(node: Node | None) -> str | None:
    """The variant code a file carries, as written (checked when graded)."""
    value = node.value if node is not None else None
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a JSON number: refused as a code when checked, and noted
    return NOT_A_CODE


def _student(top: dict[str, Node], path: Path) -> Student:
    node = top.get("student")
    info = node.value if node is not None and isinstance(node.value, dict) else {}
    # YAML's null (``id: ~``, ``id: null``) is no id, as an empty one is: the file's name
    # gives it (every scalar is read as text, so "null" would otherwise be everyone's id).
    student_id = _given(info.get("id")) or (_given(node) if node is not None else None)
    name = _given(info.get("name")) or ""
    if not student_id:
        student_id = path.stem
        if not valid_student_id(student_id):
            raise SubmissionError(
                f"no student id in the file and the file name '{shown_name(path.name)}' is not "
                "a valid id: "
                "add `student: {id: ...}` (letters, digits, . _ -; up to 64 characters)"
            )
    elif not valid_student_id(student_id):
        line = info["id"].line if "id" in info else (node.line if node else None)
        raise SubmissionError(
            f"invalid student id {student_id[:80]!r}: use letters, digits, . _ - only "
            "(up to 64 characters, starting with a letter or digit)",
            line=line,
        )
    return Student(id=student_id, name=name[:200])


def _note_id_not_text(submission: Submission, top: dict[str, Node]) -> None:
    """An id written as a list or a mapping is no id: the file's name gave the row's id (see
    :func:`_student`), and the file says so, with the line, instead of dropping it unsaid."""
    node = top.get("student")
    info = node.value if node is not None and isinstance(node.value, dict) else {}
    written = info.get("id")
    if written is not None and isinstance(written.value, list | dict):
        submission.problems.append(
            Problem(
                "the student id must be one id written as text, not a list or mapping: this "
                f"file was graded as {submission.student.id!r}, from its name",
                written.line,
            )
        )


def _refuse_answers_nested(
    submission: Submission, top: dict[str, Node], assignment: Assignment
) -> set[str]:
    """``answers:`` (or a question) indented under ``student:`` (or ``assignment:``,
    ``variant:``) is, in YAML, a key of that mapping, and would be dropped without a word: the
    file would read as a template left empty. Each such key is a problem of the file, with
    the line of what it holds. Returns the keys that held any."""
    holders: set[str] = set()
    questions = {part_id.split(".")[0] for part_id in _layout(assignment).part_ids}
    for parent in ("student", "assignment", "variant"):
        node = top.get(parent)
        if node is None or not isinstance(node.value, dict):
            continue
        for key, inner in node.value.items():
            if key.lower() == "answers" or _joined("", key).split(".")[0] in questions:
                holders.add(parent)
                submission.problems.append(
                    Problem(
                        f"{key[:60]!r} is indented under {parent}: and was not read; write it "
                        "at the start of its line",
                        inner.line,
                    )
                )
    return holders


def _attach_load_issues(submission: Submission, loaded: LoadResult, assignment: Assignment) -> None:
    """Salvaged syntax errors: attach each to the parts whose text it holds, else to the file.

    Those are the parts under its key; where the broken text names keys of its own
    (``q2: {a: [1``), only the parts under those, since the others were never written there.
    """
    for issue in loaded.issues:
        owners = issue_owners(issue, assignment.part_ids)
        if not owners:
            submission.problems.append(Problem(issue.message, issue.line))
            continue
        # The part's own feedback names it: the message need not start with its key too
        # ("answers.q3.a answered twice" is the part's "answered twice", not a group's).
        shown = shown_key(issue.key or "")
        message = issue.message.removeprefix(f"{shown}: ")
        if owners == [_part_key(issue.key)] and message.startswith(f"{shown} "):
            message = message[len(shown) + 1 :]
        for part_id in owners:
            submission.problems.append(Problem(message, issue.line, part_id, issue.source))


def _part_key(key: str | None) -> str:
    """A loader's dotted key as a part id would read (``answers.q3.a`` -> ``q3.a``)."""
    return (key or "").removeprefix("answers.")


def _collect(
    mapping: dict[str, Node], prefix: str, assignment: Assignment, sub: Submission
) -> None:
    """Walk nested and dotted keys down to part ids (``prefix``: the dotted key so far)."""
    layout = _layout(assignment)
    # Prefixes are "" and the sheet's groups (only those are walked into): a few.
    joined_keys = layout.joined.setdefault(prefix, {})
    for key, node in mapping.items():
        joined = joined_keys.get(key)
        if joined is None:
            joined = _joined(prefix, key)
            if len(joined_keys) < _MAX_JOINED:  # a class writes the same few keys
                joined_keys[key] = joined
        if joined in layout.part_ids:
            if joined in sub.answers:
                _answered_twice(sub, joined, node)
            else:
                sub.answers[joined] = _answer(Answer, (joined, node))
        elif joined in layout.children:
            if isinstance(node.value, dict):
                _collect(node.value, joined, assignment, sub)
            elif node.value == "":
                continue  # an empty group (template left as is): its parts are missing
            else:
                children = ", ".join(layout.children[joined])
                message = f"{joined} has parts {children}: answer each under it"
                # `a:250` alone under q3 is, to YAML, the text of q3: a space is missing
                glued = glued_key_of(node.value) if isinstance(node.value, str) else None
                if glued is not None and glued.lower() in layout.children[joined]:
                    message += f", with a space after the colon of '{glued}:'"
                sub.problems.append(Problem(message, node.line))
        else:
            sub.problems.append(Problem(f"unknown part {joined[:60]!r} ignored", node.line))


def _joined(prefix: str, key: str) -> str:
    """The dotted key ``prefix.key``, lower case; spaces around the dots taken off."""
    if not _PLAIN_KEY.fullmatch(key):
        key = ".".join(k.strip() for k in key.split("."))
    return f"{prefix}.{key.lower()}" if prefix else key.lower()


_MAX_JOINED = 4096
_answer = tuple.__new__  # Answer(...) runs Python code: one per answer of every file


@dataclass(frozen=True)
class _Layout:
    """The part ids of a sheet, and what each group (``q2``, ``q2.b``) holds one level down."""

    part_ids: frozenset[str]
    children: dict[str, list[str]]
    image_parts: tuple[str, ...]
    joined: dict[str, dict[str, str]] = field(default_factory=dict)  # prefix -> key -> _joined


_LAYOUTS: dict[int, tuple[Assignment, _Layout]] = {}
_PLAIN_KEY = re.compile(r"[\w.-]*", re.ASCII)


def _layout(assignment: Assignment) -> _Layout:
    """The layout of ``assignment``, worked out once (it is looked up for every key)."""
    found = _LAYOUTS.get(id(assignment))
    if found is None or found[0] is not assignment:
        groups: dict[str, set[str]] = {}
        for part_id in assignment.part_ids:
            pieces = part_id.split(".")
            for depth in range(1, len(pieces)):
                groups.setdefault(".".join(pieces[:depth]), set()).add(pieces[depth])
        images = tuple(part.id for part in assignment.parts if part.answer_kind.attached_file)
        layout = _Layout(
            frozenset(assignment.part_ids), {g: sorted(c) for g, c in groups.items()}, images
        )
        if len(_LAYOUTS) > 16:
            _LAYOUTS.clear()
        found = _LAYOUTS[id(assignment)] = (assignment, layout)  # holding it keeps its id
    return found[1]


def _answered_twice(sub: Submission, part_id: str, node: Node) -> None:
    """A part answered again (under another spelling of its key): the problem, with both lines."""
    earlier = sub.answers[part_id]
    sub.problems.append(
        Problem(
            f"{part_id} answered twice (lines {earlier.line} and {node.line})", node.line, part_id
        )
    )


def _check_images(sub: Submission, assignment: Assignment, path: Path) -> None:
    """An image answer must name a readable file inside the folder of the answer file at
    ``path``."""
    for part_id in _layout(assignment).image_parts:
        answer = sub.answers.get(part_id)
        if answer is None:
            continue
        target = image_path(answer.node)
        if target is None or not names_a_file(target):
            continue  # nothing, or the sketch described in words: graded as such
        folder = path.parent  # only here: most files name no image
        shown = target if len(target) <= 80 else target[:79] + "…"
        problem = image_problem(folder, target)
        if problem is not None:
            copy = _upload_copy(folder, path.name, target)
            if copy is not None:
                target, problem = copy, image_problem(folder, copy)
        if problem is None:
            try:
                sub.attachments[part_id] = read_attachment(os.path.join(folder, target))
                continue
            except AttachmentError as error:
                problem = str(error)
            except OSError:  # gone or changed since it was looked at
                problem = "cannot be read"
        message = f"image file {shown!r} {problem}"
        named = _IMAGE_WORD.findall(target)
        if len(target.split()) > 1 and len(named) == 1:  # "see attached roofline.png"
            message += f": write only the file's name: {{image: {named[0][:80]}}}"
        sub.problems.append(Problem(message, answer.line, part_id))


def _upload_copy(folder: Path, answer_file: str, name: str) -> str | None:
    """The LMS's copy of the image ``name`` of the same upload as ``answer_file``, renamed with
    the uploader's prefix (:func:`grader.input.identity.upload_copy_pattern`); None when
    there is none, or more than one (which would be a guess)."""
    pattern = upload_copy_pattern(answer_file, name)
    found = names_matching(folder, pattern) if pattern is not None else []
    return found[0] if len(found) == 1 else None


# A word of an answer that names an image file (the sketch named inside a sentence).
_IMAGE_WORD = re.compile(
    r"[^\s'\"()]+\.(?:png|jpe?g|gif|svg|pdf|webp|bmp|tiff?|heic)\b", re.IGNORECASE
)
_IMAGE_NAME = re.compile(
    r"[^\n]{1,255}\.(?:png|jpe?g|gif|svg|pdf|webp|bmp|tiff?|heic)", re.IGNORECASE
)


def names_a_file(text: str) -> bool:
    """Whether an image answer names a file (``q3.png``, ``my sketch.jpg``, ``plots/q3``)
    rather than describing the sketch in words (``a log-log plot with the ridge at 250``)."""
    text = text.strip()
    return bool(_IMAGE_NAME.fullmatch(text)) or (bool(text) and len(text.split()) == 1)


def image_path(node: Node) -> str | None:
    """The image path of an image answer (``q3.png`` or ``{image: q3.png}``), if any."""
    if isinstance(node.value, str):
        return node.value.strip() or None
    if isinstance(node.value, dict) and "image" in node.value:
        return _text(node.value["image"]) or None
    return None
