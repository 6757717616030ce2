"""The command line: the only layer that reads argv, prints and sets exit codes. Each command
parses its options and calls one library function; ``app`` holds the group and what the
commands share."""

from grader.cli import (
    class_commands,
    file_commands,
    gradescope_command,
    sheet_commands,
    sheet_info_commands,
)
from grader.cli.app import main

__all__ = [
    "app",
    "class_commands",
    "file_commands",
    "gradescope_command",
    "main",
    "progress",
    "sheet_commands",
    "sheet_info_commands",
]
