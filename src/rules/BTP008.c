/*
 * BTP008 no-passive-health-check: active checks alone notice a failing
 * endpoint only every interval, and not failures its probe does not see.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	static const char *const passive[] = { "healthCheck.passive", NULL };

	if (lint_spec(ctx, "healthCheck.active") == NULL ||
	    lint_spec(ctx, "healthCheck.passive") != NULL || lint_inherits(ctx, passive))
		return;
	lint_report(ctx, lint_where(ctx, "healthCheck"), "spec.healthCheck.passive",
	    "only active health checking: an endpoint that fails real requests but "
	    "answers its probe keeps its traffic; add spec.healthCheck.passive (outlier "
	    "detection) for faster failure detection");
}

const struct lint_rule rule_BTP008 = {
	"BTP008", "no-passive-health-check", SEV_INFO, FAMILY_PRACTICE,
	"Health checking is active only, without passive outlier detection",
	"Active health checks probe a health endpoint every interval and need several "
	"failures in a row before marking an endpoint unhealthy, so detection takes "
	"seconds.  They also miss failures that only real requests see.  Passive health "
	"checking watches real responses and ejects an endpoint after a few consecutive "
	"errors."
	INHERITED_NOTE,
	"Add spec.healthCheck.passive next to the active check.",
	EX_HEAD
	"  healthCheck:\n"
	"    active:\n"
	"      type: HTTP\n"
	"      http:\n"
	"        path: /healthz\n"
	"    passive:\n"
	"      consecutive5XxErrors: 5\n",
	EX_HEAD
	"  healthCheck:\n"
	"    active:\n"
	"      type: HTTP\n"
	"      http:\n"
	"        path: /healthz\n",
	11,
	check,
	true,
};
