#!/bin/sh
# gen-lint.sh [BTPCTL]: regenerate what the lint rule table produces, so
# that it never drifts from the code: the man page man/btpctl-rules.7 and
# the golden examples testdata/lint/BTPnnn/{good,bad}.yaml plus bad.line
# (the line the finding must be reported at).  tests/t_lint_rules.sh fails
# when the committed files differ from what this script writes.
set -eu
bin=${1:-./btpctl}
root=$(cd "$(dirname "$0")/.." && pwd)
"$bin" __lint-gen man > "$root/man/btpctl-rules.7"
rm -rf "$root/testdata/lint/BTP"[0-9]*
mkdir -p "$root/testdata/lint"
"$bin" __lint-gen examples "$root/testdata/lint"
