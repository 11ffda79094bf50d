/*
 * BTP010 per-try-timeout-not-below-request-timeout: Envoy ignores a
 * per-try timeout at or above the route timeout, and no retry can happen.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct node *pt = lint_spec(ctx, "retry.perRetry.timeout");
	int64_t rt_ns, pt_ns;
	char a[32], b[32];

	if (pt == NULL)
		pt = lint_spec(ctx, "retry.perRetryTimeout");	/* the description's spelling */
	if (!lint_duration(pt, &pt_ns) ||
	    !lint_duration(lint_spec(ctx, "timeout.http.requestTimeout"), &rt_ns) ||
	    rt_ns == 0 || pt_ns < rt_ns)
		return;
	lint_report(ctx, pt, "spec.retry.perRetry.timeout",
	    "per-try timeout %s is not below the request timeout %s: the first attempt "
	    "may use up the whole request, so no retry ever happens; make the per-try "
	    "timeout a fraction of the request timeout",
	    lint_fmt_duration(pt_ns, a), lint_fmt_duration(rt_ns, b));
}

const struct lint_rule rule_BTP010 = {
	"BTP010", "per-try-timeout-not-below-request-timeout", SEV_WARNING, FAMILY_CONSISTENCY,
	"The per-try timeout is at least the request timeout",
	"The request (route) timeout covers the whole request including every retry "
	"and back-off.  Envoy ignores a per-try timeout that is at least the request "
	"timeout, so a hanging first attempt runs until the request times out and the "
	"client gets a 504 without any retry.",
	"Make spec.retry.perRetry.timeout smaller than "
	"spec.timeout.http.requestTimeout, ideally so that numRetries + 1 attempts fit.",
	EX_HEAD
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n"
	"  retry:\n"
	"    numRetries: 2\n"
	"    perRetry:\n"
	"      timeout: 3s\n",
	EX_HEAD
	"  timeout:\n"
	"    http:\n"
	"      requestTimeout: 10s\n"
	"  retry:\n"
	"    numRetries: 2\n"
	"    perRetry:\n"
	"      timeout: 10s\n",
	17,
	check,
};
