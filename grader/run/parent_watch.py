"""Helper processes that end when the process that started them dies.

A grading process waits for work on a pipe that it holds open itself (it was forked with both
ends), so when the main process is killed with SIGKILL nothing tells it to stop: it would
wait, or grade on, for minutes. On Linux the kernel can send it a signal when its parent dies
(``prctl(PR_SET_PDEATHSIG)``); the parent may also have died before that was asked, which the
process then sees at once (it is no longer its parent's child, and the parent is gone).
Elsewhere this does nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def end_with_parent(parent_pid: int) -> None:
    """Have this process receive SIGTERM when its parent dies (Linux), and end it now if the
    process ``parent_pid`` that started it is already gone."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError, ImportError):
        import ctypes  # here: only grading processes need it

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent_pid and not _alive(parent_pid):
        os._exit(1)  # orphaned before the signal was asked for: nobody waits for this work


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (a process started by another way, such as a fork
    server, has another parent while the one that asked for it lives)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
