#!/bin/sh
# t_lint_cli.sh: lint's suppressions (annotation, comments, unused ones),
# configuration file (discovery upward, --config, levels, ignore, located
# errors with exit 2), --enable/--disable/--fail-on/--max-warnings and the
# exit codes, and the GitHub annotation format with its escaping.
. "$ROOT/tests/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
L="$ROOT/testdata/lint"

# codes reported for a run, "CODE@line" sorted
codes() {
	python3 -c '
import json, sys
print(" ".join(sorted("%s@%d" % (d["code"], d["line"]) for d in json.load(sys.stdin)["diagnostics"])))'
}
expect() {	# expect DESCRIPTION WANT GOT
	if [ "$2" = "$3" ]; then ok; else nok "$1: want [$2], got [$3]"; fi
}
rc_of() { "$@" >/dev/null 2>&1; echo $?; }

# ---- exit codes and thresholds ----
expect "error finding" 1 "$(rc_of "$BTPCTL" lint "$L/BTP013/bad.yaml")"
expect "warnings only" 0 "$(rc_of "$BTPCTL" lint "$L/BTP004/bad.yaml")"
expect "--fail-on warning" 1 "$(rc_of "$BTPCTL" lint --fail-on warning "$L/BTP004/bad.yaml")"
expect "--fail-on info, info only" 1 "$(rc_of "$BTPCTL" lint --disable all --enable BTP003 --fail-on info "$L/BTP003/bad.yaml")"
expect "--max-warnings 0" 1 "$(rc_of "$BTPCTL" lint --max-warnings 0 "$L/BTP004/bad.yaml")"
expect "--max-warnings 9" 0 "$(rc_of "$BTPCTL" lint --max-warnings 9 "$L/BTP004/bad.yaml")"
expect "--disable" 0 "$(rc_of "$BTPCTL" lint --fail-on warning --disable BTP004,BTP005,BTP006,BTP001,BTP002 "$L/BTP004/bad.yaml")"
expect "--disable by name" 0 "$(rc_of "$BTPCTL" lint --fail-on warning --disable too-many-retries --disable BTP005,BTP006,BTP001,BTP002 "$L/BTP004/bad.yaml")"
# a translator error the rule covered comes back when the rule is off
got=$("$BTPCTL" lint -o json --disable BTP013 "$L/BTP013/bad.yaml" | codes)
case " $got " in *" translate@16 "*) ok ;; *) nok "translate finding hidden with BTP013 off: $got" ;; esac
got=$("$BTPCTL" lint -o json "$L/BTP013/bad.yaml" | codes)
case " $got " in *translate*) nok "translate duplicates BTP013: $got" ;; *) ok ;; esac
# schema errors come first, as validate reports them
printf '%s\n' "$(cat "$L/BTP004/bad.yaml")" | sed 's/numRetries: 10/numRetries: -1/' > "$tmp/neg.yaml"
got=$("$BTPCTL" lint -o json "$tmp/neg.yaml" | codes)
case " $got " in *" schema@12 "*) ok ;; *) nok "schema error missing: $got" ;; esac
expect "--api-version unknown" 2 "$(rc_of "$BTPCTL" lint --api-version v0.1 "$L/BTP004/bad.yaml")"
expect "unknown rule" 2 "$(rc_of "$BTPCTL" lint --disable BTP999 "$L/BTP013/bad.yaml")"
expect "bad --fail-on" 2 "$(rc_of "$BTPCTL" lint --fail-on fatal "$L/BTP013/bad.yaml")"
expect "missing input" 3 "$(rc_of "$BTPCTL" lint "$tmp/nope.yaml")"
expect "no input" 2 "$(rc_of "$BTPCTL" lint)"
out=$("$BTPCTL" lint --disable BTP01 "$L/BTP013/bad.yaml" 2>&1)
case $out in *"did you mean BTP001"*|*"did you mean BTP010"*) ok ;; *) nok "no did-you-mean: $out" ;; esac
got=$("$BTPCTL" lint -o json --disable all --enable BTP010,BTP011 "$L/BTP010/bad.yaml" | codes)
expect "--disable all --enable" "BTP010@17" "$got"

# ---- the description's spellings are errors, yet read by their meaning ----
{ sed -n 1,10p "$L/BTP010/bad.yaml"; printf '  timeout:\n    http:\n      requestTimeout: 10s\n  retry:\n    numRetries: 2\n    perRetryTimeout: 10s\n    backoff:\n      baseInterval: 2s\n      maxInterval: 1s\n'; } > "$tmp/seed.yaml"
got=$("$BTPCTL" lint -o json "$tmp/seed.yaml" | codes)
case " $got " in *" BTP005@"*|*" BTP006@"*) nok "seed spellings not read by meaning: $got" ;; *) ok ;; esac
case " $got " in *" BTP010@16 "*) ok ;; *) nok "BTP010 on the seed perRetryTimeout: $got" ;; esac
case " $got " in *" BTP013@19 "*) ok ;; *) nok "BTP013 on the seed backoff: $got" ;; esac
case " $got " in *" schema@16 "*) ok ;; *) nok "seed spelling not a schema error: $got" ;; esac

# ---- suppressions ----
base=$(cat "$L/BTP004/bad.yaml")
printf '%s\n' "$base" | sed 's/^  name: api$/  name: api\n  annotations:\n    btpctl.io\/ignore: "BTP004, BTP001"/' > "$tmp/ann.yaml"
got=$("$BTPCTL" lint -o json "$tmp/ann.yaml" | codes)
case " $got " in *" BTP004@"*|*" BTP001@"*) nok "annotation did not suppress: $got" ;; *) ok ;; esac
printf '%s\n' "$base" | sed 's/^  name: api$/  name: api\n  annotations:\n    btpctl.io\/ignore: "BTP004,BTP012"/' > "$tmp/ann2.yaml"
got=$("$BTPCTL" lint -o json "$tmp/ann2.yaml" | codes)
case " $got " in *" BTP900@6 "*) ok ;; *) nok "unused annotation entry not reported: $got" ;; esac
printf '%s\n' "$base" | sed 's/^    numRetries: 10$/    numRetries: 10  # btpctl:ignore BTP004 -- batch jobs/' > "$tmp/trail.yaml"
got=$("$BTPCTL" lint -o json "$tmp/trail.yaml" | codes)
case " $got " in *" BTP004@"*|*BTP900*) nok "trailing comment: $got" ;; *) ok ;; esac
printf '%s\n' "$base" | sed 's/^    numRetries: 10$/    # btpctl:ignore too-many-retries -- batch jobs\n    #\n    numRetries: 10/' > "$tmp/above.yaml"
got=$("$BTPCTL" lint -o json "$tmp/above.yaml" | codes)
case " $got " in *" BTP004@"*|*BTP900*) nok "comment above (by name): $got" ;; *) ok ;; esac
printf '%s\n' "$base" | sed 's/^  retry:$/  # btpctl:ignore BTP004\n  retry:/' > "$tmp/far.yaml"
got=$("$BTPCTL" lint -o json "$tmp/far.yaml" | codes)
case " $got " in *" BTP004@13 "*" BTP900@11 "*|*" BTP900@11 "*" BTP004@13 "*) ok ;; *) nok "comment two lines above should not apply: $got" ;; esac
printf '%s\n' "$base" | sed 's/^    numRetries: 10$/    numRetries: 10  # btpctl:ignore BTP04/' > "$tmp/typo.yaml"
out=$("$BTPCTL" lint "$tmp/typo.yaml" 2>&1)
case $out in *"names 'BTP04', which is not a btpctl rule"*) ok ;; *) nok "unknown id in comment: $out" ;; esac
printf 'x: "# btpctl:ignore BTP004"\n' > "$tmp/str.yaml"
printf -- '---\n%s\n' "$base" >> "$tmp/str.yaml"
got=$("$BTPCTL" lint -o json "$tmp/str.yaml" | codes)
case " $got " in *BTP900*) nok "marker inside a string counted as a comment: $got" ;; *) ok ;; esac
out=$("$BTPCTL" lint "$tmp/trail.yaml" 2>&1 >/dev/null)
case $out in *"(1 suppressed)"*) ok ;; *) nok "summary lacks the suppressed count: $out" ;; esac

# ---- configuration ----
mkdir -p "$tmp/repo/deploy/sub" "$tmp/repo/vendor"
cp "$L/BTP004/bad.yaml" "$tmp/repo/deploy/sub/a.yaml"
cp "$L/BTP013/bad.yaml" "$tmp/repo/vendor/b.yaml"
cp "$L/BTP013/bad.yaml" "$tmp/repo/deploy/x.draft.yaml"
cat > "$tmp/repo/.btpctl.yaml" <<'YAML'
apiVersion: v1.9
rules:
  BTP004: error
  no-health-check: off
ignore:
  - vendor/
  - "*.draft.yaml"
YAML
got=$(cd "$tmp/repo/deploy/sub" && "$BTPCTL" lint -o json a.yaml ../../vendor/b.yaml ../x.draft.yaml | codes)
expect "config found upward, levels and ignore" "BTP002@1 BTP003@1 BTP004@12 BTP005@11 BTP006@11" "$got"
sev=$(cd "$tmp/repo/deploy/sub" && "$BTPCTL" lint -o json a.yaml | python3 -c '
import json, sys
print([d["severity"] for d in json.load(sys.stdin)["diagnostics"] if d["code"] == "BTP004"][0])')
expect "configured severity" error "$sev"
got=$(cd "$tmp/repo" && "$BTPCTL" lint -o json . | codes)
expect "ignore in a directory walk" "BTP002@1 BTP003@1 BTP004@12 BTP005@11 BTP006@11" "$got"
got=$(cd "$tmp/repo" && "$BTPCTL" lint -o json --enable BTP001 deploy | codes)
expect "--enable overrides off" "BTP001@1 BTP002@1 BTP003@1 BTP004@12 BTP005@11 BTP006@11" "$got"
lv=$(cd "$tmp/repo/deploy" && "$BTPCTL" rules | awk '$1 == "BTP004" || $1 == "BTP001" { printf "%s=%s ", $1, $2 }')
expect "rules shows configured levels" "BTP001=off BTP004=error " "$lv"
printf 'rules:\n  BTP004: loud\n  BTP099: off\nignor: []\napiVersion: v3\n' > "$tmp/bad.yaml"
out=$("$BTPCTL" lint --config "$tmp/bad.yaml" "$L/BTP004/bad.yaml" 2>&1)
rc=$?
expect "bad config exit" 2 "$rc"
for want in "bad.yaml:2:11: error: rule BTP004: level must be off, error, warning or info, not 'loud'" \
    "bad.yaml:3:3: error: unknown rule 'BTP099'" "bad.yaml:4:1: error: unknown key 'ignor' (did you mean ignore?)" \
    "bad.yaml:5:13: error: apiVersion 'v3' is not a known Envoy Gateway version"; do
	case $out in *"$want"*) ok ;; *) nok "config message missing: $want (got: $out)" ;; esac
done
printf 'rules: [\n' > "$tmp/broken.yaml"
expect "unparseable config" 2 "$(rc_of "$BTPCTL" lint --config "$tmp/broken.yaml" "$L/BTP004/bad.yaml")"
expect "missing --config" 3 "$(rc_of "$BTPCTL" lint --config "$tmp/none.yaml" "$L/BTP004/bad.yaml")"

# ---- GitHub annotations ----
mkdir -p "$tmp/gh"
cp "$L/BTP013/bad.yaml" "$tmp/gh/we%ird,na:me.yaml"
out=$(cd "$tmp/gh" && "$BTPCTL" lint -o github 'we%ird,na:me.yaml')
first=$(printf '%s\n' "$out" | head -1)
expect "first annotation is the error" \
    "::error file=we%25ird%2Cna%3Ame.yaml,line=16,col=22,endLine=16,endColumn=27,title=BTP013 invalid-retry-backoff::we%25ird,na:me.yaml:16:22: back-off maxInterval 500ms is below baseInterval 2s, which Envoy Gateway refuses (the policy is not accepted and its routes answer 500); make maxInterval at least baseInterval [BackendTrafficPolicy shop/api]" \
    "$first"
n=$(printf '%s\n' "$out" | grep -c '^::\(error\|warning\|notice\) ')
nd=$(cd "$tmp/gh" && "$BTPCTL" lint -o json 'we%ird,na:me.yaml' | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["diagnostics"]))')
expect "one annotation per finding" "$nd" "$n"
printf '%s\n' "$out" | grep -q '^we%ird,na:me.yaml:16:22: error: ' && ok || nok "plain report missing after the annotations"
order=$(printf '%s\n' "$out" | sed -n 's/^::\([a-z]*\) .*/\1/p' | uniq | tr '\n' ' ')
expect "most severe first" "error warning notice " "$order"
printf 'a:\n  b: [1,\n' > "$tmp/gh/nl.yaml"
out=$(cd "$tmp/gh" && "$BTPCTL" lint -o github nl.yaml)
if printf '%s\n' "$out" | grep '^::error' | grep -q '%0A\|^::error [^:]*::[^%]*$'; then ok; else nok "annotation not one line: $out"; fi

# documents stream through several threads, and with more than one some
# policies are checked in the second pass, beside the precedence engine: the
# output is the same for any number of them (findings, suppressions,
# BTP900, layered policies, summary)
set -- "$ROOT"/testdata/lint/*/*.yaml "$ROOT/tests/cases/lint-suppressed/policy.yaml" \
	"$ROOT/tests/cases/lint-json/estate.yaml" "$ROOT/tests/cases/lint-inherited/estate.yaml" \
	"$ROOT"/testdata/realworld
"$BTPCTL" lint -j 1 -o json "$@" >"$tmp/j1.json" 2>&1
"$BTPCTL" lint -j 1 "$@" >"$tmp/j1.txt" 2>&1
nj1=$(grep -c '"code"' "$tmp/j1.json")
[ "$nj1" -ge 100 ] && ok || nok "-j 1: only $nj1 findings on the examples"
grep -q '"BTP900"' "$tmp/j1.json" && ok || nok "-j 1: no BTP900 from the suppression fixture"
grep -q 'suppressed' "$tmp/j1.txt" && ok || nok "-j 1: no suppressed count in the summary"
for j in 2 3 8; do
	"$BTPCTL" lint -j "$j" -o json "$@" >"$tmp/j.json" 2>&1
	"$BTPCTL" lint -j "$j" "$@" >"$tmp/j.txt" 2>&1
	if cmp -s "$tmp/j1.json" "$tmp/j.json" && cmp -s "$tmp/j1.txt" "$tmp/j.txt"; then ok; else
		nok "lint -j $j differs from -j 1"
	fi
done
finish t_lint_cli
