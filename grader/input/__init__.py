"""Untrusted files in: bounded reads of student-controlled names, strict YAML/JSON into answer
trees, submissions with their attachments and fingerprints, and who submitted what (LMS
channels, rosters).
"""

__all__ = [
    "answer_tree",
    "attachments",
    "bounded_read",
    "fingerprint",
    "identity",
    "issue_owners",
    "json_strict",
    "loading",
    "roster",
    "student_files",
    "submission",
    "yaml_chunks",
    "yaml_fast",
    "yaml_lines",
    "yaml_salvage",
    "yaml_strict",
    "yaml_tabs",
]
