#!/usr/bin/env bash
# Builds herd7 (herdtools7 7.57, the memory-model simulator that the Linux
# kernel's tools/memory-model uses) from the source tarball beside this
# script, with Debian's OCaml packages, and installs it:
#   PREFIX/bin/herd7                  the simulator
#   PREFIX/share/herdtools7/herd/     its library of .cat files (stdlib.cat ...)
#   PREFIX/share/herdtools7/lkmm/     the Linux-kernel memory model (linux-kernel.cfg, .cat, .bell, .def, lock.cat)
# Usage: build-herd7.sh [PREFIX]   (default /usr/local; needs root or sudo for apt)
# Then:  herd7 -conf linux-kernel.cfg TEST.litmus   (prints "Observation NAME Never|Sometimes|Always ...")
# Idempotent: does nothing when PREFIX/bin/herd7 already reports version 7.57.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# The kernel model the tests compare against: the copy in the repository.
lkmm=$here/../../test/cases/litmus/lkmm
prefix=${1:-/usr/local}
if [ -x "$prefix/bin/herd7" ] && "$prefix/bin/herd7" -version 2>/dev/null | grep -q '7\.57'; then exit 0; fi
sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
pkgs=(ocaml-nox ocaml-dune menhir libmenhir-ocaml-dev ocaml-findlib libzarith-ocaml-dev)
if ! dpkg -s "${pkgs[@]}" >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1 \
    || { "${sudo[@]}" apt-get update -qq >/dev/null 2>&1 && "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null; }
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
tar -xzf "$here/herdtools7-7.57.tar.gz" -C "$work"
cd "$work/herdtools7-7.57"
sh ./version-gen.sh "$prefix" >/dev/null
dune build herd/herd.exe --profile release -j "$(nproc)" 2>&1 | tail -20
"${sudo[@]}" mkdir -p "$prefix/bin" "$prefix/share/herdtools7/herd" "$prefix/share/herdtools7/lkmm"
"${sudo[@]}" install -m 755 _build/default/herd/herd.exe "$prefix/bin/herd7"
"${sudo[@]}" cp -r herd/libdir/. "$prefix/share/herdtools7/herd/"
"${sudo[@]}" cp "$lkmm"/* "$prefix/share/herdtools7/lkmm/"
# herd7 finds .cat, .bell and .cfg files in its library: the kernel model goes there too.
"${sudo[@]}" cp "$lkmm"/* "$prefix/share/herdtools7/herd/"
"$prefix/bin/herd7" -version
