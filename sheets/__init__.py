"""The bundled exercise sheets: one folder each, found by being here.

A sheet folder holds ``sheet.yaml`` (givens, parts, grading policy, plots), ``questions.md``
(the questions, with placeholders for the givens), optionally ``solver.py`` (a ``solve``
function, where a formula per part is not enough) and ``samples/`` (answer files named by the
behaviour they show). ``docs/adding-a-sheet.md`` says how to write one.
"""
