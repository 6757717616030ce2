"""Automatic grader for quantitative exercise sheets on performance modeling."""

__version__ = "0.1.0"
