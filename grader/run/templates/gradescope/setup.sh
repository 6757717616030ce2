#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu; 22.04
# ships Python 3.10, newer images refuse a system-wide pip install). The grader needs Python
# 3.11 or newer: it uses one the image has, or installs 3.11 from Ubuntu's archive, and puts
# the grader in a virtual environment of its own.
set -euo pipefail
SOURCE="${AUTOGRADER_ROOT:-/autograder}/source"
VENV="${GRADER_VENV:-/opt/roofline-grader}"

new_enough() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }

PYTHON=""
for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null && new_enough "$candidate"; then
        PYTHON="$(command -v "$candidate")"
        break
    fi
done
if [ -z "$PYTHON" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq python3.11 python3.11-venv
    PYTHON="$(command -v python3.11)"
fi
if ! "$PYTHON" -m venv --clear "$VENV"; then
    # Debian and Ubuntu ship the venv module apart (python3.X-venv).
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "$("$PYTHON" -c 'import sys; print("python%d.%d-venv" % sys.version_info[:2])')"
    "$PYTHON" -m venv --clear "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$SOURCE"/__WHEEL__
chmod +x "$SOURCE/run_autograder"
"$VENV/bin/grader" --version
