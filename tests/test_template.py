"""The answer template and the answer-file JSON Schema, against PyYAML, the grader and jsonschema.

The template must load to the nested answers with every part reachable and empty (so an
untouched file grades as missing everywhere), must not show this sheet's answers in its
examples, and the schema must accept exactly the files the grader reads without problems and
with no part left empty (tests/test_schema_agreement.py holds the choices and empty answers).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from grader.reports.template import (
    SCHEMA_DIALECT,
    answer_schema,
    answer_template,
    notation_examples,
)
from grader.results import Status
from grader.sheets.assignment import Assignment, Part
from grader.sheets.library import load_assignment

ASSIGNMENT = load_assignment("roofline-1")

SAMPLE = """\
assignment: roofline-1
student: {id: s1234567, name: Ada Lovelace}
answers:
  q1: {a: 3*3*32, b: 2 × 56 × 56 × 3 × 3 × 32}
  q2:
    a: 4*128^2
    b: {qkv_projections: 6291456, attention_scores: 2*L*L*d, scaling: 4096,
        value_aggregation: 1.05e6, output_projection: 2 MFLOP}
    c: {exp: 4096, add: 4032, div: 4096, max: 4032, sub: 4096}
    d: {full_scores: L^2, causal_scores: 64·65/2, full_complexity: O(L^2),
        causal_complexity: quadratic}
  q3: {a: 250 FLOP/byte, b: {image: q3-sketch.png}}
  q4: {a: 3.33, b: {image: q4-sketch.png}}
  q5:
    conv: {bytes: 785.1 KiB, intensity: "2,25", gpu: memory-bound, pim: memory bound}
    qkv: {bytes: 131072, intensity: 16, gpu: memory-bound, pim: compute-bound}
    explanation: The intensity is below the turning point of ...
  q6: {advantages: [parallel training, long-range dependencies]}
"""

# The sheet's numeric answers, in case the solver cannot be run here (see _expected_numbers).
SHEET_NUMBERS = (
    288,
    1806336,
    65536,
    6291456,
    1048576,
    4096,
    2097152,
    4032,
    2080,
    250,
    803968,
    131072,
)


def _flatten(
    mapping: Mapping[str, object], part_ids: tuple[str, ...], prefix: str = ""
) -> Iterator[tuple[str, object]]:
    """Dotted part ids and their values, read the way the grader reads nested keys."""
    for key, value in mapping.items():
        joined = f"{prefix}.{key}" if prefix else key
        if joined in part_ids or not isinstance(value, dict):
            yield joined, value
        else:
            yield from _flatten(value, part_ids, joined)


def _is_empty(value: object) -> bool:
    if isinstance(value, dict):
        return all(_is_empty(v) for v in value.values())
    if isinstance(value, list):
        return all(_is_empty(v) for v in value)
    return value is None or value == ""


def _expected_numbers() -> set[float]:
    """Every numeric answer of the sheet (solver if it runs here, else the sheet's list)."""
    numbers = {float(n) for n in SHEET_NUMBERS}
    from grader.sheets.solving import resolve_givens, solve_assignment

    for value in solve_assignment(ASSIGNMENT, resolve_givens(ASSIGNMENT)).answers.values():
        values = value.values() if isinstance(value, dict) else [value]
        numbers |= {float(v) for v in values if isinstance(v, int | float)}
    return numbers


def _spellings(number: float) -> set[str]:
    """How a leaked answer would look in text; two-digit integers (16) are too common to tell."""
    if number.is_integer():
        return {str(int(number))} if number >= 100 else set()
    return {f"{number:.2f}", f"{number:.3g}", f"{number:g}"}


# --- the template -------------------------------------------------------------------------


def test_first_line_points_editors_to_the_schema() -> None:
    assert answer_template(ASSIGNMENT).splitlines()[0] == (
        "# yaml-language-server: $schema=roofline-1.schema.json"
    )
    custom = answer_template(ASSIGNMENT, schema_url="https://example.org/s.json")
    assert custom.splitlines()[0] == "# yaml-language-server: $schema=https://example.org/s.json"


def test_template_loads_to_assignment_student_and_nested_answers() -> None:
    data = yaml.safe_load(answer_template(ASSIGNMENT))
    assert list(data) == ["assignment", "student", "answers"]
    assert data["assignment"] == "roofline-1"
    assert data["student"] == {"id": "", "name": ""}
    assert list(data["answers"]) == ["q1", "q2", "q3", "q4", "q5", "q6"]
    assert set(data["answers"]["q2"]["b"]) >= {"qkv_projections", "scaling"}
    assert set(data["answers"]["q5"]["conv"]) == {"bytes", "intensity", "gpu", "pim"}


def test_every_part_is_reachable_in_order_and_empty() -> None:
    answers = yaml.safe_load(answer_template(ASSIGNMENT))["answers"]
    flat = list(_flatten(answers, ASSIGNMENT.part_ids))
    assert [part_id for part_id, _ in flat] == list(ASSIGNMENT.part_ids)
    assert [part_id for part_id, value in flat if not _is_empty(value)] == []


@pytest.mark.parametrize(
    ("part_id", "placeholder"),
    [
        ("q1.a", None),
        ("q2.c", {"exp": None, "add": None, "div": None, "max": None, "sub": None}),
        ("q3.b", None),
        ("q5.conv.gpu", None),
        ("q5.explanation", ""),
        ("q6.advantages", [None, None]),
    ],
)
def test_placeholders_by_kind(part_id: str, placeholder: object) -> None:
    answers = yaml.safe_load(answer_template(ASSIGNMENT))["answers"]
    assert dict(_flatten(answers, ASSIGNMENT.part_ids))[part_id] == placeholder


def test_op_counts_keys_required_first_and_explained() -> None:
    text = answer_template(ASSIGNMENT)
    assert "    c: {exp: , add: , div: , max: , sub: }" in text.splitlines()
    assert "required: exp, add, div; optional: max, sub" in " ".join(text.split())
    assert "exps, exponentials" in text


def _comment_above(text: str, key_line: str) -> str:
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.rstrip().startswith(key_line))
    above = []
    for line in reversed(lines[:index]):
        if not line.lstrip().startswith("#"):
            break
        above.append(line.strip().lstrip("#").strip())
    return " ".join(reversed(above))


@pytest.mark.parametrize(
    ("key_line", "words"),
    [
        (
            "    b:",
            [
                "q1.b: Depthwise convolution, FLOPs",
                "2 points",
                "in FLOP",
                "e.g. 2 × 28 × 28 × 5 × 5 × 16 or 1.2 MFLOP",
            ],
        ),
        ("      scaling:", ["q2.b.scaling", "1 point;", "in FLOP"]),
        ("      full_scores:", ["0.5 points", "a count, no unit"]),
        ("      bytes:", ["q5.conv.bytes", "in bytes", "e.g. 1.5 MiB or 1572864"]),
        (
            "      intensity:",
            ["q5.conv.intensity", "in FLOP per byte", "e.g. 12.5 or 1.5e14/2e12 FLOP/byte"],
        ),
        ("      gpu:", ["q5.conv.gpu", "a verdict", "memory-bound or compute-bound"]),
        ("      full_complexity:", ["a growth class", "O(L^3)"]),
        ("    c:", ["q2.c: Softmax operations by type", "2 points"]),
        ("    explanation:", ["q5.explanation", "free text", "paragraph"]),
        ("    advantages:", ["q6.advantages", "2 points", "a list"]),
    ],
)
def test_comment_above_each_part(key_line: str, words: list[str]) -> None:
    comment = " ".join(_comment_above(answer_template(ASSIGNMENT), key_line).split())
    for word in words:
        assert word in comment


def test_image_parts_show_an_image_example() -> None:
    text = answer_template(ASSIGNMENT)
    assert "e.g. {image: q3-sketch.png}" in text
    assert "e.g. {image: q4-sketch.png}" in text


def test_header_explains_notation_and_lists_the_symbols() -> None:
    header = " ".join(
        line.lstrip("#")
        for line in answer_template(ASSIGNMENT).splitlines()
        if line.startswith("#")
    )
    header = " ".join(header.split())
    for symbol, name in ASSIGNMENT.symbols.items():
        assert f"{symbol} = {name} (" in header
    for words in [
        "Put an answer in quotes",
        "a comma",
        "a colon",
        "# { or [",
        "* & ! % @",
        "backtick",
        "Choices: memory-bound or compute-bound.",
        "Growth classes: O(L^3), cubic.",
        "MFLOP",
        "MiB",
        "FLOP/byte",
        "= 110",
        '"1,234,567"',
        '"12,5"',
        "{image:",
        "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
        "the file name is used",
    ]:
        assert words in header


def test_comment_lines_fit_the_line_length() -> None:
    long = [
        line
        for line in answer_template(ASSIGNMENT).splitlines()
        if len(line) > 100 and line.lstrip().startswith("#")
    ]
    assert long == []


def test_template_shows_none_of_the_answers() -> None:
    text = answer_template(ASSIGNMENT)
    forbidden = set().union(*(_spellings(n) for n in _expected_numbers()))
    written = set()
    for token in re.findall(r"\d+(?:[.,]\d+)*", text):
        written |= {token.replace(",", ""), token.replace(",", ".")}
    assert sorted(written & forbidden) == []


def _numeric_value(part: Part, text: str) -> float:
    from grader.answers.numbers import read_number
    from grader.sheets.solving import resolve_givens, symbol_values

    symbols = symbol_values(ASSIGNMENT, resolve_givens(ASSIGNMENT))
    return read_number(text, unit=part.unit, symbols=symbols).value


EXAMPLES = [
    (part, example) for part in ASSIGNMENT.parts for example in notation_examples(part, ASSIGNMENT)
]


@pytest.mark.parametrize(("part", "example"), EXAMPLES, ids=[f"{p.id}:{e}" for p, e in EXAMPLES])
def test_examples_are_accepted_notation_and_not_an_answer(part: Part, example: str) -> None:
    pytest.importorskip("grader.answers.numbers")
    from grader.answers.numbers import read_choice, read_complexity

    text = yaml.safe_load(f"answer: {example}")["answer"]
    assert isinstance(text, str | int | float)
    if part.kind == "choice":
        choices = ASSIGNMENT.vocabulary(part)
        assert read_choice(str(text), choices=choices) in choices
    elif part.kind == "complexity":
        assert read_complexity(str(text), variable=part.variable or "n") != "O(L^2)"
    else:
        value = _numeric_value(part, str(text))
        assert all(abs(value - n) > 0.05 * n for n in _expected_numbers()), value


def test_every_numeric_or_choice_part_has_examples() -> None:
    kinds = {"count", "real", "choice", "complexity"}
    missing = [
        p.id for p in ASSIGNMENT.parts if p.kind in kinds and not notation_examples(p, ASSIGNMENT)
    ]
    assert missing == []


def _with_parts(*part_ids: str) -> Assignment:
    """The bundled assignment with extra numeric parts (for id shapes the sheet lacks)."""
    extra = [
        Part(id=pid, title=f"Extra {pid}", kind="real", unit="FLOP/byte", points=1)
        for pid in part_ids
    ]
    return ASSIGNMENT.model_copy(update={"parts": (*ASSIGNMENT.parts, *extra)})


def test_a_part_under_another_parts_id_gets_a_dotted_key() -> None:
    assignment = _with_parts("q3.a.detail", "q7.x.y")
    data = yaml.safe_load(answer_template(assignment))["answers"]
    assert "q3.a.detail" in data
    assert data["q7"] == {"x": {"y": None}}
    assert sorted(dict(_flatten(data, assignment.part_ids))) == sorted(assignment.part_ids)


def test_grader_reads_the_untouched_template_as_all_missing(tmp_path: Path) -> None:
    pipeline = pytest.importorskip("grader.run.pipeline")
    from grader.results import Status

    path = tmp_path / "s1234567.yaml"
    path.write_text(answer_template(ASSIGNMENT), encoding="utf-8")
    graded = pipeline.grade_file(path, pipeline.expectations_for(ASSIGNMENT))
    assert graded.result.status == "graded"
    assert graded.result.student.id == "s1234567"
    assert graded.submission.problems == []
    assert {p.id: p.status for p in graded.result.parts} == dict.fromkeys(
        ASSIGNMENT.part_ids, Status.MISSING
    )


def test_grader_reaches_parts_under_dotted_keys(tmp_path: Path) -> None:
    pytest.importorskip("grader.input.submission")
    from grader.input.submission import load_submission

    assignment = _with_parts("q3.a.detail")
    path = tmp_path / "s1.yaml"
    path.write_text(answer_template(assignment), encoding="utf-8")
    submission = load_submission(path, assignment)
    assert submission.problems == []
    assert sorted(submission.answers) == sorted(assignment.part_ids)


# --- the schema ---------------------------------------------------------------------------

SCHEMA = answer_schema(ASSIGNMENT)


def _validator(schema: Mapping[str, object]) -> Any:
    """A draft 2020-12 validator (jsonschema is a test-only dependency: skip without it)."""
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_is_a_valid_2020_12_schema_with_an_urn_id() -> None:
    _validator(SCHEMA)
    assert SCHEMA["$schema"] == SCHEMA_DIALECT == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"] == "urn:grader:roofline-1:answers"
    json.dumps(SCHEMA, allow_nan=False)


def test_schema_patterns_are_ecma_262_compatible() -> None:
    text = json.dumps(SCHEMA)
    patterns = re.findall(r'"(\^[^"]*\$)"', text)
    assert patterns
    for pattern in patterns:
        assert not re.search(r"\(\?[^:]|\\[AZzh]", pattern), pattern


def _assert_only_empty_flagged(errors: list[Any]) -> None:
    """Every error is about an answer left empty (a list answer is offered as empty items)."""
    empty: list[object] = [None, "", {}, []]
    assert errors
    for error in errors:
        instance = error.instance
        assert instance in empty or all(item in empty for item in instance), error.message


def test_schema_flags_each_part_of_the_untouched_template_as_empty_and_nothing_else() -> None:
    data = json.loads(json.dumps(yaml.safe_load(answer_template(ASSIGNMENT))))
    errors = list(_validator(SCHEMA).iter_errors(data))
    flagged = {".".join(str(key) for key in error.absolute_path) for error in errors}
    _assert_only_empty_flagged(errors)
    # Operation counts: the mapping is there, its required entries are empty.
    answered_in_place = {p.id for p in ASSIGNMENT.parts if p.kind == "op_counts"}
    for part_id in set(ASSIGNMENT.part_ids) - answered_in_place:
        assert f"answers.{part_id}" in flagged
    for part_id in answered_in_place:
        assert any(path.startswith(f"answers.{part_id}.") for path in flagged)


def test_schema_accepts_the_complete_sample() -> None:
    assert list(_validator(SCHEMA).iter_errors(yaml.safe_load(SAMPLE))) == []


def test_schema_describes_each_part() -> None:
    defs: dict[str, dict[str, Any]] = SCHEMA["$defs"]  # type: ignore[assignment]
    leaf = defs["q1.b"]
    assert leaf["title"] == "q1.b: Depthwise convolution, FLOPs"
    for words in ["2 points", "in FLOP", "1.2 MFLOP"]:
        assert words in leaf["description"]
    assert defs["q5.conv.gpu"]["examples"] == ["memory-bound", "compute-bound"]
    assert set(defs) >= set(ASSIGNMENT.part_ids)


def test_schema_follows_parts_under_another_parts_id() -> None:
    assignment = _with_parts("q3.a.detail")
    data = yaml.safe_load(answer_template(assignment))
    errors = list(_validator(answer_schema(assignment)).iter_errors(data))
    _assert_only_empty_flagged(errors)
    assert any(list(error.absolute_path) == ["answers", "q3.a.detail"] for error in errors)


def _sample_with(answers: str, head: str = "assignment: roofline-1\nstudent: {id: s1}\n") -> str:
    return f"{head}answers:\n{answers}\n" if answers else head


# Files the grader reads without any problem (True) or with one (False); the schema must agree.
AGREEMENT = [
    ("complete sample", SAMPLE, True),
    ("dotted part id", _sample_with('  "q2.b.scaling": 1\n  q1: {a: 1}'), True),
    ("dotted group id", _sample_with("  q2.b: {scaling: 1}"), True),
    ("dotted key inside a group", _sample_with("  q2: {b.scaling: 1, d.full_scores: 2}"), True),
    ("upper-case keys", _sample_with("  Q1: {A: 1}"), True),
    (
        "operation aliases",
        _sample_with("  q2: {c: {Exponentials: 1, sums: 2, divisions: 3}}"),
        True,
    ),
    ("image as a plain path", _sample_with("  q3: {b: q3-sketch.png}"), True),
    ("text list as one paragraph", _sample_with("  q6: {advantages: one paragraph}"), True),
    ("student id as a string", "assignment: roofline-1\nstudent: s1\nanswers: {q1: {a: 1}}", True),
    ("no student: the file name", "assignment: roofline-1\nanswers: {q1: {a: 1}}", True),
    ("numbers in JSON style", '{"assignment": "roofline-1", "answers": {"q3": {"a": 12.5}}}', True),
    ("unknown question", _sample_with("  q7: {a: 1}"), False),
    ("unknown part", _sample_with("  q1: {c: 1}"), False),
    ("list for a number", _sample_with("  q1: {a: [1, 2]}"), False),
    ("mapping for a number", _sample_with("  q1: {a: {x: 1}}"), False),
    ("number for a group", _sample_with("  q1: 5"), False),
    ("number for operation counts", _sample_with("  q2: {c: 5}"), False),
    ("unknown operation", _sample_with("  q2: {c: {foo: 1}}"), False),
    ("misspelt image key", _sample_with("  q3: {b: {imgae: q3-sketch.png}}"), False),
    ("bad student id", _sample_with("  q1: {a: 1}", head='student: {id: "../x"}\n'), False),
    ("other assignment", _sample_with("  q1: {a: 1}", head="assignment: other-1\n"), False),
]


@pytest.mark.parametrize(
    ("text", "accepted"), [(t, a) for _, t, a in AGREEMENT], ids=[name for name, _, _ in AGREEMENT]
)
def test_schema_accepts_what_the_grader_reads_without_problems(
    text: str, accepted: bool, tmp_path: Path
) -> None:
    assert _validator(SCHEMA).is_valid(yaml.safe_load(text)) is accepted
    pipeline = pytest.importorskip("grader.run.pipeline")
    from grader.results import Status

    for name in ("q3-sketch.png", "q4-sketch.png"):
        (tmp_path / name).write_bytes(b"\x89PNG")
    path = tmp_path / "s1.yaml"
    path.write_text(text, encoding="utf-8")
    graded = pipeline.grade_file(path, pipeline.expectations_for(ASSIGNMENT))
    clean = (
        graded.result.status == "graded"
        and not graded.submission.problems
        and all(p.status is not Status.INVALID for p in graded.result.parts)
    )
    assert clean is accepted


def _filled_template(assignment: Assignment) -> str:
    """The template with every part the solver answers filled in, by editing its own lines
    (as a student types into it); optional keys and the parts a TA grades stay empty."""
    from grader.run.pipeline import expectations_for

    expected = expectations_for(assignment).answers
    path: list[tuple[int, str]] = []
    lines = []
    for line in answer_template(assignment).splitlines():
        found = re.match(r"^( *)([\w.]+):(.*)$", line)
        if found is None or line.lstrip().startswith("#"):
            lines.append(line)
            continue
        indent, key, rest = len(found.group(1)), found.group(2), found.group(3)
        path = [(i, k) for i, k in path if i < indent] + [(indent, key)]
        part_id = ".".join(k for _, k in path[1:])  # below "answers"
        value = expected.get(part_id) if path[0][1] == "answers" else None
        if isinstance(value, dict):  # operation counts: the required ones only
            part = assignment.part(part_id)
            for op in part.required_operations:
                rest = rest.replace(f"{op}: ,", f"{op}: {value[op]},", 1)
            line = f"{found.group(1)}{key}:{rest}"
        elif isinstance(value, str | int | float) and not rest.strip():
            line = f"{line} {json.dumps(value)}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def test_a_template_filled_where_the_solver_answers_gets_full_marks(tmp_path: Path) -> None:
    from grader.run.pipeline import expectations_for, grade_file

    text = _filled_template(ASSIGNMENT)
    assert "max: ," in text and "sub: }" in text  # the optional counts are left as they came
    path = tmp_path / "s1234567.yaml"
    path.write_text(text, encoding="utf-8")
    exp = expectations_for(ASSIGNMENT)
    result = grade_file(path, exp).result
    statuses = {p.id: p.status for p in result.parts}
    solved = {pid for pid, value in exp.answers.items() if value is not None}
    assert {pid for pid, status in statuses.items() if status is Status.CORRECT} == solved
    assert Status.INVALID not in statuses.values()
    assert result.score == sum(ASSIGNMENT.part(pid).points for pid in solved)
