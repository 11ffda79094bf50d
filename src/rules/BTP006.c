/*
 * BTP006 retry-without-backoff: retries that fire within milliseconds hit
 * a struggling backend again before it can recover.
 */
#include "lint.h"
#include "policy.h"

static void
check(struct lint_ctx *ctx)
{
	const struct pretry *r = &ctx->pol->retry;

	/* retry.backoff (the description's spelling) reads as perRetry.backOff */
	if (!r->set || r->node == NULL || r->node->kind != NODE_MAP ||
	    pf_int_or(&r->num_retries, POLICY_DEF_NUM_RETRIES) == 0 || r->back_off.set)
		return;
	lint_report(ctx, lint_where(ctx, "retry"), "spec.retry.perRetry.backOff",
	    "retries have no back-off: Envoy waits at most 25ms before the first retry "
	    "and 250ms later, so retries hit a struggling backend again at once; set "
	    "spec.retry.perRetry.backOff.baseInterval and maxInterval");
}

const struct lint_rule rule_BTP006 = {
	"BTP006", "retry-without-backoff", SEV_WARNING, FAMILY_PRACTICE,
	"Retries are configured without a back-off",
	"Envoy's default retry back-off is a jittered exponential starting at 25ms and "
	"capped at 250ms.  That is fine for a lost packet but not for a backend that is "
	"overloaded or restarting: retries arrive within milliseconds, add load and fail "
	"again.  An explicit back-off spreads retries out and gives the backend time.",
	"Set spec.retry.perRetry.backOff with a baseInterval (for example 100ms) and a "
	"maxInterval (for example 1s); keep baseInterval at most maxInterval.",
	EX_HEAD
	"  retry:\n"
	"    numRetries: 2\n"
	"    perRetry:\n"
	"      timeout: 3s\n"
	"      backOff:\n"
	"        baseInterval: 100ms\n"
	"        maxInterval: 1s\n",
	EX_HEAD
	"  retry:\n"
	"    numRetries: 2\n"
	"    perRetry:\n"
	"      timeout: 3s\n",
	11,
	check,
	false,
};
