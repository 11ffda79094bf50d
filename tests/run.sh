#!/bin/sh
# run.sh: the whole test suite.  Runs every unit-test binary, every golden
# CLI case under tests/cases/, and every script tests/t_*.sh (conformance
# runners, documentation checks, pre-commit...), then prints the totals
# as its last line: "N passed, N failed".
#
#   BTPCTL   path of the btpctl binary (required)
#   UNITDIR  directory of the unit-test binaries (required)
#   UPDATE=1 rewrite the expectations of golden cases instead of comparing
#   ONLY=pat run only golden cases and scripts whose name contains pat
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
: "${BTPCTL:?}" "${UNITDIR:?}"
export BTPCTL ROOT="$root"
pass=0
fail=0
failed_names=""
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

note_fail() {
	fail=$((fail + 1))
	failed_names="$failed_names $1"
}

# Unit tests: each binary prints "unit NAME: P passed, F failed".
if [ -z "${ONLY:-}" ]; then
	for t in "$UNITDIR"/test_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		out=$("$t" 2>"$tmp/err")
		rc=$?
		line=$(printf '%s\n' "$out" | grep '^unit .*passed' | tail -1)
		p=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed/\1/p')
		f=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed/\2/p')
		printf '%s\n' "$out" | grep -v '^unit .*passed' || true
		if [ -z "$p" ]; then
			cat "$tmp/err"
			echo "FAIL $name: crashed or printed no count (exit $rc)"
			note_fail "$name"
			continue
		fi
		pass=$((pass + p))
		fail=$((fail + f))
		if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ]; then
			cat "$tmp/err"
			[ "$f" -eq 0 ] && fail=$((fail + 1))
			failed_names="$failed_names $name"
		fi
		echo "$line"
	done
fi

# Golden CLI cases: tests/cases/NAME/{cmd,stdin?,expected.stdout,
# expected.stderr,expected.rc} plus any input files; run in the case dir.
ncase=0
ncasefail=0
for dir in "$here"/cases/*/; do
	name=$(basename "$dir")
	case "$name" in *"${ONLY:-}"*) ;; *) continue ;; esac
	[ -f "$dir/cmd" ] || continue
	ncase=$((ncase + 1))
	args=$(cat "$dir/cmd")
	if [ -f "$dir/stdin" ]; then in="$dir/stdin"; else in=/dev/null; fi
	(cd "$dir" && NO_COLOR= FORCE_COLOR= eval "\"\$BTPCTL\" $args" \
		<"$in" >"$tmp/out" 2>"$tmp/err")
	rc=$?
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$tmp/out" "$dir/expected.stdout"
		cp "$tmp/err" "$dir/expected.stderr"
		echo "$rc" >"$dir/expected.rc"
		pass=$((pass + 1))
		continue
	fi
	ok=1
	want=$(cat "$dir/expected.rc" 2>/dev/null || echo missing)
	if [ "$rc" != "$want" ]; then
		echo "FAIL case $name: exit $rc, want $want"
		ok=0
	fi
	for s in stdout stderr; do
		if ! cmp -s "$tmp/out" "$dir/expected.$s" 2>/dev/null && [ $s = stdout ]; then
			echo "FAIL case $name: stdout differs"
			diff -u "$dir/expected.stdout" "$tmp/out" | head -30
			ok=0
		fi
		if [ $s = stderr ] && ! cmp -s "$tmp/err" "$dir/expected.stderr" 2>/dev/null; then
			echo "FAIL case $name: stderr differs"
			diff -u "$dir/expected.stderr" "$tmp/err" | head -30
			ok=0
		fi
	done
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		ncasefail=$((ncasefail + 1))
		note_fail "case:$name"
	fi
done
echo "golden cases: $((ncase - ncasefail))/$ncase agree"

# Scripts: each prints its own lines and ends with "NAME: N passed, N failed".
for t in "$here"/t_*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	case "$name" in *"${ONLY:-}"*) ;; *) continue ;; esac
	sh "$t" >"$tmp/out" 2>&1
	rc=$?
	cat "$tmp/out"
	last=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$tmp/out" | tail -1 | sed 's/^/ /')
	p=$(printf '%s\n' "$last" | sed -n 's/.*[^0-9]\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1/p')
	f=$(printf '%s\n' "$last" | sed -n 's/.*[^0-9]\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2/p')
	if [ -z "$p" ]; then
		echo "FAIL $name: printed no count (exit $rc)"
		note_fail "$name"
		continue
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $name: exit $rc"
		note_fail "$name"
	elif [ "$f" -ne 0 ]; then
		failed_names="$failed_names $name"
	fi
done

[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
