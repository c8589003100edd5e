#!/bin/sh
# Regenerate the build system: run once after a fresh clone.
set -e
cd "$(dirname "$0")"
mkdir -p build-aux m4
autoreconf --install --force
# The TAP driver for the shell tests ships with automake but is only
# copied on request.
am_dir=$(automake --print-libdir)
cp -f "$am_dir/tap-driver.sh" build-aux/tap-driver.sh
