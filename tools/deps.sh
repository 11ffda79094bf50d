#!/bin/sh
# deps.sh [check]: make sure the build dependencies (and with "check", the
# tools the tests drive: git, pre-commit, python3 with jsonschema, xmllint)
# are installed.  As root on Debian, missing packages are installed with
# apt-get; otherwise the exact apt-get line is printed and make stops.
set -u
need=""
have_pc() { pkg-config --exists "$1" 2>/dev/null; }
command -v cc >/dev/null 2>&1 || need="$need gcc"
command -v make >/dev/null 2>&1 || need="$need make"
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
have_pc yaml-0.1 || need="$need libyaml-dev"
have_pc jansson || need="$need libjansson-dev"
have_pc libpcre2-8 || need="$need libpcre2-dev"
have_pc libcurl || need="$need libcurl4-openssl-dev"
have_pc libxxhash || need="$need libxxhash-dev"
if [ "${1:-}" = check ]; then
	command -v git >/dev/null 2>&1 || need="$need git"
	command -v pre-commit >/dev/null 2>&1 || need="$need pre-commit"
	command -v xmllint >/dev/null 2>&1 || need="$need libxml2-utils"
	command -v python3 >/dev/null 2>&1 || need="$need python3"
	python3 -c 'import jsonschema' >/dev/null 2>&1 ||
		/usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1 ||
		need="$need python3-jsonschema"
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "btpctl: installing:$need"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $need >/dev/null || {
		echo "btpctl: apt-get install failed:$need" >&2
		exit 1
	}
	exit 0
fi
echo "btpctl: missing build dependencies; install them with:" >&2
echo "  sudo apt-get install$need" >&2
exit 1
