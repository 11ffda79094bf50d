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
# the API server's verdict: the estate is valid, the seed description's
# spellings are not (each with its upstream replacement)
run validate examples/
# which policy each route of shop/eg really gets, and the status Envoy
# Gateway writes on each policy
run effective examples/gateway.yaml examples/gateway-policy.yaml \
	examples/checkout-policy.yaml examples/sessions-policy.yaml
run effective --status -o yaml examples/gateway.yaml examples/gateway-policy.yaml \
	examples/checkout-policy.yaml examples/sessions-policy.yaml
# what the checkout policy does under load when a backend fails, and
# where a user's cart session sticks
run simulate examples/checkout-policy.yaml
run simulate examples/sessions-policy.yaml --where 203.0.113.7
