"""No student file can stop or corrupt a class run: each hostile or accidental file, through the
console script, ends as that student's ERROR row or invalid part (or, for what is no answer
file, in the "not graded" list), the others are graded, and the class files are written.
The same files through ``check``, ``validate`` and ``gradescope``.

Cases about permissions run as an unprivileged user (see cli_runs.py); root reads everything.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import socket
import stat
import sys
from pathlib import Path

import pytest
from cli_runs import SAMPLES, as_nobody, grader, shared_folder, unprivileged

from grader.results import SubmissionResult

PERFECT = (SAMPLES / "perfect.yaml").read_text("utf-8")
SENTENCE = "I drew the roofline with the ridge point at 250 FLOP per byte and " * 5  # 330 chars
posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX file types")


def answers(student_id: str, **replace: str) -> str:
    """The perfect sample under another id, with text replaced (``q3_sketch="x.png"``)."""
    text = PERFECT.replace("s1000001", student_id)
    for old, new in replace.items():
        text = text.replace(old.replace("_", "-") + ".png", new)
    return text


def class_folder(root: Path, files: dict[str, str | bytes]) -> Path:
    klass = root / "class"
    for name, content in files.items():
        path = klass / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        path.write_bytes(data)
    return klass


def gradebook(out: Path) -> list[dict[str, str]]:
    """The gradebook's rows, after checking that every class file was written whole."""
    for name in ("gradebook.csv", "review.csv", "summary.md"):
        assert (out / name).is_file(), name
    for path in (out / "results").glob("*.json"):
        json.loads(path.read_text("utf-8"))
    text = (out / "gradebook.csv").read_text("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def row_of(rows: list[dict[str, str]], file: str) -> dict[str, str]:
    (found,) = [row for row in rows if row["file"] == file]
    return found


def part(out: Path, student_id: str, part_id: str) -> dict[str, object]:
    result = json.loads((out / "results" / f"{student_id}.json").read_text("utf-8"))
    (found,) = [p for p in result["parts"] if p["id"] == part_id]
    return found


# --- the parts an answer names: image files ------------------------------------------------


def test_a_sentence_where_an_image_name_goes_goes_to_a_ta(tmp_path: Path) -> None:
    klass = class_folder(tmp_path, {"s1.yaml": answers("s1"), "s2.yaml": answers("s2")})
    (klass / "s2.yaml").write_text(answers("s2", q3_sketch=SENTENCE), "utf-8")
    code, output = grader("grade", str(klass), "--out", str(tmp_path / "out"))
    assert code == 0 and "Traceback" not in output, output
    rows = gradebook(tmp_path / "out")
    assert {row["id"]: row["status"] for row in rows} == {"s1": "GRADED", "s2": "GRADED"}
    # Never asked of the file system: words are words, passed to a TA as the answer.
    sketch = part(tmp_path / "out", "s2", "q3.b")
    assert sketch["status"] == "needs_review" and "asks for a sketch" in str(sketch["feedback"])
    assert part(tmp_path / "out", "s2", "q1.b")["status"] == "correct"  # the rest is graded
    code, output = grader("check", str(klass / "s2.yaml"))
    assert code == 0 and "asks for a sketch" in output and "too long" not in output
    code, output = grader("validate", str(klass / "s2.yaml"))  # (q4-sketch.png is not there)
    assert "too long" not in output and "q3.b" not in output and "Traceback" not in output


@posix
def test_an_image_that_is_a_link_loop_is_an_invalid_part(tmp_path: Path) -> None:
    klass = class_folder(tmp_path, {"s2.yaml": answers("s2", q3_sketch="sub/loop.png")})
    (klass / "sub").mkdir()
    (klass / "sub" / "loop.png").symlink_to("again.png")
    (klass / "sub" / "again.png").symlink_to("loop.png")
    code, output = grader("grade", str(klass), "--out", str(tmp_path / "out"))
    assert code == 0 and "Traceback" not in output, output
    gradebook(tmp_path / "out")
    assert "link loop" in str(part(tmp_path / "out", "s2", "q3.b")["feedback"])
    summary = (tmp_path / "out" / "summary.md").read_text("utf-8")
    assert "sub/loop\\.png" in summary and "sub/again\\.png" in summary  # accounted for
    for command in ("check", "validate"):
        code, output = grader(command, str(klass / "s2.yaml"))
        assert "link loop" in output and "Traceback" not in output, output


@posix
def test_an_image_that_links_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "private.png").write_bytes(b"\x89PNG")
    klass = class_folder(tmp_path, {"s2.yaml": answers("s2", q3_sketch="q3.png")})
    (klass / "q3.png").symlink_to(tmp_path / "private.png")
    code, output = grader("grade", str(klass), "--out", str(tmp_path / "out"))
    assert code == 0, output
    assert "not inside" in str(part(tmp_path / "out", "s2", "q3.b")["feedback"])


def test_an_image_in_a_folder_nobody_may_read_is_an_invalid_part() -> None:
    if unprivileged():
        pytest.skip(str(unprivileged()))
    with shared_folder() as root:
        klass = class_folder(root, {"s2.yaml": answers("s2", q3_sketch="locked/q3.png")})
        (klass / "locked").mkdir()
        (klass / "locked" / "q3.png").write_bytes(b"\x89PNG")
        _open_to_all(klass)
        (klass / "locked").chmod(0)
        code, output = as_nobody("grade", "class", "--out", "out", "--no-reports", cwd=root)
        assert code == 1 and "Traceback" not in output, output  # the folder is not graded
        assert "permission denied" in str(part(root / "out", "s2", "q3.b")["feedback"])
        assert "locked/" in output and "cannot be read" in output


def _open_to_all(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)


# --- file names ---------------------------------------------------------------------------

RESERVED = ["aux.yaml", "com1.json", "nul.json", "CON.yml", "lpt9.yaml", "com1.backup.yaml"]


def test_broken_files_named_like_windows_devices_get_rows_under_safe_ids(tmp_path: Path) -> None:
    klass = class_folder(tmp_path, dict.fromkeys(RESERVED, "answers: [\n"))
    (klass / "good.yaml").write_text(answers("s1"), "utf-8")
    code, output = grader("grade", str(klass), "--out", str(tmp_path / "out"))
    assert code == 1 and "Traceback" not in output, output
    rows = gradebook(tmp_path / "out")
    errors = [row for row in rows if row["status"] == "ERROR"]
    assert sorted(row["file"] for row in errors) == sorted(f"{klass}/{n}" for n in RESERVED)
    ids = [row["id"] for row in errors]
    assert len(set(ids)) == len(ids)  # each its own row
    for student_id in ids:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", student_id)
        assert student_id.split(".")[0].lower() not in ("aux", "com1", "nul", "con", "lpt9")
        assert (tmp_path / "out" / "results" / f"{student_id}.json").is_file()
    code, _ = grader("grade", str(klass), "--out", str(tmp_path / "out2"))
    assert code == 1  # the same ids on every run
    assert [row["id"] for row in gradebook(tmp_path / "out2") if row["status"] == "ERROR"] == ids
    for name in ("aux.yaml", "nul.json"):
        code, output = grader("check", str(klass / name))
        assert code == 1 and "NOT GRADED" in output


@pytest.mark.skipif(sys.platform != "linux", reason="file names as bytes (Linux)")
def test_file_names_that_are_not_utf8_are_shown_escaped(tmp_path: Path) -> None:
    klass = tmp_path / "class"
    klass.mkdir()
    broken = os.path.join(os.fsencode(klass), b"\xff\xfe.yaml")
    named = os.path.join(os.fsencode(klass), b"caf\xe9.yaml")
    with open(broken, "wb") as stream:
        stream.write(b"answers: {q1: {a: 288}}\n")  # no student id: the name would be it
    with open(named, "wb") as stream:
        stream.write(answers("s7").encode("utf-8"))
    code, output = grader("grade", str(klass), "--out", str(tmp_path / "out"))
    assert code == 1 and "Traceback" not in output, output
    rows = gradebook(tmp_path / "out")
    refused = row_of(rows, f"{klass}/\\xff\\xfe.yaml")
    assert (
        refused["status"] == "ERROR" and "'\\xff\\xfe.yaml' is not a valid id" in refused["error"]
    )
    report = (tmp_path / "out" / "feedback" / f"{refused['id']}.html").read_text("utf-8")
    assert "· \\xff\\xfe.yaml</span>" in report  # the name the student will recognise
    assert row_of(rows, f"{klass}/caf\\xe9.yaml")["id"] == "s7"
    for path in (broken, named):
        code, output = grader("check", os.fsdecode(path))
        assert code == (1 if path == broken else 0) and "Traceback" not in output  # not graded


# --- listing a class -----------------------------------------------------------------------


@posix
def test_answer_files_linked_to_each_other_are_listed_not_graded(tmp_path: Path) -> None:
    klass = class_folder(tmp_path, {"s1.yaml": answers("s1")})
    (klass / "a.yaml").symlink_to("b.yaml")
    (klass / "b.yaml").symlink_to("a.yaml")
    code, output = grader("grade", str(klass), "--out", str(tmp_path / "out"))
    assert code == 1 and "Traceback" not in output, output  # a student's file is missing
    assert [row["id"] for row in gradebook(tmp_path / "out")] == ["s1"]
    assert "not graded: 2 files" in output and "a.yaml: a symbolic link loop" in output
    summary = (tmp_path / "out" / "summary.html").read_text("utf-8")
    assert "a.yaml" in summary and "b.yaml" in summary and "symbolic link loop" in summary
    code, output = grader("validate", str(klass))
    assert code == 1 and "a.yaml: a symbolic link loop" in output


def test_names_of_dots_and_a_suffix_are_answer_files_as_check_takes_them(
    tmp_path: Path,
) -> None:
    """``..yaml``, ``...json`` and ``.yml`` end in an answer file's suffix (Python's splitext
    calls a leading dot part of the name): graded in a class as ``check`` grades them alone,
    never listed as "not an answer file"."""
    names = {"..yaml": "s1", "...json": "s2", ".yml": "s3", ".Hidden.YAML": "s4"}
    klass = class_folder(
        tmp_path,
        {
            name: json.dumps({"student": {"id": sid}, "answers": {"q1": {"a": "288"}}})
            for name, sid in names.items()  # JSON is YAML too
        },
    )
    code, output = grader("grade", str(klass), "--out", str(tmp_path / "out"))
    assert code == 0 and "Traceback" not in output and "not graded" not in output, output
    rows = gradebook(tmp_path / "out")
    assert sorted((row["file"], row["id"]) for row in rows) == sorted(
        (f"{klass}/{name}", sid) for name, sid in names.items()
    )
    for name, sid in names.items():
        code, output = grader("check", str(klass / name), "--json")
        assert code == 0 and json.loads(output)["student"]["id"] == sid, output


@posix
def test_every_entry_is_accounted_for(tmp_path: Path) -> None:
    klass = class_folder(
        tmp_path,
        {
            "s1.yaml": answers("s1"),
            "answers.txt": "q1: 288",
            "README.md": "# my answers",
            "export/grades.xlsx": b"PK\x03\x04",
            "nested/s2.JSON": json.dumps({"student": {"id": "s2"}, "answers": {"q1.a": "288"}}),
        },
    )
    os.mkfifo(klass / "fifo.yaml")
    (klass / "dangling.json").symlink_to("nowhere.json")
    (klass / "folder-link.yaml").symlink_to(klass / "export", target_is_directory=True)
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(klass / "socket.yml"))
    expected = {
        "answers.txt": "not an answer file",
        "README.md": "not an answer file",
        "export/grades.xlsx": "not an answer file",
        "fifo.yaml": "FIFO",
        "dangling.json": "a link to nothing",
        "folder-link.yaml": "a link to a folder",
        "socket.yml": "socket",
    }
    if os.geteuid() == 0:
        os.mknod(klass / "device.yaml", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        expected["device.yaml"] = "device"
    code, output = grader("grade", str(klass), "--out", str(tmp_path / "out"))
    assert code == 1 and "Traceback" not in output, output
    assert sorted(row["id"] for row in gradebook(tmp_path / "out")) == ["s1", "s2"]
    summary = (tmp_path / "out" / "summary.md").read_text("utf-8").replace("\\", "")
    page = (tmp_path / "out" / "summary.html").read_text("utf-8")
    assert f"not graded: {len(expected)} files" in output
    for name, reason in expected.items():
        assert re.search(rf"^  {re.escape(name)}: .*{reason}", output, re.MULTILINE), name
        assert f"| {name} | " in summary and reason in summary, name
        assert f">{name}</td>" in page, name


@posix
def test_an_unreadable_answer_file_is_shown_however_many_other_files_there_are(
    tmp_path: Path,
) -> None:
    # Students upload their write-ups next to the answer files: 120 PDFs sort before the one
    # entry named like an answer file that could not be read. The run exits 1 for it; it was
    # neither among the terminal's first 10 nor the summary's first 100.
    files: dict[str, str | bytes] = {"s1.yaml": answers("s1")}
    files.update({f"a{i:03d}-writeup.pdf": b"%PDF" for i in range(120)})
    klass = class_folder(tmp_path, files)
    (klass / "zz-s2.yaml").symlink_to("nowhere.yaml")
    os.mkfifo(klass / "zz-s3.json")
    out = tmp_path / "out"
    code, output = grader("grade", str(klass), "--out", str(out), "--no-reports")
    assert code == 1, output
    listed = output[output.index("not graded: 122 files") :]
    assert re.search(r"^  zz-s2\.yaml: .*a link to nothing", listed, re.MULTILINE), listed
    assert re.search(r"^  zz-s3\.json: .*FIFO", listed, re.MULTILINE), listed
    summary = (out / "summary.md").read_text("utf-8").replace("\\", "")
    assert "| zz-s2.yaml | " in summary and "| zz-s3.json | " in summary
    assert "122 files under the graded paths" in summary


def test_a_folder_nobody_may_read_is_listed_and_the_rest_graded() -> None:
    if unprivileged():
        pytest.skip(str(unprivileged()))
    with shared_folder() as root:
        klass = class_folder(root, {"s1.yaml": answers("s1"), "locked/s2.yaml": answers("s2")})
        _open_to_all(klass)
        (klass / "locked").chmod(0)
        code, output = as_nobody("grade", "class", "--out", "out", "--no-reports", cwd=root)
        assert code == 1 and "Traceback" not in output, output
        assert [row["id"] for row in gradebook(root / "out")] == ["s1"]
        assert "locked/: folder cannot be read (permission denied)" in output
        assert "locked/" in (root / "out" / "summary.md").read_text("utf-8")
        code, output = as_nobody("validate", "class", cwd=root)
        assert code == 1 and "locked/" in output and "Traceback" not in output


def test_an_answer_file_nobody_may_read_gets_an_error_row() -> None:
    if unprivileged():
        pytest.skip(str(unprivileged()))
    with shared_folder() as root:
        klass = class_folder(root, {"s1.yaml": answers("s1"), "s2.yaml": answers("s2")})
        _open_to_all(klass)
        (klass / "s2.yaml").chmod(0)
        code, output = as_nobody("grade", "class", "--out", "out", "--no-reports", cwd=root)
        assert code == 1 and "Traceback" not in output, output
        row = row_of(gradebook(root / "out"), "class/s2.yaml")
        assert row["status"] == "ERROR" and "permission denied" in row["error"]


# --- links out of the graded folder ---------------------------------------------------------


@posix
def test_an_answer_file_linked_from_outside_is_not_followed(tmp_path: Path) -> None:
    private = tmp_path / "ta" / "private.yaml"
    private.parent.mkdir()
    private.write_text(answers("s9").replace("Ada Lovelace", "TOP-SECRET-4711"), "utf-8")
    klass = class_folder(tmp_path, {"data/s8.txt": answers("s8")})
    (klass / "s9.yaml").symlink_to(private)
    (klass / "s8.yaml").symlink_to("data/s8.txt")  # a link that stays inside: followed
    code, output = grader("grade", str(klass), "--out", str(tmp_path / "out"))
    assert code == 1, output
    rows = gradebook(tmp_path / "out")
    refused = row_of(rows, f"{klass}/s9.yaml")
    assert refused["status"] == "ERROR" and "symbolic link" in refused["error"]
    assert row_of(rows, f"{klass}/s8.yaml")["status"] == "GRADED"
    for path in (tmp_path / "out").rglob("*"):
        assert path.is_dir() or b"TOP-SECRET" not in path.read_bytes(), path
    code, output = grader("check", str(klass / "s9.yaml"))
    assert code == 1 and "symbolic link" in output and "TOP-SECRET" not in output
    results = tmp_path / "gradescope" / "results.json"
    code, output = grader("gradescope", "--submission", str(klass), "--results", str(results))
    document = json.loads(results.read_text("utf-8"))
    assert code == 1 and "TOP-SECRET" not in results.read_text("utf-8")
    # Two answer files in one upload: the student is told, with both names; none is picked.
    assert document["score"] == 0 and "s8\\.yaml" in document["output"]
    assert "s9\\.yaml" in document["output"]


def test_files_linked_from_outside_do_not_choose_the_runs_main_sheet(tmp_path: Path) -> None:
    # Which sheet writes into --out is the one most of the class's files name; two links to
    # files outside the class (never graded) outvoted the one file inside, and were opened
    # to count them, device or not.
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    klass = class_folder(tmp_path, {"s1.yaml": answers("s1")})
    for name in ("s8", "s9"):
        (outside / f"{name}.yaml").write_text(
            answers(name).replace("roofline-1", "llm-inference-1"), "utf-8"
        )
        (klass / f"{name}.yaml").symlink_to(outside / f"{name}.yaml")
    out = tmp_path / "out"
    code, output = grader("grade", str(klass), "--out", str(out), "--no-reports")
    assert code == 1, output
    assert (out / ".grader-sheet").read_text("utf-8").strip() == "roofline-1"
    rows = gradebook(out)
    assert row_of(rows, f"{klass}/s1.yaml")["status"] == "GRADED"
    assert row_of(rows, f"{klass}/s9.yaml")["status"] == "ERROR"
    assert not (out / "roofline-1").exists()


# --- the assignment an answer file names ------------------------------------------------------


@pytest.mark.parametrize("named", ["/dev/zero", "/dev/stdin", "/etc/passwd", "../sheet.yaml"])
def test_an_answer_file_selects_an_assignment_by_id_only(tmp_path: Path, named: str) -> None:
    folder = Path(__file__).parent.parent / "sheets" / "roofline_1"
    sheet = (folder / "sheet.yaml").read_text("utf-8")
    (tmp_path / "sheet.yaml").write_text(sheet.replace("id: roofline-1", "id: other"), "utf-8")
    shutil.copy(folder / "solver.py", tmp_path / "solver.py")
    klass = class_folder(tmp_path, {"s1.yaml": answers("s1").replace("roofline-1", named)})
    reader, writer = os.pipe()  # a stdin that never ends: reading it would hang
    try:
        for command in ("check", "validate"):
            code, output = grader(
                command, str(klass / "s1.yaml"), cwd=klass, stdin=reader, seconds=5
            )
            assert f"this file is for assignment '{named}', not 'roofline-1'" in output, output
            assert code == 1  # not graded (check) or not valid (validate): one rule
    finally:
        os.close(reader)
        os.close(writer)


# --- gradescope -----------------------------------------------------------------------------


def _gradescope(submission: Path, results: Path) -> tuple[int, dict[str, object]]:
    code, output = grader("gradescope", "--submission", str(submission), "--results", str(results))
    assert "Traceback" not in output, output
    return code, json.loads(results.read_text("utf-8"))


@posix
def test_gradescope_always_writes_results(tmp_path: Path) -> None:
    upload = class_folder(tmp_path, {"answers.yaml": answers("s1", q3_sketch=SENTENCE)})
    (upload / "loop").symlink_to("loop")
    (upload / "up").symlink_to("..", target_is_directory=True)
    code, document = _gradescope(upload, tmp_path / "r1.json")
    assert code == 0 and document["score"] and "tests" in document
    (upload / "answers.yaml").unlink()
    os.mkfifo(upload / "answers.yaml")
    code, document = _gradescope(upload, tmp_path / "r2.json")
    assert code == 1 and document["score"] == 0.0 and "FIFO" in str(document["output"])
    code, document = _gradescope(tmp_path / "missing", tmp_path / "r3.json")
    assert code == 1 and document["score"] == 0.0


def test_gradescope_with_an_unreadable_folder_and_an_unwritable_results_folder() -> None:
    if unprivileged():
        pytest.skip(str(unprivileged()))
    with shared_folder() as root:
        upload = class_folder(root, {"answers.yaml": answers("s1"), "locked/x.yaml": "x"})
        _open_to_all(upload)
        (upload / "locked").chmod(0)
        code, output = as_nobody(
            "gradescope", "--submission", "class", "--results", "r.json", cwd=root
        )
        assert code == 0 and "Traceback" not in output, output
        assert json.loads((root / "r.json").read_text("utf-8"))["score"] > 0
        (root / "ro").mkdir(mode=0o555)
        code, output = as_nobody(
            "gradescope", "--submission", "class", "--results", "ro/r.json", cwd=root
        )
        assert code == 2 and "cannot write to ro" in output and "Traceback" not in output


# --- the backstop: a result that cannot be written ------------------------------------------


def _feedback_failing_for_s2(_folder: Path, result: SubmissionResult, exp: object) -> None:
    """A report writer that fails on s2's graded result (its error result it writes)."""
    if result.student.id == "s2" and result.status == "graded":
        raise UnicodeEncodeError("utf-8", "\udcff", 0, 1, "surrogates not allowed")


def test_a_result_that_cannot_be_written_is_that_files_error_row(tmp_path: Path) -> None:
    from grader.run.batch import StudentFiles, run_batch
    from grader.run.pipeline import default_assignment, expectations_for

    klass = class_folder(tmp_path, {"s1.yaml": answers("s1"), "s2.yaml": answers("s2")})
    outcome = run_batch(
        [str(klass / "s1.yaml"), str(klass / "s2.yaml")],
        expectations_for(default_assignment(None)),
        StudentFiles(tmp_path / "out", write_feedback=_feedback_failing_for_s2),
    )
    first, second = outcome.results
    assert first.status == "graded"
    assert second.status == "error" and "internal error while writing" in str(second.error)
    written = json.loads((tmp_path / "out" / "results" / "s2.json").read_text("utf-8"))
    assert written["status"] == "error"
