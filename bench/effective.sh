#!/bin/sh
# effective.sh: time "btpctl effective -o json" on a generated estate of
# 1 Gateway, 10,000 routes and 2,000 policies, and on its doubling; print
# both times and the ratio (target: at most 2.2 per doubling).  The floor
# is "btpctl validate" on the same files (parse and index only).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${BTPCTL:-$here/../btpctl}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sh "$here/gen-estate.sh" 10000 2000 >"$tmp/1x.yaml"
sh "$here/gen-estate.sh" 20000 4000 >"$tmp/2x.yaml"
now() { date +%s.%N; }
best() {	# best of 3 wall-clock seconds of "$@"
	b=
	for _ in 1 2 3; do
		t0=$(now)
		"$@" >/dev/null 2>&1 || true
		t1=$(now)
		t=$(echo "$t1 - $t0" | bc -l)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
	done
	echo "$b"
}
f1=$(best "$bin" validate "$tmp/1x.yaml")
e1=$(best "$bin" effective -o json "$tmp/1x.yaml")
e2=$(best "$bin" effective -o json "$tmp/2x.yaml")
printf 'effective: 10000 routes, 2000 policies: %.3fs (floor: parse+index %.3fs, %.1fx)\n' \
    "$e1" "$f1" "$(echo "$e1 / $f1" | bc -l)"
printf 'effective: 20000 routes, 4000 policies: %.3fs\n' "$e2"
printf 'effective: doubling ratio %.2f (target <= 2.2)\n' "$(echo "$e2 / $e1" | bc -l)"
