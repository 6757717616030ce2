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

from grader.input.attachments import Attachment, sketch_file
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
