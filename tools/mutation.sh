#!/usr/bin/env bash
# Mutation testing of the answer key (reference/) and the grading predicates, with mutmut
# (configured in pyproject.toml, [tool.mutmut]). Needs the test extra: pip install -e '.[test]'.
#
#   bash tools/mutation.sh                        # full run from scratch, then the score
#   bash tools/mutation.sh 'grader.compare.*'     # rerun some mutants (kept results for the rest)
#   bash tools/mutation.sh --score                # the score of the last run, nothing rerun
#
# One test process at a time (MUTATION_JOBS to change it): the machines it runs on are shared.
# The score lists every survivor that mutation-survivors.md does not explain, and exits 1 when
# one exists or a target (95 % killed) is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
if [[ "${1:-}" != "--score" ]]; then
    if [[ $# -eq 0 ]]; then
        rm -rf mutants  # a full run starts from nothing: no result is carried over
    fi
    "$python" -m mutmut run --max-children "${MUTATION_JOBS:-1}" "$@"
fi
"$python" tools/mutation_score.py
