"""Making student text inert in Markdown (HTML escaping is Jinja2's autoescape)."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!<>~|&]")
_LINE_BREAKS = re.compile(r"[\r\n\v\f\u0085\u2028\u2029\t]+")
# Letters, digits, spaces and the punctuation Markdown leaves alone (printable ASCII only).
_NOTHING_TO_ESCAPE = re.compile(r"[A-Za-z0-9 ,:;/?=%$'\"^@]*")


def escape_markdown(text: str) -> str:
    r"""Backslash-escape every Markdown metacharacter (and ``&``, so no entity survives);
    line breaks and other invisible characters become spaces, so a table row stays one row.

    >>> escape_markdown("Bob](x) <b>|*y*")
    'Bob\\]\\(x\\) \\<b\\>\\|\\*y\\*'
    """
    if _NOTHING_TO_ESCAPE.fullmatch(text):  # most ids and names: nothing to do
        return text
    one_line = _LINE_BREAKS.sub(" ", text)
    if not one_line.isprintable():  # rare: only then look at each character
        one_line = "".join(c if c.isprintable() else " " for c in one_line)
    # A function, not the template r"\\\g<0>": re expands a template again at every match.
    return _MARKDOWN_SPECIAL.sub(_backslashed, one_line)


def _backslashed(match: re.Match[str]) -> str:
    return "\\" + match.group()


def terminal_safe(text: str) -> str:
    """Text without control characters (no terminal escape sequences from data).

    >>> terminal_safe("ok\x1b[31m")
    'ok?[31m'
    """
    return "".join(c if c.isprintable() else "?" for c in text)
