"""Atomic writes: the old file or the new one, never half; unchanged files left alone."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from grader.run import atomic
from grader.run.atomic import remove_stale_temporaries, write_bytes_atomic, write_text_atomic

ANONYMOUS = atomic._ANONYMOUS  # whether this system writes new files through O_TMPFILE


@pytest.fixture(autouse=True, params=["anonymous", "temporary"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test both ways a new file can be written (the first only where it exists)."""
    if request.param == "anonymous" and not ANONYMOUS:
        pytest.skip("no O_TMPFILE here")
    monkeypatch.setattr(atomic, "_ANONYMOUS", request.param == "anonymous")
    atomic.release_folders()
    return str(request.param)


def test_writes_replaces_and_creates_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "result.json"
    write_text_atomic(target, "first", durable=False)
    write_text_atomic(target, "second ✓")
    assert target.read_text("utf-8") == "second ✓"
    assert [p.name for p in target.parent.iterdir()] == ["result.json"]  # no temporary left


def test_large_data_is_written_whole(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024)
    write_bytes_atomic(tmp_path / "big.bin", data, durable=False)
    assert (tmp_path / "big.bin").read_bytes() == data


def test_unchanged_file_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    write_text_atomic(target, "same", durable=False)
    os.utime(target, (1_000_000, 1_000_000))
    write_text_atomic(target, "same", durable=False, skip_unchanged=True)
    assert target.stat().st_mtime == 1_000_000
    write_text_atomic(target, "same but longer", durable=False, skip_unchanged=True)
    assert target.read_text("utf-8") == "same but longer"


def test_a_failed_write_keeps_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.json"
    write_text_atomic(target, "old", durable=False)

    def broken(handle: int, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "_write_all", broken)
    with pytest.raises(OSError):
        write_text_atomic(target, "new", durable=False)
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_outputs_get_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    old = os.umask(0o022)
    try:
        write_text_atomic(target, "x", durable=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # not 0600 as tempfile would give


def test_stale_temporaries_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    (tmp_path / "results").mkdir()
    stale = tmp_path / "results" / ".s1.json.123.4.tmp"
    stale.write_text("half", "utf-8")
    keep = tmp_path / "results" / "s1.json"
    keep.write_text("whole", "utf-8")
    assert remove_stale_temporaries(tmp_path) == 1
    assert not stale.exists() and keep.exists()


@pytest.mark.parametrize("size", [0, 1, 799, 800, 801, 5000])
def test_read_regular_file_reads_whole_files_up_to_the_limit(tmp_path: Path, size: int) -> None:
    from grader.input.bounded_read import read_regular_file

    path = tmp_path / "answers.yaml"
    data = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    path.write_bytes(data)
    assert read_regular_file(path, 800) == data[:800]
    assert read_regular_file(path, 10_000) == data


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux /proc only")
def test_read_regular_file_reads_a_file_whose_size_says_nothing() -> None:
    from grader.input.bounded_read import read_regular_file

    path = Path("/proc/self/status")  # a regular file of size 0 that holds text
    assert os.stat(path).st_size == 0
    text = read_regular_file(path, 100_000)
    assert text is not None and b"Name:" in text and text.endswith(b"\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_read_regular_file_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    from grader.input.bounded_read import read_regular_file

    os.mkfifo(tmp_path / "pipe")
    assert read_regular_file(tmp_path / "pipe", 100) is None  # and does not wait for a writer
    assert read_regular_file(tmp_path, 100) is None


def test_a_new_file_is_named_in_one_step_where_the_system_can(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    renames: list[str] = []
    real_replace = os.replace

    def replace(source: str, target: str) -> None:
        renames.append(target)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    write_text_atomic(tmp_path / "new.json", "new", durable=False)
    assert renames == ([] if way == "anonymous" else [str(tmp_path / "new.json")])
    write_text_atomic(tmp_path / "new.json", "newer", durable=False)  # exists: replaced
    assert (tmp_path / "new.json").read_text("utf-8") == "newer"
    assert len(renames) == (1 if way == "anonymous" else 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.json"]


def test_without_o_tmpfile_new_files_take_the_temporary_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    real_open = os.open

    def no_tmpfile(path: str, flags: int, mode: int = 0o777) -> int:
        if way == "anonymous" and flags & os.O_TMPFILE == os.O_TMPFILE:
            raise OSError(95, "Operation not supported")
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", no_tmpfile)
    write_text_atomic(tmp_path / "a.json", "a", durable=False)
    assert (tmp_path / "a.json").read_text("utf-8") == "a"
    assert atomic._ANONYMOUS is False  # and it is not tried again


def test_a_folder_replaced_between_batches_gets_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    write_text_atomic(folder / "a.json", "a", durable=False)
    os.rename(folder, tmp_path / "moved")
    atomic.release_folders()  # what a batch does when it ends
    write_text_atomic(folder / "b.json", "b", durable=False)
    assert (folder / "b.json").read_text("utf-8") == "b"
    assert not (tmp_path / "moved" / "b.json").exists()


def test_a_short_write_is_carried_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write

    def short(handle: int, data: bytes | memoryview) -> int:
        return real_write(handle, bytes(data[:3]))  # at most three bytes at a time

    monkeypatch.setattr(os, "write", short)
    write_text_atomic(tmp_path / "r.json", "0123456789", durable=False)
    assert (tmp_path / "r.json").read_text("utf-8") == "0123456789"
