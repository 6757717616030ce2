"""The answer file a student fills in, and the JSON Schema an editor checks it against.

``answer_template`` writes a commented YAML file (``grader template > answers.yaml``) with every
part of the assignment in place and empty, so an untouched file grades as "missing" everywhere.
``answer_schema`` describes the same files as a JSON Schema (``grader schema``); it is looser
than the grader where the grader reads several spellings (dotted keys, any letter case, several
operation names) and never rejects a file the grader reads without problems.

Both are built from the assignment alone, never from the solution: the notation examples are
a part's own ``example`` when the sheet gives one, else its answer kind's
(:mod:`grader.sheets.answer_kinds`: fixed per kind and unit and chosen to differ from the
bundled sheets' answers, a test keeps it so; a choice's are its own choices, a growth class's
are in its own variable). The header's notes say only what the sheet's parts need, with
examples taken from those parts and the sheet's symbols: nothing of another sheet.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeAlias

from grader.input.submission import STUDENT_ID
from grader.reports.choice_pattern import choice_pattern
from grader.sheets.assignment import Assignment, Part
from grader.sheets.library import bundled_sheets

__all__ = ["SCHEMA_DIALECT", "answer_schema", "answer_template", "notation_examples"]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_WIDTH = 100
_INDENT = "  "
_NO_BREAK = "\xa0"  # a space that comment wrapping never breaks at (textwrap: ASCII only)
_LIST_ITEMS = 2  # empty items offered for a list answer

Schema: TypeAlias = dict[str, object]
_Tree: TypeAlias = dict[str, "Part | _Tree"]

# What a numeric part's answer is, in words, by unit (other kinds say it themselves).
_WORDS = {"FLOP": "in FLOP", "byte": "in bytes", "FLOP/byte": "in FLOP per byte"}
_NOT_BLANK = r"\S"  # a text answer has something in it (the grader reads blank as unanswered)


def answer_template(
    assignment: Assignment,
    *,
    schema_url: str | None = None,
    student_id: str | None = None,
    variant_code: str | None = None,
) -> str:
    """A commented YAML answer file for students to fill in, every answer left empty.

    Args:
        assignment: The assignment whose parts the file lists (for a variant, the sheet as
            it reads for that variant: its givens are shown).
        schema_url: Where editors find the JSON Schema; by default ``<id>.schema.json`` next to
            the answer file (``grader schema -a <id> > <id>.schema.json``).
        student_id: The student's id, filled in (a valid id: it is written as is).
        variant_code: The student's variant code, filled in.

    Returns:
        The file's text: PyYAML loads it to ``{assignment, student, answers}`` (and
        ``variant``) with the answers nested by the dotted part ids (``answers.q2.b.scaling``).
    """
    lines = [f"# yaml-language-server: $schema={schema_url or f'{assignment.id}.schema.json'}"]
    lines += _header(assignment)
    lines += [f"assignment: {assignment.id}", ""]
    if variant_code is not None:
        lines += _comment(
            "Your variant: your own numbers, those of your question sheet. Graded against the "
            "variant of your student id; keep this line as it is."
        )
        lines += [f'variant: "{variant_code}"', ""]
    lines += _comment(
        f"Your student id: letters, digits and . _ - (it must match {STUDENT_ID.pattern}). "
        "Left empty, the file name is used (s1234567.yaml gives s1234567)."
    )
    lines += [f'student: {{id: "{student_id or ""}", name: ""}}', "", "answers:"]
    lines += _tree_lines(_part_tree(_resolved(assignment)), depth=1)
    return "\n".join(lines) + "\n"


def notation_examples(part: Part, assignment: Assignment | None = None) -> tuple[str, ...]:
    """Accepted spellings of an answer to this part that are not its answer: the part's own
    ``example`` when the sheet gives one, else its kind's (for its unit, its choices, its
    variable). A part naming one of ``assignment``'s vocabularies gets that vocabulary's
    choices.

    Each is written as it goes into YAML (``"12,5"`` keeps its quotes); empty for kinds without
    a one-line example (operation counts, free text, sketches).
    """
    if part.example:
        return (part.example,)
    if assignment is not None:
        part = _with_vocabulary(part, assignment)
    return part.answer_kind.examples(part)


def _with_vocabulary(part: Part, assignment: Assignment) -> Part:
    """The part with the vocabulary it names (``choices: verdict``) written out."""
    if isinstance(part.choices, str):
        return part.model_copy(update={"choices": assignment.vocabulary(part)})
    return part


def _resolved(assignment: Assignment) -> list[Part]:
    return [_with_vocabulary(part, assignment) for part in assignment.parts]


def _selector(assignment: Assignment) -> str | None:
    """How a student's command names this sheet: None for an installed one (the file's own
    ``assignment:`` selects it), else its folder's name (the folder the course hands out)."""
    installed = bundled_sheets().get(assignment.id)
    folder = assignment.folder
    if installed is not None and (folder is None or folder.resolve() == installed.resolve()):
        return None
    return folder.name if folder is not None else assignment.id


def _header(assignment: Assignment) -> list[str]:
    selector = _selector(assignment)
    named = f" -a {selector}" if selector else ""
    lines = [
        f'Answers to "{assignment.title}" (assignment {assignment.id}). Write each answer after '
        f"its colon; an answer left empty counts as missing. Check the format with `grader "
        f"validate{named} answers.yaml`. In VS Code with the YAML extension, save `grader schema"
        f" -a {selector or assignment.id} > {assignment.id}.schema.json` next to this file to "
        "have it checked as you type (it marks each part still empty until you answer it).",
        "",
        "How to write answers:",
    ]
    symbols = ", ".join(
        f"{symbol} = {name} ({assignment.givens[name].value})".replace(" ", _NO_BREAK)
        for symbol, name in assignment.symbols.items()
    )
    rules = [*_number_rules(assignment, symbols), *_kind_rules(assignment)]
    lines += [f"- {rule}" for rule in rules if rule]
    return [line for text in lines for line in _comment(text)] + [""]


def _number_rules(assignment: Assignment, symbols: str) -> list[str]:
    """How to write numbers, with examples from the sheet's numeric parts and symbols; the
    quoting rule, which every answer meets."""
    quoting = (
        "Put an answer in quotes if it contains a comma, a colon, # { or [, or starts with "
        '* & ! % @ or a backtick, e.g. answer: "12,5". Otherwise YAML misreads it.'
    )
    numeric = [part for part in _resolved(assignment) if part.answer_kind.numeric]
    if not numeric:
        return [f"Symbols you may use: {symbols}." if symbols else "", quoting]
    examples = _distinct(e for part in numeric for e in notation_examples(part))
    expressions = [e for e in examples if _is_expression(e, assignment.symbols)][:2]
    # The sheet's symbols in an expression (2*L*d), plain numbers first: no unit to think of.
    plain = [s for s, name in assignment.symbols.items() if not assignment.givens[name].unit]
    names = (plain or list(assignment.symbols))[:2]
    if names:
        expressions.append("*".join(["2", *names]))
    with_unit = [e for e in examples if _has_unit(e, assignment.symbols)][:3]
    return [
        f"Numbers may be expressions: {', '.join(expressions)}." if expressions else "",
        f"Symbols you may use: {symbols}." if symbols else "",
        f"With a unit: {', '.join(with_unit)}." if with_unit else "",
        "With a stated result: 2*10*11/2 = 110 (the result is graded, the expression shows "
        "your method).",
        'With thousands separators or a decimal comma, in quotes: "1,234,567", "12,5".',
        quoting,
    ]


def _kind_rules(assignment: Assignment) -> list[str]:
    """A note per kind of answer the sheet asks for beyond numbers, with its examples: the
    choices of each vocabulary, a growth class in the part's variable."""
    parts = _resolved(assignment)
    kinds = {part.kind for part in parts}
    choices = _distinct(
        " or ".join(notation_examples(part)) for part in parts if part.kind == "choice"
    )
    rules = [f"Choices: {'; '.join(c for c in choices if c)}." if any(choices) else ""]
    growth = [notation_examples(part) for part in parts if part.kind == "complexity"]
    rules.append(f"Growth classes: {', '.join(growth[0])}." if growth and growth[0] else "")
    if "image" in kinds:
        rules.append("Sketches: an image file next to this file, e.g. {image: sketch.png}.")
    if "text" in kinds:
        rules.append(
            "Free text: a paragraph on the indented lines under a |, or a list (one - per item)."
        )
    return rules


def _distinct(items: Iterable[str]) -> list[str]:
    """The items without repeats, in their order."""
    return list(dict.fromkeys(items))


def _is_expression(example: str, symbols: Iterable[str]) -> bool:
    """A number written as arithmetic (``5 × 5 × 16``, ``3*n``), without a unit."""
    return any(op in example for op in "×*^+") and not _has_unit(example, symbols)


def _has_unit(example: str, symbols: Iterable[str]) -> bool:
    """A number with a unit after it (``1.2 MFLOP``): its last word has letters and is not
    one of the sheet's symbols; never a quoted number (``"12,5"``)."""
    words = example.split()
    if example.startswith('"') or len(words) < 2:
        return False
    last = words[-1]
    return any(c.isalpha() for c in last) and last not in set(symbols)


def _comment(text: str, indent: str = "") -> list[str]:
    """Text as wrapped YAML comment lines (a blank text gives a bare ``#``)."""
    if not text:
        return [f"{indent}#"]
    rest = "#   " if text.startswith("- ") else "# "
    lines = textwrap.wrap(
        text,
        width=_WIDTH,
        initial_indent=f"{indent}# ",
        subsequent_indent=indent + rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace(_NO_BREAK, " ") for line in lines]


def _part_tree(parts: Iterable[Part]) -> _Tree:
    """Parts nested by their dotted ids, in the sheet's order.

    A part whose id extends another part's id (``q2.b`` and ``q2.b.x``) cannot nest under it:
    the grader reads the whole mapping under ``b`` as the answer to ``q2.b``. It goes at the
    top as a dotted key (``q2.b.x:``), which the grader reads as well.
    """
    parts = list(parts)
    ids = {part.id for part in parts}
    root: _Tree = {}
    for part in parts:
        *groups, leaf = part.id.split(".")
        if any(".".join(groups[:i]) in ids for i in range(1, len(groups) + 1)):
            root[part.id] = part
            continue
        node = root
        for group in groups:
            child = node.setdefault(group, {})
            assert isinstance(child, dict)  # no prefix is a part, so every group is a mapping
            node = child
        node[leaf] = part
    return root


def _tree_lines(tree: _Tree, depth: int) -> list[str]:
    lines: list[str] = []
    pad = _INDENT * depth
    for key, node in tree.items():
        if depth == 1 and lines:
            lines.append("")
        if isinstance(node, dict):
            lines += [f"{pad}{key}:", *_tree_lines(node, depth + 1)]
        else:
            lines += _comment(f"{node.id}: {_summary(node)}", pad) + _comment(_hint(node), pad)
            lines += _part_lines(node, key, pad)
    return lines


def _summary(part: Part) -> str:
    """``Depthwise convolution, FLOPs (2 points; in FLOP)``."""
    points = f"{part.points:g} point{'' if part.points == 1 else 's'}"
    return f"{part.title} ({points}; {_unit_words(part)})"


def _unit_words(part: Part) -> str:
    kind = part.answer_kind
    if not kind.numeric:
        return kind.words
    if part.unit == "1":
        return f"{kind.words}, no unit"
    return _WORDS.get(part.unit, f"in {part.unit}")


def _hint(part: Part) -> str:
    """How to write this part's answer, with an example that is not the answer."""
    if part.kind == "op_counts":
        return _operations_hint(part)
    if part.kind == "image":
        sketch = f"{part.id.split('.')[0]}-sketch.png"
        return f"e.g. {{image: {sketch}}} (a path relative to this file)"
    if part.kind == "text":
        if _wants_list(part):
            return "a list: one item per line, each after a - and explained in a sentence or two"
        return "a paragraph, on the indented lines under the |"
    examples = notation_examples(part)
    if part.kind == "choice":
        return "  or  ".join(examples)
    return "e.g. " + "  or  ".join(examples)


def _operations_hint(part: Part) -> str:
    required = ", ".join(part.required_operations) or "none"
    optional = ", ".join(op for op in _operations(part) if op not in part.required_operations)
    aliases = "; ".join(
        f"{op}: {', '.join(a for a in names if a != op)}"
        for op, names in part.operation_aliases.items()
        if any(a != op for a in names)
    )
    text = f"a number or expression per operation; required: {required}"
    text += f"; optional: {optional}" if optional else ""
    return text + (f". Other names accepted ({aliases})." if aliases else ".")


def _operations(part: Part) -> list[str]:
    """Canonical operation names, the required ones first."""
    names = list(part.required_operations)
    return names + [op for op in part.operation_aliases if op not in names]


def _wants_list(part: Part) -> bool:
    """Free text asked as several items: the part's name is a plural (``advantages``)."""
    name = part.id.rsplit(".", 1)[-1]
    return name.endswith("s") and not name.endswith(("ss", "is", "us"))


def _part_lines(part: Part, key: str, pad: str) -> list[str]:
    """The key of one part with its empty placeholder."""
    if part.kind == "op_counts":
        keys = ", ".join(f"{op}: " for op in _operations(part))
        return [f"{pad}{key}: {{{keys}}}"]
    if part.kind == "text" and _wants_list(part):
        return [f"{pad}{key}:", *[f"{pad}{_INDENT}-"] * _LIST_ITEMS]
    if part.kind == "text":
        return [f"{pad}{key}: |"]
    return [f"{pad}{key}:"]


def answer_schema(assignment: Assignment) -> dict[str, object]:
    """A JSON Schema (draft 2020-12) of answer files for this assignment.

    Editors use it to flag unknown parts, wrong shapes and bad student ids, and to show each
    part's title, points, unit and an example on hover. Each part and group is defined once
    under ``$defs`` (by its dotted id) and referenced with plain JSON pointers; only keywords
    that draft-07 tools (the VS Code YAML extension) read the same way are used.

    Args:
        assignment: The assignment whose parts the answers follow.

    Returns:
        The schema as JSON-compatible data.
    """
    parts = assignment.parts
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"urn:grader:{assignment.id}:answers",
        "title": f"Answers to {assignment.id}: {assignment.title}",
        "type": "object",
        "properties": {
            "assignment": {"const": assignment.id, "description": "The assignment id."},
            "student": _student_schema(),
            "variant": _text() | {"description": "Your variant code (see your question sheet)."},
            "answers": _group_schema(parts, ()),
        },
        "additionalProperties": False,
        "$defs": {
            ".".join(path): _node_schema(assignment, path) for path in _paths_below(parts, ())
        },
    }


def _student_schema() -> Schema:
    """``{id, name}``, or the id alone; an empty id means the file name (as the grader reads)."""
    pattern = f"^(?:{STUDENT_ID.pattern})?$"
    student_id = _text() | {"pattern": pattern, "description": "Letters, digits and . _ -."}
    return {
        "description": "Who you are: {id: s1234567, name: Ada Lovelace}.",
        "type": ["object", "string", "null"],
        "pattern": pattern,
        "properties": {"id": student_id, "name": _text()},
    }


def _text() -> Schema:
    return {"type": ["string", "null"]}


def _text_or_number() -> Schema:
    return {"type": ["string", "number", "null"]}


def _group_schema(parts: Sequence[Part], prefix: tuple[str, ...]) -> Schema:
    """The mapping of the parts under ``prefix``: nested keys, and dotted keys below them; not
    empty (a group left empty is flagged like a part left empty)."""
    properties: Schema = {}
    patterns: Schema = {}
    for path in _paths_below(parts, prefix):
        relative = path[len(prefix) :]
        reference = {"$ref": f"#/$defs/{'.'.join(path)}"}
        if len(relative) == 1:
            properties[relative[0]] = reference
        patterns[_key_pattern(relative)] = reference
    return {
        "type": "object",
        "minProperties": 1,
        "properties": properties,
        "patternProperties": patterns,
        "additionalProperties": False,
    }


def _paths_below(parts: Sequence[Part], prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every part and group path under ``prefix``, in the sheet's order, without repeats."""
    paths: dict[tuple[str, ...], None] = {}
    for part in parts:
        segments = tuple(part.id.split("."))
        if segments[: len(prefix)] == prefix:
            for end in range(len(prefix) + 1, len(segments) + 1):
                paths[segments[:end]] = None
    return list(paths)


def _node_schema(assignment: Assignment, path: tuple[str, ...]) -> Schema:
    """A part's answer, or a group's mapping (a path that is a part id is always the part)."""
    part_id = ".".join(path)
    for part in assignment.parts:
        if part.id == part_id:
            return _part_schema(_with_vocabulary(part, assignment), assignment.vocabulary(part))
    return _group_schema(assignment.parts, path)


def _key_pattern(segments: Sequence[str]) -> str:
    """A key as the grader reads it: any letter case, spaces around each dotted segment."""
    return "^" + r"\.".join(rf"\s*{_any_case(segment)}\s*" for segment in segments) + "$"


def _any_case(text: str) -> str:
    """A regex for ``text`` in any letter case, with ECMA 262 syntax (no inline flags)."""
    out = ""
    for char in text:
        if char.lower() != char.upper():
            out += f"[{char.lower()}{char.upper()}]"
        else:
            out += "\\" + char if char in r"\^$.|?*+()[]{}/" else char
    return out


def _part_schema(part: Part, vocabulary: Mapping[str, Sequence[str]]) -> Schema:
    """One part's answer. Never empty: the grader reads an empty answer (blank, ``{}``, ``[]``)
    as not answered, and the editor shows it as a part still to do."""
    examples = notation_examples(part)
    described: Schema = {"title": f"{part.id}: {part.title}", "description": _description(part)}
    if part.kind == "op_counts":
        return described | _op_counts_schema(part)
    if part.kind == "image":
        image: Schema = {"type": ["object", "string"], "pattern": _NOT_BLANK, "required": ["image"]}
        return described | image | {"properties": {"image": _answered_text()}}
    if part.kind == "text":
        return described | _text_answer_schema()
    if part.kind == "choice":
        return described | _choice_schema(vocabulary, examples, str(described["description"]))
    return described | {"type": ["string", "number"], "pattern": _NOT_BLANK}


def _answered_text() -> Schema:
    return {"type": "string", "pattern": _NOT_BLANK}


def _text_answer_schema() -> Schema:
    """Free text: a paragraph, a list of them, or a mapping of them; at least one not blank."""
    return {
        "type": ["string", "array", "object"],
        "pattern": _NOT_BLANK,
        "items": _text(),
        "contains": _answered_text(),
        "additionalProperties": _text(),
        "minProperties": 1,
    }


def _choice_schema(
    vocabulary: Mapping[str, Sequence[str]], examples: Sequence[str], description: str
) -> Schema:
    """A choice: text naming one of the vocabulary's spellings (never a number), the
    canonical choices offered for completion, every spelling listed on hover."""
    accepted = "; ".join(
        f"{choice} (or {', '.join(others)})" if others else choice
        for choice, others in vocabulary.items()
    )
    return {
        "description": f"{description} Accepted, in any letter case: {accepted}.",
        "type": "string",
        "pattern": choice_pattern(vocabulary),
        "examples": list(examples),
    }


def _description(part: Part) -> str:
    hint = " ".join(_hint(part).split())
    return f"{_summary(part)}. {hint[0].upper()}{hint[1:]}".rstrip(".") + "."


def _op_counts_schema(part: Part) -> Schema:
    """A count per operation type: not empty, each required operation given (under any of its
    names), optional ones possibly left blank."""
    names = {op: None for op in _operations(part)}
    for op, aliases in part.operation_aliases.items():
        names |= {alias: None for alias in (op, *aliases)}
    required = {
        name
        for op in part.required_operations
        for name in (op, *part.operation_aliases.get(op, ()))
    }

    def value(name: str) -> Schema:
        answered: Schema = {"type": ["string", "number"], "pattern": _NOT_BLANK}
        return answered if name in required else _text_or_number()

    return {
        "type": "object",
        "minProperties": 1,
        "properties": {name: value(name) for name in names},
        "patternProperties": {_key_pattern([name]): value(name) for name in names},
        "additionalProperties": False,
    }
