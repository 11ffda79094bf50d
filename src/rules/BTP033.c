/*
 * BTP033 policy-conflict: two policies claim the same scope; Envoy Gateway
 * applies the older one and marks the other Conflicted.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct lint_target *t;
	const struct lint_scope_entry *e;
	size_t n = lint_targets(ctx, &t), i, m, j;
	const char *mine = object_timestamp(ctx->obj);

	for (i = 0; i < n; i++) {
		if (t[i].selector || mine == NULL)
			continue;
		m = lint_scope_policies(ctx, &t[i], &e);
		if (m < 2 || e[0].policy == ctx->obj || e[0].timestamp == NULL)
			continue;
		for (j = 0; j < m; j++)
			if (e[j].timestamp == NULL)
				break;
		if (j < m)
			continue;	/* BTP034: the order is not known */
		lint_report(ctx, t[i].at, t[i].path,
		    "%s/%s already targets %s %s%s%s (%s), so Envoy Gateway marks this policy "
		    "Conflicted and never applies it there; merge the two policies or target "
		    "different scopes", object_ns(e[0].policy), e[0].policy->name, t[i].kind,
		    t[i].name, t[i].section ? "/" : "", t[i].section ? t[i].section : "",
		    strcmp(e[0].timestamp, mine) < 0 ? "it is older" :
		    "same creationTimestamp, it sorts first by namespace and name");
	}
}

const struct lint_rule rule_BTP033 = {
	"BTP033", "policy-conflict", SEV_WARNING, FAMILY_CROSS_OBJECT,
	"Another policy already claims the same target; this one never applies there",
	"Envoy Gateway applies one BackendTrafficPolicy per scope (Gateway, listener, "
	"route, route rule).  Policies are sorted by creationTimestamp, then namespace, "
	"then name; the first claims the scope and every later one gets "
	"Accepted=False, reason Conflicted, for that target.  Nothing of the later "
	"policy is merged in.",
	"Combine the settings into one policy, or target a narrower scope (a route "
	"rule with sectionName, or the route instead of the Gateway).",
	EX_POLICY_AT("api-timeouts", "2026-01-10T08:00:00Z")
	EX_TARGET("HTTPRoute", "api")
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n"
	"  retry:\n"
	"    numRetries: 2\n",
	EX_POLICY_AT("api-timeouts", "2026-01-10T08:00:00Z")
	EX_TARGET("HTTPRoute", "api")
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n"
	"---\n"
	EX_POLICY_AT("api-retries", "2026-02-01T08:00:00Z")
	EX_TARGET("HTTPRoute", "api")
	"  retry:\n"
	"    numRetries: 2\n",
	24,
	check,
};
