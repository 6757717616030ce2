"""Time bounds for tests that guard against runaway work (a hang, an exponential parser).

Such a test must fail for a parser that takes minutes, never for a loaded CI machine that
happens to be slow: every bound is the seconds a test names (what the operation takes at most
on an idle developer machine, with room) times ``SLACK``. Speed itself is measured by the
benchmark (``benchmarks/bench.py``), not by tests.
"""

from __future__ import annotations

import os

SLACK = float(os.environ.get("GRADER_TEST_TIME_SLACK", "10"))


def time_bound(seconds: float) -> float:
    """The wall-clock bound a test asserts for an operation named to take ``seconds``."""
    return seconds * SLACK
