/*
 * BTP011 retries-exceed-request-timeout: the worst case of all attempts and
 * back-offs does not fit in the request timeout, so the last retries are
 * cut off.
 */
#include <inttypes.h>

#include "lint.h"
#include "policy.h"

#define MS	INT64_C(1000000)

static void
check(struct lint_ctx *ctx)
{
	const struct pretry *r = &ctx->pol->retry;
	const struct pf_dur *rt = &ctx->pol->timeout.http_request_timeout;
	int64_t n, base, max, total, step, k;
	char a[32], b[32], c[32];

	if (!r->per_retry_timeout.valid || !rt->valid || rt->ns == 0 ||
	    r->per_retry_timeout.ns >= rt->ns)
		return;		/* BTP010 covers pt >= rt */
	n = pf_int_or(&r->num_retries, POLICY_DEF_NUM_RETRIES);
	if (n <= 0 || n > 1000)
		return;
	base = pf_dur_or(&r->back_off_base, POLICY_DEF_BACKOFF_BASE_NS);
	if (base < MS)
		base = MS;	/* Envoy raises a base below 1ms */
	max = pf_dur_or(&r->back_off_max, 10 * base);
	if (max < base)
		max = 10 * base;
	/* Envoy's jittered back-off: the n-th wait is below min(base * 2^(n-1), max) */
	total = (n + 1) * r->per_retry_timeout.ns;
	for (k = 0, step = base; k < n; k++) {
		total += step < max ? step : max;
		if (step < max)
			step *= 2;
	}
	if (total <= rt->ns)
		return;
	lint_report(ctx, r->per_retry_timeout.node, "spec.retry.perRetry.timeout",
	    "%" PRId64 " attempts of up to %s plus back-off can take %s, more than the "
	    "request timeout %s, so the last retries are cut off; lower numRetries or the "
	    "per-try timeout, or raise the request timeout",
	    n + 1, lint_fmt_duration(r->per_retry_timeout.ns, a),
	    lint_fmt_duration(total, b), lint_fmt_duration(rt->ns, c));
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
	false,
};
