/*
 * BTP003 no-circuit-breaker: without explicit circuit breaker thresholds a
 * slow backend can pile up 1024 connections and requests per Envoy.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	static const char *const cb[] = { "circuitBreaker", NULL };
	const struct lint_target *t;
	size_t n = lint_targets(ctx, &t), i;

	if (lint_spec(ctx, "circuitBreaker") != NULL)
		return;
	for (i = 0; i < n; i++)
		if (t[i].kind != NULL && strcmp(t[i].kind, "UDPRoute") == 0)
			return;
	if (lint_inherits(ctx, cb))
		return;
	lint_report(ctx, NULL, "spec.circuitBreaker",
	    "no circuit breaker: each Envoy allows 1024 connections, pending and active "
	    "requests to the backend before failing fast; set spec.circuitBreaker limits "
	    "sized to what the backend can serve");
}

const struct lint_rule rule_BTP003 = {
	"BTP003", "no-circuit-breaker", SEV_INFO, FAMILY_PRACTICE,
	"Policy sets no circuit breaker thresholds",
	"Circuit breakers cap the connections, pending requests, active requests and "
	"retries one Envoy sends to a backend cluster.  The defaults (1024 each) are far "
	"above what most services can handle, so when a backend slows down, requests "
	"queue up in Envoy and in the backend instead of failing fast, and the slowdown "
	"spreads to every caller."
	INHERITED_NOTE,
	"Add spec.circuitBreaker with maxConnections, maxPendingRequests and "
	"maxParallelRequests sized to the backend's capacity divided by the number of "
	"Envoy replicas.",
	EX_HEAD
	"  circuitBreaker:\n"
	"    maxConnections: 200\n"
	"    maxPendingRequests: 50\n"
	"    maxParallelRequests: 200\n",
	EX_HEAD
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n",
	1,
	check,
	true,
};
