#!/usr/bin/env bash
# bench/log_summary.sh — how long `outguard logs summary` takes over a big violation log.
#
# Writes 1,000,000 realistic records (bench/log_records.py: violations of 20 rules in
# shadow and enforce mode with Japanese and English context, request summaries, feedback,
# engine errors, reloads; about 470 MB in a log and two rotated files) into a temporary
# folder, then runs `outguard logs summary` on them (by rule, then by day) under
# /usr/bin/time -v and prints the wall time and peak memory of each. Target: under 5 s.
#
# Usage:  bench/log_summary.sh     (about a minute, most of it writing the records)
# Env:    OUTGUARD_BIN    the binary (default: the release build; built if missing)
#         BENCH_RECORDS   how many records (default 1000000)
# Needs python3; installs GNU time with apt-get when /usr/bin/time is missing (as root or
# through sudo). The temporary folder is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

records=${BENCH_RECORDS:-1000000}
bin=${OUTGUARD_BIN:-.build/release/outguard}

say() { printf '== %s\n' "$*" >&2; }

if [ ! -x /usr/bin/time ]; then
  say "installing GNU time"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 $sudo apt-get update -qq
  timeout 300 $sudo apt-get install -y -qq time >/dev/null
fi
if [ ! -x "$bin" ]; then
  say "building the release binary"
  timeout 1800 swift build -c release --product outguard >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say "writing $records records"
timeout 600 python3 bench/log_records.py "$work/violations.jsonl" "$records"
printf '%s records, %s MB in %s files\n' "$records" "$(du -cm "$work"/violations.jsonl* | tail -1 | cut -f1)" \
  "$(ls "$work" | wc -l)"

# Each run reads the log and its rotated files through a quoted glob, as a user gathering
# logs would; the first run also warms the page cache, so the rest read from memory.
run() {
  local label=$1; shift
  timeout 120 /usr/bin/time -v "$bin" logs summary "$work/violations.jsonl*" "$@" >"$work/out" 2>"$work/time" \
    || { cat "$work/time" >&2; exit 1; }
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
  printf '%-22s wall %s  peak RSS %s MB\n' "$label" "$wall" "$((rss / 1024))"
}
run "warm-up (by rule)"
run "by rule"
run "by day"  --by day
run "by model, since 7d" --by model --since 7d
say "summary by rule"
"$bin" logs summary "$work/violations.jsonl*"
