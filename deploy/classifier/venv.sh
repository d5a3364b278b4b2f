# deploy/classifier/venv.sh — sourced by run-tests.sh and hook-e2e.sh: makes the classifier's
# virtual environment when it is missing or its requirements changed, and sets $venv.
#
# Expects $here (this folder) and $root (the repository root). Env: CLASSIFIER_VENV (default
# .build/classifier-venv under the repository root), PYTHON (the interpreter that makes it,
# default python3). Needs python3 with venv (installed with apt-get when missing) and PyPI.
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

