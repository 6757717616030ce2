"""The student -> variant function and the variant codes, against docs/variants.md.

The expected values are computed here from the documented definition (hashlib, and a Luhn
loop written from the docs' wording), or by hand in the comments; none is the module's output.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.sheets.variant_codes import (
    ALPHABET,
    VariantCodeError,
    parse_variant_code,
    variant_code,
    variant_index,
)

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def documented_index(seed: str, sheet: str, student: str, pool: int) -> int:
    key = seed + "\n" + sheet + "\n" + student.strip().lower()
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big") % pool


def documented_check(digits: str) -> str:
    """Luhn mod 32 as docs/variants.md words it."""
    s = 0
    doubled = True  # the rightmost digit is doubled
    for char in digits[::-1]:
        v = CROCKFORD.index(char)
        if doubled:
            v = 2 * v
            if v >= 32:
                v = v // 32 + v % 32
        s += v
        doubled = not doubled
    return CROCKFORD[(32 - s % 32) % 32]


def test_alphabet_is_crockfords() -> None:
    assert ALPHABET == CROCKFORD


@pytest.mark.parametrize(
    ("seed", "sheet", "student", "pool"),
    [
        ("perf-2026", "roofline-1", "s1000001", 64),
        ("perf-2026", "llm-inference-1", "s1000001", 64),
        ("perf-2026", "roofline-1", "s1000002", 64),
        ("another seed", "roofline-1", "s1000001", 17),
        ("7", "roofline-1", "ab.c-d_e", 1000),
    ],
)
def test_variant_index_is_the_documented_sha256(
    seed: str, sheet: str, student: str, pool: int
) -> None:
    assert variant_index(seed, sheet, student, pool) == documented_index(seed, sheet, student, pool)


def test_ids_differing_in_case_and_blanks_are_one_student() -> None:
    assert variant_index("x", "roofline-1", " S1000001 ", 64) == variant_index(
        "x", "roofline-1", "s1000001", 64
    )


def test_seed_and_sheet_change_the_draw() -> None:
    # 200 students in a pool of 64: a different seed (or sheet) must move many of them.
    ids = [f"s{n}" for n in range(200)]
    base = [variant_index("a", "roofline-1", i, 64) for i in ids]
    reseeded = [variant_index("b", "roofline-1", i, 64) for i in ids]
    other_sheet = [variant_index("a", "llm-inference-1", i, 64) for i in ids]
    assert sum(x != y for x, y in zip(base, reseeded, strict=True)) > 150
    assert sum(x != y for x, y in zip(base, other_sheet, strict=True)) > 150
    assert len(set(base)) > 40  # spread over the pool, not a few variants


def test_codes_computed_by_hand() -> None:
    # index 33, pool 64: width 2, digits "11"; 1 doubled = 2, + 1 = 3; (32 - 3) % 32 = 29 = X
    assert variant_code(33, 64) == "V11X"
    # index 0: all zeros, check (32 - 0) % 32 = 0
    assert variant_code(0, 64) == "V000"
    # index 1023, pool 1024: "ZZ"; Z=31 doubled 62 -> 1 + 30 = 31, + 31 = 62; 62 % 32 = 30;
    # (32 - 30) % 32 = 2
    assert variant_code(1023, 1024) == "VZZ2"
    # pool 1025 needs 3 digits: index 1024 = "100"; 0 doubled 0, 0, 1 doubled 2: s = 2 -> Y
    assert variant_code(1024, 1025) == "V100Y"


@given(st.integers(1, 5000), st.data())
def test_every_code_reads_back_and_matches_the_documented_check(
    pool: int, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, pool - 1))
    code = variant_code(index, pool)
    digits, check = code[1:-1], code[-1]
    assert code[0] == "V"
    assert sum(CROCKFORD.index(c) * 32**k for k, c in enumerate(reversed(digits))) == index
    assert check == documented_check(digits)
    assert parse_variant_code(code, pool) == index
    assert parse_variant_code(code.lower(), pool) == index
    assert parse_variant_code(code[1:], pool) == index  # the V may be left out


@settings(max_examples=200)
@given(st.integers(0, 63), st.integers(1, 3), st.sampled_from(CROCKFORD))
def test_a_single_mistyped_character_is_refused(index: int, position: int, typed: str) -> None:
    code = variant_code(index, 64)
    if typed == code[position]:
        return
    mistyped = code[:position] + typed + code[position + 1 :]
    with pytest.raises(VariantCodeError):
        parse_variant_code(mistyped, 64)


def test_adjacent_swaps_are_refused_except_luhns_blind_spot() -> None:
    missed = []
    for index in range(1024):
        code = variant_code(index, 1024)
        for i in (1, 2):
            if code[i] == code[i + 1]:
                continue
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            try:
                parse_variant_code(swapped, 1024)
            except VariantCodeError:
                continue
            missed.append({code[i], code[i + 1]})
    assert missed and all(pair == {"0", "Z"} for pair in missed)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("V11Y", "mistyped"),
        ("V1", "not a variant code"),
        # three characters read as a code without its V: digits "V1" (V = 27), check "1";
        # 1 doubled 2, + 27 = 29, check (32 - 29) % 32 = 3, so "1" is mistyped
        ("V11", "mistyped"),
        ("V11XX", "not a variant code"),
        ("V1UX", "not a variant code"),  # U is not in the alphabet
        ("", "not a variant code"),
        ("V2!X", "not a variant code"),
    ],
)
def test_bad_codes_are_refused(text: str, reason: str) -> None:
    with pytest.raises(VariantCodeError, match=reason):
        parse_variant_code(text, 64)


def test_a_code_past_the_pool_is_refused() -> None:
    code = variant_code(40, 64)
    assert parse_variant_code(code, 64) == 40
    with pytest.raises(VariantCodeError, match="names no variant"):
        parse_variant_code(code, 40)


def test_crockford_look_alikes_read_as_digits() -> None:
    # I and L read as 1, O as 0
    assert parse_variant_code("V11X", 64) == parse_variant_code("vIlx", 64) == 33
    code = variant_code(32, 64)  # digits "10"
    assert parse_variant_code(code.replace("0", "O"), 64) == 32
