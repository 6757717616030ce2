"""The autograder zip, tried as Gradescope would use it: unpacked into a fresh folder,
``setup.sh`` installing the grader into a new virtual environment (from the wheel in the zip
and the package index), ``run_autograder`` grading an upload into ``results.json``."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader.run.gradescope_zip import make_autograder_zip

SAMPLES = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"


def unpack(archive: Path, folder: Path) -> None:
    """Unzip keeping the Unix modes (as ``unzip`` does, and Python's zipfile does not)."""
    with zipfile.ZipFile(archive) as opened:
        for info in opened.infolist():
            target = folder / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(opened.read(info))
            mode = info.external_attr >> 16
            if mode:
                target.chmod(stat.S_IMODE(mode))


@pytest.mark.skipif(sys.platform == "win32", reason="Gradescope runs Linux")
def test_the_zip_installs_in_a_clean_environment_and_grades(tmp_path: Path) -> None:
    archive = tmp_path / "autograder.zip"
    names = make_autograder_zip(archive, str(SAMPLES.parent / "sheet.yaml"))
    assert names[:2] == ["setup.sh", "run_autograder"] and names[2].endswith(".whl")
    assert {"sheet/sheet.yaml", "sheet/solver.py", "sheet/questions.md"} <= set(names)
    assert not any("samples" in name for name in names)  # the sheet's own files only
    root = tmp_path / "autograder"
    for folder in ("source", "submission", "results"):
        (root / folder).mkdir(parents=True)
    unpack(archive, root / "source")
    for script in ("setup.sh", "run_autograder"):
        text = (root / "source" / script).read_text("utf-8")
        assert text.startswith("#!/usr/bin/env bash\n"), script
        assert os.access(root / "source" / script, os.X_OK), script
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "GRADER_VENV": str(tmp_path / "venv")}
    env.pop("VIRTUAL_ENV", None)
    setup = subprocess.run(
        ["bash", str(root / "source" / "setup.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert setup.returncode == 0, setup.stdout[-2000:] + setup.stderr[-2000:]
    assert "grader, version" in setup.stdout
    shutil.copy(SAMPLES / "macs-instead-of-flops.yaml", root / "submission" / "answers.yaml")
    graded = subprocess.run(
        [str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True
    )
    assert graded.returncode == 0, graded.stderr
    results = json.loads((root / "results" / "results.json").read_text("utf-8"))
    assert results["score"] == 18.0 and len(results["tests"]) == 27  # a test per part
    # Without the grader (the image broke), Gradescope still gets a results.json saying so.
    (root / "results" / "results.json").unlink()
    broken = {**env, "GRADER_VENV": str(tmp_path / "missing")}
    subprocess.run([str(root / "source" / "run_autograder")], env=broken, capture_output=True)
    fallback = json.loads((root / "results" / "results.json").read_text("utf-8"))
    assert fallback["score"] == 0 and "could not run" in fallback["output"]
