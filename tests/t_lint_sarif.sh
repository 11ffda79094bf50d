#!/bin/sh
# t_lint_sarif.sh: btpctl lint -o sarif is valid SARIF 2.1.0 (the published
# JSON schema, checked with python3-jsonschema) and meets what GitHub code
# scanning requires: a results array even when clean, every result with a
# rule in the rules metadata, a region with line and column, and stable
# partialFingerprints that do not move when lines are inserted above.  The
# official SARIF multitool, when installed, must report no error.
. "$ROOT/tests/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
schema="$ROOT/testdata/sarif/sarif-schema-2.1.0.json"
# a Python that has jsonschema: the first python3 on PATH, or Debian's
# (python3-jsonschema, which .ci/run installs)
py=python3
python3 -c 'import jsonschema' 2>/dev/null || py=/usr/bin/python3
python3() { command "$py" "$@"; }

validate() {
	python3 - "$schema" "$1" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
for e in errs[:5]:
    print("schema:", "/".join(str(p) for p in e.path), e.message[:200])
# what GitHub needs beyond the schema
run = doc["runs"][0]
rules = run["tool"]["driver"]["rules"]
assert "results" in run, "no results array"
bad = 0
for r in run["results"]:
    idx = r.get("ruleIndex")
    if idx is None or rules[idx]["id"] != r["ruleId"]:
        print("rule index mismatch", r["ruleId"]); bad += 1
    if not rules[idx].get("help", {}).get("text"):
        print("rule without help", r["ruleId"]); bad += 1
    reg = r["locations"][0]["physicalLocation"]["region"]
    if reg.get("startLine", 0) < 1 or reg.get("startColumn", 0) < 1:
        print("bad region", r["ruleId"], reg); bad += 1
    uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    if uri.startswith("./") or "\\" in uri:
        print("bad uri", uri); bad += 1
    if not r.get("partialFingerprints", {}).get("primaryLocationLineHash"):
        print("no fingerprint", r["ruleId"]); bad += 1
sys.exit(1 if errs or bad else 0)
PY
}

cd "$ROOT/testdata/lint"
# every rule's bad example at once, and the clean good examples
"$BTPCTL" lint -o sarif */bad.yaml > "$tmp/bad.sarif" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] && ok || nok "lint -o sarif on bad examples exits $rc, want 1"
[ -s "$tmp/err" ] && nok "lint -o sarif wrote to stderr: $(head -2 "$tmp/err")" || ok
if validate "$tmp/bad.sarif"; then ok; else nok "SARIF of the bad examples is not valid"; fi
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$tmp/bad.sarif")
[ "$n" -ge 32 ] && ok || nok "only $n results for the bad examples"

"$BTPCTL" lint -o sarif --disable all BTP001/good.yaml > "$tmp/clean.sarif"
rc=$?
[ "$rc" -eq 0 ] && ok || nok "clean SARIF run exits $rc"
if validate "$tmp/clean.sarif"; then ok; else nok "SARIF of a clean run is not valid"; fi
if grep -q '"results": \[\]' "$tmp/clean.sarif"; then ok; else nok "clean run lacks \"results\": []"; fi

# YAML errors and I/O errors are results too, with their own rule entries
printf 'a: [\n' > "$tmp/broken.yaml"
(cd "$tmp" && "$BTPCTL" lint -o sarif broken.yaml missing.yaml > "$tmp/broken.sarif")
rc=$?
[ "$rc" -eq 3 ] && ok || nok "broken + missing input exits $rc, want 3"
if validate "$tmp/broken.sarif"; then ok; else nok "SARIF with YAML and I/O errors is not valid"; fi
if grep -q '"executionSuccessful": false' "$tmp/broken.sarif"; then ok; else nok "executionSuccessful not false"; fi

# fingerprints survive lines inserted above; lines move
cp BTP010/bad.yaml "$tmp/a.yaml"
{ echo "# a comment"; echo "# another"; cat BTP010/bad.yaml; } > "$tmp/b.yaml"
(cd "$tmp" && cp a.yaml p.yaml && "$BTPCTL" lint -o sarif p.yaml > fa.sarif;
 cp b.yaml p.yaml && "$BTPCTL" lint -o sarif p.yaml > fb.sarif)
fp() {
	python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["runs"][0]["results"]:
    print(r["ruleId"], r["partialFingerprints"]["primaryLocationLineHash"],
          r["locations"][0]["physicalLocation"]["region"]["startLine"])' "$1"
}
fp "$tmp/fa.sarif" > "$tmp/fa"
fp "$tmp/fb.sarif" > "$tmp/fb"
if [ "$(cut -d' ' -f1,2 "$tmp/fa")" = "$(cut -d' ' -f1,2 "$tmp/fb")" ] && [ -s "$tmp/fa" ]; then ok; else
	nok "fingerprints changed when lines were inserted above"
fi
if [ "$(grep BTP010 "$tmp/fa" | cut -d' ' -f3)" = 17 ] && [ "$(grep BTP010 "$tmp/fb" | cut -d' ' -f3)" = 19 ]; then ok; else
	nok "BTP010 lines: $(grep BTP010 "$tmp/fa") / $(grep BTP010 "$tmp/fb")"
fi
# distinct findings have distinct fingerprints
if [ "$(cut -d' ' -f2 "$tmp/fa" | sort | uniq -d)" = "" ]; then ok; else nok "duplicate fingerprints"; fi

# the official multitool, when installed
mt=${SARIF_MULTITOOL:-$ROOT/build/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool}
if [ -x "$mt" ]; then
	for f in bad clean broken; do
		rm -f "$tmp/$f.val"
		if "$mt" validate --rule-kind "Gh;Sarif" -o "$tmp/$f.val" "$tmp/$f.sarif" >"$tmp/mt.out" 2>&1 &&
		    python3 -c '
import json, sys
res = json.load(open(sys.argv[1]))["runs"][0].get("results", [])
errs = [r for r in res if r.get("level", "warning") == "error"]
for r in errs: print(r["ruleId"], r.get("message"))
sys.exit(1 if errs else 0)' "$tmp/$f.val"; then ok; else
			nok "SARIF multitool rejects $f.sarif: $(tail -5 "$tmp/mt.out")"
		fi
	done
else
	echo "t_lint_sarif: SARIF multitool not installed; schema checks only"
fi
finish t_lint_sarif
