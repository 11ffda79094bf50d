/*
 * BTP022 deprecated-rate-limit-type: rateLimit.type is deprecated; global
 * and local limits are set directly.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct node *t = lint_spec(ctx, "rateLimit.type");
	const char *which;

	if (t == NULL || t->kind != NODE_STRING)
		return;
	which = strcmp(t->str, "Local") == 0 ? "local" : "global";
	if (lint_spec(ctx, strcmp(t->str, "Local") == 0 ? "rateLimit.local" :
	    "rateLimit.global") == NULL) {
		lint_report(ctx, t, "spec.rateLimit.type",
		    "rateLimit.type is %s but rateLimit.%s is missing, so Envoy Gateway "
		    "rejects the policy (\"%s configuration empty for rateLimit\"); add "
		    "rateLimit.%s.rules and remove type", t->str, which, which, which);
		return;
	}
	lint_report(ctx, t, "spec.rateLimit.type",
	    "rateLimit.type is deprecated: the presence of rateLimit.%s already says it; "
	    "remove type", which);
}

const struct lint_rule rule_BTP022 = {
	"BTP022", "deprecated-rate-limit-type", SEV_INFO, FAMILY_DEPRECATED,
	"rateLimit.type is deprecated",
	"Rate limits used to need type: Global or type: Local next to the matching "
	"block.  Current Envoy Gateway reads rateLimit.global and rateLimit.local "
	"directly (both may be combined) and type is deprecated.  A type whose block is "
	"missing makes the translator reject the policy.",
	"Remove spec.rateLimit.type and keep the rateLimit.global or rateLimit.local "
	"block.",
	EX_HEAD
	"  rateLimit:\n"
	"    local:\n"
	"      rules:\n"
	"      - limit:\n"
	"          requests: 100\n"
	"          unit: Second\n",
	EX_HEAD
	"  rateLimit:\n"
	"    type: Local\n"
	"    local:\n"
	"      rules:\n"
	"      - limit:\n"
	"          requests: 100\n"
	"          unit: Second\n",
	12,
	check,
	false,
};
