"""Each sample answer file of each bundled sheet gives its golden result
(``tests/golden/<sheet folder>/<sample>.json``).

The golden files hold the complete result (the format of `results/<id>.json`, for staff), read
and checked by hand against the sheet; they pin the whole result (statuses, credit, mistakes,
feedback, lines) so that any change in grading shows up as a reviewable diff. Regenerate after
an intended change with `UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py` and review
`git diff tests/golden`. Independent assertions on what each sample shows are in
`test_samples.py` and `test_llm_inference_samples.py`.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import pytest

from grader.run.pipeline import grade_file
from grader.sheets.expectations import Expectations, build_expectations
from grader.sheets.library import load_assignment

ROOT = Path(__file__).resolve().parent.parent
SHEETS = sorted(p.parent for p in (ROOT / "sheets").glob("*/sheet.yaml"))
SAMPLES = sorted(
    sample
    for sheet in SHEETS
    for sample in (sheet / "samples").iterdir()
    if sample.suffix in (".yaml", ".json")
)
GOLDEN = ROOT / "tests" / "golden"


@functools.cache
def expectations_of(sheet: Path) -> Expectations:
    return build_expectations(load_assignment(sheet))


def golden_payload(sample: Path) -> dict[str, object]:
    result = grade_file(sample.relative_to(ROOT), expectations_of(sample.parent.parent)).result
    payload: dict[str, object] = json.loads(result.model_dump_json(exclude={"file"}))
    return payload


def golden_of(sample: Path) -> Path:
    return GOLDEN / sample.parent.parent.name / f"{sample.name}.json"


@pytest.mark.parametrize(
    "sample", SAMPLES, ids=[f"{p.parent.parent.name}/{p.name}" for p in SAMPLES]
)
def test_sample_gives_golden_result(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    actual = golden_payload(sample)
    golden = golden_of(sample)
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert actual == json.loads(golden.read_text("utf-8"))


def test_every_sample_has_a_golden_file_and_every_golden_file_a_sample() -> None:
    assert len(SHEETS) >= 2
    goldens = {p for sheet in SHEETS for p in (GOLDEN / sheet.name).glob("*.json")}
    assert goldens == {golden_of(sample) for sample in SAMPLES}
