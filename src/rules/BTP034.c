/*
 * BTP034 conflict-order-unknown: two policies claim the same scope and the
 * manifests carry no creationTimestamp, so only the order in which they
 * reach the cluster decides which one applies.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct eff_fact *const *f;
	size_t n = lint_facts(ctx, &f), i;
	const struct object *w;

	for (i = 0; i < n; i++) {
		if (f[i]->kind != EFF_FACT_CONFLICT || f[i]->other == NULL ||
		    !lint_conflict_by_order(f[i]))
			continue;
		w = f[i]->other->obj;
		lint_report(ctx, f[i]->at, lint_ref_path(ctx, f[i]->at),
		    "%s/%s also targets %s %s/%s%s%s and %s: the "
		    "policy created first in the cluster wins and the other is Conflicted "
		    "(btpctl effective assumes %s/%s wins), so the outcome "
		    "depends on apply order; merge the two policies or target different "
		    "scopes", object_ns(w), w->name, f[i]->target_kind, f[i]->target_ns,
		    f[i]->target_name, f[i]->section ? "/" : "",
		    f[i]->section ? f[i]->section : "",
		    object_timestamp(w) == NULL && object_timestamp(ctx->obj) == NULL ?
		    "neither manifest has a creationTimestamp" :
		    "only one of the two manifests has a creationTimestamp", object_ns(w), w->name);
	}
}

const struct lint_rule rule_BTP034 = {
	"BTP034", "conflict-order-unknown", SEV_WARNING, FAMILY_CROSS_OBJECT,
	"Two policies claim the same target and only apply order decides the winner",
	"When two policies target the same scope, the one with the older "
	"creationTimestamp wins.  Manifests in git have no timestamps: the API server "
	"sets them when the objects are created, so the winner is whichever policy a "
	"deployment happened to create first, and it can change when the namespace is "
	"recreated.  (btpctl effective assumes input order here.)",
	"Merge the policies into one, or give them different scopes.",
	EX_ROUTE("v1", "HTTPRoute", "api")
	EX_HEAD
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n"
	"  retry:\n"
	"    numRetries: 2\n",
	EX_ROUTE("v1", "HTTPRoute", "api")
	EX_POLICY("api-timeouts")
	EX_TARGET("HTTPRoute", "api")
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n"
	"---\n"
	EX_POLICY("api-retries")
	EX_TARGET("HTTPRoute", "api")
	"  retry:\n"
	"    numRetries: 2\n",
	33,
	check,
	false,
};
