"""Reference solver: pure formulas and the worked solution of each sheet.

Standard library only; never imports ``grader`` (a test enforces this), so the formulas can be
read, checked and reused on their own.
"""

from reference.conventions import Conventions
from reference.sheets import SOLVERS, solve

__all__ = ["SOLVERS", "Conventions", "solve"]
