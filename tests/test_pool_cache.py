"""A sheet's pool kept on disk between runs: used only when it is the pool the sheet and the
grader would build, and never a reason to fail."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from cli_runs import SAMPLES, grader
from test_variant_pool import pool_of, write_sheet

from grader.sheets import pool_cache, variants
from grader.sheets.pool_cache import CACHE_VARIABLE

NOT_FORTY = """  givens:
    a: [1, 2, 3]
    b: [10, 20]
  constraints:
    not_forty: "q1.a != 40"
"""
# Candidates, last given fastest: 0 (1,10) 1 (1,20) 2 (2,10) 3 (2,20) 4 (3,10) 5 (3,20); only
# 3 gives q1.a = 2 * 20 = 40, so the pool keeps these.
KEPT = [0, 1, 2, 4, 5]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(folder))
    monkeypatch.setattr(variants, "_POOLS", {})  # no pool remembered in this process
    return folder


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "pools").glob("*.json")) if (cache / "pools").is_dir() else []


def forbid_building(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> list[int]:
        raise AssertionError("the pool was built again")

    monkeypatch.setattr(variants, "_kept", refuse)


def test_a_built_pool_is_stored_and_read_back_without_solving(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_sheet(tmp_path / "s", NOT_FORTY)
    first = pool_of(folder)
    assert [candidate for candidate, _ in first] == KEPT
    [entry] = entries(cache)
    assert json.loads(entry.read_text("utf-8")) == KEPT
    monkeypatch.setattr(variants, "_POOLS", {})
    forbid_building(monkeypatch)
    assert pool_of(folder) == first


@pytest.mark.parametrize(
    "stored",
    ["not json", "[]", "[5, 2]", "[0, 0, 1]", "[0, 6]", "[-1, 0]", "[true, 1]", "[0.0, 1]",
     '{"0": 1}', '"0,1"', ""],
)  # fmt: skip
def test_an_unusable_entry_is_ignored_and_replaced(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, stored: str
) -> None:
    folder = write_sheet(tmp_path / "s", NOT_FORTY)
    pool_of(folder)
    [entry] = entries(cache)
    entry.write_text(stored, "utf-8")
    monkeypatch.setattr(variants, "_POOLS", {})
    assert [candidate for candidate, _ in pool_of(folder)] == KEPT
    assert json.loads(entry.read_text("utf-8")) == KEPT


def test_a_stored_pool_that_is_plausible_is_trusted_only_for_its_own_sheet(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another constraint is another sheet: its pool is not the first one's.
    one = write_sheet(tmp_path / "one", NOT_FORTY)
    other = write_sheet(tmp_path / "other", NOT_FORTY.replace("!= 40", "!= 10"))
    assert [c for c, _ in pool_of(one)] == KEPT
    assert [c for c, _ in pool_of(other)] == [1, 2, 3, 4, 5]  # 0 gives 1 * 10 = 10
    assert len(entries(cache)) == 2


def test_a_change_to_a_python_file_of_the_sheet_is_a_new_entry(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_sheet(tmp_path / "s", NOT_FORTY)
    pool_of(folder)
    (folder / "helpers.py").write_text("SCALE = 2\n", "utf-8")  # what a solver could import
    monkeypatch.setattr(variants, "_POOLS", {})
    pool_of(folder)
    assert len(entries(cache)) == 2


def test_a_cache_folder_that_cannot_be_used_costs_only_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", "utf-8")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocked / "cache"))
    monkeypatch.setattr(variants, "_POOLS", {})
    folder = write_sheet(tmp_path / "s", NOT_FORTY)
    assert [c for c, _ in pool_of(folder)] == KEPT


@pytest.mark.parametrize("setting", ["off", "OFF", ""])
def test_the_cache_can_be_turned_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, setting)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(variants, "_POOLS", {})
    folder = write_sheet(tmp_path / "s", NOT_FORTY)
    assert [c for c, _ in pool_of(folder)] == KEPT
    assert not (tmp_path / "xdg").exists()


def test_the_default_folder_follows_xdg_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(variants, "_POOLS", {})
    pool_of(write_sheet(tmp_path / "s", NOT_FORTY))
    assert len(list((tmp_path / "xdg" / "roofline-grader" / "pools").glob("*.json"))) == 1


def test_a_students_check_reads_the_same_variant_with_and_without_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = SAMPLES / "perfect.yaml"
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    code, uncached = grader("check", str(answers), "--seed", "course-7")
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    runs = [grader("check", str(answers), "--seed", "course-7") for _ in range(2)]
    assert len(list((tmp_path / "cache" / "pools").glob("*.json"))) == 1
    assert "variant" in uncached.lower()
    for run in runs:
        assert run == (code, uncached)


def test_entries_no_run_has_read_for_long_are_removed_when_another_is_stored(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three entries of sheets since edited: one last read yesterday, one UNUSED_DAYS ago less
    # a day, one UNUSED_DAYS ago plus a day. Storing a new entry removes only the last.
    pools = cache / "pools"
    pools.mkdir(parents=True)
    day = 24 * 3600
    now = time.time()
    ages = {"recent": 1, "nearly": pool_cache.UNUSED_DAYS - 1, "stale": pool_cache.UNUSED_DAYS + 1}
    for name, days in ages.items():
        (pools / f"{name}.json").write_text("[0]", "utf-8")
        os.utime(pools / f"{name}.json", (now - days * day, now - days * day))
    pool_of(write_sheet(tmp_path / "s", NOT_FORTY))
    names = {entry.stem for entry in entries(cache)}
    assert {"recent", "nearly"} <= names and "stale" not in names
    assert len(names) == 3  # the new entry


def test_reading_an_entry_marks_it_used(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_sheet(tmp_path / "s", NOT_FORTY)
    pool_of(folder)
    [entry] = entries(cache)
    long_ago = time.time() - (pool_cache.UNUSED_DAYS + 5) * 24 * 3600
    os.utime(entry, (long_ago, long_ago))
    monkeypatch.setattr(variants, "_POOLS", {})
    forbid_building(monkeypatch)
    pool_of(folder)
    assert time.time() - entry.stat().st_mtime < 3600  # dated today: no prune will take it


def test_an_entry_nested_too_deep_for_json_is_ignored_and_replaced(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A corrupted entry of brackets only: json's decoder runs out of recursion on it, which is
    # no ValueError; the entry must cost the build all the same.
    folder = write_sheet(tmp_path / "s", NOT_FORTY)
    pool_of(folder)
    [entry] = entries(cache)
    entry.write_text("[" * 200_000, "utf-8")
    monkeypatch.setattr(variants, "_POOLS", {})
    assert [candidate for candidate, _ in pool_of(folder)] == KEPT
    assert json.loads(entry.read_text("utf-8")) == KEPT


def _cached_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """``grader check`` of a sample with a seed, the cache in ``tmp_path/cache``."""
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    return grader("check", str(SAMPLES / "perfect.yaml"), "--seed", "course-7", seconds=20)


@pytest.mark.parametrize("kind", ["fifo", "endless", "folder"])
def test_an_entry_that_is_no_regular_file_costs_only_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    # Whatever sits under an entry's name (a FIFO nobody writes to, a link to an endless
    # device, a folder), a check neither hangs nor fails: it reads the same as without it.
    expected = _cached_check(tmp_path, monkeypatch)
    [entry] = (tmp_path / "cache" / "pools").glob("*.json")
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "endless":
        entry.symlink_to("/dev/zero")
    else:
        entry.mkdir()
    assert _cached_check(tmp_path, monkeypatch) == expected


def test_a_relative_xdg_cache_home_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The XDG spec: a relative path there is invalid and ignored. Taken as it was, it put the
    # cache under whatever folder a run started in: a class folder, whose next run would find
    # the pool's .json among the answer files.
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative-cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    work = tmp_path / "class"
    work.mkdir()
    monkeypatch.chdir(work)
    code, output = grader("check", str(SAMPLES / "perfect.yaml"), "--seed", "course-7", cwd=work)
    assert code == 0, output
    assert list(work.iterdir()) == []
    assert len(list((tmp_path / "home" / ".cache" / "roofline-grader" / "pools").iterdir())) == 1
