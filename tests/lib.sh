# lib.sh: helpers for tests/t_*.sh scripts.  Source it, call ok/nok (or
# check CMD...), and end with finish NAME, which prints
# "NAME: N passed, N failed" and sets the exit code.
T_PASS=0
T_FAIL=0
ok() { T_PASS=$((T_PASS + 1)); }
nok() { T_FAIL=$((T_FAIL + 1)); echo "FAIL: $*"; }
# check DESCRIPTION CMD...: passes when CMD exits 0
check() {
	d=$1; shift
	if "$@"; then ok; else nok "$d"; fi
}
finish() {
	echo "$1: $T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
