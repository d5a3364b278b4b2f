#!/usr/bin/env bash
# deploy/container/build.sh STAGING_DIR — builds outguard for the container image and lays
# out the image's files under STAGING_DIR, as they will be under / in the image:
#
#   usr/local/bin/outguard           release build, Swift runtime linked in statically
#   etc/outguard/outguard.yaml       deploy/container/outguard.yaml
#   etc/outguard/rules/              the shipped rule packs
#   var/lib/outguard/                the violation log's volume (empty)
#
# The Dockerfile's build stage runs this script, and deploy/check runs the very same script
# on the host, so a step that breaks here breaks CI, not only a `docker build` nobody ran.
# Env: SWIFT_BUILD_FLAGS, extra `swift build` flags (e.g. "--scratch-path .build-x").
set -euo pipefail
staging=${1:?usage: deploy/container/build.sh STAGING_DIR}
mkdir -p "$staging"
staging="$(cd "$staging" && pwd)"
cd "$(dirname "$0")/../.."

# --static-swift-stdlib: the runtime image then needs no Swift runtime, only the C
# libraries the binary links (PCRE2, libyaml, Vectorscan) and libc/libstdc++.
# shellcheck disable=SC2206 # SWIFT_BUILD_FLAGS is a list of flags
flags=(-c release --static-swift-stdlib ${SWIFT_BUILD_FLAGS:-})
swift build "${flags[@]}" --product outguard
bin="$(swift build "${flags[@]}" --show-bin-path)"

install -D -m 0755 "$bin/outguard" "$staging/usr/local/bin/outguard"
# Debug info is a third of the binary and nothing in the image reads it; the symbol
# table stays, so profilers and debuggers still name functions.
strip --strip-debug "$staging/usr/local/bin/outguard"
install -D -m 0644 deploy/container/outguard.yaml "$staging/etc/outguard/outguard.yaml"
rm -rf "$staging/etc/outguard/rules"
cp -R rules "$staging/etc/outguard/rules"
chmod -R u=rwX,go=rX "$staging/etc/outguard"
install -d -m 0755 "$staging/var/lib/outguard"
echo "build.sh: staged $(du -sh "$staging" | cut -f1) in $staging" >&2
