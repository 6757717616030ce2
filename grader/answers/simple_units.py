"""Units as most answers and sheets write them, converted without pint.

One unit of ``units.txt``, perhaps prefixed, perhaps "per" an unprefixed one (``MFLOP``,
``KiB``, ``GB/s``, ``FLOP/B``). Importing pint takes longer than grading 500 files, and a class
hardly ever writes anything else; :mod:`grader.units` asks here first and leaves everything
else (and every error message) to pint. The factors are pint's to the last bit: a test
compares every spelling read here with pint's own conversion.
"""

from __future__ import annotations

# Each name of units.txt read here: its dimensions and its size in the base unit of its
# dimension (exact: 1 or a power of two).
_SIMPLE_UNITS: dict[str, tuple[tuple[tuple[str, int], ...], float]] = {
    **dict.fromkeys(("FLOP", "flop", "Flop"), ((("compute", 1),), 1.0)),
    "FLOPS": ((("compute", 1), ("time", -1)), 1.0),
    **dict.fromkeys(("byte", "B", "Byte"), ((("information", 1),), 1.0)),
    **dict.fromkeys(("bit", "b", "Bit"), ((("information", 1),), 0.125)),
    **dict.fromkeys(("second", "s", "sec"), ((("time", 1),), 1.0)),
}
# The prefixes of units.txt that are exact in binary floating point when multiplied by 1 or a
# power of two; with one of them the factor is the same float however pint orders the steps.
_SIMPLE_PREFIXES = {
    **dict.fromkeys(("k", "K"), 1e3),
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "P": 1e15,
    "E": 1e18,
    "Ki": 1024.0,
    "Mi": 1048576.0,
    "Gi": 1073741824.0,
    "Ti": 1099511627776.0,
}


# A bare SI prefix after a number is a multiplier ("1.8 M", "2 k"; also "K").
BARE_PREFIXES = {"k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15}


def simple_factor(text: str, target: str) -> float | None:
    """The factor from ``text`` to ``target`` when both are simple units of the same
    dimensions (as pint would compute it, to the last bit: a test holds them to it), else
    None and pint decides (and words any error)."""
    unit = _simple_unit(text)
    wanted = _simple_unit(target)
    if unit is None or wanted is None or unit[0] != wanted[0]:
        return None
    return unit[1] / wanted[1]


def simple_inverse_factor(text: str, target: str) -> float | None:
    """For a simple unit of the inverse dimensions of ``target`` (``byte/FLOP`` for
    ``FLOP/byte``), the factor ``f`` such that ``1 / (value * f)`` is the value in ``target``;
    else None. Sizes are 1 or powers of two and ten, so the factor is pint's too."""
    unit = _simple_unit(text)
    wanted = _simple_unit(target)
    if unit is None or wanted is None or not unit[0]:
        return None
    if unit[0] != frozenset((name, -power) for name, power in wanted[0]):
        return None
    return unit[1] * wanted[1]


def _simple_unit(text: str) -> tuple[frozenset[tuple[str, int]], float] | None:
    """Dimensions and size of a simple unit (``[prefix]name`` or ``[prefix]name/name``)."""
    numerator, per, denominator = text.partition("/")
    top = _prefixed(numerator)
    if top is None:
        return None
    dimensions: dict[str, int] = dict(top[0])
    size = top[1]
    if per:
        bottom = _SIMPLE_UNITS.get(denominator)
        if bottom is None:
            return None
        for name, power in bottom[0]:
            dimensions[name] = dimensions.get(name, 0) - power
        size /= bottom[1]  # 1 or 0.125: exact
    return frozenset((k, v) for k, v in dimensions.items() if v), size


def _prefixed(text: str) -> tuple[tuple[tuple[str, int], ...], float] | None:
    """A unit name of ``_SIMPLE_UNITS`` with at most one prefix: pint reads it so too."""
    found = _SIMPLE_UNITS.get(text)
    if found is not None:
        return found
    for length in (1, 2):  # k, M, ... and Ki, Mi, ...
        prefix = _SIMPLE_PREFIXES.get(text[:length])
        unit = _SIMPLE_UNITS.get(text[length:])
        if prefix is not None and unit is not None:
            return unit[0], prefix * unit[1]
    return None


def is_unit_name(text: str) -> bool:
    """Whether ``text`` is one unit of ``units.txt``, perhaps prefixed (``KB``, ``GiB``,
    ``FLOP``), or a bare prefix (``K``, ``M``): then it is never a product of letters."""
    return _prefixed(text) is not None or text in BARE_PREFIXES
