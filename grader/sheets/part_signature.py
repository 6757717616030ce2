"""What grading an answer to a part reads of a variant, so that variants which agree on it
can share what grading remembers.

A class where every student has their own variant writes each answer once per variant, but a
part's expected value usually depends on a few of the varied givens only (a convolution's
parameter count does not change with the GPU's bandwidth): of the 64 variants of roofline-1,
most parts have at most nine different ones (the verdicts on the projections, which read two
varied values each, 22 and 30). Variants with the same signature for a part grade
every answer to it alike, with one exception the memo handles apart: an answer written over
the sheet's symbols (``C*K^2``) has each variant's own value.

The signature holds everything the bundled graders of the kinds in :data:`SHAREABLE_KINDS` read
of the expectations for a part: the part as rendered for the variant (its texts hold the
variant's numbers), its expected value, the values accepted, its alternatives and the mistakes
it inherits, its carry-forward rule and the values of every name that rule reads. A kind not
listed there (counts by operation, whose mistakes are formulas over the givens; sketches; a
kind a sheet registers itself, whose grader may read anything) is never shared. This assumes
the listed kinds are graded by the bundled graders: a sheet that replaced one of them with
``register_grader`` would have to read no more than the signature holds.
"""

from __future__ import annotations

from grader.sheets import bundled_kinds as kinds
from grader.sheets.assignment import Part
from grader.sheets.expectations import Expectations
from grader.sheets.formulas import names_in

SHAREABLE_KINDS = frozenset(
    kind.name for kind in (kinds.COUNT, kinds.REAL, kinds.CHOICE, kinds.COMPLEXITY, kinds.TEXT)
)
"""The kinds whose graders read nothing of a variant but what :func:`part_signature` holds."""


def part_signature(exp: Expectations, part: Part) -> str | None:
    """The part as grading sees it under ``exp`` (equal texts: graded alike); None when its
    kind is never shared."""
    if part.kind not in SHAREABLE_KINDS:
        return None
    rule = exp.assignment.carry_forward.get(part.id)
    read: set[str] = set()
    if rule is not None:
        for formula in rule.formulas:
            read.update(names_in(formula))
        read.update(rule.depends_on)
        if rule.verdict is not None:
            read.update((rule.verdict.intensity, rule.verdict.ridge))
    values = [(name, exp.formula_values.get(name), exp.answers.get(name)) for name in sorted(read)]
    # repr, not hash: floats are written exactly, and the text can be compared for equality.
    return repr(
        (
            part.model_dump(),
            exp.answers.get(part.id),
            exp.accepted.get(part.id),
            exp.alternatives.get(part.id),
            exp.inherited.get(part.id),
            rule.model_dump() if rule is not None else None,
            values,
        )
    )
