#!/bin/sh
# effective.sh: time "btpctl effective -o json" on a generated estate of
# 1 Gateway, 10,000 routes and 2,000 policies, and on its doubling; print
# both times and the ratio (target: at most 2.2 per doubling).  The floor
# is "btpctl validate" on the same files (parse and index only).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${BTPCTL:-$here/../build/release/btpctl}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sh "$here/gen-estate.sh" 10000 2000 >"$tmp/1x.yaml"
sh "$here/gen-estate.sh" 20000 4000 >"$tmp/2x.yaml"
now() { date +%s.%N; }
# best CMD...: the fastest of 3 runs, "WALL CPU" seconds (CPU = user +
# system, the steadier figure when other work shares the machine)
best() {
	b=
	for _ in 1 2 3; do
		t0=$(now)
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f '%U %S' -o "$tmp/t" "$@" >/dev/null 2>&1 || true
		else
			"$@" >/dev/null 2>&1 || true
			echo "0 0" >"$tmp/t"
		fi
		t1=$(now)
		t=$(echo "$t1 $t0 $(cat "$tmp/t")" | awk '{ printf "%.3f %.3f", $1 - $2, $3 + $4 }')
		if [ -z "$b" ] || [ "$(echo "$t $b" | awk '{ print ($1 < $3) }')" = 1 ]; then
			b=$t
		fi
	done
	echo "$b"
}
set -- $(best "$bin" validate "$tmp/1x.yaml"); fw=$1 fc=$2
set -- $(best "$bin" effective -o json "$tmp/1x.yaml"); w1=$1 c1=$2
set -- $(best "$bin" effective -o json "$tmp/2x.yaml"); w2=$1 c2=$2
printf 'effective: 10000 routes, 2000 policies: %.2fs wall, %.2fs cpu (floor, parse+index: %.2fs cpu, %.1fx)\n' \
    "$w1" "$c1" "$fc" "$(echo "$c1 $fc" | awk '{ print ($2 > 0) ? $1 / $2 : 0 }')"
printf 'effective: 20000 routes, 4000 policies: %.2fs wall, %.2fs cpu\n' "$w2" "$c2"
printf 'effective: doubling ratio %.2f cpu, %.2f wall (target <= 2.2)\n' \
    "$(echo "$c2 $c1" | awk '{ print ($2 > 0) ? $1 / $2 : 0 }')" \
    "$(echo "$w2 $w1" | awk '{ print $1 / $2 }')"
