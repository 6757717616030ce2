"""Fingerprints of answers: what a TA's decision is bound to.

A decision holds for the answer the TA looked at. When the student submits again (or a fixed
file is dropped into the class folder), the answer's fingerprint changes and the decision is
stale: the part goes back to a person instead of the old points being applied to a new answer.
The fingerprint covers the answer's text (not its line: moving an answer is not changing it)
and, for an answer that names an image, the image's content.
"""

from __future__ import annotations

import hashlib
import json

from grader.input.answer_tree import Node

FINGERPRINT_HEX_DIGITS = 16
"""64 bits: collisions between two answers to one part of one student are not a concern."""


def answer_fingerprint(node: Node, attachment: str | None = None) -> str:
    """The fingerprint of an answer (and of the content digest of the file it names).

    >>> answer_fingerprint(Node("288", 3)) == answer_fingerprint(Node("288", 9))
    True
    >>> answer_fingerprint(Node("288", 3)) == answer_fingerprint(Node("289", 3))
    False
    """
    text = json.dumps(_plain(node), ensure_ascii=False, separators=(",", ":"))
    if attachment is not None:
        text += "\0" + attachment
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8)
    return digest.hexdigest()[:FINGERPRINT_HEX_DIGITS]


def refused_fingerprint(reason: str) -> str:
    """The fingerprint of an answer the reader refused (too long, a NUL, broken syntax), of
    which no text is kept: bound to why it was refused, so that a decision on it goes stale
    once the student submits an answer that can be read (or one refused for another reason).

    >>> refused_fingerprint("is longer than 10000 characters") == answer_fingerprint(Node("", 1))
    False
    """
    return answer_fingerprint(Node([Node("refused", None), Node(reason, None)], None))


def content_digest(data: bytes) -> str:
    """A digest of a file's bytes (an image a student submitted)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _plain(node: Node) -> object:
    value = node.value
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return [_plain(child) for child in value]
    return [[key, _plain(child)] for key, child in value.items()]


NO_ANSWER = answer_fingerprint(Node("", None))
"""The fingerprint of an unanswered part: a decision on it goes stale once an answer comes."""
