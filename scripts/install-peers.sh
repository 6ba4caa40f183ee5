#!/usr/bin/env bash
# Installs the peer model checkers Weft cross-checks itself against, from
# Debian: SPIN (test/promela.test.ts runs it on exported Promela models;
# its verifiers are C programs, so gcc too, and tcc, which builds the
# cross-checks' hundreds of small verifiers in a tenth of gcc's time) and Rumur; and Chromium, the
# headless browser test/html.test.ts opens the HTML trace view in (through
# playwright-core, which never downloads a browser of its own: it runs
# /usr/bin/chromium). Idempotent and quiet:
# it does nothing when all five are on PATH (and herd7 is built, see below), runs `apt-get update` only
# when the package lists do not know the packages yet (a fresh machine),
# and prints apt's output only when something fails. Needs root (or sudo).
set -euo pipefail

want=()
for tool in spin rumur gcc tcc chromium; do
  command -v "$tool" >/dev/null 2>&1 || want+=("$tool")
done
# herd7, the kernel's memory-model simulator, has no Debian package: it is
# built from the source in scripts/herd7/ with Debian's OCaml (about four
# minutes, once; the script does nothing when herd7 7.57 is installed).
if [ ${#want[@]} -eq 0 ]; then exec bash "$(dirname "$0")/herd7/build-herd7.sh"; fi

export DEBIAN_FRONTEND=noninteractive
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
apt() {
  if ! "${sudo[@]}" "$@" >>"$log" 2>&1; then
    cat "$log" >&2
    echo "install-peers: '$*' failed" >&2
    exit 1
  fi
}

# Before the first `apt-get update` the lists have no candidate for them.
if apt-cache policy "${want[@]}" 2>/dev/null | grep -q 'Candidate: (none)' \
   || [ "$(apt-cache policy "${want[@]}" 2>/dev/null | grep -c 'Candidate:')" -lt ${#want[@]} ]; then
  apt apt-get update -qq
fi
apt apt-get install -y -qq --no-install-recommends "${want[@]}"

for tool in "${want[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-peers: $tool is still missing after apt-get install" >&2; exit 1; }
done
bash "$(dirname "$0")/herd7/build-herd7.sh"
