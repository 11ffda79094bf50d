#!/bin/sh
# t_diff.sh: properties of btpctl diff over the real-world manifests and
# Envoy Gateway's translator inputs: each directory is the same as itself
# (exit 0, nothing printed); the translator inputs against the same files
# in reverse order are the same; and diffing two files one way and the
# other swaps added and removed and keeps changed; the streamed object
# diff agrees with the one on whole trees.
. "$ROOT/tests/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

summary() {	# summary FILE: "changed added removed unchanged"
	tr -d ' \n' <"$1" | sed -n 's/.*"summary":{"changed":\([0-9]*\),"added":\([0-9]*\),"removed":\([0-9]*\),"unchanged":\([0-9]*\)}.*/\1 \2 \3 \4/p'
}

for d in "$ROOT"/testdata/realworld "$ROOT"/testdata/upstream/testdata; do
	out=$("$BTPCTL" diff "$d" "$d" 2>/dev/null)
	rc=$?
	if [ $rc -eq 0 ] && [ -z "$out" ]; then ok; else nok "diff $d $d: exit $rc: $out"; fi
done

# the same documents in another order (one file each, names reversed)
mkdir -p "$tmp/a" "$tmp/b"
i=0
for f in "$ROOT"/testdata/upstream/testdata/*.in.yaml; do
	i=$((i + 1))
	cp "$f" "$tmp/a/$(printf '%04d' $i).yaml"
	cp "$f" "$tmp/b/$(printf '%04d' $((10000 - i))).yaml"
done
"$BTPCTL" diff -q "$tmp/a" "$tmp/b" 2>/dev/null
rc=$?
if [ $rc -eq 0 ]; then ok; else nok "upstream inputs in reverse order differ (exit $rc)"; fi

# every third file against the next one, both ways
prev=
n=0
for f in "$ROOT"/testdata/realworld/*.yaml; do
	n=$((n + 1))
	if [ -n "$prev" ] && [ $((n % 3)) -eq 0 ]; then
		"$BTPCTL" diff -o json "$prev" "$f" >"$tmp/ab" 2>/dev/null
		r1=$?
		"$BTPCTL" diff -o json "$f" "$prev" >"$tmp/ba" 2>/dev/null
		r2=$?
		set -- $(summary "$tmp/ab") $(summary "$tmp/ba")
		if [ $# -eq 8 ] && [ $r1 -le 1 ] && [ $r1 -eq $r2 ] && [ "$1" = "$5" ] &&
		    [ "$2" = "$7" ] && [ "$3" = "$6" ] && [ "$4" = "$8" ]; then
			ok
		else
			nok "diff $prev $f is not the mirror of the reverse diff ($*; exit $r1, $r2)"
		fi
	fi
	prev=$f
done
# the streamed object diff (digests, then only the objects that differ)
# says what the whole-tree one of --effective says about objects
for pair in "realworld upstream/testdata" "upstream/testdata realworld"; do
	set -- $pair
	"$BTPCTL" diff "$ROOT/testdata/$1" "$ROOT/testdata/$2" >"$tmp/s" 2>"$tmp/se"
	r1=$?
	"$BTPCTL" diff --effective "$ROOT/testdata/$1" "$ROOT/testdata/$2" >"$tmp/w" 2>"$tmp/we"
	r2=$?
	lines=$(wc -l <"$tmp/s")
	if [ $r1 -eq 1 ] && [ $r2 -eq 1 ] && [ "$lines" -gt 100 ] &&
	    head -n "$lines" "$tmp/w" | cmp -s - "$tmp/s" && cmp -s "$tmp/se" "$tmp/we"; then
		ok
	else
		nok "diff $1 $2: streamed and whole-tree object diffs disagree"
	fi
done
finish t_diff
