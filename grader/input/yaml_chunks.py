"""A YAML text cut into chunks at its ``key:`` lines, for salvage (:mod:`grader.yaml_salvage`)
to read one by one: the lines, the chunks of one indentation level, the key of a line, and the
error of a chunk that does not read, named after its key."""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.input.yaml_strict import LINE_BREAK, ComposeError

__all__ = [
    "Chunk",
    "child_indent",
    "chunk_failure",
    "entry_source",
    "glued_key_of",
    "indent_of",
    "key_chunks",
    "key_of",
    "split_lines",
    "tabbed_key",
]

_KEY_END = re.compile(r":(?:[ \t]|$)")
_QUOTED_KEY = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'""")
_NOT_PLAIN_KEY_START = set("#?:,[]{}&*!|>'\"%@`- \t")


def split_lines(text: str) -> list[str]:
    """``text`` cut after each PyYAML line break, keeping the breaks."""
    ends = [match.end() for match in LINE_BREAK.finditer(text)]
    starts = [0, *ends]
    if ends and ends[-1] == len(text):
        starts.pop()
    return [text[start:end] for start, end in zip(starts, [*ends, len(text)], strict=False)]


@dataclass(frozen=True)
class Chunk:
    """Lines ``start`` to ``end`` (0-based, end excluded) of one key; ``head`` is the key line."""

    start: int
    end: int
    head: int
    key: str
    opens_block: bool  # nothing follows the colon: the value is the indented lines below
    glued: bool = False  # `a:288`: no space after the colon (see glued_key_of)
    tabbed: bool = False  # indented with a tab among keys indented with spaces (see tabbed_key)


def key_chunks(lines: list[str], first: int, last: int, indent: int) -> list[Chunk]:
    """Split lines at `key:` lines with exactly ``indent`` spaces; leading lines join chunk 1."""
    heads: list[tuple[int, str, bool, bool, bool]] = []
    for number in range(first, last):
        line = LINE_BREAK.sub("", lines[number])
        if indent_of(line) != indent:
            tabbed = tabbed_key(line, indent, heads[-1][2] if heads else False)
            if tabbed is not None:
                heads.append((number, *tabbed, False, True))
            continue
        found, glued = key_of(line[indent:]), glued_key_of(line[indent:])
        # `c:{exp: 4}` holds a key `c:{exp` to YAML: the glued `c` is what was meant
        if glued is not None and (found is None or len(found[0]) > len(glued)):
            heads.append((number, glued, False, True, False))
        elif found is not None:
            heads.append((number, *found, False, False))
    chunks = []
    for position, (head, key, opens_block, glued_key, tabbed_head) in enumerate(heads):
        start = first if position == 0 else head
        end = heads[position + 1][0] if position + 1 < len(heads) else last
        chunks.append(Chunk(start, end, head, key, opens_block, glued_key, tabbed_head))
    return chunks


def tabbed_key(line: str, indent: int, after_block: bool) -> tuple[str, bool] | None:
    """The key of a `key: value` line indented with a tab (or tabs and spaces) where the keys
    around it are indented with ``indent`` spaces: YAML gives a tab no width, so the line
    breaks their mapping, and the student meant one more key among them. Not below a key
    that opens a block (``after_block``: the line may be meant inside it), nor at the top
    level (``indent`` 0: the line belongs to the block above it).

    >>> tabbed_key("\\tq2.a: 65536", 2, False), tabbed_key("\\tq2.a: 1", 2, True)
    (('q2.a', False), None)
    """
    body = line.lstrip(" \t")
    if indent == 0 or after_block or "\t" not in line[: len(line) - len(body)]:
        return None
    return key_of(body)


# `a:288`, `b:{image: x.png}`: a plain key, its colon, and at once the value. Not `http://` (a
# slash after the colon), not `a::b` or a time such as `12:30` (a key starts with a letter).
_GLUED_KEY = re.compile(r"([A-Za-z_][\w-]*):(?=[^\s:/])")


def glued_key_of(text: str) -> str | None:
    """The key of a line written as `key:value` without the space YAML needs after the colon.

    Such a line is plain text to YAML; at the indentation of the keys around it, it breaks
    their mapping, and the parser's error then names a neighbouring line. Salvage asks for it
    only where a block is already broken, so a valid file's text is never split.
    """
    found = _GLUED_KEY.match(text)
    return found.group(1) if found else None


def key_of(text: str) -> tuple[str, bool] | None:
    """The key of a `key: value` line without its indent, and whether the value is a block.

    Quoted keys lose their quotes but keep their escapes: the key only names a chunk in messages.
    """
    if not text or (text[0] in _NOT_PLAIN_KEY_START and text[0] not in "'\""):
        return None
    quoted = _QUOTED_KEY.match(text)
    if quoted:
        after = len(text) - len(text[quoted.end() :].lstrip(" \t"))
        end = _KEY_END.match(text, after)
    else:
        end = _KEY_END.search(text)
    if end is None:
        return None
    key = quoted.group()[1:-1] if quoted else text[: end.start()].rstrip(" \t")
    if not quoted and (" #" in key or "\t#" in key):
        return None  # the colon is inside a comment
    rest = text[end.end() :].strip()
    return key, not rest or rest.startswith("#")


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def child_indent(lines: list[str], first: int, last: int) -> int | None:
    """Indentation of the first line that holds content (not blank, not a comment), and is
    not indented with a tab (which has no width: the lines indented with spaces say what
    the block's indentation is)."""
    for line in lines[first:last]:
        content = line.strip()
        if content and not content.startswith("#") and "\t" not in line[: indent_of(line) + 1]:
            return indent_of(line)
    return None


_INNER_KEY = re.compile(r"(?:^|[\s{,\[])([A-Za-z_][\w-]*)[ \t]*:(?=\s|$)", re.MULTILINE)


def chunk_failure(error: ComposeError, chunk: Chunk, key: str, lines: list[str]) -> ComposeError:
    """The chunk's error, named after its key, at its own line if that lies in the chunk, with
    the keys written inside its broken value (whose parts have text there) and its text."""
    within = error.line is not None and chunk.head < error.line <= chunk.end
    text = "".join(lines[chunk.head : chunk.end])
    value = text[text.find(":") + 1 :] if ":" in text else ""
    inside = tuple(dict.fromkeys(match.group(1) for match in _INNER_KEY.finditer(value)))
    return ComposeError(
        error.message,
        error.line if within else chunk.head + 1,
        key,
        inside=inside[:50],
        source=entry_source(lines[chunk.head : chunk.end]),
    )


def entry_source(lines: list[str]) -> str:
    """A broken entry's text as a TA reads it and a decision on it is bound to: its lines
    without their common indent and without the blank lines around them, so that moving the
    entry (another line, another indent) is not changing it.

    >>> entry_source(["  q3.a: [250\\n", "    # unsure\\n", "\\n"])
    'q3.a: [250\\n  # unsure'
    """
    kept = [LINE_BREAK.sub("", line).rstrip() for line in lines]
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[0]:
        kept.pop(0)
    indent = min((indent_of(line) for line in kept if line), default=0)
    return "\n".join(line[indent:] for line in kept)
