/*
 * BTP011 retries-exceed-request-timeout: the worst case of all attempts and
 * back-offs does not fit in the request timeout, so the last retries are
 * cut off.
 */
#include <inttypes.h>

#include "lint.h"

#define MS	INT64_C(1000000)

static void
check(struct lint_ctx *ctx)
{
	const struct node *pt = lint_spec(ctx, "retry.perRetry.timeout");
	const struct node *bo = lint_spec(ctx, "retry.perRetry.backOff");
	int64_t rt_ns, pt_ns, n = 2, base = 25 * MS, max, total, step, k;
	char a[32], b[32];

	if (pt == NULL) {
		pt = lint_spec(ctx, "retry.perRetryTimeout");
		bo = lint_spec(ctx, "retry.backoff");
	}
	if (!lint_duration(pt, &pt_ns) ||
	    !lint_duration(lint_spec(ctx, "timeout.http.requestTimeout"), &rt_ns) ||
	    rt_ns == 0 || pt_ns >= rt_ns)
		return;		/* BTP010 covers pt >= rt */
	lint_int(lint_spec(ctx, "retry.numRetries"), &n);
	if (n <= 0 || n > 1000)
		return;
	if (!lint_duration(node_get(bo, "baseInterval"), &base) || base < MS)
		base = base < MS && base > 0 ? MS : 25 * MS;
	if (!lint_duration(node_get(bo, "maxInterval"), &max) || max < base)
		max = 10 * base;
	/* Envoy's jittered back-off: the n-th wait is below min(base * 2^(n-1), max) */
	total = (n + 1) * pt_ns;
	for (k = 0, step = base; k < n; k++) {
		total += step < max ? step : max;
		if (step < max)
			step *= 2;
	}
	if (total <= rt_ns)
		return;
	lint_report(ctx, pt, "spec.retry.perRetry.timeout",
	    "%" PRId64 " attempts of up to %s plus back-off can take %s, more than the "
	    "request timeout %s, so the last retries are cut off; lower numRetries or the "
	    "per-try timeout, or raise the request timeout",
	    n + 1, lint_fmt_duration(pt_ns, a), lint_fmt_duration(total, b),
	    lint_fmt_duration(rt_ns, (char[32]){0}));
}

const struct lint_rule rule_BTP011 = {
	"BTP011", "retries-exceed-request-timeout", SEV_WARNING, FAMILY_CONSISTENCY,
	"The worst case of all retries does not fit in the request timeout",
	"The request timeout bounds the whole request: every attempt and every back-off "
	"wait.  When (numRetries + 1) x perRetry.timeout plus the back-off waits exceed "
	"it, the configured retries cannot all happen: the request times out while a "
	"retry is still running, and the retry count in the policy overstates the "
	"resilience it buys.  Envoy's back-off before the n-th retry is at most "
	"min(baseInterval x 2^(n-1), maxInterval) (25ms and 250ms when not set).",
	"Choose perRetry.timeout <= (requestTimeout - back-off) / (numRetries + 1), "
	"lower numRetries, or raise spec.timeout.http.requestTimeout.",
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
	"    numRetries: 3\n"
	"    perRetry:\n"
	"      timeout: 4s\n",
	17,
	check,
};
