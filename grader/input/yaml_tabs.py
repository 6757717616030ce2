"""Tabs in a YAML answer file: accepted where they separate, refused where they indent.

The YAML specification allows a tab as white space inside a line (after a value, after a colon,
between words) and libyaml reads it so, but PyYAML's scanner, whose messages students see,
refuses many of them ("found character '\\t' that cannot start any token" for ``q1: 1\\t``).
:func:`soften_tabs` turns every tab that is not indentation and not inside a quoted scalar
into a space before the file is parsed, so both parsers read what the student meant. A tab
in the indentation stays: YAML gives it no meaning, so the parser refuses that line (with a
message that names it) and salvage reads the rest of the file.
"""

from __future__ import annotations

import re

__all__ = ["soften_tabs"]

_LINE = re.compile("[^\r\n\x85\u2028\u2029]*(?:\r\n|[\r\n\x85\u2028\u2029]|$)")
_STARTS_SCALAR = frozenset(":-[{,?")


def soften_tabs(text: str) -> str:
    """``text`` with each tab that is neither indentation nor quoted made a space.

    Example:
        >>> soften_tabs("q1:\\t288\\t\\n\\tq2: 'a\\tb'\\n")
        "q1: 288 \\n\\tq2: 'a\\tb'\\n"
    """
    if "\t" not in text:
        return text
    pieces: list[str] = []
    quote = ""  # the quote of a quoted scalar that goes on to the next line
    for match in _LINE.finditer(text):
        line = match.group()
        if not line:
            continue
        body = line.lstrip(" \t")
        indentation = line[: len(line) - len(body)]
        softened, quote = _soften(body, quote)
        pieces.append(indentation + softened)
    return "".join(pieces)


def _soften(body: str, quote: str) -> tuple[str, str]:
    """One line after its indentation, and the quote still open at its end."""
    out: list[str] = []
    previous = ""  # the last character that is not a space or a tab, outside quotes
    index = 0
    while index < len(body):
        char = body[index]
        if quote == '"' and char == "\\":
            out.append(body[index : index + 2])
            index += 2
            continue
        if quote:
            if char == quote:
                if quote == "'" and body[index + 1 : index + 2] == "'":
                    out.append("''")
                    index += 2
                    continue
                quote = ""
                previous = char
            out.append(char)
        elif char == "#" and (not out or out[-1] in " \t"):
            out.append(body[index:].replace("\t", " "))  # a comment: nothing to keep
            break
        elif char in "'\"" and (not previous or previous in _STARTS_SCALAR):
            quote = char
            out.append(char)
        else:
            out.append(" " if char == "\t" else char)
            if char not in " \t":
                previous = char
        index += 1
    return "".join(out), quote
