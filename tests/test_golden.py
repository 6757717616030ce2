"""Each sample answer file gives its golden result (tests/golden/<sample>.json).

The golden files hold the complete result (the format of `results/<id>.json`, for staff), read
and checked by hand against the sheet; they pin the whole result (statuses, credit, mistakes,
feedback, lines) so that any change in grading shows up as a reviewable diff. Regenerate after
an intended change with `UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py` and review
`git diff tests/golden`. Independent assertions on what each sample shows are in
`test_samples.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from grader.run.pipeline import grade_file
from grader.sheets.expectations import Expectations

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p for p in (ROOT / "submissions").iterdir() if p.suffix in (".yaml", ".json"))
GOLDEN = ROOT / "tests" / "golden"


def golden_payload(sample: Path, expectations: Expectations) -> dict[str, object]:
    result = grade_file(sample.relative_to(ROOT), expectations).result
    payload: dict[str, object] = json.loads(result.model_dump_json(exclude={"file"}))
    return payload


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_gives_golden_result(
    sample: Path, expectations: Expectations, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    actual = golden_payload(sample, expectations)
    golden = GOLDEN / f"{sample.name}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert actual == json.loads(golden.read_text("utf-8"))


def test_every_sample_has_a_golden_file() -> None:
    goldens = {p.name.removesuffix(".json") for p in GOLDEN.glob("*.json")}
    assert goldens == {p.name for p in SAMPLES}
