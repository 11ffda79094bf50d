#!/bin/sh
# t_lint_junit.sh: btpctl lint -o junit parses with a strict XML parser
# (xmllint), matches the common JUnit shape (testdata/junit/junit.xsd),
# has parent counts equal to the sum of the children, one testcase per
# policy (plus one per file with findings outside any policy), and
# escapes what XML forbids.
. "$ROOT/tests/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1767225600
xsd="$ROOT/testdata/junit/junit.xsd"

check_xml() {
	if xmllint --noout --schema "$xsd" "$1" 2>"$tmp/xmllint.err"; then ok; else
		nok "$2: $(head -3 "$tmp/xmllint.err")"
	fi
	python3 - "$1" <<'PY' || nok "$2: counts do not add up"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
tot = {"tests": 0, "failures": 0, "errors": 0}
bad = 0
for s in root.findall("testsuite"):
    cases = s.findall("testcase")
    f = sum(1 for c in cases if c.find("failure") is not None)
    e = sum(1 for c in cases if c.find("error") is not None)
    if (int(s.get("tests")), int(s.get("failures")), int(s.get("errors"))) != (len(cases), f, e):
        bad += 1
    tot["tests"] += len(cases); tot["failures"] += f; tot["errors"] += e
    names = [(c.get("classname"), c.get("name")) for c in cases]
    if len(set(names)) != len(names):
        bad += 1
for k, v in tot.items():
    if int(root.get(k)) != v:
        bad += 1
sys.exit(1 if bad else 0)
PY
	[ $? -eq 0 ] && ok
}

cd "$ROOT/testdata/lint"
"$BTPCTL" lint -o junit */bad.yaml */good.yaml > "$tmp/all.xml"
[ $? -eq 1 ] && ok || nok "junit run on the examples should exit 1"
check_xml "$tmp/all.xml" "examples"
# one testcase per policy
npol=$(cat */bad.yaml */good.yaml | grep -c '^kind: BackendTrafficPolicy')
ncase=$(grep -c '<testcase ' "$tmp/all.xml")
[ "$npol" -eq "$ncase" ] && ok || nok "$ncase testcases for $npol policies"
grep -q 'timestamp="2026-01-01T00:00:00Z"' "$tmp/all.xml" && ok || nok "SOURCE_DATE_EPOCH not used"

# --fail-on decides what fails; the rest goes to system-out
"$BTPCTL" lint -o junit --fail-on error BTP003/bad.yaml > "$tmp/info.xml"
check_xml "$tmp/info.xml" "info only"
if grep -q '<failure' "$tmp/info.xml"; then nok "info finding failed with --fail-on error"; else ok; fi
grep -q '<system-out>.*BTP003' "$tmp/info.xml" && ok || nok "info finding not in system-out"
"$BTPCTL" lint -o junit --fail-on info BTP003/bad.yaml > "$tmp/info2.xml"
grep -q '<failure message="[0-9]* findings*: .*" type="BTP0' "$tmp/info2.xml" && ok || nok "no failure with --fail-on info"

# YAML errors are <error> testcases of the file; awkward names are escaped
mkdir -p "$tmp/d"
printf 'a: [\n' > "$tmp/d/x&<y>\".yaml"
printf 'apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\nmetadata:\n  name: "a"\nspec: {targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: "q&<>"}]}\n' > "$tmp/d/p.yaml"
(cd "$tmp/d" && "$BTPCTL" lint -o junit . > "$tmp/err.xml")
check_xml "$tmp/err.xml" "YAML error and escaping"
grep -q '<error message=' "$tmp/err.xml" && ok || nok "YAML error is not an <error>"
grep -q 'x&amp;&lt;y&gt;&quot;.yaml' "$tmp/err.xml" && ok || nok "file name not escaped"
finish t_lint_junit
