#!/usr/bin/env bash
# Tests/browser/run.sh — opens the review page of a real `outguard serve` in headless
# Chromium (Tests/browser/test_review_page.py): sign in with the token, read the counts,
# filter, label a finding, and check the feedback record in the log file.
#
#   Tests/browser/run.sh             build (debug) if needed, then run the test
#   Tests/browser/run.sh -k filter   extra arguments go to pytest
#
# Env: OUTGUARD_BIN (skip the build, use this binary), BROWSER_TEST_TIMEOUT (seconds for
# pytest, 300). Installs chromium, chromium-driver, fonts-vlgothic and python3-venv with
# apt-get when missing, as root or through sudo; the venv is .build/browser-venv, reused
# while requirements.txt is unchanged. Writes the screenshot to .build/review-screenshot.png.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf '== %s\n' "$*" >&2; }

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
# A Japanese font, so the screenshot shows the fixture's Japanese contexts, not boxes.
dpkg -s fonts-vlgothic >/dev/null 2>&1 || missing+=(fonts-vlgothic)
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 $sudo apt-get update -qq
  timeout 900 $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
CHROMIUM_BIN="$(command -v chromium)"
CHROMEDRIVER_BIN="$(command -v chromedriver)"
export CHROMIUM_BIN CHROMEDRIVER_BIN

if [ -z "${OUTGUARD_BIN:-}" ]; then
  say "building outguard (the first build takes several minutes)"
  timeout 3600 swift build --product outguard
  OUTGUARD_BIN="$(swift build --show-bin-path)/outguard"
fi
[ -x "$OUTGUARD_BIN" ] || { echo "run.sh: no outguard binary at $OUTGUARD_BIN" >&2; exit 1; }
export OUTGUARD_BIN PYTHONDONTWRITEBYTECODE=1
# Selenium must use the driver it is given, never fetch one.
export SE_OFFLINE=true

venv=.build/browser-venv
requirements=Tests/browser/requirements.txt
stamp=$venv/.requirements
if ! cmp -s "$requirements" "$stamp" 2>/dev/null || [ ! -x "$venv/bin/python" ]; then
  say "creating $venv and installing $requirements"
  rm -rf "$venv"
  python3 -m venv "$venv"
  timeout 600 "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$stamp"
fi

say "pytest Tests/browser (outguard: $OUTGUARD_BIN, chromium: $CHROMIUM_BIN)"
exec timeout "${BROWSER_TEST_TIMEOUT:-300}" "$venv/bin/python" -m pytest Tests/browser -q -s -p no:cacheprovider "$@"
