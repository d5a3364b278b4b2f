#!/usr/bin/env bash
# deploy/classifier/hook-e2e.sh — runs Outguard against the real reference classifier
# service: the hook client (Tests/OutguardHooksTests/ReferenceServiceTests.swift) and the
# daemon with classifier rules in front of a test upstream
# (Tests/OutguardProxyTests/EndToEnd/ReferenceClassifierTests.swift).
#
#   deploy/classifier/hook-e2e.sh          the tests
#   deploy/classifier/hook-e2e.sh bench    `outguard bench hooks` (release build) instead
#
# Makes the classifier's venv (venv.sh), starts four instances on 127.0.0.1 with ports the
# system chooses (normal, --delay-ms 2000, --garbage, and one a test stops), waits for each
# one's `listening on` line, and runs the tests with their URLs in OUTGUARD_CLASSIFIER_URL,
# OUTGUARD_CLASSIFIER_SLOW_URL, OUTGUARD_CLASSIFIER_GARBAGE_URL and
# OUTGUARD_CLASSIFIER_STOPPABLE_URL (its pid in OUTGUARD_CLASSIFIER_STOPPABLE_PID). The
# tests are enabled only when those are set; this script fails if they were skipped or did
# not run.
# Env: CLASSIFIER_VENV, PYTHON (see venv.sh), HOOK_E2E_TIMEOUT (seconds for swift, default 1800).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$here/venv.sh"
mode="${1:-test}"

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Starts one instance with the given flags and sets $started to its base URL. (Not a
# command substitution: its subshell would keep the pid from the cleanup.)
start() {
  local name="$1"; shift
  PYTHONDONTWRITEBYTECODE=1 "$venv/bin/python" "$here/server.py" --host 127.0.0.1 --port 0 "$@" \
    >"$work/$name.out" 2>"$work/$name.err" &
  pids+=("$!")
  local pid="$!"
  for _ in $(seq 1 300); do
    local line
    line="$(grep -m1 -o 'listening on http://[^ ]*' "$work/$name.out" 2>/dev/null || true)"
    if [ -n "$line" ]; then started="${line#listening on }"; return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  say "the $name classifier did not start:"; cat "$work/$name.err" >&2
  return 1
}

say "starting the reference classifier (normal, slow, garbage, stoppable)"
start normal; OUTGUARD_CLASSIFIER_URL="$started"
start slow --delay-ms 2000; OUTGUARD_CLASSIFIER_SLOW_URL="$started"
start garbage --garbage; OUTGUARD_CLASSIFIER_GARBAGE_URL="$started"
start stoppable; OUTGUARD_CLASSIFIER_STOPPABLE_URL="$started"; OUTGUARD_CLASSIFIER_STOPPABLE_PID="${pids[-1]}"
export OUTGUARD_CLASSIFIER_URL OUTGUARD_CLASSIFIER_SLOW_URL OUTGUARD_CLASSIFIER_GARBAGE_URL \
  OUTGUARD_CLASSIFIER_STOPPABLE_URL OUTGUARD_CLASSIFIER_STOPPABLE_PID
say "classifier at $OUTGUARD_CLASSIFIER_URL"

cd "$root"
limit="${HOOK_E2E_TIMEOUT:-1800}"
if [ "$mode" = bench ]; then
  timeout "$limit" swift run -c release outguard bench hooks --url "$OUTGUARD_CLASSIFIER_URL"
  exit
fi

say "the hook client and the daemon against the reference classifier"
set +e
timeout "$limit" swift test --filter 'ReferenceServiceTests|ReferenceClassifierTests' 2>&1 | tee "$work/swift-test.log"
status="${PIPESTATUS[0]}"
set -e
[ "$status" -eq 0 ] || exit "$status"
for suite in ReferenceServiceTests ReferenceClassifierTests; do
  if grep -q "$suite.*skipped" "$work/swift-test.log" || ! grep -q "Suite $suite passed" "$work/swift-test.log"; then
    say "the $suite did not run"
    exit 1
  fi
done
