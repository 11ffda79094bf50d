/*
 * BTP005 retry-without-per-try-timeout: an attempt that hangs uses up the
 * whole request timeout, so the retry never happens.
 */
#include "lint.h"

static void
check(struct lint_ctx *ctx)
{
	const struct node *retry = lint_spec(ctx, "retry");
	int64_t n;

	if (retry == NULL || retry->kind != NODE_MAP)
		return;
	if (lint_int(lint_spec(ctx, "retry.numRetries"), &n) && n == 0)
		return;
	/* the description's spelling retry.perRetryTimeout means the same */
	if (lint_has(ctx, "retry.perRetry.timeout") || lint_has(ctx, "retry.perRetryTimeout"))
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
};
