#!/bin/sh
# lint.sh: btpctl lint's wall time as a ratio to the floor, a bare
# single-threaded libyaml event scan of the same bytes (bench/lint-floor.c),
# on a corpus of BENCH_N (default 100000) policies: each targets its own
# HTTPRoute (one route per policy, all under one Gateway with its own
# policy), sets timeouts, retries, a circuit breaker and mergeType, and
# inherits the Gateway policy's passive health check, so that every rule,
# the precedence engine and the layering of policies do real work.
#
# A second corpus is the same without mergeType: every route policy then
# hides the Gateway policy and misses a health check, so lint reports four
# findings per policy; it shows what rendering 400,000 findings costs.
#
# Floor and btpctl runs alternate (BENCH_RUNS rounds, default 3) and the
# fastest of each is kept, so that a machine that slows down for a while
# weighs on both.  Prints timings and peak RSS; asserts nothing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="$here/out"
n=${BENCH_N:-100000}
runs=${BENCH_RUNS:-3}
btpctl="$root/build/release/btpctl"
mkdir -p "$out"
[ -x "$btpctl" ] || { echo "bench: build btpctl first (make)"; exit 2; }
${CC:-cc} -O2 -o "$out/lint-floor" "$here/lint-floor.c" $(pkg-config --cflags --libs yaml-0.1) || exit 2

# corpus FILE MERGE: generate unless up to date
corpus() {
	if [ -s "$1" ] && [ "$1" -nt "$here/lint.sh" ]; then
		return 0
	fi
	awk -v n="$n" -v merge="$2" 'BEGIN {
		print "apiVersion: gateway.networking.k8s.io/v1"
		print "kind: Gateway"
		print "metadata: {name: edge, namespace: shop}"
		print "spec:"
		print "  gatewayClassName: eg"
		print "  listeners:"
		print "  - {name: http, protocol: HTTP, port: 80}"
		print "---"
		print "apiVersion: gateway.envoyproxy.io/v1alpha1"
		print "kind: BackendTrafficPolicy"
		print "metadata: {name: edge-defaults, namespace: shop}"
		print "spec:"
		print "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: edge}]"
		print "  healthCheck: {passive: {consecutive5XxErrors: 5, maxEjectionPercent: 50}}"
		for (i = 0; i < n; i++) {
			print "---"
			print "apiVersion: gateway.networking.k8s.io/v1"
			print "kind: HTTPRoute"
			printf "metadata: {name: route-%d, namespace: shop}\n", i
			print "spec:"
			print "  parentRefs: [{name: edge}]"
			print "  rules:"
			printf "  - name: main\n    backendRefs: [{name: svc-%d, port: 8080}]\n", i
			print "---"
			print "apiVersion: gateway.envoyproxy.io/v1alpha1"
			print "kind: BackendTrafficPolicy"
			print "metadata:"
			printf "  name: policy-%d\n", i
			print "  namespace: shop"
			print "spec:"
			print "  targetRefs:"
			print "  - group: gateway.networking.k8s.io"
			print "    kind: HTTPRoute"
			printf "    name: route-%d\n", i
			if (merge)
				print "  mergeType: StrategicMerge"
			print "  timeout:"
			print "    tcp: {connectTimeout: 2s}"
			print "    http: {requestTimeout: 10s}"
			print "  retry:"
			print "    numRetries: 2"
			print "    retryOn: {triggers: [connect-failure, reset]}"
			print "    perRetry:"
			print "      timeout: 3s"
			print "      backOff: {baseInterval: 100ms, maxInterval: 1s}"
			print "  circuitBreaker: {maxConnections: 200, maxPendingRequests: 50}"
			print "  loadBalancer: {type: LeastRequest}"
		}
	}' >"$1" || exit 2
}

# measure CMD...: "WALL CPU RSS_KIB" of one run
measure() {
	python3 - "$@" <<'P'
import resource, subprocess, sys, time
t = time.monotonic()
subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.3f %.3f %d" % (time.monotonic() - t, r.ru_utime + r.ru_stime, r.ru_maxrss))
P
}

# bench LABEL CORPUS ARGS...: floor and btpctl lint alternately, fastest of each
bench() {
	label=$1 file=$2
	shift 2
	: >"$out/lf.txt"
	: >"$out/lm.txt"
	for i in $(seq "$runs"); do
		"$out/lint-floor" "$file" >>"$out/lf.txt"
		echo >>"$out/lf.txt"
		measure "$btpctl" lint "$@" "$file" >>"$out/lm.txt"
	done
	floor=$(grep . "$out/lf.txt" | sort -g | head -1)
	read -r w c rss <<EOF
$(sort -g "$out/lm.txt" | head -1)
EOF
	printf '%-36s %6.2f s wall  %5.2fx floor (%5.2f s)  cpu %6.2f s  peak RSS %6.1f MiB\n' \
		"$label" "$w" "$(echo "$w $floor" | awk '{print $1 / $2}')" "$floor" "$c" \
		"$(echo "$rss" | awk '{print $1 / 1024}')"
}

main="$out/lint-corpus-$n.yaml"
heavy="$out/lint-corpus-$n-nomerge.yaml"
corpus "$main" 1
corpus "$heavy" 0
cat "$main" "$heavy" >/dev/null	# warm the page cache
printf 'lint corpus: %s policies + %s routes, %s bytes, %s cores, load average %s\n' \
	"$((n + 1))" "$n" "$(wc -c <"$main")" "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)" \
	"$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
bench "btpctl lint -o json" "$main" -o json
bench "btpctl lint -o sarif" "$main" -o sarif
bench "btpctl lint -o junit" "$main" -o junit
bench "btpctl lint -j1 -o json" "$main" -j1 -o json
bench "btpctl lint -o json (no mergeType)" "$heavy" -o json
echo "target (issue 4): btpctl lint <= 1.4x floor wall with the default parallelism"
