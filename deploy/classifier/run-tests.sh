#!/usr/bin/env bash
# deploy/classifier/run-tests.sh — runs the classifier service's own tests (test_server.py).
#
#   deploy/classifier/run-tests.sh              every test
#   deploy/classifier/run-tests.sh -k delay     extra arguments go to pytest
#
# Env: CLASSIFIER_VENV (the virtual environment, default .build/classifier-venv under the
# repository root), PYTHON (the interpreter that makes it, default python3).
# The venv is made once and reinstalled only when a requirements file changed, so a second
# run starts the tests at once. Needs python3 with venv (installed with apt-get when missing)
# and PyPI.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$here/venv.sh"

say "classifier service tests"
cd "$here"
# No .pytest_cache or __pycache__ left in the source folder.
export PYTHONDONTWRITEBYTECODE=1
exec timeout "${CLASSIFIER_TEST_TIMEOUT:-600}" "$venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
