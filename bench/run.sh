#!/bin/sh
# run.sh: every benchmark script bench/*.sh; each prints its own ratios
# to a floor measured in the same run.
here=$(cd "$(dirname "$0")" && pwd)
rc=0
for b in "$here"/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	sh "$b" || rc=1
done
exit $rc
