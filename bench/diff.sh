#!/bin/sh
# diff.sh: btpctl diff on two corpora of N policies (default 100000) that
# differ in 1% of the objects (changed, added, removed), as a ratio to the
# libyaml event scan of the same bytes (bench/floor.c) and to btpctl's own
# parse of them, measured in the same run.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
btpctl=${BTPCTL:-$root/build/release/btpctl}
n=${N:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/floor" "$root/bench/floor.c" $(pkg-config --cflags --libs yaml-0.1)
cc -O2 -D_GNU_SOURCE -I"$root/src" -o "$tmp/loader" "$root/bench/loader.c" \
    "$root/build/release/libbtpctl.a" \
    $(pkg-config --libs yaml-0.1 jansson libpcre2-8 libcurl libxxhash) -lm -lpthread

# one policy per document; side "new" changes numRetries in every 100th
# object, spells the timeout of another 1% differently (not a change),
# drops every 1000th and adds as many
gen() {
	awk -v n="$n" -v side="$1" 'BEGIN {
		for (i = 0; i < n; i++) {
			if (side == "new" && i % 1000 == 500)
				continue
			r = (side == "new" && i % 100 == 7) ? 5 : 2
			t = (side == "new" && i % 100 == 57) ? "30000ms" : "30s"
			printf "---\napiVersion: gateway.envoyproxy.io/v1alpha1\n"
			printf "kind: BackendTrafficPolicy\nmetadata:\n"
			printf "  name: policy-%d\n  namespace: team-%d\n", i, i % 50
			printf "spec:\n  targetRefs:\n    - group: gateway.networking.k8s.io\n"
			printf "      kind: HTTPRoute\n      name: route-%d\n", i
			printf "  retry:\n    numRetries: %d\n    retryOn:\n", r
			printf "      triggers: [5xx, reset, connect-failure]\n"
			printf "  timeout:\n    http:\n      requestTimeout: %s\n", t
			printf "  circuitBreaker:\n    maxConnections: 1024\n"
		}
		if (side == "new")
			for (i = 0; i < n / 1000; i++) {
				printf "---\napiVersion: gateway.envoyproxy.io/v1alpha1\n"
				printf "kind: BackendTrafficPolicy\nmetadata:\n"
				printf "  name: added-%d\n  namespace: team-0\n", i
				printf "spec:\n  loadBalancer:\n    type: RoundRobin\n"
			}
	}'
}
gen old > "$tmp/old.yaml"
gen new > "$tmp/new.yaml"
bytes=$(cat "$tmp/old.yaml" "$tmp/new.yaml" | wc -c)

# best of 3 runs of "$@" in CPU seconds (user + system): the machine is
# shared, and CPU time is less disturbed by other work than wall time
best() {
	b=
	for _ in 1 2 3; do
		/usr/bin/time -f '%U %S' -o "$tmp/time" "$@" >/dev/null 2>&1 || true
		t=$(awk '{ print $1 + $2 }' "$tmp/time" | tail -1)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
	done
	echo "$b"
}
# the floor: libyaml's bare event scan of both files (bench/floor.c), CPU
floor=
for _ in 1 2 3; do
	t=$( { "$tmp/floor" "$tmp/old.yaml"; "$tmp/floor" "$tmp/new.yaml"; } |
	    awk '{ s += $2 } END { print s }')
	if [ -z "$floor" ] || [ "$(echo "$t < $floor" | bc -l)" = 1 ]; then floor=$t; fi
done
# btpctl's own parse of the same bytes: the loader alone, one thread
# (bench/loader.c), and validate (parse, index and checks, all cores)
loader=
for _ in 1 2 3; do
	t=$( { "$tmp/loader" each "$tmp/old.yaml"; "$tmp/loader" each "$tmp/new.yaml"; } |
	    awk '{ s += $2 } END { print s }')
	if [ -z "$loader" ] || [ "$(echo "$t < $loader" | bc -l)" = 1 ]; then loader=$t; fi
done
load=$(best "$btpctl" validate -q "$tmp/old.yaml" "$tmp/new.yaml")
diff=$(best "$btpctl" diff -q "$tmp/old.yaml" "$tmp/new.yaml")
json=$(best "$btpctl" diff -o json "$tmp/old.yaml" "$tmp/new.yaml")
/usr/bin/time -f '%M' -o "$tmp/rss" "$btpctl" diff -o json "$tmp/old.yaml" "$tmp/new.yaml" \
    > "$tmp/out.json" 2>/dev/null || true
rss=$(tail -1 "$tmp/rss")
summary=$(grep -A4 '"summary"' "$tmp/out.json" | tr -d ' \n')
printf 'diff: %d + %d policies, %s bytes, CPU seconds: libyaml scan %.2f, btpctl diff -q %.2f (%.2fx), -o json %.2f (%.2fx)\n' \
    "$n" "$n" "$bytes" "$floor" "$diff" "$(echo "$diff / $floor" | bc -l)" \
    "$json" "$(echo "$json / $floor" | bc -l)"
printf 'diff: loader alone %.2f (diff %.2fx), btpctl validate -q %.2f (diff %.2fx)\n' \
    "$loader" "$(echo "$diff / $loader" | bc -l)" "$load" "$(echo "$diff / $load" | bc -l)"
printf 'diff: peak RSS %.0f MiB (identities and digests, and the trees of the objects that differ)\n' "$(echo "$rss / 1024" | bc -l)"
echo "diff: $summary"
