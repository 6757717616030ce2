"""The autograder zip for Gradescope: ``setup.sh``, ``run_autograder`` and the grader as a wheel.

Built from a source checkout (the zip carries a wheel built from it, so that Gradescope installs
exactly the grader the course tested). ``setup.sh`` finds or installs Python 3.11 or newer and
installs the wheel into a virtual environment of its own; ``run_autograder`` grades the upload
and always leaves a ``results.json``. Both honour ``AUTOGRADER_ROOT`` and ``GRADER_VENV``, so
that the zip can be tried outside Gradescope (the tests do, in a fresh virtual environment).
"""

from __future__ import annotations

import shlex
import stat
import subprocess
import sys
import tempfile
import zipfile
from importlib import resources
from pathlib import Path

from grader.errors import UsageError

# A zip entry's Unix file type and mode live in the high bits of its external_attr.
EXECUTABLE = (stat.S_IFREG | 0o755) << 16
READABLE = (stat.S_IFREG | 0o644) << 16
WHEEL_TIMEOUT_SECONDS = 300
SHEET_FOLDER = "sheet"  # a sheet of the course's own, beside the wheel in the zip
SHEET_FILE = "sheet.yaml"


def project_root() -> Path:
    """The source checkout the running grader comes from.

    Raises:
        UsageError: the grader is installed from a wheel, with no checkout to build from.
    """
    root = Path(__file__).resolve().parents[2]  # grader/run/ -> the checkout
    if not (root / "pyproject.toml").is_file():
        raise UsageError(
            "--make-zip builds the grader from its source checkout; run it from a clone of "
            "the repository (pip install -e .)"
        )
    return root


def make_autograder_zip(target: Path, assignment: str | None = None) -> list[str]:
    """Write the autograder zip to ``target``; returns the names in it.

    Args:
        assignment: the ``--assignment`` the autograder grades with: an installed sheet's id,
            or the path of a sheet folder (or its ``sheet.yaml``), whose files are put into
            the zip.

    Raises:
        UsageError: no source checkout, the wheel cannot be built, or the sheet's files
            cannot be read.
    """
    root = project_root()
    options: list[str] = []
    extra: dict[str, bytes] = {}
    if assignment:
        path = Path(assignment)
        if path.exists():
            extra = {f"{SHEET_FOLDER}/{name}": data for name, data in _sheet_files(path).items()}
            sheet = SHEET_FILE if path.is_dir() else path.name
            options = ["--assignment", f'"$ROOT/source/{SHEET_FOLDER}/{sheet}"']
        else:
            options = ["--assignment", shlex.quote(assignment)]
    with tempfile.TemporaryDirectory() as scratch:
        wheel = _build_wheel(root, Path(scratch))
        setup = _text("setup.sh").replace("__WHEEL__", wheel.name)
        run = _text("run_autograder").replace("__OPTIONS__", " ".join(options))
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            _add(archive, "setup.sh", setup.encode(), executable=True)
            _add(archive, "run_autograder", run.encode(), executable=True)
            _add(archive, wheel.name, wheel.read_bytes())
            for name, data in extra.items():
                _add(archive, name, data)
            return archive.namelist()


def _sheet_files(path: Path) -> dict[str, bytes]:
    """A sheet folder's own files (the sheet, its solver and any module beside it, its
    questions); not its samples.

    Raises:
        UsageError: a file cannot be read.
    """
    folder = path if path.is_dir() else path.parent
    names = sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.is_file() and entry.suffix in (".yaml", ".yml", ".py", ".md")
    )
    if path.is_file() and path.name not in names:
        names.append(path.name)
    files = {}
    for name in names:
        try:
            files[name] = (folder / name).read_bytes()
        except OSError as error:
            raise UsageError(f"cannot read {folder / name}: {error.strerror}") from None
    return files


def _text(name: str) -> str:
    return (resources.files("grader.run") / "templates" / "gradescope" / name).read_text("utf-8")


def _add(archive: zipfile.ZipFile, name: str, data: bytes, *, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix: the mode bits mean what they say
    info.external_attr = EXECUTABLE if executable else READABLE
    archive.writestr(info, data)


def _build_wheel(root: Path, folder: Path) -> Path:
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(folder)]
    try:
        subprocess.run(
            [*command, str(root)],
            check=True,
            capture_output=True,
            text=True,
            timeout=WHEEL_TIMEOUT_SECONDS,
        )
    except (OSError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", "") or str(error)
        raise UsageError(f"cannot build the grader's wheel: {detail.strip()[-500:]}") from None
    wheels = sorted(folder.glob("*.whl"))
    if len(wheels) != 1:
        raise UsageError(f"building the wheel gave {len(wheels)} files, not one")
    return wheels[0]
