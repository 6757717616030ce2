"""Which variant a student gets, and the short code that names it (``docs/variants.md``).

A student's variant is a pure function of the course seed, the sheet id and the student id:

    key    = "<seed>\\n<sheet id>\\n<student id, stripped and lower-cased>"   (UTF-8)
    index  = int.from_bytes(sha256(key)[:8], "big") mod (size of the sheet's pool)

sha256, never Python's ``hash`` (salted per process), so every machine and Python version
agrees. Ids are compared the way the roster and the identity check compare them: ignoring case.

A variant's code is the letter ``V``, then its index in Crockford's base 32 (digits ``0-9A-Z``
without ``I L O U``), zero-padded to the width the largest index of the pool needs (at least
2), then one check character: the Luhn mod 32 check over the digits' values. Any single
mistyped character is refused, and so is any swap of two adjacent different characters except
``0`` with ``Z`` (Luhn's one blind spot). Reading a code ignores case, blanks and hyphens, reads
``I``/``L`` as ``1`` and ``O`` as ``0`` (Crockford's rule), and lets the ``V`` be left out. (The
``V`` keeps a spreadsheet from reading ``012`` or ``1E5`` as a number.)
"""

from __future__ import annotations

import hashlib

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: the digit with value v is ALPHABET[v]."""
BASE = len(ALPHABET)
MIN_DIGITS = 2
PREFIX = "V"
_READ_AS = {"I": "1", "L": "1", "O": "0"}


class VariantCodeError(ValueError):
    """A variant code that is not one: mistyped, or naming no variant of the pool."""


def normalised_student_id(student_id: str) -> str:
    """The id as variants key it: blanks around it removed, lower case.

    >>> normalised_student_id(" S1000001 ")
    's1000001'
    """
    return student_id.strip().lower()


def variant_index(seed: str, sheet_id: str, student_id: str, pool_size: int) -> int:
    """The index in the sheet's pool of this student's variant.

    >>> variant_index("course", "roofline-1", "s1", 1)
    0
    """
    if pool_size < 1:
        raise ValueError("an empty pool has no variants")
    key = f"{seed}\n{sheet_id}\n{normalised_student_id(student_id)}"
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % pool_size


def code_width(pool_size: int) -> int:
    """How many base-32 digits a pool's codes have (without the check character).

    >>> code_width(1), code_width(32 * 32), code_width(32 * 32 + 1)
    (2, 2, 3)
    """
    width, capacity = MIN_DIGITS, BASE**MIN_DIGITS
    while capacity < pool_size:
        width, capacity = width + 1, capacity * BASE
    return width


def check_character(digits: str) -> str:
    """The Luhn mod 32 check character of base-32 digits.

    From the rightmost digit leftwards, every other digit's value (starting with the rightmost)
    is doubled, and a doubled value v >= 32 counts as v // 32 + v % 32; the check value is
    (32 - sum mod 32) mod 32.

    >>> check_character("00"), check_character("01"), check_character("10")
    ('0', 'Y', 'Z')
    """
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ALPHABET.index(char)
        if position % 2 == 0:
            value *= 2
        total += value // BASE + value % BASE
    return ALPHABET[(BASE - total % BASE) % BASE]


def variant_code(index: int, pool_size: int) -> str:
    """The printable code of the variant at ``index`` of a pool of ``pool_size``.

    >>> variant_code(0, 64), variant_code(33, 64)
    ('V000', 'V11X')
    """
    if not 0 <= index < pool_size:
        raise ValueError(f"no variant {index} in a pool of {pool_size}")
    digits = ""
    number = index
    for _ in range(code_width(pool_size)):
        number, digit = divmod(number, BASE)
        digits = ALPHABET[digit] + digits
    return PREFIX + digits + check_character(digits)


def parse_variant_code(text: str, pool_size: int) -> int:
    """The pool index a code names.

    Raises:
        VariantCodeError: not a code of this pool (wrong length, a character outside the
            alphabet, a check character that does not match: mistyped), or an index past the
            pool's end.

    >>> [parse_variant_code(code, 64) for code in ("V11X", "11x", "v1-1X")]
    [33, 33, 33]
    """
    cleaned = "".join(text.split()).replace("-", "").upper()
    cleaned = "".join(_READ_AS.get(char, char) for char in cleaned)
    width = code_width(pool_size)
    if len(cleaned) == width + 2 and cleaned.startswith(PREFIX):
        cleaned = cleaned[1:]
    shown = text.strip()[:20]
    if len(cleaned) != width + 1 or any(char not in ALPHABET for char in cleaned):
        raise VariantCodeError(
            f"{shown!r} is not a variant code ({PREFIX} and {width + 1} characters of {ALPHABET})"
        )
    digits, check = cleaned[:-1], cleaned[-1]
    if check_character(digits) != check:
        raise VariantCodeError(f"{shown!r} is not a valid variant code (mistyped?)")
    index = 0
    for char in digits:
        index = index * BASE + ALPHABET.index(char)
    if index >= pool_size:
        raise VariantCodeError(f"{shown!r} names no variant of this sheet")
    return index
