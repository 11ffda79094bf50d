/*
 * BTP001 no-health-check: a policy without active or passive health
 * checking keeps sending requests to endpoints that are down.
 */
#include "lint.h"

static bool
only_udp(struct lint_ctx *ctx)
{
	const struct lint_target *t;
	size_t n = lint_targets(ctx, &t), i;

	for (i = 0; i < n; i++)
		if (t[i].kind == NULL || strcmp(t[i].kind, "UDPRoute") != 0)
			return false;
	return n > 0;
}

static void
check(struct lint_ctx *ctx)
{
	static const char *const hc[] = {
		"healthCheck.active", "healthCheck.passive", NULL
	};

	if (lint_spec(ctx, hc[0]) != NULL || lint_spec(ctx, hc[1]) != NULL)
		return;
	if (only_udp(ctx))
		return;		/* UDP routes take only loadBalancer and dns */
	if (lint_inherits(ctx, hc))
		return;
	lint_report(ctx, NULL, "spec.healthCheck",
	    "no health check: Envoy keeps sending requests to endpoints that are down; "
	    "add spec.healthCheck.passive (outlier detection) and, where the backend has a "
	    "health endpoint, spec.healthCheck.active");
}

const struct lint_rule rule_BTP001 = {
	"BTP001", "no-health-check", SEV_WARNING, FAMILY_PRACTICE,
	"Policy configures neither an active nor a passive health check",
	"Without health checking Envoy only learns that an endpoint is gone when "
	"Kubernetes removes it from the endpoint list.  An endpoint that accepts "
	"connections but fails requests (deadlocked, out of memory, misconfigured) keeps "
	"its full share of traffic.  Passive health checking (outlier detection) ejects "
	"such endpoints after a few consecutive errors; active health checking probes "
	"them even when no traffic flows."
	INHERITED_NOTE,
	"Add spec.healthCheck.passive (for example consecutive5XxErrors: 5, "
	"baseEjectionTime: 30s, maxEjectionPercent: 50) and, if the backend serves a "
	"health endpoint, spec.healthCheck.active with type HTTP and its path.",
	EX_HEAD
	"  healthCheck:\n"
	"    passive:\n"
	"      consecutive5XxErrors: 5\n"
	"      baseEjectionTime: 30s\n"
	"      maxEjectionPercent: 50\n",
	EX_HEAD
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n",
	1,
	check,
	true,
};
