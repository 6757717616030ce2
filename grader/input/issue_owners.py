"""Which parts a problem found while loading a file (a salvaged syntax error, a refused value)
belongs to: the parts whose text it holds, so that those are ``invalid`` with the reason and
the parts never written there stay ``missing``."""

from __future__ import annotations

from collections.abc import Sequence

from grader.input.answer_tree import LoadIssue

__all__ = ["issue_owners"]


def issue_owners(issue: LoadIssue, part_ids: Sequence[str]) -> list[str]:
    """The parts under the issue's key (``answers.q2``); where the broken text names keys of
    its own (``q2: {a: [1``), at each level only the parts under those, since the others were
    never written there. The whole answers block counts only with keys named inside it."""
    key = (issue.key or "").lower().removeprefix("answers").strip(".")
    inside = {name.lower() for name in issue.inside}
    children = _children(part_ids)
    return [pid for pid in part_ids if _holds(key, pid, inside, children)]


def _children(part_ids: Sequence[str]) -> dict[str, set[str]]:
    """What each group holds one level down ("" holds the questions: q1, q2, ...)."""
    groups: dict[str, set[str]] = {}
    for part_id in part_ids:
        pieces = part_id.split(".")
        for depth in range(len(pieces)):
            groups.setdefault(".".join(pieces[:depth]), set()).add(pieces[depth])
    return groups


def _holds(key: str, part_id: str, inside: set[str], children: dict[str, set[str]]) -> bool:
    """Whether a broken value of ``key`` (``""``: the whole answers block), with the keys
    ``inside`` it, holds the part's text: at each level below ``key``, the part's key is named
    there, or no key of that level is (then the text there may be any of them)."""
    if key and (part_id == key or key.startswith(part_id + ".")):
        return True
    if key and not part_id.startswith(key + "."):
        return False
    if not key and not inside:
        return False  # a broken file with nothing to tell its parts apart: the file's problem
    group = key
    for segment in (part_id[len(key) + 1 :] if key else part_id).split("."):
        named = inside & children.get(group, set())
        if named and segment not in named:
            return False
        if not named:
            return True
        group = f"{group}.{segment}" if group else segment
    return True
