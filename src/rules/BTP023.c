/*
 * BTP023 unsupported-merge-type: mergeType passes admission with any value
 * but Replace, yet the translator only knows StrategicMerge and JSONMerge.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct node *m = lint_spec(ctx, "mergeType");
	const char *const cands[] = { "StrategicMerge", "JSONMerge", NULL };
	const char *best;

	if (m == NULL || m->kind != NODE_STRING || strcmp(m->str, "StrategicMerge") == 0 ||
	    strcmp(m->str, "JSONMerge") == 0 || strcmp(m->str, "Replace") == 0)
		return;		/* Replace is refused at admission already */
	best = did_you_mean(m->str, cands);
	lint_report(ctx, m, "spec.mergeType",
	    "mergeType '%s' passes the API server but Envoy Gateway only merges with "
	    "StrategicMerge or JSONMerge (\"unsupported merge type\"), so the policy is not "
	    "applied; use %s", m->str, best ? best : "StrategicMerge or JSONMerge");
}

const struct lint_rule rule_BTP023 = {
	"BTP023", "unsupported-merge-type", SEV_ERROR, FAMILY_CONSISTENCY,
	"mergeType is neither StrategicMerge nor JSONMerge",
	"The CRD has no enum for mergeType: only the value Replace is refused at "
	"admission.  Envoy Gateway's translator then fails on anything except "
	"StrategicMerge and JSONMerge with \"Error merging policies: unsupported merge "
	"type\", and the route policy is not accepted.",
	"Use mergeType: StrategicMerge (lists with a merge key are merged) or JSONMerge "
	"(RFC 7386, lists replaced).",
	EX_HEAD
	"  mergeType: StrategicMerge\n"
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n",
	EX_HEAD
	"  mergeType: Merge\n"
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n",
	11,
	check,
	false,
};
