"""Reference formulas: pure, standard-library counting and roofline formulas that the sheets'
solvers wire together (each sheet's solver lives in its folder under ``sheets/``).

Standard library only; never imports ``grader`` (a test enforces this), so the formulas can be
read, checked and reused on their own.
"""

from reference.conventions import Conventions

__all__ = ["Conventions"]
