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
venv="${CLASSIFIER_VENV:-$root/.build/classifier-venv}"
python="${PYTHON:-python3}"

say() { printf '== %s\n' "$*" >&2; }

# What was installed is remembered as the requirement files' hash, inside the venv itself.
stamp="$venv/.requirements.sha256"
want="$(cat "$here/requirements.txt" "$here/requirements-test.txt" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    say "installing python3-venv"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    timeout 600 $sudo apt-get update -qq
    timeout 600 $sudo apt-get install -y -qq python3-venv >/dev/null
  fi
  say "creating $venv and installing the classifier's requirements"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  timeout 900 "$venv/bin/pip" install -q --disable-pip-version-check \
    -r "$here/requirements.txt" -r "$here/requirements-test.txt"
  echo "$want" >"$stamp"
fi

say "classifier service tests"
cd "$here"
# No .pytest_cache or __pycache__ left in the source folder.
export PYTHONDONTWRITEBYTECODE=1
exec timeout "${CLASSIFIER_TEST_TIMEOUT:-600}" "$venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
