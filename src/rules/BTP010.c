/*
 * BTP010 per-try-timeout-not-below-request-timeout: Envoy ignores a
 * per-try timeout at or above the route timeout, and no retry can happen.
 */
#include "lint.h"
#include "policy.h"

static void
check(struct lint_ctx *ctx)
{
	const struct pf_dur *pt = &ctx->pol->retry.per_retry_timeout;
	const struct pf_dur *rt = &ctx->pol->timeout.http_request_timeout;
	char a[32], b[32];

	if (!pt->valid || !rt->valid || rt->ns == 0 || pt->ns < rt->ns)
		return;
	lint_report(ctx, pt->node, "spec.retry.perRetry.timeout",
	    "per-try timeout %s is not below the request timeout %s: the first attempt "
	    "may use up the whole request, so no retry ever happens; make the per-try "
	    "timeout a fraction of the request timeout",
	    lint_fmt_duration(pt->ns, a), lint_fmt_duration(rt->ns, b));
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
	false,
};
