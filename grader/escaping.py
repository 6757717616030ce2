"""Making student text safe to show: characters that hide or reorder text made visible, and
Markdown made inert (HTML escaping is Jinja2's autoescape)."""

from __future__ import annotations

import re

# ":" before "/": renderers that linkify (GitHub) make a link of a bare "https://...".
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!<>~|&]|:(?=/)")
_LINE_BREAKS = re.compile(r"[\r\n\v\f\u0085\u2028\u2029\t]+")
# Letters, digits, spaces and the punctuation Markdown leaves alone (printable ASCII only).
_NOTHING_TO_ESCAPE = re.compile(r"[A-Za-z0-9 ,;/?=%$'\"^@]*")

# Bidirectional controls (embeddings, overrides, isolates, marks) reorder what a reader sees:
# "\u202e" makes "txt.exe" read "exe.txt", and a score or an id can be made to read as another.
# Control characters other than tab and line feed can move a terminal's cursor or recolour it.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with every bidirectional control and every control character but tab and line
    feed shown as its code point (``<U+202E>``), so that none can hide or reorder what a TA or
    a student reads, in any output.

    >>> visible("Ada \\u202eecalevoL")
    'Ada <U+202E>ecalevoL'
    >>> visible("two\\nlines\\tand a tab")
    'two\\nlines\\tand a tab'
    """
    if text.isascii() and text.isprintable():  # most text: nothing to look for
        return text
    return _HIDDEN.sub(_code_point, text)


def shown_text(text: str) -> str:
    """Any text (one the reader refused among it) as it can be shown and written: lone
    surrogates, which no UTF-8 file can hold, as ``\\udxxx`` escapes, and the rest as
    :func:`visible` shows it (a NUL as ``<U+0000>``).

    >>> shown_text("2\\ud800 \\x00")
    '2\\\\ud800 <U+0000>'
    """
    return visible(text.encode("utf-8", "backslashreplace").decode("utf-8"))


def _code_point(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group()):04X}>"


def escape_markdown(text: str) -> str:
    r"""Backslash-escape every Markdown metacharacter (and ``&``, so no entity survives, and
    ``:`` before ``/``, so no bare URL becomes a link); line breaks and other invisible
    characters become spaces, so a table row stays one row; bidirectional and control
    characters are shown (:func:`visible`).

    >>> escape_markdown("Bob](x) <b>|*y*")
    'Bob\\]\\(x\\) \\<b\\>\\|\\*y\\*'
    >>> escape_markdown("https://evil.example")
    'https\\://evil\\.example'
    """
    if _NOTHING_TO_ESCAPE.fullmatch(text) and ":/" not in text:  # most ids and names
        return text
    one_line = visible(_LINE_BREAKS.sub(" ", text))
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
