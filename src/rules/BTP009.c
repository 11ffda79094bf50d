/*
 * BTP009 no-connection-limit: a circuit breaker that leaves maxConnections
 * at 1024 does not protect the backend from connection floods.
 */
#include "lint.h"
#include "policy.h"

static void
check(struct lint_ctx *ctx)
{
	const struct pcircuit_breaker *cb = &ctx->pol->circuit_breaker;

	if (!cb->set || cb->node == NULL || cb->node->kind != NODE_MAP ||
	    cb->max_connections.set || cb->per_endpoint_max_connections.set)
		return;
	lint_report(ctx, lint_where(ctx, "circuitBreaker"), "spec.circuitBreaker.maxConnections",
	    "the circuit breaker sets no connection limit, so each Envoy may open 1024 "
	    "connections to the backend; set spec.circuitBreaker.maxConnections (or "
	    "perEndpoint.maxConnections) to what the backend can hold");
}

const struct lint_rule rule_BTP009 = {
	"BTP009", "no-connection-limit", SEV_INFO, FAMILY_PRACTICE,
	"Circuit breaker without a connection limit",
	"maxConnections defaults to 1024 per Envoy and cluster.  With several Envoy "
	"replicas a backend can receive thousands of connections during a burst, which "
	"exhausts its file descriptors, thread pools or database connections.  A limit "
	"makes Envoy fail fast instead.",
	"Set spec.circuitBreaker.maxConnections, or perEndpoint.maxConnections to limit "
	"each endpoint separately.",
	EX_HEAD
	"  circuitBreaker:\n"
	"    maxConnections: 200\n"
	"    maxPendingRequests: 50\n",
	EX_HEAD
	"  circuitBreaker:\n"
	"    maxPendingRequests: 50\n",
	11,
	check,
	false,
};
