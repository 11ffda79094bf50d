#!/bin/sh
# t_completions.sh: the committed completions are what the command tables
# generate, and each one parses in its shell (when the shell is installed).
. "$ROOT/tests/lib.sh"
tmp=$(mktemp -d)
OUT=$tmp sh "$ROOT/tools/gen-completions.sh" "$BTPCTL" >/dev/null
for f in btpctl.bash _btpctl btpctl.fish; do
	if cmp -s "$tmp/$f" "$ROOT/completions/$f"; then ok; else
		nok "completions/$f is stale: run sh tools/gen-completions.sh ./btpctl"
	fi
done
check "bash parses completions/btpctl.bash" bash -n "$ROOT/completions/btpctl.bash"
if command -v zsh >/dev/null 2>&1; then
	check "zsh parses completions/_btpctl" zsh -n "$ROOT/completions/_btpctl"
fi
if command -v fish >/dev/null 2>&1; then
	check "fish parses completions/btpctl.fish" fish -n "$ROOT/completions/btpctl.fish"
fi
# bash completion really completes: commands, then an option value
out=$(bash -c ". '$ROOT/completions/btpctl.bash'; COMP_WORDS=(btpctl val); COMP_CWORD=1; _btpctl; echo \${COMPREPLY[*]}")
if [ "$out" = validate ]; then ok; else nok "bash completes 'val' to '$out'"; fi
out=$(bash -c ". '$ROOT/completions/btpctl.bash'; COMP_WORDS=(btpctl validate -o ''); COMP_CWORD=3; _btpctl; echo \${COMPREPLY[*]}")
if [ "$out" = "text json" ]; then ok; else nok "bash completes validate -o to '$out'"; fi
rm -rf "$tmp"
finish t_completions
