#!/usr/bin/env bash
# bench/load.sh — what `outguard serve` costs on the data path, against an nginx proxy hop.
#
# On loopback only:
#   direct    nginx serving a fixed OpenAI chat completion (a ~2 KB answer, non-streamed JSON)
#             and the same answer as a ~60-event SSE stream: the upstream
#   nginx hop a second nginx server that proxy_passes to `direct` (keep-alive upstream,
#             unbuffered for the stream): the reference a proxy is measured against
#   outguard  `outguard serve` (release build) in front of `direct`, with the shipped
#             outguard.yaml and every shipped rule pack (the answer is clean: every byte is
#             scanned, nothing fires)
#   outguard, no rules   the same daemon with no rule loaded: what the proxy itself costs
# wrk (2 threads; 16 and 64 connections; non-streamed and streamed) gives requests/s and
# p50/p99 latency, and with one connection the latency without queueing; curl gives the
# median time to first byte of a stream (50 runs); then
# Outguard's memory: VmHWM after the load, and VmRSS/VmHWM of a second instance holding
# 1,000 streams open in front of a slow upstream (bench/slow_upstream.py). The report
# ends with each speed goal of the proxy and log issues and whether this run met it.
#
# Usage:  bench/load.sh            (writes bench/results.md; about 8 minutes)
#         bench/load.sh --serve    sets up the same world, prints its URLs and process ids,
#                                  and keeps it running until Ctrl-C, to profile one target
#                                  by hand (e.g. `perf record -g -p PID` while wrk runs)
#         bench/load.sh --compare OTHER_BIN
#                                  sets up the same world, runs OTHER_BIN next to the
#                                  binary under test, both with the shipped config and its
#                                  log, loads both at the same moment (a wrk with 32
#                                  connections each; three rounds of JSON and streamed
#                                  answers, clean and with findings) and prints the binary
#                                  under test's requests/s ÷ OTHER_BIN's, and its CPU time
#                                  per answer ÷ OTHER_BIN's: how to tell two builds apart
#                                  on a machine where runs one after the other move by
#                                  10-30% (about 2 minutes)
# Env:    OUTGUARD_BIN       the binary (default: the release build; built with
#                            --static-swift-stdlib, as the container ships it, if missing)
#         BENCH_DURATION     seconds per wrk run (default 6)
#         BENCH_ROUNDS       rounds of every target in turn, for the main table (default 3)
#         BENCH_STREAMS      open streams for the memory test (default 1000)
#         BENCH_OUT          where the table goes (default bench/results.md)
# Needs nginx and wrk (installed with apt-get when missing, as root or through sudo) and
# python3 (standard library only). Everything it starts runs as the current user from a
# temporary folder and is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

serve_only=false
compare_bin=""
case "${1:-}" in
  --serve) serve_only=true ;;
  --compare) compare_bin=${2:?"--compare needs the other outguard binary"} ;;
esac
duration=${BENCH_DURATION:-6}
rounds=${BENCH_ROUNDS:-3}
streams=${BENCH_STREAMS:-1000}
out=${BENCH_OUT:-bench/results.md}
started_at=$SECONDS
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'load.sh: %s\n' "$*" >&2; exit 1; }

# --- tools --------------------------------------------------------------------------
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$nginx_bin" ] || ! command -v wrk >/dev/null; then
  say "installing nginx and wrk"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 $sudo apt-get update -qq
  timeout 300 $sudo apt-get install -y -qq nginx-light wrk >/dev/null 2>&1 \
    || timeout 300 $sudo apt-get install -y -qq nginx wrk >/dev/null
  # The package may start a system nginx on :80; this script never uses it.
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
fi
command -v python3 >/dev/null || die "python3 is needed"
command -v curl >/dev/null || die "curl is needed"

bin=${OUTGUARD_BIN:-}
if [ -z "$bin" ]; then
  bin="$(swift build -c release --show-bin-path)/outguard"
  if [ ! -x "$bin" ]; then
    say "building the release binary (several minutes; not counted in the benchmark)"
    swift build -c release --static-swift-stdlib --product outguard
  fi
fi
[ -x "$bin" ] || die "no outguard binary at $bin"
# The container image's binary links the Swift runtime statically; a binary that loads
# libswiftCore.so runs the data path about 10% slower (every retain and release goes
# through the PLT). The report says which one was measured.
swift_runtime=static
if ldd "$bin" 2>/dev/null | grep -q libswiftCore; then
  swift_runtime="shared (libswiftCore.so; build with --static-swift-stdlib to measure what ships)"
  say "note: $bin loads the Swift runtime as a shared library: $swift_runtime"
fi

# --- a temporary world, always cleaned up ---------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/outguard-bench.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits (at most 20 s) until `curl ARGS` succeeds.
wait_for() {
  local what=$1; shift
  for _ in $(seq 200); do
    curl -sf -o /dev/null --max-time 1 "$@" && return 0
    sleep 0.1
  done
  die "$what did not answer"
}

# Starts `outguard serve --config CONFIG ARGS…` in the background; sets og_pid.
start_outguard() {
  local port=$1 config=$2; shift 2
  # The violation log goes to the temporary world, unless no_log=1 (a config without one).
  local log_env=("OUTGUARD_LOG_PATH=$work/${log_name:-violations}.jsonl")
  [ "${no_log:-0}" = 1 ] && log_env=()
  env "${log_env[@]}" "${og_bin:-$bin}" serve --config "$config" \
    --listen "127.0.0.1:$port" "$@" 2>>"$work/outguard.log" &
  og_pid=$!
  pids+=("$og_pid")
  wait_for "outguard on :$port" -X POST -H 'Content-Type: application/json' \
    --data '{"model":"m","messages":[{"role":"user","content":"ping"}]}' "http://127.0.0.1:$port/v1/chat/completions"
}

stop_pid() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

vm() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

# --- the fixed answer, in the shapes mock:echo gives --------------------------------
mkdir -p "$work/www" "$work/nginx"
cat >"$work/answer.txt" <<'EOF'
A sidecar proxy is a small process that runs next to your application and handles its network traffic. Because it shares the host with the application, a request reaches it over the loopback interface, and the extra hop costs very little: no network card, no routing, only a copy through the kernel. That is why sidecars are a common way to add behaviour to a service without changing its code. Typical examples are mutual TLS, retries with backoff, rate limits, request logging and, for language models, checks on what the model writes before the user sees it.

To introduce a sidecar safely, start with a mode that observes and changes nothing. Send a share of the real traffic through it, read what it reports, and compare that with what you expected. When the reports look right, switch it to enforcing for a small group of users, watch the error rates and the latency for a day, and then widen the group step by step. Keep the previous configuration at hand so that a rollback is one command.

Streaming answers need extra care. A chat interface shows the words as they arrive, so a proxy must not hold the whole answer back until it ends; it should pass each event on as soon as it knows that the text in it is acceptable. The proxy therefore keeps only the short tail of text that could still turn out to be part of something it has to remove, and releases everything before that tail at once. For most answers that tail is a few characters long, and the reader cannot tell that anything sits between the model and the screen.

Finally, measure before you decide. Compare the proxy with a plain reverse proxy on the same machine, at the same concurrency, with answers of a realistic size, and look at the slowest requests as well as the average. A difference that matters at the ninety-ninth percentile may be invisible in the mean, and the opposite is also true. Write the numbers down together with the machine, the versions and the settings, so that the next person can repeat the run and see whether a change made things better or worse.
EOF
python3 - "$work" <<'EOF'
import json, sys
work = sys.argv[1]
text = open(f"{work}/answer.txt").read().strip()
for name, stream in (("request.json", False), ("request-stream.json", True)):
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]}
    if stream:
        body["stream"] = True
    json.dump(body, open(f"{work}/{name}", "w"))
EOF

say "generating the upstream answers with outguard's mock:echo"
gen_port=$(free_port)
start_outguard "$gen_port" "$root/outguard.yaml" --upstream mock:echo
gen_pid=$og_pid
curl -sf --max-time 10 -X POST -H 'Content-Type: application/json' --data @"$work/request.json" \
  "http://127.0.0.1:$gen_port/v1/chat/completions" -o "$work/www/answer.json"
curl -sf --max-time 10 -N -X POST -H 'Content-Type: application/json' --data @"$work/request-stream.json" \
  "http://127.0.0.1:$gen_port/v1/chat/completions" -o "$work/mock.sse"
stop_pid "$gen_pid"

# mock:echo streams a word an event; real models send a few tokens an event. Regroup the
# content deltas into 60 events, every other field as the mock wrote it.
python3 - "$work" <<'EOF'
import json, sys
work = sys.argv[1]
answer = json.load(open(f"{work}/www/answer.json"))
expected = answer["choices"][0]["message"]["content"]
events = [e for e in open(f"{work}/mock.sse").read().split("\n\n") if e.strip()]
payloads = [e[len("data: "):] for e in events]
assert payloads[-1] == "[DONE]", payloads[-1]
chunks = [json.loads(p) for p in payloads[:-1]]
role, finish = chunks[0], chunks[-1]
content = [c for c in chunks[1:-1]]
pieces = [c["choices"][0]["delta"]["content"] for c in content]
assert "".join(pieces) == expected
groups = 60
size = -(-len(pieces) // groups)
out = [role]
for start in range(0, len(pieces), size):
    chunk = json.loads(json.dumps(content[0]))
    chunk["choices"][0]["delta"]["content"] = "".join(pieces[start:start + size])
    out.append(chunk)
out.append(finish)
with open(f"{work}/www/stream.sse", "w") as f:
    for c in out:
        f.write("data: " + json.dumps(c, ensure_ascii=False, separators=(",", ":")) + "\n\n")
    f.write("data: [DONE]\n\n")
# The same answers with three findings (two addresses, a phone number) in the first text:
# what the violation log's cost is measured with.
leak = "Write to taro.yamada@example.co.jp or sales@example.com, or call 03-1234-5678. "
answer["choices"][0]["message"]["content"] = leak + expected
json.dump(answer, open(f"{work}/www/answer-findings.json", "w"), ensure_ascii=False, separators=(",", ":"))
out[1]["choices"][0]["delta"]["content"] = leak + out[1]["choices"][0]["delta"]["content"]
with open(f"{work}/www/stream-findings.sse", "w") as f:
    for c in out:
        f.write("data: " + json.dumps(c, ensure_ascii=False, separators=(",", ":")) + "\n\n")
    f.write("data: [DONE]\n\n")
print(f"answer: {len(expected.encode())} bytes of text, answer.json {len(open(f'{work}/www/answer.json','rb').read())} bytes, "
      f"stream.sse {len(out) + 1} events, {len(open(f'{work}/www/stream.sse','rb').read())} bytes", file=sys.stderr)
EOF

# --- nginx: direct (static answers) and the hop --------------------------------------
direct_port=$(free_port); hop_port=$(free_port)
user_line=""; [ "$(id -u)" -eq 0 ] && user_line="user root;"
cat >"$work/nginx.conf" <<EOF
$user_line
worker_processes 2;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
worker_rlimit_nofile 20000;
events { worker_connections 8192; }
http {
  access_log off;
  sendfile on;
  tcp_nodelay on;
  keepalive_requests 100000000;
  keepalive_timeout 75s;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  types { application/json json; text/event-stream sse; }
  default_type application/octet-stream;

  # The request body says stream or not; nginx cannot read it, so the benchmark's
  # requests say it again in a header.
  # X-Bench-Findings: f picks the answers with findings.
  map "\$http_x_bench_stream\$http_x_bench_findings" \$answer {
    default /answer.json; 1 /stream.sse; f /answer-findings.json; 1f /stream-findings.sse;
  }

  upstream direct {
    server 127.0.0.1:$direct_port;
    keepalive 256;
    keepalive_requests 100000000;
  }

  # direct: POST /v1/chat/completions answers with a static file. A POST to a static
  # file is a 405, which error_page turns into a GET of the same file with status 200.
  server {
    listen 127.0.0.1:$direct_port backlog=4096;
    root $work/www;
    error_page 405 =200 \$uri;
    location = /v1/chat/completions { rewrite ^ \$answer last; }
    # X-Accel-Buffering: no makes the hop (and any nginx) pass the stream unbuffered.
    location ~ ^/stream(-findings)?\.sse$ { add_header X-Accel-Buffering no; add_header Cache-Control no-cache; }
    location / { }
  }

  # nginx hop: a plain reverse proxy in front of direct, no filtering.
  server {
    listen 127.0.0.1:$hop_port backlog=4096;
    location / {
      proxy_pass http://direct;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
say "starting nginx (direct :$direct_port, hop :$hop_port)"
"$nginx_bin" -p "$work/nginx" -c "$work/nginx.conf" -e "$work/nginx-error.log" &
pids+=($!)
wait_for "nginx" -X POST --data '{}' "http://127.0.0.1:$direct_port/v1/chat/completions"
wait_for "nginx hop" -X POST --data '{}' "http://127.0.0.1:$hop_port/v1/chat/completions"

og_port=$(free_port)
say "starting outguard (release) on :$og_port in front of direct, all shipped packs"
start_outguard "$og_port" "$root/outguard.yaml" --upstream "http://127.0.0.1:$direct_port"
og_main=$og_pid
rss_start=$(vm "$og_main" VmRSS)
bare_port=$(free_port)
mkdir -p "$work/no-rules"
printf 'upstream: mock:echo\nrules: [no-rules/]\n' >"$work/no-rules.yaml"
say "starting outguard with no rules on :$bare_port"
start_outguard "$bare_port" "$work/no-rules.yaml" --upstream "http://127.0.0.1:$direct_port"
og_bare=$og_pid
# The violation log's cost: the shipped config with the log (og_main, through
# OUTGUARD_LOG_PATH) against the same config without it, both on answers with findings.
unlogged_port=$(free_port)
sed -e '/^log:/,/^$/d' -e "s|^rules:.*|rules: [$root/rules/]|" "$root/outguard.yaml" >"$work/unlogged.yaml"
say "starting outguard without the violation log on :$unlogged_port"
no_log=1 start_outguard "$unlogged_port" "$work/unlogged.yaml" --upstream "http://127.0.0.1:$direct_port"
og_unlogged=$og_pid

declare -A url=(
  [direct]="http://127.0.0.1:$direct_port/v1/chat/completions"
  [hop]="http://127.0.0.1:$hop_port/v1/chat/completions"
  [outguard]="http://127.0.0.1:$og_port/v1/chat/completions"
  [bare]="http://127.0.0.1:$bare_port/v1/chat/completions"
  [unlogged]="http://127.0.0.1:$unlogged_port/v1/chat/completions"
)
targets=(direct hop outguard bare)

# --- check that all three answer the same, POST included ----------------------------
say "checking the answers"
for target in "${targets[@]}"; do
  curl -sf --max-time 10 -X POST -H 'Content-Type: application/json' --data @"$work/request.json" \
    -D "$work/$target.json.head" -o "$work/$target.json" "${url[$target]}"
  curl -sf --max-time 10 -N -X POST -H 'Content-Type: application/json' -H 'X-Bench-Stream: 1' \
    --data @"$work/request-stream.json" -D "$work/$target.sse.head" -o "$work/$target.sse" "${url[$target]}"
  cmp -s "$work/$target.json" "$work/www/answer.json" || die "$target: the JSON answer differs from answer.json"
  cmp -s "$work/$target.sse" "$work/www/stream.sse" || die "$target: the stream differs from stream.sse"
  grep -qi '^content-type: text/event-stream' "$work/$target.sse.head" || die "$target: the stream is not text/event-stream"
done
grep -qi '^outguard-action: pass' "$work/outguard.json.head" || die "outguard did not say Outguard-Action: pass"
checks="non-streamed and streamed answers are byte-identical through all four (the answer is clean: Outguard-Action pass)"

# --- wrk ----------------------------------------------------------------------------
cat >"$work/json.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"
wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Tell me about sidecar proxies."}]}'
EOF
cat >"$work/stream.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"
wrk.headers["X-Bench-Stream"] = "1"
wrk.body = '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Tell me about sidecar proxies."}]}'
EOF

# The same requests for the answers with findings.
for mode in json stream; do
  sed 's/^wrk.headers\["Content-Type"\].*/&\nwrk.headers["X-Bench-Findings"] = "f"/' "$work/$mode.lua" >"$work/findings-$mode.lua"
done

# The CPU time (user and system, in clock ticks) a process has used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Loads `first` and `second` at the same moment, a wrk each with 32 connections, so that
# both see the same machine: runs one after the other moved by 10-30% here. Writes the
# CPU time each of the two daemons (`pid_of`) used meanwhile to $work/wrk/LUA-cpu-ROUND.txt.
declare -A pid_of=([outguard]=$og_main [unlogged]=$og_unlogged)
run_pair() {  # lua seconds round first second
  local ticks=("$(cpu_ticks "${pid_of[$4]}")" "$(cpu_ticks "${pid_of[$5]}")")
  timeout $(($2 + 30)) wrk -t1 -c32 -d"$2s" --timeout 5s --latency -s "$work/$1.lua" "${url[$4]}" \
    >"$work/wrk/$1-$4-$3.txt" 2>&1 &
  local first=$!
  timeout $(($2 + 30)) wrk -t1 -c32 -d"$2s" --timeout 5s --latency -s "$work/$1.lua" "${url[$5]}" \
    >"$work/wrk/$1-$5-$3.txt" 2>&1 || die "wrk failed: $(cat "$work/wrk/$1-$5-$3.txt")"
  wait "$first" || die "wrk failed: $(cat "$work/wrk/$1-$4-$3.txt")"
  echo "$(($(cpu_ticks "${pid_of[$4]}") - ticks[0])) $(($(cpu_ticks "${pid_of[$5]}") - ticks[1]))" \
    >"$work/wrk/$1-cpu-$3.txt"
}
mkdir -p "$work/wrk"

if [ -n "$compare_bin" ]; then
  [ -x "$compare_bin" ] || die "no outguard binary at $compare_bin"
  other_port=$(free_port)
  say "starting the other binary ($compare_bin) on :$other_port, shipped config and log"
  og_bin=$compare_bin log_name=violations-other start_outguard "$other_port" "$root/outguard.yaml" \
    --upstream "http://127.0.0.1:$direct_port"
  og_other=$og_pid
  pid_of[other]=$og_other
  url[other]="http://127.0.0.1:$other_port/v1/chat/completions"
  printf '%s ÷ %s, both loaded at once (a wrk with 32 connections each, %s s a round): requests/s,\n' \
    "$bin" "$compare_bin" "$duration"
  printf 'and CPU time per answer (below 1: the binary under test works less for an answer):\n\n'
  printf '| answers | req/s, rounds 1-3 | median | CPU per answer, rounds 1-3 | median |\n'
  printf '| --- | ---: | ---: | ---: | ---: |\n'
  median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
  for lua in json stream findings-json findings-stream; do
    run_pair "$lua" 2 warmup outguard other
    rates=() costs=()
    for round in 1 2 3; do
      say "$lua, round $round"
      run_pair "$lua" "$duration" "$round" outguard other
      read -r rate cost < <(python3 - "$work/wrk/$lua-outguard-$round.txt" "$work/wrk/$lua-other-$round.txt" \
        "$work/wrk/$lua-cpu-$round.txt" <<'PY'
import re, sys
def answers(path):
    text = open(path).read()
    return float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)), int(re.search(r"(\d+) requests in", text).group(1))
(mine, mine_n), (other, other_n) = answers(sys.argv[1]), answers(sys.argv[2])
mine_ticks, other_ticks = map(int, open(sys.argv[3]).read().split())
print(f"{mine / other:.3f} {(mine_ticks / mine_n) / (other_ticks / other_n):.3f}")
PY
)
      rates+=("$rate") costs+=("$cost")
    done
    printf '| %s | %s | **%s** | %s | **%s** |\n' "$lua" "${rates[*]}" "$(median "${rates[@]}")" \
      "${costs[*]}" "$(median "${costs[@]}")"
  done
  exit 0
fi

if $serve_only; then
  for target in "${targets[@]}"; do printf '%-9s %s\n' "$target" "${url[$target]}"; done
  printf '%-9s %s\n' unlogged "${url[unlogged]}"
  printf 'pids: outguard %s, outguard without rules %s, outguard without the log %s\n' "$og_main" "$og_bare" \
    "$og_unlogged"
  printf 'streams: add the header X-Bench-Stream: 1 (and "stream": true); wrk -s %s/json.lua or stream.lua\n' "$work"
  say "serving until Ctrl-C"
  wait
  exit 0
fi

run_wrk() {  # mode connections target seconds output
  local threads=$(($2 < 2 ? 1 : 2))
  timeout $(($4 + 30)) wrk -t"$threads" -c"$2" -d"$4s" --timeout 5s --latency -s "$work/$1.lua" "${url[$3]}" \
    >"$5" 2>&1 || die "wrk failed: $(cat "$5")"
}

# Rounds of every target in turn: the machine's speed drifts by 10-30% from one minute
# to the next, so each ratio to the hop is taken within a round and the median reported.
for mode in json stream; do
  for target in "${targets[@]}"; do
    say "warm-up $mode $target"
    run_wrk "$mode" 64 "$target" 2 "$work/wrk/warmup"
  done
  for connections in 16 64; do
    for round in $(seq "$rounds"); do
      for target in "${targets[@]}"; do
        say "wrk $mode, $connections connections, $target, round $round (${duration} s)"
        run_wrk "$mode" "$connections" "$target" "$duration" "$work/wrk/$mode-$connections-$target-$round.txt"
      done
    done
  done
done
# Latency without queueing: one connection, so a request waits for its own answer only,
# where at 16 and 64 connections it mostly waits behind the other connections' answers.
single_duration=$(((duration + 1) / 2))
for mode in json stream; do
  for round in $(seq "$rounds"); do
    for target in "${targets[@]}"; do
      say "wrk $mode, 1 connection, $target, round $round (${single_duration} s)"
      run_wrk "$mode" 1 "$target" "$single_duration" "$work/wrk/$mode-1-$target-$round.txt"
    done
  done
done
# The violation log's cost: every answer has three findings (a redaction each), so every
# response writes three violation records and a request record. The daemons with and
# without the log are loaded at the same moment (run_pair).
for mode in json stream; do
  say "warm-up findings-$mode, both"
  run_pair "findings-$mode" 2 warmup outguard unlogged
  for round in 1 2 3; do
    say "wrk findings-$mode, with and without the log at once, round $round (${duration} s)"
    run_pair "findings-$mode" "$duration" "$round" outguard unlogged
  done
done
log_lines=$(wc -l <"$work/violations.jsonl" 2>/dev/null || echo 0)
rss_after=$(vm "$og_main" VmRSS)
hwm_after=$(vm "$og_main" VmHWM)

# --- time to first byte of a stream ---------------------------------------------------
# Each run on a new connection (what a client without a pool sees), then 51 requests on
# one kept-alive connection (what the SDKs' pooled clients see; the first is dropped).
say "time to first byte of a stream, 50 runs each, new and kept-alive connections"
for target in "${targets[@]}"; do
  for _ in $(seq 50); do
    curl -s --max-time 10 -o /dev/null -N -X POST -H 'Content-Type: application/json' -H 'X-Bench-Stream: 1' \
      --data @"$work/request-stream.json" -w '%{time_starttransfer} %{time_total}\n' "${url[$target]}"
  done >"$work/ttfb-$target.txt"
  outputs=()
  for _ in $(seq 51); do outputs+=(-o /dev/null "${url[$target]}"); done
  curl -s --max-time 30 -N -X POST -H 'Content-Type: application/json' -H 'X-Bench-Stream: 1' \
    --data @"$work/request-stream.json" -w '%{time_starttransfer} %{time_total} %{num_connects}\n' "${outputs[@]}" \
    | tail -n +2 >"$work/ttfb-keepalive-$target.txt"
  if awk '$3 != 0 { found = 1 } END { exit !found }' "$work/ttfb-keepalive-$target.txt"; then
    die "$target: curl opened new connections in the kept-alive series"
  fi
done
stop_pid "$og_main"
stop_pid "$og_bare"
stop_pid "$og_unlogged"

# --- 1,000 open streams -------------------------------------------------------------
say "$streams streams held open through outguard in front of a slow upstream"
slow_port=$(free_port)
python3 "$root/bench/slow_upstream.py" --port "$slow_port" --chunks 120 --interval 0.5 >"$work/slow.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q ready "$work/slow.out" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$work/slow.out" || die "the slow upstream did not start: $(cat "$work/slow.out")"
og2_port=$(free_port)
# start_outguard's readiness probe is a stream here, which the slow upstream answers
# at its own pace; wait for the listening line instead.
OUTGUARD_LOG_PATH=$work/violations-2.jsonl "$bin" serve --config "$root/outguard.yaml" \
  --listen "127.0.0.1:$og2_port" --upstream "http://127.0.0.1:$slow_port" 2>"$work/outguard-2.log" &
og2=$!
pids+=("$og2")
for _ in $(seq 200); do grep -q 'listening on' "$work/outguard-2.log" && break; sleep 0.1; done
grep -q 'listening on' "$work/outguard-2.log" || die "outguard (slow upstream) did not start: $(cat "$work/outguard-2.log")"
rss_idle2=$(vm "$og2" VmRSS)
timeout 150 python3 "$root/bench/open_streams.py" --port "$og2_port" --pid "$og2" --streams "$streams" \
  --timeout 90 >"$work/open_streams.json" || die "open_streams.py failed"
sleep 2
rss_closed2=$(vm "$og2" VmRSS)
stop_pid "$og2"

# --- the report ---------------------------------------------------------------------
export BENCH_WORK=$work BENCH_OUTFILE=$out BENCH_ROUNDS=$rounds BENCH_ROOT=$root BENCH_NGINX=$nginx_bin BENCH_SECONDS=$duration
export BENCH_CHECKS=$checks BENCH_ELAPSED=$((SECONDS - started_at)) BENCH_SWIFT_RUNTIME=$swift_runtime
export BENCH_LOAD_BEFORE=$load_before BENCH_LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
export BENCH_RULES=$(grep -o '[0-9]* rules' "$work/outguard.log" | head -1)
export BENCH_RSS_START=$rss_start BENCH_RSS_AFTER=$rss_after BENCH_HWM_AFTER=$hwm_after
export BENCH_RSS_IDLE2=$rss_idle2 BENCH_RSS_CLOSED2=$rss_closed2 BENCH_LOG_LINES=$log_lines
python3 - <<'EOF'
import json, os, re, statistics, subprocess

env = os.environ
work, out = env["BENCH_WORK"], env["BENCH_OUTFILE"]
rounds = int(env["BENCH_ROUNDS"])


def ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse(path):
    text = open(path).read()
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
        "requests": int(re.search(r"(\d+) requests in", text).group(1)),
    }
    for pct in ("50", "99"):
        result["p" + pct] = ms(re.search(rf"^\s+{pct}%\s+(\S+)", text, re.M).group(1))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    result["errors"] = (sum(map(int, errors.groups())) if errors else 0) + (int(non2xx.group(1)) if non2xx else 0)
    return result


def fmt_ms(v):
    return f"{v * 1000:.0f} µs" if v < 1 else f"{v:.2f} ms"


def mib(kb):
    return f"{int(kb) / 1024:.1f} MiB"


def size(name):
    return os.path.getsize(f"{work}/{name}")


lines = []
add = lines.append
version = subprocess.run(
    ["git", "-C", env["BENCH_ROOT"], "describe", "--always", "--dirty"], capture_output=True, text=True
).stdout.strip()
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
nginx_version = subprocess.run([env["BENCH_NGINX"], "-v"], capture_output=True, text=True).stderr.strip()
nginx_version = nginx_version.replace("nginx version: ", "")
events = open(f"{work}/www/stream.sse").read().count("data: ")
text_bytes = len(open(f"{work}/answer.txt").read().strip().encode())
add("# Outguard load benchmark")
add("")
add(
    f"outguard {version} (release build, Swift runtime {env['BENCH_SWIFT_RUNTIME']}, shipped outguard.yaml: "
    f"{env['BENCH_RULES']}), {nginx_version}, "
    f"wrk with 2 threads; {os.cpu_count()} CPUs ({cpu}) shared by wrk, nginx and outguard; loopback only. "
    f"{env['BENCH_SECONDS']} s per wrk run after a 2 s warm-up per target. The answer: {text_bytes} bytes of "
    f"text, as answer.json ({size('www/answer.json')} bytes) and as stream.sse ({events} events, "
    f"{size('www/stream.sse')} bytes). Check: {env['BENCH_CHECKS']}."
)
add("")
add(
    f"Each target ran {rounds} times, the four in turn; the table shows the median of each column, and each "
    "ratio is the median of its rounds' ratios to the hop measured in the same round (errors: the sum)."
)
add("")
add("| mode | conns | target | req/s | p50 | p99 | req/s ÷ hop | p50 ÷ hop | p99 ÷ hop | errors |")
add("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
goals = []  # (mode, connections, outguard ÷ hop, added p50 in ms, ÷ hop an added 0.3 ms needs)
names = (
    ("direct", "direct (nginx static)"),
    ("hop", "nginx hop"),
    ("outguard", "**outguard**"),
    ("bare", "outguard, no rules"),
)
for mode, label in (("json", "non-streamed"), ("stream", "streamed")):
    for conns in (16, 64):
        runs = {t: [parse(f"{work}/wrk/{mode}-{conns}-{t}-{n}.txt") for n in range(1, rounds + 1)] for t, _ in names}
        hop_rps = statistics.median(r["rps"] for r in runs["hop"])
        goals.append(
            (
                label,
                conns,
                statistics.median(r["rps"] / h["rps"] for r, h in zip(runs["outguard"], runs["hop"])),
                statistics.median(r["p50"] - h["p50"] for r, h in zip(runs["outguard"], runs["hop"])),
                # Little's law: with `conns` connections each waiting for its answer, the
                # median latency is about conns ÷ req/s, so 0.3 ms more needs this ratio.
                conns / (conns + 0.0003 * hop_rps),
            )
        )
        for target, name in names:
            mine, hop = runs[target], runs["hop"]
            median = lambda key: statistics.median(r[key] for r in mine)
            ratio = lambda key: statistics.median(r[key] / h[key] for r, h in zip(mine, hop))
            add(
                f"| {label} | {conns} | {name} | {median('rps'):,.0f} | {fmt_ms(median('p50'))} | "
                f"{fmt_ms(median('p99'))} | {ratio('rps'):.2f} | {ratio('p50'):.2f} | {ratio('p99'):.2f} | "
                f"{sum(r['errors'] for r in mine)} |"
            )
add("")
add(
    "Latency without queueing: one connection, one request at a time, so each waits for its own answer only "
    f"({rounds} rounds, medians). At 16 and 64 connections a request mostly waits behind the other connections' "
    "answers, so the median there follows the requests/s (about connections ÷ requests/s):"
)
add("")
add("| mode | target | p50 | p99 | p50 over the hop's |")
add("| --- | --- | ---: | ---: | ---: |")
for mode, label in (("json", "non-streamed"), ("stream", "streamed")):
    runs = {t: [parse(f"{work}/wrk/{mode}-1-{t}-{n}.txt") for n in range(1, rounds + 1)] for t, _ in names}
    for target, name in names:
        mine, hop = runs[target], runs["hop"]
        added = statistics.median(r["p50"] - h["p50"] for r, h in zip(mine, hop))
        add(
            f"| {label} | {name} | {fmt_ms(statistics.median(r['p50'] for r in mine))} | "
            f"{fmt_ms(statistics.median(r['p99'] for r in mine))} | {added * 1000:+.0f} µs |"
        )
add("")
add("The violation log's cost: answers with three findings each (two addresses and a phone number, redacted), the")
add("shipped config with its log and the same config without one, loaded at the same moment (a wrk with 32")
add("connections each), three rounds. The two share the machine's CPUs, so the req/s ratio moves with how the")
add("scheduler splits them; the CPU time each daemon used per answer (user and system, all its threads) is the")
add("steadier measure of what the log costs:")
add("")
add(
    "| mode | round | with log req/s | p99 | without log req/s | p99 | with ÷ without | p99 difference "
    "| CPU per answer, with ÷ without |"
)
add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
log_goals = []  # (mode, with ÷ without, the least, median and most p99 difference in ms, CPU ratio)
for mode, label in (("json", "non-streamed"), ("stream", "streamed")):
    ratios, p99s, costs = [], [], []
    for round in (1, 2, 3):
        logged = parse(f"{work}/wrk/findings-{mode}-outguard-{round}.txt")
        unlogged = parse(f"{work}/wrk/findings-{mode}-unlogged-{round}.txt")
        logged_ticks, unlogged_ticks = map(int, open(f"{work}/wrk/findings-{mode}-cpu-{round}.txt").read().split())
        ratios.append(logged["rps"] / unlogged["rps"])
        p99s.append(logged["p99"] - unlogged["p99"])
        costs.append((logged_ticks / logged["requests"]) / (unlogged_ticks / unlogged["requests"]))
        add(
            f"| {label} | {round} | {logged['rps']:,.0f} | {fmt_ms(logged['p99'])} | {unlogged['rps']:,.0f} | "
            f"{fmt_ms(unlogged['p99'])} | {ratios[-1]:.3f} | {logged['p99'] - unlogged['p99']:+.2f} ms | "
            f"{costs[-1]:.3f} |"
        )
    add(f"| {label} | median | | | | | **{statistics.median(ratios):.3f}** | | **{statistics.median(costs):.3f}** |")
    log_goals.append(
        (label, statistics.median(ratios), min(p99s), statistics.median(p99s), max(p99s), statistics.median(costs))
    )
add("")
add(f"The log had {int(env['BENCH_LOG_LINES']):,} lines after the runs.")
add("")
add("Time to first byte of a stream (curl, 50 runs each; new: a new connection each time; kept-alive: 50 requests")
add("on one connection, as the SDKs' pooled clients send them):")
add("")
add("| target | TTFB new, median | p90 | whole stream new, median | TTFB kept-alive, median | p90 | TTFB ÷ hop, new | kept-alive |")
add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")


def timings(path):
    pairs = [tuple(map(float, l.split()[:2])) for l in open(path) if l.strip()]
    first = sorted(p[0] * 1000 for p in pairs)
    return statistics.median(first), first[int(len(first) * 0.9) - 1], statistics.median(p[1] * 1000 for p in pairs)


new = {t: timings(f"{work}/ttfb-{t}.txt") for t, _ in names}
kept = {t: timings(f"{work}/ttfb-keepalive-{t}.txt") for t, _ in names}
for target, name in names:
    (median, p90, total), (k_median, k_p90, _) = new[target], kept[target]
    add(
        f"| {name} | {fmt_ms(median)} | {fmt_ms(p90)} | {fmt_ms(total)} | {fmt_ms(k_median)} | {fmt_ms(k_p90)} | "
        f"{median / new['hop'][0]:.2f} | {k_median / kept['hop'][0]:.2f} |"
    )
add("")
streams = json.load(open(f"{work}/open_streams.json"))
add("Outguard memory (/proc/PID/status):")
add("")
add("| when | VmRSS | VmHWM |")
add("| --- | ---: | ---: |")
add(f"| started, before any load | {mib(env['BENCH_RSS_START'])} | |")
add(f"| after all the wrk runs above | {mib(env['BENCH_RSS_AFTER'])} | {mib(env['BENCH_HWM_AFTER'])} |")
add(f"| second instance (slow upstream), idle | {mib(env['BENCH_RSS_IDLE2'])} | |")
add(
    f"| {streams['ready']:,} of {streams['streams']:,} streams open at once (failed: {streams['failed']}) | "
    f"{mib(streams['rss_kb'])} | {mib(streams['hwm_kb'])} |"
)
add(f"| after those streams closed | {mib(env['BENCH_RSS_CLOSED2'])} | |")
per = (int(streams["rss_kb"]) - int(env["BENCH_RSS_IDLE2"])) / max(1, streams["ready"])
add("")
add(
    f"About {per:.0f} KiB per open stream (VmRSS with the streams open minus idle, divided by the streams); "
    f"all of them had their first event {streams['seconds']} s after the first connect."
    + (f" Errors: {streams['errors']}" if streams["errors"] else "")
)
add("")
add("Against the goals (issue 3: the proxy; issue 4: the violation log):")
add("")
add("| goal | measured | met |")
add("| --- | --- | :---: |")
yes = lambda ok: "yes" if ok else "**no**"
for label, conns, ratio, added, needed in goals:
    add(f"| {label}, {conns} connections: req/s at least 0.5 of the hop's | {ratio:.2f} | {yes(ratio >= 0.5)} |")
for label, conns, ratio, added, needed in goals:
    add(
        f"| {label}, {conns} connections: p50 at most 0.3 ms over the hop's (needs about {needed:.2f} of its "
        f"req/s here) | {added:+.2f} ms | {yes(added <= 0.3)} |"
    )
ttfb_new, ttfb_kept = new["outguard"][0] - new["hop"][0], kept["outguard"][0] - kept["hop"][0]
add(f"| stream time to first byte within 1 ms of the hop's, new connection | {ttfb_new:+.2f} ms | {yes(ttfb_new <= 1)} |")
add(f"| the same, kept-alive connection | {ttfb_kept:+.2f} ms | {yes(ttfb_kept <= 1)} |")
rss_mb = int(streams["rss_kb"]) * 1024 / 1e6
add(f"| at most 150 MB with {streams['ready']:,} streams open | {rss_mb:.0f} MB | {yes(rss_mb <= 150)} |")
for label, ratio, least, middle, most, cost in log_goals:
    add(
        f"| {label}: the log keeps at least 0.95 of the req/s | {ratio:.2f} (CPU per answer ×{cost:.2f}) | "
        f"{yes(ratio >= 0.95)} |"
    )
    add(
        f"| {label}: the log adds at most 0.2 ms at p99 | {middle:+.2f} ms ({least:+.2f} to {most:+.2f}) | "
        f"{yes(middle <= 0.2)} |"
    )
add("")
add(
    f"Whole run: {env['BENCH_ELAPSED']} s. Load average (1, 5, 15 min) before: {env['BENCH_LOAD_BEFORE']}, "
    f"after: {env['BENCH_LOAD_AFTER']}; on a shared machine, other work skews the numbers: compare rows "
    "of one run, not runs."
)
report = "\n".join(lines) + "\n"
open(out, "w").write(report)
print(report)
EOF
say "written to $out"
