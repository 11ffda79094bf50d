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
estate="examples/gateway.yaml examples/gateway-policy.yaml examples/checkout-policy.yaml examples/sessions-policy.yaml"
# the CI gate: the API server's verdict plus the lint rules (the seed
# description's spellings under examples/seed/ are errors, each with its
# upstream replacement)
run lint examples/
# which policy each route of shop/eg really gets, and the status Envoy
# Gateway writes on each policy
run effective $estate
run effective --status -o yaml $estate
# what a change does: more retries on checkout, and a gateway-wide timeout
# change that reaches only the routes without a policy of their own
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/old" "$tmp/new"
for f in $estate; do cp "$f" "$tmp/old/"; cp "$f" "$tmp/new/"; done
sed -i 's/numRetries: 2/numRetries: 5/' "$tmp/new/checkout-policy.yaml"
sed -i 's/requestTimeout: 15s/requestTimeout: 30s/' "$tmp/new/gateway-policy.yaml"
echo
echo "\$ sed 's/numRetries: 2/numRetries: 5/' examples/checkout-policy.yaml | btpctl diff examples/checkout-policy.yaml -"
$b diff examples/checkout-policy.yaml - < "$tmp/new/checkout-policy.yaml"
echo "(exit $?)"
echo
echo "\$ btpctl diff --effective OLD/ NEW/   # NEW also raises the gateway's requestTimeout 15s -> 30s"
(cd "$tmp" && "$OLDPWD/$b" diff --effective old new)
echo "(exit $?)"
# what the checkout policy does under load when a backend fails, and
# where a user's cart session sticks
run simulate examples/checkout-policy.yaml
run simulate examples/sessions-policy.yaml --where 203.0.113.7
