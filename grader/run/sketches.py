"""Checked copies of the sketches students submitted, for the TA's review page.

Only the bytes of a real PNG, JPEG, GIF or WebP image (checked by content, size-capped when
read, see :mod:`grader.attachments`) are copied, under a name made from their digest: never a
file from outside the student's submission, never the student's own file name, and the same
sketch handed in twice is one file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from grader.input.attachments import (
    CHECKED_COPY,
    MAX_ATTACHMENT_BYTES,
    Attachment,
    image_kind,
    sketch_file,
)
from grader.input.bounded_read import read_regular_file
from grader.input.fingerprint import content_digest
from grader.results import SubmissionResult
from grader.run.atomic import write_bytes_atomic


def write_sketches(
    out_dir: Path, result: SubmissionResult, attachments: Mapping[str, Attachment]
) -> None:
    """Copy a graded file's checked sketch images into ``out_dir/sketches/`` (once each)."""
    if result.status != "graded":
        return
    for attachment in attachments.values():
        relative = sketch_file(attachment)
        if relative is None or attachment.data is None:
            continue
        target = os.path.join(out_dir, relative)
        if not os.path.exists(target):
            write_bytes_atomic(target, attachment.data, durable=False)


def own_sketches(out_dir: Path, result: SubmissionResult) -> dict[str, Attachment]:
    """A student's sketches by part id, read back from the checked copies in ``out_dir`` (for
    their own report): only copies named as :data:`CHECKED_COPY`, not through a link, within
    the size limit, and still an image by content."""
    found: dict[str, Attachment] = {}
    for part in result.parts:
        name = part.attachment
        if not name or not CHECKED_COPY.fullmatch(name):
            continue
        try:
            data = read_regular_file(
                os.path.join(out_dir, name), MAX_ATTACHMENT_BYTES + 1, follow_links=False
            )
        except OSError:
            continue  # not written (an unreadable folder): the report shows none
        kind = image_kind(data) if data and len(data) <= MAX_ATTACHMENT_BYTES else None
        if data is not None and kind is not None:
            found[part.id] = Attachment(content_digest(data), kind, data)
    return found
