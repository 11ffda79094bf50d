#!/bin/sh
# run.sh: btpctl's benchmarks (make bench).  Generates a corpus of 100,000
# realistic valid BackendTrafficPolicy documents (bench/gen.c, about
# 86 MB) into bench/out/, measures the floor -- a bare single-threaded
# libyaml event scan of the same bytes (bench/floor.c) -- and reports
# `btpctl validate` (-j1 and the default, one thread per core) and the
# loader alone (bench/loader.c) as ratios to that floor, in wall time and
# in CPU time (user + system; the steadier figure when other work shares
# the machine), with the peak resident set size.  Timings are printed,
# never asserted.
#
#   BENCH_N=100000   documents in the corpus
#   BENCH_RUNS=2     runs of each measurement (the fastest is kept)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="$here/out"
n=${BENCH_N:-100000}
runs=${BENCH_RUNS:-2}
btpctl="$root/build/release/btpctl"
lib="$root/build/release/libbtpctl.a"
cc=${CC:-cc}
pkgs="yaml-0.1 jansson libpcre2-8 libcurl libxxhash"
mkdir -p "$out"
[ -x "$btpctl" ] && [ -f "$lib" ] || { echo "bench: build btpctl first (make)"; exit 2; }

$cc -O2 -o "$out/gen" "$here/gen.c" || exit 2
$cc -O2 -o "$out/floor" "$here/floor.c" $(pkg-config --cflags --libs yaml-0.1) || exit 2
$cc -O2 -D_GNU_SOURCE -I"$root/src" -o "$out/loader" "$here/loader.c" "$lib" \
	$(pkg-config --libs $pkgs) -lm -lpthread || exit 2

corpus="$out/corpus-$n.yaml"
if [ ! -s "$corpus" ] || [ "$here/gen.c" -nt "$corpus" ]; then
	"$out/gen" "$n" "$corpus" || exit 2
fi
bytes=$(wc -c <"$corpus")
cat "$corpus" >/dev/null	# warm the page cache
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
printf 'corpus: %s documents, %s bytes (%.1f MB), %s cores, load average %s\n' "$n" \
	"$bytes" "$(echo "$bytes" | awk '{print $1 / 1e6}')" "$cores" \
	"$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"

# fastest "WALL CPU" of the runs (by wall time)
fastest() {
	sort -g | head -1
}

# measure CMD...: prints "WALL CPU RSS_KIB"
measure() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" "$@" >/dev/null 2>&1
		awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$out/time.txt"
	else
		python3 - "$@" <<'P'
import resource, subprocess, sys, time
t = time.monotonic()
subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.2f %.2f %d" % (time.monotonic() - t, r.ru_utime + r.ru_stime, r.ru_maxrss))
P
	fi
}

for i in $(seq "$runs"); do "$out/floor" "$corpus"; done | fastest >"$out/floor.txt"
read -r floor_w floor_c _ <"$out/floor.txt"
printf '%-30s %6.2f s wall %6.2f s cpu  (%.1f MB/s)\n' "floor (libyaml scan, 1 thread)" \
	"$floor_w" "$floor_c" "$(echo "$bytes $floor_w" | awk '{print $1 / $2 / 1e6}')"

line() {
	# line LABEL WALL CPU RSS_KIB EXTRA
	printf '%-30s %6.2f s wall %6.2f s cpu  %5.2fx floor wall  %5.2fx floor cpu  peak RSS %5.1f MiB%s\n' \
		"$1" "$2" "$3" "$(echo "$2 $floor_w" | awk '{print $1 / $2}')" \
		"$(echo "$3 $floor_c" | awk '{print $1 / $2}')" "$(echo "$4" | awk '{print $1 / 1024}')" "$5"
}

report() {
	label=$1; shift
	for i in $(seq "$runs"); do measure "$@"; done | fastest >"$out/m.txt"
	read -r w c rss <"$out/m.txt"
	line "$label" "$w" "$c" "$rss" ""
}

report "btpctl validate -j1" "$btpctl" validate -j1 "$corpus"
report "btpctl validate (-j$cores)" "$btpctl" validate "$corpus"
for mode in split each "par 1" "par 0"; do
	for i in $(seq "$runs"); do "$out/loader" $mode "$corpus"; done | fastest >"$out/m.txt"
	read -r w c docs arena rss <"$out/m.txt"
	if [ "$mode" = split ]; then
		extra="  $docs chunks"
	else
		extra="  $docs docs, largest document arena $(echo "$arena" | awk '{print int($1 / 1024)}') KiB"
	fi
	line "loader ($mode)" "$w" "$c" "$rss" "$extra"
done
echo "targets (issue 3): validate -j1 <= 1.8x floor; default <= 1.1x floor wall; peak RSS <= 64 MiB"

if [ -f "$here/sim.sh" ]; then
	sh "$here/sim.sh"
fi

if [ -f "$here/effective.sh" ]; then
	BTPCTL="$btpctl" sh "$here/effective.sh"
fi

if [ -f "$here/diff.sh" ]; then
	BTPCTL="$btpctl" sh "$here/diff.sh"
fi
