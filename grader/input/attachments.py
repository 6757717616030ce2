"""Files an answer names (a sketch of a roofline): read once, bounded, checked by content.

Grading needs only to know that the file is there and what it holds (its digest binds a TA's
decision to this very sketch); the review page and the student's report show it, but only
when its bytes are really a PNG, JPEG, GIF or WebP image: the name and the student's word for
it are never trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from grader.input.bounded_read import read_regular_file
from grader.input.fingerprint import content_digest

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
"""A phone photo of a sketch is a few MB; anything larger is refused, unread."""

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
SKETCH_FOLDER = "sketches"
"""Where checked copies of sketches go, in the output folder (see :mod:`grader.run.sketches`)."""
MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


@dataclass(frozen=True)
class Attachment:
    """A file an answer names: its digest, and its bytes when they are an image we show.

    Attributes:
        digest: of the whole content.
        kind: ``png``, ``jpeg``, ``gif`` or ``webp`` when the bytes are such an image
            (by their signature), else None.
        data: the bytes when ``kind`` is set (to copy or embed), else None.
    """

    digest: str
    kind: str | None
    data: bytes | None

    @property
    def file_name(self) -> str | None:
        """The name a checked copy is written under: its digest and its real kind."""
        return (
            f"{self.digest[:32]}.{'jpg' if self.kind == 'jpeg' else self.kind}"
            if self.kind
            else None
        )


class AttachmentError(Exception):
    """The file cannot be used (too large, not a regular file, unreadable)."""


def image_kind(data: bytes) -> str | None:
    """The image format the bytes start with (PNG, JPEG, GIF, WebP), else None.

    >>> image_kind(b"\\x89PNG\\r\\n\\x1a\\n...."), image_kind(b"RIFF\\0\\0\\0\\0WEBPVP8 ")
    ('png', 'webp')
    >>> image_kind(b"%PDF-1.7"), image_kind(b"GIF89a")
    (None, 'gif')
    """
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def read_attachment(path: str | Path) -> Attachment:
    """Read a file an answer names.

    Raises:
        AttachmentError: it is not a regular file, larger than the limit, or unreadable.
        OSError: from the file system (the caller turns it into the student's problem).
    """
    data = read_regular_file(path, MAX_ATTACHMENT_BYTES + 1)
    if data is None:
        raise AttachmentError("is not a regular file")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentError(f"is larger than {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MiB")
    kind = image_kind(data)
    return Attachment(content_digest(data), kind, data if kind else None)


CHECKED_COPY = re.compile(rf"{SKETCH_FOLDER}/[0-9a-f]{{32}}\.(?:png|jpg|gif|webp)")
"""The name of a checked copy (see :func:`sketch_file`): results may be read back from disk,
so only a name of this shape is ever opened or linked."""


def sketch_file(attachment: Attachment) -> str | None:
    """Where the copy of a sketch is, relative to the output folder (None: not shown)."""
    name = attachment.file_name
    return f"{SKETCH_FOLDER}/{name}" if name else None
