"""Identity from the course, not from the file: rosters (plain, Canvas, Moodle exports), LMS
folder and file names, impersonation attempts, MISSING rows and the LMS grade imports."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from cli_runs import grader
from click.testing import CliRunner

from grader.cli import main
from grader.errors import UsageError
from grader.input.identity import channel_of, resolve_identity
from grader.input.roster import Enrolled, parse_roster
from grader.results import Student

SAMPLES = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout + result.stderr


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


# --- rosters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "id,name,email\ns1,Ada Lovelace,ada@uni.example\n",
            Enrolled("s1", "Ada Lovelace", "ada@uni.example"),
            id="plain",
        ),
        pytest.param(
            "Student,ID,SIS User ID,SIS Login ID,Section\n"
            "    Points Possible,,,,\n"
            '"Lovelace, Ada",4711,s1,ada,Tutorial 2\n',
            Enrolled(
                "s1",
                "Lovelace, Ada",
                lms_id="4711",
                lms="canvas",
                sis_login="ada",
                section="Tutorial 2",
            ),
            id="Canvas gradebook export",
        ),
        pytest.param(
            "First name,Last name,ID number,Email address\nAda,Lovelace,s1,ada@uni.example\n",
            Enrolled("s1", "Ada Lovelace", "ada@uni.example", lms="moodle"),
            id="Moodle participants",
        ),
        pytest.param(
            "Identifier,Full name,Email address,Status,Grade\n"
            "Participant 12345,Ada Lovelace,s1@uni.example,Submitted,\n",
            Enrolled("s1", "Ada Lovelace", "s1@uni.example", lms_id="12345", lms="moodle"),
            id="Moodle grading worksheet: the id from the email",
        ),
        pytest.param(
            "\ufeffStudent ID;Name;LMS ID\r\ns1;Ada;77\r\n",
            Enrolled("s1", "Ada", lms_id="77"),
            id="BOM and semicolons",
        ),
    ],
)
def test_rosters_in_the_formats_courses_export(text: str, expected: Enrolled) -> None:
    (student,) = parse_roster(text).students
    assert student == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,email\nAda,\n", "no student id"),
        ("colour\nred\n", "no id column"),
        ("id,name\ns1,Ada\nS1,Ada again\n", "line 3: S1 is also on line 2"),
        ("id,name\n../x,Eve\n", "line 2: '../x' is not a usable student id"),
        ('id,name\ns1,"Ada\n', "not valid CSV"),
    ],
)
def test_bad_rosters_are_usage_errors_with_lines(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        parse_roster(text, "r.csv")


# --- channels and who a file belongs to --------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "label"),
    [
        ("Ada Lovelace_12345_assignsubmission_file_/answers.yaml", "moodle:12345"),
        ("Ada Lovelace_12345_assignsubmission_file_answers.yaml", "moodle:12345"),
        ("week3/Ada_Lovelace_7_assignsubmission_file_/sub/a.json", "moodle:7"),
        ("lovelaceada_4711_99123_answers.yaml", "canvas:4711"),
        ("lovelaceada_LATE_4711_99123_answers-1.yaml", "canvas:4711"),
        ("s1234.yaml", None),
        ("group_1/answers.yaml", None),
    ],
)
def test_channels_from_lms_names(relative: str, label: str | None) -> None:
    found = channel_of(relative)
    assert (found.label if found else None) == label


def test_the_channel_decides_and_the_file_is_only_checked() -> None:
    roster = parse_roster("ID number,Full name,Identifier\ns1,Ada,Participant 5\ns2,Eve,6\n")
    channel = channel_of("Ada_5_assignsubmission_file_/a.yaml")
    claims_other = resolve_identity(Student(id="s2", name="Eve"), channel, roster)
    assert claims_other.student == Student(id="s1", name="Ada")
    assert "says student 's2', but it was submitted by s1" in claims_other.flags[0]
    honest = resolve_identity(Student(id="S1"), channel, roster)
    assert honest.student.id == "s1" and honest.flags == () and honest.channel == "moodle:5"
    unknown = resolve_identity(Student(id="s9"), None, roster)
    assert unknown.student.id == "s9" and "not on the roster" in unknown.flags[0]
    stranger = resolve_identity(
        Student(id="s1"), channel_of("x_99_assignsubmission_file_a"), roster
    )
    assert "participant 99" in stranger.flags[0] and stranger.student.id == "s1"


# --- a class run -----------------------------------------------------------------------------


@pytest.fixture()
def klass(tmp_path: Path) -> Path:
    folder = tmp_path / "class"
    shutil.copytree(SAMPLES, folder)
    return folder


def test_an_impersonating_file_takes_nobodys_row(klass: Path, tmp_path: Path) -> None:
    # Sorts first and claims Grace's id (s1000002): without a channel, both are held.
    (klass / "a-mallory.yaml").write_text(
        "student: {id: s1000002, name: Mallory}\nanswers: {q1: {a: '288'}}\n", "utf-8"
    )
    out = tmp_path / "out"
    code, _ = run("grade", str(klass), "--out", str(out))
    assert code == 1
    table = {r["file"].rsplit("/", 1)[-1]: r for r in rows(out / "gradebook.csv")}
    assert table["a-mallory.yaml"]["status"] == table["macs-instead-of-flops.yaml"]["status"]
    assert table["a-mallory.yaml"]["status"] == "ERROR"
    assert "'macs-instead-of-flops.yaml'" in table["a-mallory.yaml"]["error"]
    assert "'a-mallory.yaml'" in table["macs-instead-of-flops.yaml"]["error"]
    assert not (out / "feedback" / "s1000002.html").exists()
    for path in (out / "feedback").glob("*.html"):
        assert "Mallory" not in path.read_text("utf-8") or path.stem == "a-mallory"


def test_with_a_roster_every_student_has_a_row(klass: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "id,name,email\ns1000001,Ada Lovelace,ada@x\ns1000002,Grace Hopper,g@x\n"
        "s2000000,Nobody Submitted,n@x\n",
        "utf-8",
    )
    out = tmp_path / "out"
    code, text = run("grade", str(klass), "--out", str(out), "--roster", str(roster))
    assert code == 0, text
    table = {r["id"]: r for r in rows(out / "gradebook.csv")}
    assert table["s2000000"]["status"] == "MISSING" and table["s2000000"]["score"] == ""
    # Enrolled: no identity flag (the samples' one folder holds one sketch that perfect.yaml
    # and perfect.json both name, which is flagged as such).
    assert "roster" not in table["s1000001"]["flags"]
    assert "not on the roster" in table["s1000003"]["flags"]
    canvas = rows(out / "canvas-grades.csv")
    assert canvas[0]["Student"] == "Points Possible"
    assert {r["SIS User ID"] for r in canvas[1:]} >= {"s1000001", "s2000000"}


def test_moodle_folders_give_identity_and_moodle_imports(klass: Path, tmp_path: Path) -> None:
    moodle = tmp_path / "moodle"
    moodle.mkdir()
    # Ada's folder holds Grace's file (a mix-up or a copy): the folder says whose it is.
    for folder, sample in (
        ("Ada Lovelace_101_assignsubmission_file_", "macs-instead-of-flops.yaml"),
        ("Grace Hopper_102_assignsubmission_file_", "perfect.yaml"),
    ):
        (moodle / folder).mkdir()
        shutil.copy(klass / sample, moodle / folder / "answers.yaml")
        shutil.copy(klass / "q3-sketch.png", moodle / folder / "q3-sketch.png")
        shutil.copy(klass / "q4-sketch.png", moodle / folder / "q4-sketch.png")
    roster = tmp_path / "worksheet.csv"
    roster.write_text(
        "Identifier,Full name,Email address,ID number\n"
        "Participant 101,Ada Lovelace,ada@x,s1000001\n"
        "Participant 102,Grace Hopper,grace@x,s1000002\n",
        "utf-8",
    )
    out = tmp_path / "out"
    code, text = run("grade", str(moodle), "--out", str(out), "--roster", str(roster))
    assert code == 0, text
    table = {r["id"]: r for r in rows(out / "gradebook.csv")}
    assert set(table) == {"s1000001", "s1000002"}
    assert "says student 's1000002', but it was submitted by s1000001" in table["s1000001"]["flags"]
    assert "says student 's1000001', but it was submitted by s1000002" in table["s1000002"]["flags"]
    result = json.loads((out / "results" / "s1000002.json").read_text("utf-8"))
    assert result["channel"] == "moodle:102" and result["student"]["name"] == "Grace Hopper"
    worksheet = {r["Identifier"]: r for r in rows(out / "moodle-grades.csv")}
    assert set(worksheet) == {"Participant 101", "Participant 102"}
    assert worksheet["Participant 102"]["Grade"] == table["s1000002"]["score"]
    assert worksheet["Participant 102"]["Maximum Grade"] == "26"
    assert worksheet["Participant 101"]["Last modified (grade)"].endswith("UTC")


def test_canvas_file_names_give_the_canvas_user_id(klass: Path, tmp_path: Path) -> None:
    canvas = tmp_path / "canvas"
    canvas.mkdir()
    shutil.copy(klass / "arithmetic-slip.yaml", canvas / "turingalan_4711_99001_answers.yaml")
    out = tmp_path / "out"
    code, text = run("grade", str(canvas), "--out", str(out))
    assert code == 0, text
    (row,) = rows(out / "canvas-grades.csv")[1:]
    assert row["ID"] == "4711" and row["SIS User ID"] == "s1000006"
    (graded,) = rows(out / "gradebook.csv")
    assert row["Performance Modeling and Roofline Analysis"] == graded["score"] != ""
    assert not (out / "moodle-grades.csv").exists()


def test_an_lms_id_goes_only_into_its_own_lms_import(klass: Path, tmp_path: Path) -> None:
    # A Moodle participant number in Canvas's ID column (or a Canvas user id as a Moodle
    # participant) would put a grade on whoever has that number in the other system.
    moodle = tmp_path / "worksheet.csv"
    moodle.write_text(
        "Identifier,Full name,Email address,ID number\n"
        "Participant 101,Ada Lovelace,ada@x,s1000001\n",
        "utf-8",
    )
    out = tmp_path / "moodle-out"
    code, text = run("grade", str(klass), "--out", str(out), "--roster", str(moodle))
    assert code == 0, text
    canvas = {r["SIS User ID"]: r for r in rows(out / "canvas-grades.csv")[1:]}
    assert canvas["s1000001"]["ID"] == ""
    assert [r["Identifier"] for r in rows(out / "moodle-grades.csv")] == ["Participant 101"]
    export = tmp_path / "canvas.csv"
    export.write_text(
        'Student,ID,SIS User ID,SIS Login ID,Section\n"Lovelace, Ada",4711,s1000001,ada,T1\n'
        '"Nobody, No",4712,s2000000,no,T1\n',
        "utf-8",
    )
    out = tmp_path / "canvas-out"
    code, text = run("grade", str(klass), "--out", str(out), "--roster", str(export))
    assert code == 0, text
    canvas = {r["SIS User ID"]: r for r in rows(out / "canvas-grades.csv")[1:]}
    assert (canvas["s1000001"]["ID"], canvas["s2000000"]["ID"]) == ("4711", "4712")
    assert not (out / "moodle-grades.csv").exists()


def test_scores_are_rounded_to_the_sheets_precision(klass: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run("grade", str(klass), "--out", str(out))
    for row in rows(out / "gradebook.csv"):
        for column, value in row.items():
            if value and column not in ("id", "name", "file", "status", "error", "flags"):
                assert len(value.partition(".")[2]) <= 2, (column, value)


@pytest.mark.parametrize("given", ["{id: ~}", "{id: null}", "{id: NULL, name: ~}", "null", "~"])
def test_a_null_student_id_is_no_id_and_the_file_name_gives_it(tmp_path: Path, given: str) -> None:
    # YAML's null is no value: the id comes from the file's name, as for an empty `id:`. Read
    # as text, "null" became the id of every such file (their claims then held for a TA) and
    # "~" an invalid id, a file not graded.
    klass = tmp_path / "class"
    klass.mkdir()
    for stem in ("k1", "k2"):
        (klass / f"{stem}.yaml").write_text(
            f"assignment: roofline-1\nstudent: {given}\nanswers:\n  q1.a: 288\n", "utf-8"
        )
    out = tmp_path / "out"
    code, output = run("grade", str(klass), "--out", str(out), "--no-reports")
    assert code == 0, output
    found = {row["id"]: row for row in rows(out / "gradebook.csv")}
    assert sorted(found) == ["k1", "k2"]
    assert all(row["status"] == "GRADED" and row["name"] == "" for row in found.values())


@pytest.mark.parametrize("canvas_name", ["smithalice", "müllerjörg"])
def test_a_canvas_file_name_ending_in_a_moodle_folder_name_is_the_uploaders(
    tmp_path: Path, canvas_name: str
) -> None:
    # Canvas writes its prefix (name, user id, submission id) and keeps the name the student
    # gave the upload after it. Alice (Canvas user 123) names hers like a Moodle folder of
    # participant 777, who is Bob on the Canvas roster: the tail must not make it Bob's file
    # (it took Bob's grade, or held Bob's own file as a claim of two).
    klass = tmp_path / "canvas"
    klass.mkdir()
    head = "assignment: roofline-1\nstudent: {id: %s}\nanswers:\n  q4: {a: 3.33}\n"
    alice = f"{canvas_name}_123_456_x_777_assignsubmission_file_.yaml"
    (klass / alice).write_text(head % "s0000123", "utf-8")
    (klass / "jonesbob_777_457_answers.yaml").write_text(head % "s0000777", "utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Student,ID,SIS User ID,SIS Login ID,Section\n"
        '"Smith, Alice",123,s0000123,alice,A\n"Jones, Bob",777,s0000777,bob,A\n',
        "utf-8",
    )
    out = tmp_path / "out"
    code, output = grader("grade", str(klass), "--out", str(out), "--roster", str(roster))
    assert code == 0, output
    table = {r["id"]: r for r in rows(out / "gradebook.csv")}
    assert table["s0000123"]["status"] == table["s0000777"]["status"] == "GRADED"
    assert table["s0000123"]["file"].endswith(alice) and table["s0000123"]["flags"] == ""
    assert table["s0000777"]["file"].endswith("jonesbob_777_457_answers.yaml")
    result = json.loads((out / "results" / "s0000123.json").read_text("utf-8"))
    assert result["channel"] == "canvas:123"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("smithalice_123_456_a.yaml", "smithalice_123_456_b.yaml", id="Canvas"),
        pytest.param(
            "Alice Smith_55_assignsubmission_file_/a.yaml",
            "Alice Smith_55_assignsubmission_file_/b.yaml",
            id="Moodle",
        ),
    ],
)
def test_one_lms_users_files_claiming_two_students_are_held(
    tmp_path: Path, first: str, second: str
) -> None:
    # Without a roster the LMS's user id cannot be turned into a student id, but one upload
    # is one person: Alice's second file, naming Bob (who submitted nothing), filled Bob's row
    # and gave the grade import a second row for Alice's LMS id, with no flag anywhere.
    klass = tmp_path / "class"
    head = "assignment: roofline-1\nstudent: {id: %s}\nanswers:\n  q4: {a: 3.33}\n"
    for name, claimed in ((first, "s0000123"), (second, "s0000777")):
        (klass / name).parent.mkdir(parents=True, exist_ok=True)
        (klass / name).write_text(head % claimed, "utf-8")
    # Carol's own file and a file of Alice's for the other sheet (a channel answers each
    # sheet once) are not touched.
    (klass / "joneycarol_124_457_c.yaml").write_text(head % "s0000124", "utf-8")
    other_sheet = (
        "assignment: llm-inference-1\nstudent: {id: s0000123}\nanswers:\n  q5: {b: memory-bound}\n"
    )
    (klass / first).with_name("c" + Path(first).name).write_text(other_sheet, "utf-8")
    out = tmp_path / "out"
    code, output = grader("grade", str(klass), "--out", str(out))
    assert code == 1, output
    table = {r["file"].rsplit("/", 1)[-1]: r for r in rows(out / "gradebook.csv")}
    one, two = table[Path(first).name], table[Path(second).name]
    assert one["status"] == two["status"] == "ERROR"
    assert "s0000777" not in {one["id"], two["id"]} and "s0000123" not in {one["id"], two["id"]}
    assert Path(second).name in one["error"] and "'s0000777'" in one["error"]
    assert Path(first).name in two["error"] and "'s0000123'" in two["error"]
    assert table["joneycarol_124_457_c.yaml"]["status"] == "GRADED"
    assert not (out / "results" / "s0000777.json").exists()
    assert not (out / "feedback" / "s0000777.html").exists()
    assert not (out / "feedback" / "s0000123.html").exists()
    other = {r["id"]: r for r in rows(out / "llm-inference-1" / "gradebook.csv")}
    assert other["s0000123"]["status"] == "GRADED"
    for export in out.glob("*-grades.csv"):
        assert "s0000777" not in export.read_text("utf-8-sig")


@pytest.mark.parametrize(
    "relative",
    [
        # Moodle names a folder "<full name>_<participant>_assignsubmission_file_", and the
        # full name is the student's own profile: one that reads like another participant's
        # folder must not make the file that participant's.
        pytest.param(
            "x_102_assignsubmission_file_ Smith_101_assignsubmission_file_/a.yaml",
            id="folder",
        ),
        # Without folders the upload's own name follows the mark, so a name with two marks
        # (one in the profile name, one in the file's) names nobody for sure: the file's
        # claim decides, as in a class without an LMS.
        pytest.param(
            "x_102_assignsubmission_file_ Smith_101_assignsubmission_file_a.yaml",
            id="file name",
        ),
    ],
)
def test_a_moodle_profile_name_cannot_take_another_participants_row(
    tmp_path: Path, relative: str
) -> None:
    klass = tmp_path / "moodle"
    (klass / relative).parent.mkdir(parents=True)
    (klass / relative).write_text(
        "assignment: roofline-1\nstudent: {id: s1000001}\nanswers:\n  q4: {a: 3.33}\n", "utf-8"
    )
    roster = tmp_path / "worksheet.csv"
    roster.write_text(
        "Identifier,Full name,Email address,ID number\n"
        "Participant 101,x_102_assignsubmission_file_ Smith,a@x,s1000001\n"
        "Participant 102,Grace Hopper,g@x,s1000002\n",
        "utf-8",
    )
    out = tmp_path / "out"
    code, output = grader("grade", str(klass), "--out", str(out), "--roster", str(roster))
    assert code == 0, output
    table = {r["id"]: r for r in rows(out / "gradebook.csv")}
    assert table["s1000001"]["status"] == "GRADED" and table["s1000001"]["flags"] == ""
    assert table["s1000002"]["status"] == "MISSING"
    worksheet = {r["Identifier"]: r["Grade"] for r in rows(out / "moodle-grades.csv")}
    assert worksheet.get("Participant 102", "") == ""
    if "/" in relative:  # the folder says who submitted: Moodle learns the grade
        assert worksheet["Participant 101"] == table["s1000001"]["score"] != ""


def test_a_canvas_user_id_is_no_moodle_participants(tmp_path: Path) -> None:
    # Moodle without folders: a profile name that reads like a Canvas prefix ("a_102_5_x")
    # makes the name a Canvas one; the roster is Moodle's, so Canvas user 102 is nobody on
    # it (participant 102 is someone else): flagged, and the file's claim decides.
    klass = tmp_path / "moodle"
    klass.mkdir()
    (klass / "a_102_5_x Smith_101_assignsubmission_file_a.yaml").write_text(
        "assignment: roofline-1\nstudent: {id: s1000001}\nanswers:\n  q4: {a: 3.33}\n", "utf-8"
    )
    roster = tmp_path / "worksheet.csv"
    roster.write_text(
        "Identifier,Full name,Email address,ID number\n"
        "Participant 101,a_102_5_x Smith,a@x,s1000001\n"
        "Participant 102,Grace Hopper,g@x,s1000002\n",
        "utf-8",
    )
    out = tmp_path / "out"
    code, output = grader("grade", str(klass), "--out", str(out), "--roster", str(roster))
    assert code == 0, output
    table = {r["id"]: r for r in rows(out / "gradebook.csv")}
    assert table["s1000001"]["status"] == "GRADED"
    assert "Canvas user 102" in table["s1000001"]["flags"]
    assert "not on the roster" in table["s1000001"]["flags"]
    assert table["s1000002"]["status"] == "MISSING"


@pytest.mark.parametrize(
    ("given", "line"),
    [
        ("{id: [s8000001, s8000002]}", 2),
        ("\n  id:\n    number: s8000001", 4),  # where the mapping is
        ("{id: {number: s8000001}}", 2),
    ],
    ids=["list", "block mapping", "flow mapping"],
)
def test_a_student_id_that_is_no_text_is_said_not_dropped(
    tmp_path: Path, given: str, line: int
) -> None:
    # The id the file names is a list or a mapping: the file's name gives the row's id, as
    # for no id, but the file is flagged with the line (it was dropped without a word).
    klass = tmp_path / "class"
    klass.mkdir()
    (klass / "k1.yaml").write_text(
        f"assignment: roofline-1\nstudent: {given}\nanswers:\n  q4: {{a: 3.33}}\n", "utf-8"
    )
    out = tmp_path / "out"
    code, output = grader("grade", str(klass), "--out", str(out), "--no-reports")
    assert code == 0, output
    (row,) = rows(out / "gradebook.csv")
    assert row["id"] == "k1" and row["status"] == "GRADED"
    assert f"line {line}:" in row["flags"], row["flags"]
    assert "student id" in row["flags"] and "k1" in row["flags"], row["flags"]
