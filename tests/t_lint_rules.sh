#!/bin/sh
# t_lint_rules.sh: every lint rule's examples are golden tests.  For each
# testdata/lint/BTPnnn: bad.yaml yields the rule at the line in bad.line
# (and the finding carries a location and an object or path); good.yaml
# does not yield the rule.  Every rule in the catalogue has a directory,
# and the directories and man/btpctl-rules.7 are what tools/gen-lint.sh
# writes from the rule table.
. "$ROOT/tests/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# findings of rule $1 in file $2 as "line:col" words
lines_of() {
	"$BTPCTL" lint -o json "$2" 2>/dev/null | python3 -c '
import json, sys
rule = sys.argv[1]
for d in json.load(sys.stdin)["diagnostics"]:
    if d["code"] == rule:
        print("%d:%d:%s:%s" % (d["line"], d["column"], d.get("path") or "-",
              (d.get("object") or {}).get("name") or "-"))
' "$1"
}

ids=$("$BTPCTL" rules -o json | python3 -c '
import json, sys
print(" ".join(r["id"] for r in json.load(sys.stdin)["rules"]))')
n=0
for id in $ids; do
	n=$((n + 1))
	dir="$ROOT/testdata/lint/$id"
	if [ ! -f "$dir/bad.yaml" ] || [ ! -f "$dir/good.yaml" ] || [ ! -f "$dir/bad.line" ]; then
		nok "$id: testdata/lint/$id/{good,bad}.yaml and bad.line missing"
		continue
	fi
	want=$(cat "$dir/bad.line")
	got=$(lines_of "$id" "$dir/bad.yaml")
	if printf '%s\n' "$got" | grep -q "^$want:[0-9]*:"; then ok; else
		nok "$id: bad.yaml should report $id at line $want, got: $(echo $got)"
	fi
	# a location with a column, and an object for every finding
	obj='[^-]'
	if [ -n "$got" ] && ! printf '%s\n' "$got" | grep -q -v "^[1-9][0-9]*:[1-9][0-9]*:[^:]*:$obj"; then ok; else
		nok "$id: findings without column or object: $(echo $got)"
	fi
	got=$(lines_of "$id" "$dir/good.yaml")
	if [ -z "$got" ]; then ok; else nok "$id: good.yaml reports $id: $(echo $got)"; fi
	# --enable turns exactly this rule on; the exit code follows its severity
	if "$BTPCTL" lint --disable all --enable "$id" "$dir/bad.yaml" >/dev/null 2>&1; then
		rc=0
	else
		rc=$?
	fi
	sev=$("$BTPCTL" rules -o json | python3 -c '
import json, sys
print([r["defaultSeverity"] for r in json.load(sys.stdin)["rules"] if r["id"] == sys.argv[1]][0])' "$id")
	if [ "$sev" = error ]; then wantrc=1; else wantrc=0; fi
	if [ "$rc" -eq "$wantrc" ]; then ok; else
		nok "$id: --disable all --enable $id on bad.yaml exits $rc (severity $sev)"
	fi
done
[ "$n" -ge 30 ] && ok || nok "only $n rules in the catalogue"

# no stray example directories
for d in "$ROOT"/testdata/lint/BTP*; do
	case " $ids " in *" $(basename "$d") "*) ok ;; *) nok "$(basename "$d"): no such rule" ;; esac
done

# generated files are up to date
mkdir -p "$tmp/ex"
"$BTPCTL" __lint-gen examples "$tmp/ex"
for d in "$tmp"/ex/*; do
	if diff -r "$d" "$ROOT/testdata/lint/$(basename "$d")" >/dev/null; then ok; else
		nok "testdata/lint/$(basename "$d") is stale: run sh tools/gen-lint.sh"
	fi
done
if "$BTPCTL" __lint-gen man | cmp -s - "$ROOT/man/btpctl-rules.7"; then ok; else
	nok "man/btpctl-rules.7 is stale: run sh tools/gen-lint.sh"
fi
finish t_lint_rules
