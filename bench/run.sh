#!/bin/sh
# run.sh: every benchmark (make bench).  Each part is a script of its own.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sh "$here/sim.sh"
