/*
 * BTP005 retry-without-per-try-timeout: an attempt that hangs uses up the
 * whole request timeout, so the retry never happens.
 */
#include "lint.h"
#include "policy.h"

static void
check(struct lint_ctx *ctx)
{
	const struct pretry *r = &ctx->pol->retry;

	/* retry.perRetryTimeout (the description's spelling) reads as perRetry.timeout */
	if (!r->set || r->node == NULL || r->node->kind != NODE_MAP ||
	    pf_int_or(&r->num_retries, POLICY_DEF_NUM_RETRIES) == 0 ||
	    r->per_retry_timeout.set)
		return;
	lint_report(ctx, lint_where(ctx, "retry"), "spec.retry.perRetry.timeout",
	    "retries have no per-try timeout: an attempt that hangs uses up the whole "
	    "request timeout and is never retried; set spec.retry.perRetry.timeout to a "
	    "fraction of the request timeout");
}

const struct lint_rule rule_BTP005 = {
	"BTP005", "retry-without-per-try-timeout", SEV_WARNING, FAMILY_PRACTICE,
	"Retries are configured without a per-try timeout",
	"Without a per-try timeout an attempt runs until the route timeout fires.  A "
	"backend that hangs (rather than failing fast) then consumes the whole request "
	"budget on the first attempt, the client gets a 504, and the retry policy never "
	"gets a chance.  Hung attempts are the failures retries help with most.",
	"Set spec.retry.perRetry.timeout so that (numRetries + 1) attempts fit in the "
	"request timeout, for example requestTimeout 10s, numRetries 2, perRetry.timeout 3s.",
	EX_HEAD
	"  retry:\n"
	"    numRetries: 2\n"
	"    perRetry:\n"
	"      timeout: 3s\n",
	EX_HEAD
	"  retry:\n"
	"    numRetries: 2\n",
	11,
	check,
	false,
};
