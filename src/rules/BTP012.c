/*
 * BTP012 health-check-timeout-not-below-interval: probes that may run
 * longer than the interval overlap and skew the health verdict.
 */
#include "lint.h"

#define SEC	INT64_C(1000000000)

static void
check(struct lint_ctx *ctx)
{
	const struct node *active = lint_spec(ctx, "healthCheck.active");
	const struct node *tn, *in;
	int64_t t = 1 * SEC, i = 3 * SEC;	/* CRD defaults */
	char a[32], b[32];

	if (active == NULL || active->kind != NODE_MAP)
		return;
	tn = node_get(active, "timeout");
	in = node_get(active, "interval");
	if ((tn != NULL && !lint_duration(tn, &t)) || (in != NULL && !lint_duration(in, &i)))
		return;
	if (t < i)
		return;
	lint_report(ctx, tn != NULL ? tn : in != NULL ? in : lint_where(ctx, "healthCheck.active"),
	    tn != NULL ? "spec.healthCheck.active.timeout" : "spec.healthCheck.active.interval",
	    "health check timeout %s is not below its interval %s: a slow probe is still "
	    "running when the next one is due, so checks overlap and an endpoint is marked "
	    "unhealthy late; make the timeout shorter than the interval",
	    lint_fmt_duration(t, a), lint_fmt_duration(i, b));
}

const struct lint_rule rule_BTP012 = {
	"BTP012", "health-check-timeout-not-below-interval", SEV_WARNING, FAMILY_CONSISTENCY,
	"The active health check timeout is at least its interval",
	"An active health check sends a probe every interval and waits up to timeout "
	"for the answer.  With timeout >= interval, a slow endpoint has several probes "
	"outstanding, the next probe is delayed until the previous one times out, and "
	"the unhealthyThreshold is reached much later than interval x threshold.  The "
	"defaults are timeout 1s and interval 3s.",
	"Set spec.healthCheck.active.timeout below spec.healthCheck.active.interval, "
	"for example timeout 1s with interval 5s.",
	EX_HEAD
	"  healthCheck:\n"
	"    active:\n"
	"      type: HTTP\n"
	"      timeout: 1s\n"
	"      interval: 5s\n"
	"      http:\n"
	"        path: /healthz\n",
	EX_HEAD
	"  healthCheck:\n"
	"    active:\n"
	"      type: HTTP\n"
	"      timeout: 5s\n"
	"      interval: 5s\n"
	"      http:\n"
	"        path: /healthz\n",
	14,
	check,
};
