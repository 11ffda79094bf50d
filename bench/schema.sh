#!/bin/sh
# schema.sh: the cost of validate's checks (schema, CEL, translator) as a
# ratio to libyaml's bare event scan of the same bytes, on a corpus of
# BENCH_N (default 100000) copies of a policy using every field family
# (tests/cases/validate-valid/valid.yaml), each with its own name.
# Prints timings; asserts nothing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="$here/out"
n=${BENCH_N:-100000}
lib="$root/build/release/libbtpctl.a"
pkgs="yaml-0.1 jansson libpcre2-8 libcurl libxxhash"
mkdir -p "$out"
[ -f "$lib" ] || { echo "bench: build btpctl first (make)"; exit 2; }
${CC:-cc} -O2 -std=c17 -D_GNU_SOURCE -I"$root/src" -I"$root/build/release" \
	-o "$out/schema-bench" "$here/schema-bench.c" "$lib" \
	$(pkg-config --cflags --libs $pkgs) -lm -lpthread || exit 2
corpus="$out/schema-corpus-$n.yaml"
src="$root/tests/cases/validate-valid/valid.yaml"
if [ ! -s "$corpus" ] || [ "$src" -nt "$corpus" ]; then
	awk -v n="$n" '
		/^#/ { next }
		{ doc = doc $0 "\n" }
		END {
			for (i = 0; i < n; i++) {
				d = doc
				sub(/name: full/, "name: policy-" i, d)
				printf "---\n%s", d
			}
		}' "$src" >"$corpus" || exit 2
fi
printf 'corpus: %s documents, %s bytes\n' "$n" "$(wc -c <"$corpus")"
"$out/schema-bench" "$corpus" 3
