#!/bin/sh
# t_load.sh: loader bounds that need big inputs, generated here rather than
# stored: a document over the 3 MiB bound (located error, exit 1, the
# documents around it still checked), and a stream of small documents
# whose output is the same on one thread and on two.
set -u
. "$ROOT/tests/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

{
	printf 'a: 1\nb: 2\n---\nbig:\n'
	awk 'BEGIN { for (i = 0; i < 30000; i++) printf "  - %0100d\n", i }'
	printf -- '---\nc: 1\nc: 2\n'
} >"$tmp/big.yaml"
out=$("$BTPCTL" validate "$tmp/big.yaml" 2>&1)
rc=$?
[ "$rc" = 1 ] && ok || nok "big document: exit $rc, want 1"
printf '%s\n' "$out" | grep -q "big.yaml:3:1: error: document exceeds the limit of 3145728 bytes \[yaml\]" &&
	ok || nok "big document: no located size error: $out"
# the next document is still read (its duplicate key is found)
printf '%s\n' "$out" | grep -q "big.yaml:30007:1: error: duplicate key \"c\"" &&
	ok || nok "document after the big one not checked: $out"
awk 'BEGIN { printf "many:\n"; for (i = 0; i < 100001; i++) printf "- %d\n", i }' >"$tmp/many.yaml"
out=$("$BTPCTL" validate "$tmp/many.yaml" 2>&1)
rc=$?
[ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q "error: document has more than 100000 nodes" &&
	ok || nok "node bound: exit $rc: $out"

awk 'BEGIN { for (i = 0; i < 5000; i++) {
	printf "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\n"
	printf "metadata:\n  name: p%d\n", i
	if (i % 777 == 3) printf "  name: again\n"
	if (i % 1001 == 5) printf "spec: [\n"
	else printf "spec:\n  retry: {numRetries: %d}\n", i % 5 } }' >"$tmp/stream.yaml"
"$BTPCTL" validate -j1 -v "$tmp/stream.yaml" >"$tmp/j1" 2>&1
r1=$?
"$BTPCTL" validate -j2 -v "$tmp/stream.yaml" >"$tmp/j2" 2>&1
r2=$?
[ "$r1" = 1 ] && [ "$r2" = 1 ] && ok || nok "stream: exit $r1/$r2, want 1"
cmp -s "$tmp/j1" "$tmp/j2" && ok || nok "stream: -j1 and -j2 differ"
n=$(grep -c "duplicate key" "$tmp/j1")
[ "$n" = 7 ] && ok || nok "stream: $n duplicate keys reported, want 7"
n=$(grep -c "error: did not find expected" "$tmp/j1")
[ "$n" = 5 ] && ok || nok "stream: $n syntax errors reported, want 5"
# big standard input (spooled to a temporary file, then mapped), through
# a pipe and as a redirected file: the same findings as the file itself
awk 'BEGIN { for (i = 0; i < 60000; i++) {
	printf "---\nkind: ConfigMap\napiVersion: v1\nmetadata:\n  name: cm-%d\n", i
	printf "data:\n  payload: \"%0120d\"\n", i
	if (i % 20000 == 19999) printf "  payload: again\n" } }' >"$tmp/big-stream.yaml"
"$BTPCTL" validate "$tmp/big-stream.yaml" 2>&1 | sed "s|$tmp/big-stream.yaml|<stdin>|" >"$tmp/want"
cat "$tmp/big-stream.yaml" | "$BTPCTL" validate - >"$tmp/pipe" 2>&1
rp=$?
"$BTPCTL" validate - <"$tmp/big-stream.yaml" >"$tmp/redir" 2>&1
rr=$?
[ "$rp" = 1 ] && [ "$rr" = 1 ] && ok || nok "big stdin: exit $rp/$rr, want 1"
[ "$(grep -c 'duplicate key' "$tmp/want")" = 3 ] && ok || nok "big stream: want 3 duplicates"
cmp -s "$tmp/want" "$tmp/pipe" && ok || nok "big stdin through a pipe differs from the file"
cmp -s "$tmp/want" "$tmp/redir" && ok || nok "big stdin from a redirect differs from the file"
# many anchors, a big map, a big merge: no quadratic walk (bounded by a
# generous timeout, which only a hang would reach)
awk 'BEGIN { print "a:"; for (i = 0; i < 90000; i++) printf "  - &anchor%d x\n", i
	print "b: *anchor5"; print "b: 2" }' >"$tmp/anchors.yaml"
out=$(timeout 60 "$BTPCTL" validate "$tmp/anchors.yaml" 2>&1)
rc=$?
[ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q 'anchors.yaml:90003:1: error: duplicate key "b"' &&
	ok || nok "many anchors: exit $rc: $(printf '%s' "$out" | head -3)"
awk 'BEGIN { print "big: &big"; for (i = 0; i < 20000; i++) printf "  k%d: %d\n", i, i
	print "m:"; print "  z: 1"; print "  <<: *big"; print "  k7: mine"; print "  k7: twice" }' >"$tmp/merge.yaml"
out=$(timeout 60 "$BTPCTL" validate "$tmp/merge.yaml" 2>&1)
rc=$?
[ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q 'merge.yaml:20006:3: error: duplicate key "k7"' &&
	ok || nok "big merge: exit $rc: $(printf '%s' "$out" | head -3)"

# an endless binary stream through a FIFO stops at its first NUL byte
if command -v mkfifo >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
	mkfifo "$tmp/fifo"
	python3 -c 'import sys
try:
    while True:
        sys.stdout.buffer.write(b"\0" * 65536)
except BrokenPipeError:
    pass' >"$tmp/fifo" 2>/dev/null &
	writer=$!
	out=$(timeout 30 "$BTPCTL" validate "$tmp/fifo" 2>&1)
	rc=$?
	kill "$writer" 2>/dev/null
	wait "$writer" 2>/dev/null
	[ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q "binary file (NUL byte at offset 0)" &&
		ok || nok "endless binary FIFO: exit $rc: $out"
fi
finish t_load
