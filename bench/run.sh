#!/bin/sh
# run.sh: every benchmark script in bench/ (each prints its own lines).
here=$(cd "$(dirname "$0")" && pwd)
for b in "$here"/*.sh; do
	case $(basename "$b") in run.sh|gen-*.sh) continue ;; esac
	sh "$b"
done
