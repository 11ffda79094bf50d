#!/bin/sh
# t_simulate.sh: btpctl simulate end to end: a seed reproduces a run and
# another seed changes it; the CSV has one row per interval; the SVG is
# well-formed XML (when xmllint is installed); --compare runs both
# policies on the same arrivals; every output file is written even with -q.
. "$ROOT/tests/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pol="$ROOT/tests/cases/simulate-default/policy.yaml"
other="$ROOT/tests/cases/simulate-compare/old.yaml"
sim() { "$BTPCTL" simulate "$@"; }

sim "$pol" --set spec.duration=4s --seed 7 -o json >"$tmp/a.json"
sim "$pol" --set spec.duration=4s --seed 7 -o json >"$tmp/b.json"
sim "$pol" --set spec.duration=4s --seed 8 -o json >"$tmp/c.json"
check "same seed, same output" cmp -s "$tmp/a.json" "$tmp/b.json"
if cmp -s "$tmp/a.json" "$tmp/c.json"; then nok "another seed, same output"; else ok; fi
check "--seed is spec.seed" sh -c "'$BTPCTL' simulate '$pol' --set spec.duration=4s \
	--set spec.seed=7 -o json | cmp -s - '$tmp/a.json'"

sim "$pol" --set spec.duration=6s --set spec.interval=500ms -q --series "$tmp/s.csv" \
	--plot "$tmp/p.svg"
check "-q prints nothing" test -z "$(sim "$pol" --set spec.duration=1s -q)"
rows=$(wc -l <"$tmp/s.csv")
if [ "$rows" -eq 13 ]; then ok; else nok "CSV has $rows lines, want 1 + 12"; fi
check "CSV header" sh -c "head -1 '$tmp/s.csv' | grep -q '^t,rate,successPercent,p50Ms,p99Ms,'"
if command -v xmllint >/dev/null 2>&1; then
	check "SVG is well-formed" xmllint --noout "$tmp/p.svg"
else
	check "SVG has a root element" grep -q '^<svg ' "$tmp/p.svg"
fi

# compared policies see the same requests
sim "$pol" --compare "$other" --set spec.duration=5s -o json >"$tmp/cmp.json"
counts=$(grep -o '"summary": {"requests": [0-9]*' "$tmp/cmp.json" | sed 's/.* //')
if [ "$(printf '%s\n' "$counts" | wc -l)" -eq 2 ] &&
    [ "$(printf '%s\n' "$counts" | sort -u | wc -l)" -eq 1 ]; then
	ok
else
	nok "compared runs saw different request counts: $counts"
fi

# bad options
sim "$pol" --seed -3 >/dev/null 2>&1
if [ $? -eq 2 ]; then ok; else nok "--seed -3 should be a usage error"; fi
sim "$pol" --series /nonexistent/dir/x.csv --set spec.duration=1s >/dev/null 2>&1
if [ $? -eq 3 ]; then ok; else nok "an unwritable --series should exit 3"; fi
sim "$pol" --scenario /nonexistent.yaml >/dev/null 2>&1
if [ $? -eq 3 ]; then ok; else nok "a missing scenario should exit 3"; fi
# the example scenarios parse and run
for f in "$ROOT"/testdata/sim/*.yaml; do
	if sim "$pol" --scenario "$f" --set spec.duration=3s -q; then ok; else nok "scenario $f"; fi
done
finish t_simulate
