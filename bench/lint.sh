#!/bin/sh
# lint.sh: btpctl lint's wall time as a ratio to the floor, a bare
# single-threaded libyaml event scan of the same bytes (bench/lint-floor.c),
# on a corpus of BENCH_N (default 100000) policies: each targets its own
# HTTPRoute (one route per policy, all under one Gateway with its own
# policy), sets timeouts, retries, a passive health check and a circuit
# breaker, so that every rule and the cross-object index do real work.
# Prints timings; asserts nothing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="$here/out"
n=${BENCH_N:-100000}
runs=${BENCH_RUNS:-2}
btpctl="$root/build/release/btpctl"
mkdir -p "$out"
[ -x "$btpctl" ] || { echo "bench: build btpctl first (make)"; exit 2; }
${CC:-cc} -O2 -o "$out/lint-floor" "$here/lint-floor.c" $(pkg-config --cflags --libs yaml-0.1) || exit 2
corpus="$out/lint-corpus-$n.yaml"
if [ ! -s "$corpus" ] || [ "$here/lint.sh" -nt "$corpus" ]; then
	awk -v n="$n" 'BEGIN {
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
	}' >"$corpus" || exit 2
fi
bytes=$(wc -c <"$corpus")
cat "$corpus" >/dev/null	# warm the page cache
printf 'lint corpus: %s policies + %s routes, %s bytes, load average %s\n' "$((n + 1))" "$n" \
	"$bytes" "$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
best() { sort -g | head -1; }
floor=$(for i in $(seq "$runs"); do "$out/lint-floor" "$corpus"; done | best)
wall() {
	python3 - "$@" <<'P'
import subprocess, sys, time
t = time.monotonic()
subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.3f" % (time.monotonic() - t))
P
}
printf '%-34s %7.2f s\n' "floor (libyaml scan, 1 thread)" "$floor"
for mode in "-o json" "-o sarif" "-o junit"; do
	t=$(for i in $(seq "$runs"); do wall "$btpctl" lint $mode "$corpus"; done | best)
	printf '%-34s %7.2f s  %5.2fx floor\n' "btpctl lint $mode" "$t" \
		"$(echo "$t $floor" | awk '{print $1 / $2}')"
done
echo "target (issue 4): btpctl lint <= 1.4x floor wall with the default parallelism"
