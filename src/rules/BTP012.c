/*
 * BTP012 health-check-timeout-not-below-interval: probes that may run
 * longer than the interval overlap and skew the health verdict.
 */
#include "lint.h"
#include "policy.h"


static void
check(struct lint_ctx *ctx)
{
	const struct pactive_hc *a = &ctx->pol->health_check.active;
	int64_t t = pf_dur_or(&a->timeout, POLICY_DEF_HC_TIMEOUT_NS);
	int64_t i = pf_dur_or(&a->interval, POLICY_DEF_HC_INTERVAL_NS);
	char x[32], y[32];

	if (!a->set || a->node == NULL || a->node->kind != NODE_MAP ||
	    (a->timeout.set && !a->timeout.valid) || (a->interval.set && !a->interval.valid) ||
	    t < i)
		return;
	lint_report(ctx, a->timeout.set ? a->timeout.node : a->interval.set ? a->interval.node :
	    lint_where(ctx, "healthCheck.active"),
	    a->timeout.set ? "spec.healthCheck.active.timeout" : "spec.healthCheck.active.interval",
	    "health check timeout %s is not below its interval %s: a slow probe is still "
	    "running when the next one is due, so checks overlap and an endpoint is marked "
	    "unhealthy late; make the timeout shorter than the interval",
	    lint_fmt_duration(t, x), lint_fmt_duration(i, y));
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
	false,
};
