"""What a TA or a student reads cannot be disguised by what a student wrote: bidirectional
controls and control characters are shown as code points in every output (HTML, JSON,
Markdown, CSV, terminal), a spreadsheet never runs a cell as a formula, and a bare URL in a
name or an answer is not made a link by Markdown renderers that linkify (checked with a real
GFM-style renderer, markdown-it-py with linkify, and with GitHub's cmark-gfm where installed).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_runs import SAMPLES, grader
from markdown_it import MarkdownIt

from grader.input.answer_tree import named_issue
from grader.input.student_files import shown_name

HIDDEN = {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}
HIDDEN |= set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
CRLF_FILES = (".csv",)  # rows end in \r\n (RFC 4180)
URLS = ("https://evil.example/x", "http://evil.example", "www.evil.example", "ftp://evil.example")
PERFECT = (SAMPLES / "perfect.yaml").read_text("utf-8")


def hostile_class(root: Path) -> Path:
    klass = root / "class"
    klass.mkdir()
    shutil.copy(SAMPLES / "q3-sketch.png", klass)
    yaml_text = (
        PERFECT.replace("s1000001", "s1")
        .replace("Ada Lovelace", "Ada \u202eecalevoL https://evil.example/x")
        .replace("a: 32 × 3 × 3", "a: 28\u202e8")
        .replace("q2:\n", "  q7\u2066: 1\n  q2:\n", 1)
        .replace("Both intensities", "See www.evil.example and http://evil.example: both")
    )
    (klass / "s1.yaml").write_text(yaml_text, "utf-8")
    document = {
        "student": {"id": "s2", "name": "\u001b[31mred\u001b[0m \u00a0=HYPERLINK(1)"},
        "answers": {
            "q1.a": "\u202e=1+1",
            "q1.b": "\u200f1806336",
            "q5.explanation": "ftp://evil.example",
        },
    }
    (klass / "s\u202enosj.json").write_text(json.dumps(document), "utf-8")
    (klass / "www.evil.example.yaml").write_text("answers: [\n", "utf-8")  # no id: the name is
    return klass


def hidden_in(text: str, *, crlf: bool = False) -> set[str]:
    found = HIDDEN.intersection(text.replace("\r\n", "\n") if crlf else text)
    return found - {"\n"}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    root = tmp_path_factory.mktemp("escaping")
    klass = hostile_class(root)
    code, output = grader("grade", str(klass), "--out", str(root / "out"))
    assert code == 1 and "Traceback" not in output, output
    return klass, root / "out", output


def test_no_output_file_holds_a_hidden_character(graded: tuple[Path, Path, str]) -> None:
    _, out, terminal = graded
    # Every text file: the checked copies of sketches (sketches/) are images.
    files = [path for path in out.rglob("*") if path.is_file() and path.parent.name != "sketches"]
    assert len(files) > 10
    for path in files:
        text = path.read_text("utf-8")
        assert not hidden_in(text, crlf=path.suffix in CRLF_FILES), path
    assert not hidden_in(terminal)
    page = (out / "feedback" / "s1.html").read_text("utf-8")
    assert "&lt;U+202E&gt;ecalevoL" in page  # shown, not dropped
    (row,) = [r for r in _rows(out / "gradebook.csv") if r["id"] == "s2"]
    assert row["name"].startswith("<U+001B>[31mred")
    assert "s<U+202E>nosj.json" in row["file"]


def test_check_validate_and_gradescope_show_hidden_characters(
    graded: tuple[Path, Path, str], tmp_path: Path
) -> None:
    klass, _, _ = graded
    for expected, args in (
        (0, ["check", str(klass / "s1.yaml")]),
        (0, ["check", "--json", str(klass / "s\u202enosj.json")]),
        (1, ["validate", str(klass)]),
        (1, ["gradescope", "--submission", str(klass), "--results", str(tmp_path / "r.json")]),
    ):
        code, output = grader(*args)
        assert code == expected and "Traceback" not in output, output
        assert not hidden_in(output), args
    assert not hidden_in((tmp_path / "r.json").read_text("utf-8"))


def test_a_formula_behind_unicode_blanks_is_neutralised(graded: tuple[Path, Path, str]) -> None:
    _, out, _ = graded
    for row in _rows(out / "gradebook.csv") + _rows(out / "review.csv"):
        for cell in row.values():
            stripped = cell.lstrip(" \u00a0\u3000\u2003\u200b\ufeff")
            assert not stripped.startswith(("=", "+", "-", "@")) or cell.startswith("'"), cell


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"))))


def _markdown_files(out: Path) -> list[Path]:
    return [out / "summary.md", *sorted((out / "feedback").glob("*.md"))]


def test_bare_urls_are_not_linked_by_a_linkifying_renderer(graded: tuple[Path, Path, str]) -> None:
    _, out, _ = graded
    renderer = MarkdownIt("gfm-like").enable("linkify")
    assert "<a " in renderer.render("see https://evil.example/x")  # it does linkify
    shown = 0
    for path in _markdown_files(out):
        page = renderer.render(path.read_text("utf-8"))
        assert "<a " not in page, path
        shown += sum(url in page for url in URLS)
    assert shown >= 4  # the names and answers are there, as text


@pytest.mark.skipif(not shutil.which("cmark-gfm"), reason="GitHub's cmark-gfm is not installed")
def test_bare_urls_are_not_linked_by_github_markdown(graded: tuple[Path, Path, str]) -> None:
    _, out, _ = graded
    for path in _markdown_files(out):
        page = subprocess.run(
            ["cmark-gfm", "-e", "autolink", "-e", "table", str(path)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "<a " not in page, path
    assert "evil.example" in page


def test_messages_and_file_names_show_hidden_characters() -> None:
    issue = named_issue("found '\u202e' where a value was expected\x1b[2J", 3, None)
    assert issue.message == "found '<U+202E>' where a value was expected<U+001B>[2J"
    assert shown_name(b"s\xe2\x80\xaefdp.yaml") == "s<U+202E>fdp.yaml"
    assert shown_name(b"bad\xff\nname.yaml") == "bad\\xff<U+000A>name.yaml"
