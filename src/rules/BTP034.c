/*
 * BTP034 conflict-order-unknown: two policies claim the same scope and the
 * manifests carry no creationTimestamp, so only the order in which they
 * reach the cluster decides which one applies.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct lint_target *t;
	const struct lint_scope_entry *e;
	const struct object *first;
	size_t n = lint_targets(ctx, &t), i, m, j;
	bool all_known;

	for (i = 0; i < n; i++) {
		if (t[i].selector)
			continue;
		m = lint_scope_policies(ctx, &t[i], &e);
		if (m < 2)
			continue;
		all_known = true;
		first = e[0].policy;
		for (j = 0; j < m; j++) {
			if (e[j].timestamp == NULL)
				all_known = false;
			if (e[j].policy->order < first->order)
				first = e[j].policy;
		}
		if (all_known || first == ctx->obj)
			continue;
		lint_report(ctx, t[i].at, t[i].path,
		    "%s/%s also targets %s %s%s%s and neither manifest has a creationTimestamp: "
		    "the policy created first in the cluster wins and the other is Conflicted, "
		    "so the outcome depends on apply order; merge the two policies or target "
		    "different scopes", object_ns(first), first->name, t[i].kind, t[i].name,
		    t[i].section ? "/" : "", t[i].section ? t[i].section : "");
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
	EX_HEAD
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n"
	"  retry:\n"
	"    numRetries: 2\n",
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
	22,
	check,
};
