#!/bin/sh
# demo.sh: run btpctl's main jobs on the bundled examples.
set -u
b=./btpctl
run() {
	echo
	echo "\$ btpctl $*"
	$b "$@"
	echo "(exit $?)"
}
run validate examples/
