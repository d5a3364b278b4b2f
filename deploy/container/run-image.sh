#!/usr/bin/env bash
# deploy/container/run-image.sh ROOT VOLUME [NAME=VALUE…] — runs a tree laid out like the
# image (deploy/container/build.sh's) the way a container runtime runs the image, without
# one: in new network, mount and PID namespaces (nothing is reachable from outside,
# nothing leaks out, and whatever it started ends with it), ROOT's /etc/outguard and
# /usr/local/bin/outguard, and VOLUME at the Dockerfile's VOLUME, are mounted over the
# host's; the rest of the root filesystem is made read-only (docker run --read-only), and
# the Dockerfile's ENTRYPOINT runs as its USER with its ENV plus NAME=VALUE. Then, against that daemon: the Dockerfile's
# HEALTHCHECK command, /readyz as kubelet asks it, one request through the proxy (set
# OUTGUARD_UPSTREAM=mock:echo), and SIGTERM, after which it must exit 0 in time.
#
# Run as root by deploy/check. Env: DEPLOY_PYTHON, a python with PyYAML (python3).
# shellcheck disable=SC2154 # the image_* variables come from the eval below
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$#" -ge 2 ] || { echo "usage: deploy/container/run-image.sh ROOT VOLUME [NAME=VALUE…]" >&2; exit 2; }
if [ -z "${RUN_IMAGE_INSIDE:-}" ]; then
  exec unshare --mount --net --pid --fork --mount-proc -- env RUN_IMAGE_INSIDE=1 "$0" "$@"
fi
root="$(cd "$1" && pwd)" volume="$(cd "$2" && pwd)"
shift 2
extra_env=("$@")
say() { printf '   %s\n' "$*" >&2; }

# Sets image_entrypoint, image_healthcheck, image_env, image_user and image_volume.
image="$("${DEPLOY_PYTHON:-python3}" deploy/checks.py dockerfile deploy/Dockerfile)"
eval "$image"
ports="$("${DEPLOY_PYTHON:-python3}" deploy/checks.py ports "$root/etc/outguard/outguard.yaml")"
read -r listen_port admin_port <<<"$ports"
ip link set lo up

# Read-only overlays of the host's folders make the mount points; the bind mounts then
# show exactly ROOT's files there, whatever the host has.
for dir in etc usr/local var/lib; do
  mount -t overlay overlay -o "lowerdir=$root/$dir:/$dir" "/$dir"
done
mount --bind "$root/etc/outguard" /etc/outguard
mount --bind "$root/usr/local/bin/outguard" /usr/local/bin/outguard
# A new volume takes the image folder's owner, which the Dockerfile sets to USER.
chown "$image_user" "$volume"
mount --bind "$volume" "$image_volume"
mount -o remount,bind,ro /

uid=${image_user%%:*} gid=${image_user#*:}
# Execs, so run it in a subshell: ( as_image_user … ), or in the background.
as_image_user() {
  exec setpriv --reuid="$uid" --regid="$gid" --clear-groups -- env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/nonexistent \
    "${image_env[@]}" "${extra_env[@]}" "$@"
}
fail() { echo "run-image.sh: $*" >&2; exit 1; }

as_image_user "${image_entrypoint[@]}" 2> >(sed -u 's/^/   outguard: /' >&2) &
daemon=$!

# The HEALTHCHECK command, as Docker runs it: in the container, as its user.
healthy=""
for _ in $(seq 60); do
  kill -0 "$daemon" 2>/dev/null || fail "the daemon exited before it was healthy"
  if (as_image_user timeout 5 "${image_healthcheck[@]}" 2>/dev/null); then healthy=1; break; fi
  sleep 0.5
done
[ -n "$healthy" ] || fail "HEALTHCHECK did not pass within 30 s"
say "HEALTHCHECK passed: GET /healthz on 127.0.0.1:$admin_port"

# kubelet's readiness probe, which sends no token. A build without the route answers 404
# (401 when a token is set: asked again with the token, it says 404).
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }
ready="$(status_of "http://127.0.0.1:$admin_port/readyz")"
token=""
for pair in "${extra_env[@]}"; do [[ $pair == OUTGUARD_ADMIN_TOKEN=* ]] && token=${pair#*=}; done
if [[ $ready == 401 && -n $token ]] &&
  [[ "$(status_of -H "Authorization: Bearer $token" "http://127.0.0.1:$admin_port/readyz")" == 404 ]]; then
  ready=404
fi
case "$ready" in
  200) say "GET /readyz without a token: 200" ;;
  404) say "GET /readyz: 404 — this build does not serve /readyz yet; the Kubernetes probes need it" ;;
  *) fail "GET /readyz without a token answered $ready" ;;
esac

answer="$(curl -sS --max-time 10 "http://127.0.0.1:$listen_port/v1/chat/completions" \
  -d '{"model":"m","messages":[{"role":"user","content":"連絡先は taro@example.co.jp です"}]}')" ||
  fail "the proxy on 127.0.0.1:$listen_port did not answer"
[[ $answer == *'[EMAIL]'* && $answer != *taro@example* ]] || fail "the answer was not redacted: $answer"
say "the proxy on 127.0.0.1:$listen_port redacted an e-mail address; resident memory $(ps -o rss= -p "$daemon" | tr -d ' ') KiB"

kill -TERM "$daemon"
for _ in $(seq 100); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
kill -0 "$daemon" 2>/dev/null && { kill -KILL "$daemon"; fail "still running 10 s after SIGTERM"; }
status=0
wait "$daemon" || status=$?
[ "$status" -eq 0 ] || fail "exit status $status after SIGTERM"
say "stopped by SIGTERM, exit status 0"
