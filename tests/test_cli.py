"""The console script as users run it: solve, check, validate, template, schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sheets" / "roofline_1" / "samples"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_solve_prints_every_value_of_the_sheet() -> None:
    code, out, _ = run("solve")
    assert code == 0
    for text in (
        "2 × 56 × 56 × 3 × 3 × 32 = 1,806,336 FLOP",
        "288",
        "65,536",
        "6,291,456",
        "1,048,576",
        "4,096",
        "2,097,152",
        "max 4,032, sub 4,096, exp 4,096, add 4,032",
        "2,080",
        "O(L^2)",
        "250 FLOP/byte",
        "3.3333 FLOP/byte",
        "803,968 byte",
        "2.2468 FLOP/byte",
        "131,072 byte",
        "16 FLOP/byte",
        "memory-bound",
        "compute-bound",
    ):
        assert text in out, text


def test_solve_json() -> None:
    code, out, _ = run("solve", "--json")
    assert code == 0
    data = json.loads(out)
    answers = data["answers"]
    assert data["assignment"] == "roofline-1"
    assert answers["q1.b"] == 2 * 56 * 56 * 3 * 3 * 32
    assert answers["q2.c"] == {"max": 4032, "sub": 4096, "exp": 4096, "add": 4032, "div": 4096}
    assert answers["q4.a"] == pytest.approx(20e12 / 6000e9)
    assert answers["q5.qkv.pim"] == "compute-bound"
    assert answers["q3.b"] is None and answers["q6.advantages"] is None
    assert data["givens"]["gpu.bandwidth"] == {"value": 800e9, "unit": "byte/s"}  # 800 GB/s


def test_solve_json_gives_each_givens_unit() -> None:
    code, out, _ = run("solve", "--json", "--set", "pim.peak=13.8 TFLOP/s")
    assert code == 0
    givens = json.loads(out)["givens"]
    assert givens["pim.peak"] == {"value": 13.8e12, "unit": "FLOP/s"}
    assert givens["attention.seq_len"] == {"value": 64, "unit": "1"}  # a plain count
    assert givens["conv.padding"] == {"value": "same", "unit": None}  # a choice
    assert all(set(given) == {"value", "unit"} for given in givens.values())


def test_set_and_convention_flip_the_v100_verdict() -> None:
    base = ["solve", "--json", "--set", "gpu.bandwidth=900 GB/s", "--set", "gpu.peak=15.7 TFLOP/s"]
    fused = json.loads(run(*base, "--convention", "qkv_byte_model=fused")[1])["answers"]
    per_projection = json.loads(run(*base)[1])["answers"]
    assert fused["q5.qkv.gpu"] == "compute-bound"  # 19.2 > 17.44
    assert per_projection["q5.qkv.gpu"] == "memory-bound"  # 16 < 17.44
    assert fused["q3.a"] == pytest.approx(15.7e12 / 900e9)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--set", "gpu.colour=1"], "accepted: conv.channels"),
        (["--set", "gpu.peak"], "NAME=VALUE"),
        (["--set", "gpu.peak=fast"], "gpu.peak"),
        (["--set", "gpu.peak=5 GB/s"], "FLOP per second"),
        (["--set", "gpu.peak=12"], "unit"),
        (["--set", "conv.padding=full"], "same, valid"),
        (["--convention", "colour=red"], "accepted: flops_per_mac"),
        (["--convention", "bias=maybe"], "true, false"),
        (["--assignment", "nope"], "unknown sheet 'nope'"),
    ],
)
def test_bad_options_give_one_line_and_exit_2(args: list[str], fragment: str) -> None:
    code, out, err = run("solve", *args)
    assert code == 2
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    assert out == ""


def test_check_prints_a_table_and_json() -> None:
    code, out, _ = run("check", str(SAMPLES / "macs-instead-of-flops.yaml"))
    assert code == 0
    assert "multiply-adds" in out and "Grace Hopper" in out
    code, out, _ = run("check", "--json", str(SAMPLES / "macs-instead-of-flops.yaml"))
    data = json.loads(out)
    assert set(data) == {
        "audience",
        "reveal",
        "assignment",
        "student",
        "status",
        "error",
        "score",
        "max_score",
        "pending_review",
        "variant",
        "parts",
        "notes",
    }
    assert (data["audience"], data["reveal"]) == ("student", "feedback")
    assert data["notes"] == []
    q1b = next(p for p in data["parts"] if p["id"] == "q1.b")
    # The sheet reveals feedback: no expected value, no rubric notes, no worked solution.
    assert set(q1b) == {
        "id",
        "title",
        "status",
        "credit",
        "points",
        "max_points",
        "submitted",
        "value",
        "mistake",
        "carried_forward",
        "feedback",
        "line",
        "readings",
        "sent_to_review",
    }
    assert q1b["mistake"] == "macs_not_flops" and q1b["line"] == 6


def test_check_of_an_unreadable_file_says_why(tmp_path: Path) -> None:
    bad = tmp_path / "s9.yaml"
    bad.write_bytes(b"- just\n- a list\n")
    code, out, _ = run("check", str(bad))
    assert code == 1  # shown, but not graded
    assert "NOT GRADED" in out and "mapping" in out


@pytest.mark.parametrize("command", ["check", "validate", "grade"])
def test_a_missing_file_is_a_usage_error_for_every_command(command: str) -> None:
    code, _, err = run(command, "no-such-file.yaml")
    assert code == 2
    assert "no-such-file.yaml" in err and "does not exist" in err


def test_every_command_states_the_one_exit_status_rule_in_its_help() -> None:
    from grader.cli.app import EXIT_STATUS_HELP

    assert set(main.commands) >= {"check", "validate", "grade", "diff", "gradescope", "solve"}
    for name in main.commands:
        code, out, _ = run(name, "--help")
        assert code == 0
        assert " ".join(EXIT_STATUS_HELP.split()) in " ".join(out.split()), name
        # No command contradicts it with a status of its own for a file it could not grade.
        assert "Exit status 0 whenever" not in out and "0 when results.json" not in out, name


def test_validate_never_says_whether_a_value_is_right(tmp_path: Path) -> None:
    wrong = tmp_path / "s2.yaml"
    wrong.write_text("answers:\n  q1: {a: 1, b: 2}\n", "utf-8")
    code, out, _ = run("validate", str(wrong))
    assert code == 0
    assert "ok" in out and "correct" not in out and "incorrect" not in out


def test_validate_reports_invalid_files_with_lines(tmp_path: Path) -> None:
    bad = tmp_path / "s3.yaml"
    bad.write_text("answers:\n  q1: {a: 1,806}\n  q7: 3\n", "utf-8")
    code, out, _ = run("validate", str(bad), str(SAMPLES / "perfect.yaml"))
    assert code == 1
    assert "INVALID" in out and "line 2" in out and "q7" in out and "line 3" in out
    assert "perfect.yaml: ok" in out


def test_template_round_trip(tmp_path: Path) -> None:
    code, template, _ = run("template")
    assert code == 0
    answers = tmp_path / "s4.yaml"
    lines = template.splitlines()
    start = lines.index("  q3:")
    slot = next(i for i in range(start, len(lines)) if lines[i].strip() == "a:")
    lines[slot] += " 250"
    answers.write_text("\n".join(lines) + "\n", "utf-8")
    code, out, _ = run("validate", str(answers))
    assert code == 0, out
    code, out, _ = run("check", "--json", str(answers))
    result = json.loads(out)
    assert result["status"] == "graded"
    assert next(p for p in result["parts"] if p["id"] == "q3.a")["status"] == "correct"


def test_a_template_saved_by_windows_powershell_is_graded(tmp_path: Path) -> None:
    # Windows PowerShell 5.1's `>` writes UTF-16 (little-endian, with its byte-order mark) and
    # CRLF line ends: a student who followed `grader template > answers.yaml` and filled it in
    # gets it graded, in a class run too, not refused as "not UTF-8".
    code, template, _ = run("template")
    assert code == 0
    lines = template.splitlines()
    slot = next(i for i in range(lines.index("  q3:"), len(lines)) if lines[i].strip() == "a:")
    lines[slot] += " 250 FLOP/byte"
    folder = tmp_path / "class"
    folder.mkdir()
    answers = folder / "s5.yaml"
    answers.write_bytes("\ufeff".encode("utf-16-le") + "\r\n".join(lines).encode("utf-16-le"))
    code, out, _ = run("check", "--json", str(answers))
    result = json.loads(out)
    assert result["status"] == "graded", out
    assert next(p for p in result["parts"] if p["id"] == "q3.a")["status"] == "correct"
    code, out, _ = run("grade", str(folder), "--out", str(tmp_path / "out"), "--no-reports")
    assert code == 0, out
    graded = json.loads((tmp_path / "out" / "results" / "s5.json").read_text("utf-8"))
    assert next(p for p in graded["parts"] if p["id"] == "q3.a")["status"] == "correct"


def test_check_json_has_the_file_notes_the_table_shows(tmp_path: Path) -> None:
    # a note on a line no part holds is news to the student in JSON as much as in the table
    path = tmp_path / "s1.yaml"
    path.write_text("answers:\n  q1:\n    a:288\n    b: 1806336\n  q9: 5\n", encoding="utf-8")
    code, table, _ = run("check", str(path))
    code_json, out, _ = run("check", "--json", str(path))
    assert code == code_json == 0
    notes = json.loads(out)["notes"]
    assert notes == [
        "line 3: no space after the colon of 'a:'; read as q1.a: write a space after the colon",
        "line 5: unknown part 'q9' ignored",
    ]
    assert all(f"note: {note}" in table for note in notes)


def test_schema_is_json() -> None:
    code, out, _ = run("schema")
    assert code == 0
    assert json.loads(out)["type"] == "object"


def test_console_script_and_module_entry_points() -> None:
    for command in (["grader", "--help"], [sys.executable, "-m", "grader", "--help"]):
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        assert "solve" in done.stdout and "check" in done.stdout
