#!/usr/bin/env bash
# Tests/sdk/run.sh — runs the official-SDK suite (Tests/sdk/test_sdk.py) against
# `outguard serve` in front of mock:echo.
#
#   Tests/sdk/run.sh                 build (debug) if needed, then run every test
#   Tests/sdk/run.sh -k anthropic    extra arguments go to pytest
#
# Env: OUTGUARD_BIN (skip the build, use this binary), OUTGUARD_SDK_UPSTREAM (mock:echo,
# chain, or a URL: see test_sdk.py), SWIFT_BUILD_FLAGS (extra `swift build` flags, e.g.
# "--scratch-path .build-x" or "-c release"), SDK_TEST_TIMEOUT (seconds for pytest, 300).
# Needs what scripts/setup installs, python3 with venv (installed with apt-get when
# missing) and PyPI; the venv is .build/sdk-venv, reused while requirements.txt is unchanged.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf '== %s\n' "$*" >&2; }

if [ -z "${OUTGUARD_BIN:-}" ]; then
  # shellcheck disable=SC2086 # SWIFT_BUILD_FLAGS is a list of flags
  say "building outguard (the first build takes several minutes)"
  timeout 3600 swift build --product outguard ${SWIFT_BUILD_FLAGS:-}
  # shellcheck disable=SC2086
  OUTGUARD_BIN="$(swift build ${SWIFT_BUILD_FLAGS:-} --show-bin-path)/outguard"
fi
[ -x "$OUTGUARD_BIN" ] || { echo "run.sh: no outguard binary at $OUTGUARD_BIN" >&2; exit 1; }
export OUTGUARD_BIN PYTHONDONTWRITEBYTECODE=1

venv=.build/sdk-venv
requirements=Tests/sdk/requirements.txt
stamp=$venv/.requirements
if ! cmp -s "$requirements" "$stamp" 2>/dev/null || [ ! -x "$venv/bin/python" ]; then
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    say "installing python3-venv"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    timeout 600 $sudo apt-get update -qq
    timeout 600 $sudo apt-get install -y -qq python3 python3-venv >/dev/null
  fi
  say "creating $venv and installing $requirements"
  rm -rf "$venv"
  python3 -m venv "$venv"
  timeout 600 "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$stamp"
fi

say "pytest Tests/sdk (outguard: $OUTGUARD_BIN, upstream: ${OUTGUARD_SDK_UPSTREAM:-mock:echo})"
exec timeout "${SDK_TEST_TIMEOUT:-300}" "$venv/bin/python" -m pytest Tests/sdk -q -p no:cacheprovider "$@"
