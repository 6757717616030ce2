"""Running the console script as users do: in a subprocess, or as an unprivileged user.

Root reads every file whatever its permission bits, so the cases about unreadable files and
read-only folders run the grader as the user ``nobody``. The interpreter may live where that
user cannot read (a version manager's folder under /root), so the grader is not started anew:
a forked child of this process drops its privileges and calls the console script's ``main``,
with every module it needs already imported. Where that cannot work, :func:`unprivileged`
says why, and the tests that need it are skipped with that reason.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

from bounds import time_bound

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sheets" / "roofline_1" / "samples"
NOBODY = 65534


def grader(
    *args: str, cwd: Path | None = None, stdin: int | None = None, seconds: float = 60
) -> tuple[int, str]:
    """Run ``python -m grader ARGS``; the exit code and stdout + stderr. A run over
    ``time_bound(seconds)`` fails the test."""
    done = subprocess.run(
        [sys.executable, "-m", "grader", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        errors="replace",
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
        timeout=time_bound(seconds),
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def as_nobody(*args: str, cwd: Path) -> tuple[int, str]:
    """Run the console script's ``main(ARGS)`` as ``nobody`` (or as this user when it is not
    root) in a forked child; the exit code and its output."""
    _preload()
    output = tempfile.TemporaryFile()  # noqa: SIM115 (both processes use it; closed below)
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code: object = 99
        try:
            os.dup2(output.fileno(), 1)
            os.dup2(output.fileno(), 2)
            sys.stdout = sys.stderr = io.TextIOWrapper(open(1, "wb", closefd=False), "utf-8")  # noqa: SIM115
            os.chdir(cwd)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            os.environ["HOME"] = os.environ["MPLCONFIGDIR"] = str(cwd)
            from grader.cli import main

            main([*args], prog_name="grader")
        except SystemExit as stop:
            code = stop.code
        except BaseException:
            traceback.print_exc()
        finally:
            with contextlib.suppress(BaseException):
                sys.stdout.flush()
            os._exit(code if isinstance(code, int) else (0 if code is None else 1))
    status = _wait(pid, time_bound(60))
    with output:
        output.seek(0)
        return os.waitstatus_to_exitcode(status), output.read().decode("utf-8", "replace")


def _wait(pid: int, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    return os.waitpid(pid, 0)[1]


@functools.cache
def _preload() -> None:
    """Run each command once here, so that everything a run imports or looks up (modules,
    codecs, templates) is loaded before the child may no longer read the interpreter's or the
    project's files."""
    import concurrent.futures.process  # noqa: F401
    import multiprocessing.connection  # noqa: F401

    from click.testing import CliRunner

    from grader.cli import main

    runner = CliRunner()
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / "out")
        runner.invoke(main, ["grade", str(SAMPLES), "--out", out, "--no-reports", "--jobs", "2"])
        runner.invoke(main, ["validate", str(SAMPLES)])
        runner.invoke(main, ["check", str(SAMPLES / "perfect.yaml")])
        results = str(Path(folder) / "results.json")
        runner.invoke(main, ["gradescope", "--submission", str(SAMPLES), "--results", results])


@contextlib.contextmanager
def shared_folder() -> Iterator[Path]:
    """A temporary folder that ``nobody`` can enter and write (pytest's are private)."""
    folder = Path(tempfile.mkdtemp(prefix="grader-test-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            with contextlib.suppress(OSError):
                if not path.is_symlink():
                    path.chmod(0o777)
        shutil.rmtree(folder, ignore_errors=True)


@functools.cache
def unprivileged() -> str | None:
    """Why the unprivileged cases cannot run here (None: they can)."""
    if not hasattr(os, "fork") or not hasattr(os, "setuid"):
        return "needs fork and setuid (POSIX)"
    with shared_folder() as folder:
        klass = folder / "class"
        klass.mkdir()
        shutil.copy(SAMPLES / "perfect.yaml", klass / "s1.yaml")
        (klass / "s1.yaml").chmod(0o644)
        klass.chmod(0o777)
        secret = klass / "secret.yaml"
        secret.write_text("x", "utf-8")
        secret.chmod(0o600)
        code, output = as_nobody("grade", "class", "--out", "out", "--no-reports", cwd=folder)
        if code not in (0, 1) or "1 graded" not in output:
            return f"the grader does not run as an unprivileged user here: {output[-300:]}"
        if "permission denied" not in (folder / "out" / "gradebook.csv").read_text("utf-8").lower():
            return "dropping privileges did not make a private file unreadable"
    return None
