#!/usr/bin/env bash
# Installs the peer model checkers Weft cross-checks itself against: SPIN
# (test/promela.test.ts runs it on exported Promela models) and Rumur. Both
# come from Debian. Idempotent and quiet: it does nothing when both are on
# PATH already, and runs `apt-get update` only when the package lists do not
# know the packages yet (a fresh machine). Needs root, as CI and developers
# run here.
set -euo pipefail

want=()
command -v spin >/dev/null 2>&1 || want+=(spin)
command -v rumur >/dev/null 2>&1 || want+=(rumur)
[ ${#want[@]} -eq 0 ] && exit 0

# SPIN's verifiers are C programs compiled with gcc; the image may lack it.
command -v gcc >/dev/null 2>&1 || want+=(gcc)

export DEBIAN_FRONTEND=noninteractive
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)

# `apt-cache policy` prints "Candidate: (none)" (or nothing) before the lists are fetched.
if ! apt-cache policy "${want[@]}" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  "${sudo[@]}" apt-get update -qq >/dev/null
fi
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null

for tool in spin rumur; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-peers: $tool is still missing after apt-get install" >&2; exit 1; }
done
