#!/bin/sh
# t_docs.sh: every command and option appears in the README, in the man
# pages (btpctl(1) for commands, btpctl-CMD(1) for each option), and in
# the bash, zsh and fish completions.
. "$ROOT/tests/lib.sh"
spec=$("$BTPCTL" __spec)
readme="$ROOT/README.md"
bash_c="$ROOT/completions/btpctl.bash"
zsh_c="$ROOT/completions/_btpctl"
fish_c="$ROOT/completions/btpctl.fish"
has() { grep -q -F -e "$2" "$1" 2>/dev/null; }
for c in $(printf '%s\n' "$spec" | awk '$1 == "command" { print $2 }'); do
	for f in "$readme" "$ROOT/man/btpctl.1" "$bash_c" "$zsh_c" "$fish_c"; do
		if has "$f" "$c"; then ok; else nok "command '$c' missing from $(basename "$f")"; fi
	done
	if [ -f "$ROOT/man/btpctl-$c.1" ]; then ok; else nok "man/btpctl-$c.1 missing"; fi
done
printf '%s\n' "$spec" | awk '$1 == "option" { print $2, $3 }' | while read -r c o; do
	echo "$c $o"
done > /tmp/btpctl-opts.$$
while read -r c o; do
	name=${o#--}
	for f in "$readme" "$ROOT/man/btpctl-$c.1" "$bash_c" "$zsh_c" "$fish_c"; do
		# man pages escape dashes: \-\-name
		if has "$f" "$o" || has "$f" "\\-\\-$name" || has "$f" "-l $name" || has "$f" "'$name"; then
			ok
		else
			nok "option '$o' of '$c' missing from $(basename "$f")"
		fi
	done
done < /tmp/btpctl-opts.$$
rm -f /tmp/btpctl-opts.$$
for o in $(printf '%s\n' "$spec" | awk '$1 == "global" { print $2 }'); do
	name=${o#--}
	for f in "$readme" "$ROOT/man/btpctl.1" "$bash_c" "$zsh_c" "$fish_c"; do
		if has "$f" "$o" || has "$f" "\\-\\-$name" || has "$f" "-l $name"; then ok; else nok "global option '$o' missing from $(basename "$f")"; fi
	done
done
# every command's --help works and names its man page
for c in $(printf '%s\n' "$spec" | awk '$1 == "command" { print $2 }'); do
	if "$BTPCTL" "$c" --help | grep -q "btpctl-$c(1)"; then ok; else nok "btpctl $c --help"; fi
done
finish t_docs
