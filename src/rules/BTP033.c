/*
 * BTP033 policy-conflict: two policies claim the same scope; Envoy Gateway
 * applies the older one and marks the other Conflicted.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct eff_fact *const *f;
	size_t n = lint_facts(ctx, &f), i;
	const char *mine = object_timestamp(ctx->obj), *theirs;
	const struct object *w;

	for (i = 0; i < n; i++) {
		if (f[i]->kind != EFF_FACT_CONFLICT || f[i]->other == NULL ||
		    lint_conflict_by_order(f[i]))
			continue;	/* BTP034: the order is not known */
		w = f[i]->other->obj;
		theirs = object_timestamp(w);
		lint_report(ctx, f[i]->at, lint_ref_path(ctx, f[i]->at),
		    "%s/%s already holds %s %s/%s%s%s (%s), so Envoy Gateway marks this "
		    "policy Conflicted and never applies it there; merge the two policies "
		    "or target different scopes", object_ns(w), w->name,
		    f[i]->target_kind, f[i]->target_ns, f[i]->target_name,
		    f[i]->section ? "/" : "", f[i]->section ? f[i]->section : "",
		    strcmp(theirs, mine) < 0 ? "it is older" :
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
	"policy is merged in.  Targets are resolved as Envoy Gateway does, including "
	"targetSelectors, namespaces selectors and ReferenceGrants, so lint names the "
	"same loser as btpctl effective --status.",
	"Combine the settings into one policy, or target a narrower scope (a route "
	"rule with sectionName, or the route instead of the Gateway).",
	EX_ROUTE("v1", "HTTPRoute", "api")
	EX_POLICY_AT("api-timeouts", "2026-01-10T08:00:00Z")
	EX_TARGET("HTTPRoute", "api")
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n"
	"  retry:\n"
	"    numRetries: 2\n",
	EX_ROUTE("v1", "HTTPRoute", "api")
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
	35,
	check,
	false,
};
