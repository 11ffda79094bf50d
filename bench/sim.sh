#!/bin/sh
# sim.sh: the simulator benchmark.  Simulated requests per second on one
# core for a 16-backend LeastRequest scenario with retries, per-try
# timeouts, outlier detection and active health checks (bench/sim-*.yaml),
# best of three runs; then peak memory for 4x the requests, which should
# not grow with the request count.
#
#   BTPCTL  the binary (default ./btpctl)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
btpctl=${BTPCTL:-./btpctl}
policy="$here/sim-policy.yaml"
scenario="$here/sim-scenario.yaml"

# run ARGS...: prints "requests user-seconds max-rss-kb"
run() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %M' -o /tmp/btpctl-bench-time.$$ \
			"$btpctl" simulate "$policy" --scenario "$scenario" -o json "$@" \
			>/tmp/btpctl-bench-out.$$
		t=$(cat /tmp/btpctl-bench-time.$$)
	else
		s=$(date +%s.%N)
		"$btpctl" simulate "$policy" --scenario "$scenario" -o json "$@" \
			>/tmp/btpctl-bench-out.$$
		e=$(date +%s.%N)
		t="$(echo "$e - $s" | bc) 0"
	fi
	n=$(sed -n 's/.*"summary": {"requests": \([0-9]*\),.*/\1/p' /tmp/btpctl-bench-out.$$)
	rm -f /tmp/btpctl-bench-time.$$ /tmp/btpctl-bench-out.$$
	echo "$n $t"
}

best=0
for i in 1 2 3; do
	set -- $(run)
	rate=$(awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }')
	echo "sim: run $i: $1 requests in $2 s of CPU: $rate requests/s"
	[ "$rate" -gt "$best" ] && best=$rate
done
echo "sim: best $best simulated requests/s on one core (target 2000000)"
set -- $(run --set spec.duration=15s)
small_n=$1 small_rss=$3
set -- $(run --set spec.duration=60s)
echo "sim: peak memory $small_rss KiB for $small_n requests, $3 KiB for $1 requests"
