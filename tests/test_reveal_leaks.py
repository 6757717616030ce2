"""No student output gives away what its reveal level keeps back.

For each level, every output a student sees (``grader check`` text and JSON, the feedback report
in HTML with its plot and in Markdown, Gradescope's ``results.json``) of the bundled samples and
of answer files made to reach every feedback the grader writes is searched, as rendered text,
for the expected values (in any common notation) and formulas of every part (``tests/leaks.py``);
what the student wrote is theirs to see and is not searched for. The search is checked first on
a table of spellings, and on the answers level, where it must find what is shown.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from leaks import (
    Own,
    html_text,
    json_text,
    leaks,
    markdown_text,
    own_of,
)

from grader.cli import main
from grader.reports.check_view import result_table
from grader.reports.reveal import student_view, view_json
from grader.results import PartResult, Status, SubmissionResult
from grader.run.gradescope import results_document
from grader.run.pipeline import Graded, grade_file
from grader.sheets.assignment import (
    REVEAL_LEVELS,
    LevelledText,
    RevealLevel,
)
from grader.sheets.expectations import Expectations, build_expectations
from grader.sheets.library import bundled_assignment_ids, load_assignment
from grader.sheets.mistakes import GENERIC_TRANSFORMS
from grader.sheets.solving import given_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sheets" / "roofline_1" / "samples"
SHEET = ROOT / "sheets" / "roofline_1" / "sheet.yaml"


# ------------------------------------------------------------------------ the search itself

FOUND = [
    # (text, what of the bundled sheet it gives away)
    ("250", "q3.a"),
    ("250.0", "q3.a"),
    ("2.5e2", "q3.a"),
    ("2.5E+02", "q3.a"),
    ("2.5·10^2", "q3.a"),
    ("2.5 × 10²", "q3.a"),
    ("1,806,336", "q1.b"),
    ("1 806 336", "q1.b"),
    ("1806336 FLOP", "q1.b"),
    ("1.8M", "q1.b"),
    ("1.81e6", "q1.b"),
    ("about 1.8 MFLOP", "q1.b"),
    ("1.8 million FLOPs", "q1.b"),
    ("3.33", "q4.a"),
    ("3.3333 FLOP/byte", "q4.a"),
    ("3,33", "q4.a"),
    ("10/3", "q4.a"),
    ("785.1 KiB", "q5.conv.bytes"),
    ("2.25", "q5.conv.intensity"),
    ("4,100 exps", "q2.c"),
    ("2.1k scores", "q2.d.causal_scores"),
    ("the L x L scores", "q2.d.full_scores"),
    ("L(L+1)/2", "q2.d.causal_scores"),
    ("L × (L + 1) / 2 scores", "q2.d.causal_scores"),
    ("L*(L+1)/2", "q2.d.causal_scores"),
    ("peak (FLOP/s) / bandwidth (byte/s)", "q3.a"),
    ("2 x H x W x K x K x C", "q1.b"),
    ("2·K²·H·W·C", "q1.b"),
    ("C x K x K.", "q1.a"),
    ("which gives 2 x 56 x 56 x 3 x 3 x 32.", "q1.b"),
    ("3 x 2 x L x d x d", "q2.b.qkv_projections"),
    ("still quadratic in L", "q2.d.causal_complexity"),
    ("O(L²)", "q2.d.full_complexity"),
    ("Θ(L^2)", "q2.d.causal_complexity"),
]
NOT_FOUND = [
    "2",
    "4000",
    "1,000",
    "0.1",
    "a factor 2",
    "within 5%",
    "q3.a (line 7)",
    "32 × 56 × 56 elements",
    "a 3 x 3 filter per channel",
    "2K²-1 operations per output",
    "L x d multiplies",
    "each fp32 element is 4 bytes",
    "max, sub, exp",
    "peak 200 TFLOP/s",
    "PIM 6,000 GB/s",
    "O(L)",
    "2 x 9 per output",
]


@pytest.mark.parametrize(("text", "part_id"), FOUND)
def test_the_search_finds_every_common_spelling(
    expectations: Expectations, text: str, part_id: str
) -> None:
    found = leaks(text, expectations)
    assert any(line.startswith(f"{part_id}:") for line in found), found


@pytest.mark.parametrize("text", NOT_FOUND)
def test_the_search_leaves_other_numbers_alone(expectations: Expectations, text: str) -> None:
    assert leaks(text, expectations) == []


def test_what_the_student_wrote_is_theirs(expectations: Expectations) -> None:
    own = Own(numbers=[250.0], texts=["L*(L+1)/2"])
    assert leaks("you wrote 250 and L(L+1)/2", expectations, own) == []
    assert leaks("you wrote 250, the answer is 3.33", expectations, own) != []


# ------------------------------------------------------------ the feedback texts of the sheet


def sheet_texts(exp: Expectations) -> Iterator[tuple[str, str, str | LevelledText]]:
    """(where, level shown at, text) of every feedback text the sheet and the grader's tables
    hold: alternatives, mistake feedback, generic mistakes."""
    for part in exp.assignment.parts:
        for alternative in part.alternatives:
            yield f"{part.id} {alternative.name}", part.id, alternative.feedback
        for chosen, text in part.mistake_feedback.items():
            yield f"{part.id} {chosen}", part.id, text
    for name, transform in GENERIC_TRANSFORMS.items():
        text = transform.feedback
        shown = text if transform.hint is None else LevelledText(hint=transform.hint, answer=text)
        yield f"generic {name}", "", shown


@pytest.mark.parametrize("sheet", bundled_assignment_ids())
def test_no_feedback_text_shown_under_feedback_gives_an_answer_away(sheet: str) -> None:
    """Every text a bundled sheet shows under ``reveal: feedback`` (a hint, or a text written
    once for both levels) is free of every part's expected value and formula; and a text is
    written per level only where its whole form does give something away."""
    expectations = build_expectations(load_assignment(sheet))
    public = given_numbers(expectations)  # the question sheet prints them
    for where, _part_id, text in sheet_texts(expectations):
        hint = text.hint if isinstance(text, LevelledText) else text
        assert leaks(hint, expectations, structural=public) == [], where
        if isinstance(text, LevelledText):
            assert leaks(text.answer, expectations, structural=public) != [], (
                f"{where}: nothing to hide"
            )


def given_numbers(exp: Expectations) -> list[float]:
    """The givens' numbers as the question sheet writes them (``16`` for b, ``2,039`` for
    ``2,039 GB/s``)."""
    numbers = []
    for name in exp.givens:
        written = given_text(exp.assignment, exp.givens, name).split()[0].replace(",", "")
        with contextlib.suppress(ValueError):
            numbers.append(float(written))
    return numbers


# ------------------------------------------------------------ answer files that reach it all


def crafted_answers(exp: Expectations) -> list[dict[str, object]]:
    """Answer sets (part id -> answer) that between them reach every feedback the grader
    writes: every alternative and generic mistake of every numeric part, close and far
    answers, arithmetic slips, carried-forward verdicts with and without the student's own
    turning point, wrong growth classes, per-row softmax counts, text for the rubric."""
    variants: dict[str, list[object]] = {}
    for part in exp.assignment.parts:
        if not part.is_numeric:
            continue
        expected = float(exp.expected(part.id))  # type: ignore[arg-type]
        values = [c.value for c in exp.alternatives[part.id] if isinstance(c.value, int | float)]
        for mistake in exp.assignment.grading.generic_mistakes:
            values += GENERIC_TRANSFORMS[mistake.name].candidates(expected)[:1]
        values += [expected * 1.02, expected * 1.37, expected * 0.3, expected * 12.5]
        texts: list[object] = [repr(float(v)) for v in values]
        substitution = exp.solution.step(part.id).substitution
        if re.fullmatch(r"[\d ×+()/.]+", substitution):  # the right expression, a wrong result
            texts.append(f"{substitution} = {expected * 1.5:.6g}")
        variants[part.id] = texts
    files = [
        {pid: options[k] for pid, options in variants.items() if k < len(options)}
        for k in range(max(map(len, variants.values())))
    ]
    files += [
        {  # own wrong intensity, no turning point: the reference's stands in, unnamed
            "q5.conv.intensity": "300",
            "q5.conv.gpu": "compute-bound",
            "q5.conv.pim": "compute-bound",
            "q5.qkv.intensity": "0.5",
            "q5.qkv.gpu": "memory-bound",
            "q5.qkv.pim": "memory-bound",
            "q2.c": {"exp": "64", "add": "63", "div": "64", "max": "63", "sub": "64"},
            "q2.d.causal_complexity": "O(L)",
            "q2.d.full_complexity": "O(L^3)",
            "q5.explanation": "Below the turning point it is memory-bound.",
            "q6.advantages": ["parallel training", "hardware efficiency on GPUs"],
        },
        {  # own turning points, the intensities left out
            "q3.a": "4",
            "q4.a": "0.3",
            "q5.conv.gpu": "compute-bound",
            "q5.qkv.pim": "memory-bound",
            "q2.c": {"exp": "4000", "add": "4032", "div": "4096"},
            "q2.d.causal_complexity": "O(1)",
            "q3.b": {"image": "q3-sketch.png"},
        },
    ]
    return files


@dataclass(frozen=True)
class Outputs:
    """Everything a student sees of one answer file at one level, as rendered text."""

    check: str
    check_json: str
    html: str
    markdown: str
    gradescope: str

    @functools.cached_property
    def searched(self) -> dict[str, str]:
        """Each output's text as a reader sees it (markup and escapes undone)."""
        return {
            "check": self.check,
            "check --json": json_text(self.check_json),
            "HTML": html_text(self.html),
            "Markdown": markdown_text(self.markdown),
            "Gradescope": json_text(self.gradescope),
        }


@dataclass(frozen=True)
class Run:
    """One level's grading of the class: each file's complete result and its outputs."""

    level: RevealLevel
    exp: Expectations
    graded: dict[str, Graded]
    outputs: dict[str, Outputs]


def make_class(folder: Path, exp: Expectations) -> Path:
    folder.mkdir()
    for sample in SAMPLES.iterdir():
        shutil.copy(sample, folder / sample.name)
    for index, answers in enumerate(crafted_answers(exp)):
        document = {"assignment": "roofline-1", "student": {"id": f"c{index:02d}"}}
        (folder / f"c{index:02d}.json").write_text(json.dumps({**document, "answers": answers}))
    return folder


def run_level(klass: Path, out: Path, level: RevealLevel, exp: Expectations) -> Run:
    """Grade the class with ``grader grade --reveal LEVEL`` (the reports), and render what
    ``grader check`` and ``grader gradescope`` print for each file at that level (the same
    functions the commands call, with the sheet solved once)."""
    result = CliRunner().invoke(main, ["grade", str(klass), "--out", str(out), "--reveal", level])
    assert result.exit_code == 0, result.output
    at_level = replace(exp, assignment=exp.assignment.model_copy(update={"reveal": level}))
    graded: dict[str, Graded] = {}
    outputs: dict[str, Outputs] = {}
    for path in sorted(klass.iterdir()):
        if path.suffix not in (".yaml", ".json"):
            continue
        done = grade_file(path, at_level)
        student = done.result.student.id
        view = student_view(done.result, at_level)
        graded[student] = done
        outputs[student] = Outputs(
            check=result_table(view, done.submission),
            check_json=view_json(view),
            html=(out / "feedback" / f"{student}.html").read_text("utf-8"),
            markdown=(out / "feedback" / f"{student}.md").read_text("utf-8"),
            gradescope=json.dumps(results_document(done.result, at_level), ensure_ascii=False),
        )
    return Run(level, at_level, graded, outputs)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    exp = build_expectations(load_assignment("roofline-1"))
    base = tmp_path_factory.mktemp("reveal")
    klass = make_class(base / "class", exp)
    return {level: run_level(klass, base / level, level, exp) for level in REVEAL_LEVELS}


def structural(result: SubmissionResult) -> list[float]:
    """Numbers every level shows: score, points, lines, counts, question numbers."""
    numbers = [result.score, result.max_score, result.pending_review, len(result.parts)]
    questions: dict[str, list[float]] = {}
    for part in result.parts:
        numbers += [part.points, part.max_points, part.credit, float(part.line or 0)]
        group = questions.setdefault(part.id.split(".")[0], [0.0, 0.0, 0.0])
        group[0] += part.points
        group[1] += part.max_points
        group[2] += part.max_points if part.status is Status.NEEDS_REVIEW else 0.0
    numbers += [v for group in questions.values() for v in group]
    numbers += [float(q.removeprefix("q")) for q in questions]
    numbers += [float(sum(p.status is s for p in result.parts)) for s in Status]
    return numbers


@pytest.mark.parametrize("level", ["none", "feedback"])
def test_no_output_gives_away_what_its_level_keeps_back(
    runs: dict[str, Run], level: RevealLevel
) -> None:
    run = runs[level]
    found = []
    for student, outputs in run.outputs.items():
        result = run.graded[student].result
        own = own_of(result, run.exp)
        for name, text in outputs.searched.items():
            for leak in leaks(text, run.exp, own, structural=structural(result)):
                found.append(f"{student} {name}: {leak}")
    assert found == []


def test_the_crafted_files_reach_every_kind_of_feedback(runs: dict[str, Run]) -> None:
    """The search above has met every alternative of the sheet and every feedback the grader
    builds in code (otherwise it proves nothing about them)."""
    run = runs["feedback"]
    mistakes = {p.mistake for done in run.graded.values() for p in done.result.parts}
    alternatives = {a.name for part in run.exp.assignment.parts for a in part.alternatives}
    built = {"close", "arithmetic_slip", "carried_forward", "wrong_side_of_ridge"}
    built |= {"wrong_growth_class", "operation_counts", "swapped_with_prefix", "doubled"}
    assert alternatives | built <= mistakes
    hints = [p.hint for done in run.graded.values() for p in done.result.parts if p.hint]
    assert any("this device's turning point" in hint for hint in hints)  # reference unnamed
    assert any(p.status is Status.INCORRECT and p.mistake is None for p in _parts(run))


def _parts(run: Run) -> list[PartResult]:
    return [p for done in run.graded.values() for p in done.result.parts]


def test_none_shows_no_explanation_at_all(runs: dict[str, Run]) -> None:
    run = runs["none"]
    for student, outputs in run.outputs.items():
        result = run.graded[student].result
        own = own_of(result, run.exp)
        texts = {t for p in result.parts for t in (p.feedback, p.hint, p.review) if t}
        hidden = [t for t in texts if len(t) > 15 and not any(t in mine for mine in own.texts)]
        for name, text in outputs.searched.items():
            assert not [t for t in hidden if t in text], (student, name)
            assert "expected" not in text.lower(), (student, name)
        assert "<svg" not in outputs.html


def test_feedback_shows_no_rubric_item(runs: dict[str, Run]) -> None:
    run = runs["feedback"]
    items = [
        item if isinstance(item, str) else item.item
        for part in run.exp.assignment.parts
        for item in part.rubric
    ]
    for student, outputs in run.outputs.items():
        for name, text in outputs.searched.items():
            assert [item for item in items if item in text] == [], (student, name)
            assert "Not found" not in text and "Seems to cover" not in text, (student, name)


def test_feedback_shows_the_hints(runs: dict[str, Run]) -> None:
    run = runs["feedback"]
    shown = 0
    for student, outputs in run.outputs.items():
        for part in run.graded[student].result.parts:
            if part.hint is not None:
                assert part.hint in outputs.searched["check --json"]
                assert part.feedback not in outputs.searched["check --json"]
                shown += 1
    assert shown >= 10


def test_the_search_finds_what_the_answers_level_shows(runs: dict[str, Run]) -> None:
    """The control: on the answers level the same search over the same rendered outputs
    finds the expected values, so it would find them on the other levels too."""
    run = runs["answers"]
    outputs = run.outputs["s1000002"]  # macs-instead-of-flops.yaml: q1.b is 903,168
    result = run.graded["s1000002"].result
    own = own_of(result, run.exp)
    for name, text in outputs.searched.items():
        found = leaks(text, run.exp, own, structural=structural(result))
        assert any(line.startswith("q1.b: expected") for line in found), name
        assert any(line.startswith("q1.b: formula") for line in found), name
    plot = html_text(outputs.html)
    assert "GPU ridge" in plot and "250 FLOP/byte" in plot


# ---------------------------------------------------------------- a sheet with a near ridge


def test_a_verdict_accepted_near_the_ridge_names_no_reference_under_feedback(
    tmp_path: Path,
) -> None:
    """With the PIM ridge moved to within 5 % of the convolution's intensity, either verdict
    is accepted; the explanation names both numbers, the hint neither."""
    sheet = yaml.safe_load(SHEET.read_text("utf-8"))
    sheet["givens"]["pim.peak"]["value"] = "13.8 TFLOP/s"  # ridge 2.3, intensity 2.2468
    path = tmp_path / "near.yaml"
    path.write_text(yaml.safe_dump(sheet), "utf-8")
    shutil.copy(SHEET.parent / "solver.py", tmp_path / "solver.py")
    exp = build_expectations(load_assignment(path))
    answers = {"q5.conv.pim": "compute-bound", "q5.conv.gpu": "memory-bound"}
    document = {"assignment": "roofline-1", "student": {"id": "s1"}, "answers": answers}
    answer_file = tmp_path / "s1.json"
    answer_file.write_text(json.dumps(document), "utf-8")
    done = grade_file(answer_file, exp)
    pim = done.result.part("q5.conv.pim")
    assert pim.status is Status.CORRECT and "2.2468" in pim.feedback and "2.3" in pim.feedback
    own = own_of(done.result, exp)
    levels: tuple[RevealLevel, ...] = ("none", "feedback")
    for level in levels:
        view = student_view(done.result, exp, level)
        for text in (result_table(view, done.submission), json_text(view_json(view))):
            assert leaks(text, exp, own, structural=structural(done.result)) == []
    assert "2.2468" in view_json(student_view(done.result, exp, "answers"))
