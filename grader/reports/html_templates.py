"""The HTML pages' Jinja templates (feedback report, review page, question sheet), each
compiled once per process, all with the same settings: autoescaped (everything a student
wrote is text in the page) and strict (a typo in a template fails loudly, never renders
empty)."""

from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, StrictUndefined, Template


@functools.cache
def html_template(name: str) -> Template:
    """The compiled template ``templates/<name>``."""
    return _environment().get_template(name)


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("grader.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
