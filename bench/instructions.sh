#!/usr/bin/env bash
# bench/instructions.sh — the instructions one answer of an `outguard bench proxy` case
# takes, counted by valgrind (all threads, the log's writer included).
#
# Timings on a shared 2-core machine move by 10-30% from one minute to the next, more
# than most single changes to the data path or the log save; an instruction count does
# not move at all, so two builds can be told apart by one run each. It says nothing of
# cache misses or lock waits: confirm a change with `bench/load.sh --compare` too.
#
# Usage:  bench/instructions.sh [CASE] [BIN...]
#           CASE  the bench case, or text in its name (default: "log alone")
#           BIN   outguard binaries to count (default: the release build)
# Each binary runs the case twice, with 100 and 4,100 answers, and the difference is
# divided by 4,000, so the start (loading and compiling the rules) cancels out. About
# two minutes a binary. Needs valgrind (installed with apt-get when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
case_name=${1:-log alone}
shift || true
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=("$(swift build -c release --show-bin-path)/outguard")

if ! command -v valgrind >/dev/null; then
  echo "instructions.sh: installing valgrind" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 $sudo apt-get update -qq
  timeout 300 $sudo apt-get install -y -qq valgrind >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/outguard-instructions.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The instructions of one run of the case with `answers` answers.
count() {  # binary answers
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" bench proxy --rule-paths "$root/rules/" \
    --case "$case_name" --answers "$2" --passes 1 2>&1 >/dev/null | awk '/Collected :/ { print $4 }'
}

for bin in "${bins[@]}"; do
  [ -x "$bin" ] || { echo "instructions.sh: no outguard binary at $bin" >&2; exit 1; }
  # valgrind cannot read the debug information Swift writes; the symbols are enough.
  stripped="$work/$(basename "$bin")-$RANDOM"
  strip --strip-debug -o "$stripped" "$bin"
  few=$(count "$stripped" 100)
  many=$(count "$stripped" 4100)
  [ -n "$few" ] && [ -n "$many" ] || { echo "instructions.sh: valgrind gave no count for $bin" >&2; exit 1; }
  printf '%s  "%s": %s instructions per answer\n' "$bin" "$case_name" "$(((many - few) / 4000))"
done
