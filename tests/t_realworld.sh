#!/bin/sh
# t_realworld.sh: every vendored real-world manifest (testdata/realworld,
# provenance in its SOURCE.md) goes through `btpctl validate` without a
# crash or a sanitizer report: exit 0 or 1, never a YAML error (they are
# all well-formed), the same output on one thread and on two.
set -u
. "$ROOT/tests/lib.sh"
dir="$ROOT/testdata/realworld"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for f in "$dir"/*.yaml; do
	n=$((n + 1))
	"$BTPCTL" validate "$f" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	name=$(basename "$f")
	if [ "$rc" -gt 1 ]; then
		nok "$name: exit $rc"
		head -5 "$tmp/err"
	elif grep -q -e "AddressSanitizer" -e "runtime error" -e "LeakSanitizer" "$tmp/err"; then
		nok "$name: sanitizer report"
		head -20 "$tmp/err"
	elif grep -q "\[yaml\]" "$tmp/out"; then
		nok "$name: YAML error on a well-formed file"
		grep "\[yaml\]" "$tmp/out" | head -3
	else
		ok
	fi
done
[ "$n" -eq 83 ] && ok || nok "expected 83 manifests, found $n"
"$BTPCTL" validate -v -j1 "$dir" >"$tmp/j1" 2>&1
rc1=$?
"$BTPCTL" validate -v -j2 "$dir" >"$tmp/j2" 2>&1
rc2=$?
[ "$rc1" -le 1 ] && [ "$rc1" = "$rc2" ] && ok || nok "directory run: exit $rc1 / $rc2"
cmp -s "$tmp/j1" "$tmp/j2" && ok || nok "-j1 and -j2 outputs differ"
# BackendTrafficPolicy is recognised by apiVersion and kind in every file
grep -q "validate: 89 BackendTrafficPolicy object(s)" "$tmp/j1" && ok ||
	nok "expected 89 BackendTrafficPolicy objects: $(tail -1 "$tmp/j1")"
"$BTPCTL" validate -o json "$dir" >"$tmp/json" 2>&1
rc=$?
[ "$rc" -le 1 ] && grep -q '"version": *1' "$tmp/json" && ok || nok "json run: exit $rc"
finish t_realworld
