#!/bin/sh
# t_precommit.sh: the btpctl-lint hook of .pre-commit-hooks.yaml, run by
# the real pre-commit (try-repo, offline: language system) in a temporary
# git repository: a clean policy passes, a policy with an error fails the
# commit with btpctl's message, and .btpctl.yaml's ignore applies to the
# files pre-commit passes.
. "$ROOT/tests/lib.sh"
if ! command -v pre-commit >/dev/null 2>&1 || ! command -v git >/dev/null 2>&1; then
	nok "pre-commit and git are needed (Debian packages pre-commit, git)"
	finish t_precommit
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the hook runs "btpctl" from PATH
mkdir -p "$tmp/bin"
ln -s "$BTPCTL" "$tmp/bin/btpctl"
PATH="$tmp/bin:$PATH"
export PRE_COMMIT_HOME="$tmp/cache" HOME="$tmp" GIT_CONFIG_NOSYSTEM=1
# pre-commit try-repo needs the hook repository as a git repository
hooks="$tmp/hooks"
mkdir -p "$hooks"
cp "$ROOT/.pre-commit-hooks.yaml" "$hooks/"
(cd "$hooks" && git init -q && git add . && git -c user.email=t@t -c user.name=t commit -qm hooks) ||
	nok "cannot create the hook repository"

repo="$tmp/repo"
mkdir -p "$repo/deploy"
cd "$repo" && git init -q
git config user.email t@example.invalid
git config user.name t
cp "$ROOT/testdata/lint/BTP001/good.yaml" deploy/good.yaml
git add deploy/good.yaml
if pre-commit try-repo "$hooks" btpctl-lint >"$tmp/out1" 2>&1; then ok; else
	nok "clean policy fails the hook: $(tail -5 "$tmp/out1")"
fi
grep -q 'btpctl lint.*Passed' "$tmp/out1" && ok || nok "hook did not report Passed: $(cat "$tmp/out1")"

cp "$ROOT/testdata/lint/BTP013/bad.yaml" deploy/bad.yaml
git add deploy/bad.yaml
if pre-commit try-repo "$hooks" btpctl-lint >"$tmp/out2" 2>&1; then
	nok "policy with an error passes the hook"
else
	ok
fi
grep -q 'deploy/bad.yaml:16:22: error: back-off maxInterval' "$tmp/out2" && ok ||
	nok "hook output lacks btpctl's message: $(cat "$tmp/out2")"
# a JSON file is passed too (types_or: yaml, json)
printf '{"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "BackendTrafficPolicy", "metadata": {"name": "j"}, "spec": {"http2": {"initialStreamWindowSize": 1}, "targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "x"}]}}\n' > deploy/p.json
git add deploy/p.json
pre-commit try-repo "$hooks" btpctl-lint --files deploy/p.json deploy/good.yaml >"$tmp/out3" 2>&1
grep -q 'deploy/p.json:1:.*BTP017' "$tmp/out3" && ok || nok "JSON file not linted: $(cat "$tmp/out3")"

# ignore: in .btpctl.yaml applies to the files pre-commit names
printf 'ignore:\n  - deploy/bad.yaml\n  - "*.json"\n' > .btpctl.yaml
git add .btpctl.yaml
if pre-commit try-repo "$hooks" btpctl-lint >"$tmp/out4" 2>&1; then ok; else
	nok "ignored files still fail the hook: $(tail -5 "$tmp/out4")"
fi
finish t_precommit
