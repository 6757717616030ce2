"""The progress bar of a class run, on an interactive terminal only."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

import click


class ProgressBar:
    """A progress bar on an interactive terminal, once the files are counted; nothing when
    output is piped or in CI, or for a handful of files."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._stack = contextlib.ExitStack()

    def start(self, total: int) -> None:
        if sys.stderr.isatty() and total >= 20:
            bar = click.progressbar(length=total, label="grading", file=sys.stderr)
            self._bar = self._stack.enter_context(bar)

    def advance(self, files: int) -> None:
        if self._bar is not None:
            self._bar.update(files)

    def close(self) -> None:
        self._stack.close()


@contextlib.contextmanager
def progress_bar() -> Iterator[ProgressBar]:
    bar = ProgressBar()
    try:
        yield bar
    finally:
        bar.close()
