/*
 * BTP004 too-many-retries: every retry multiplies the load on a backend
 * that is already failing.
 */
#include <inttypes.h>

#include "lint.h"
#include "policy.h"

static void
check(struct lint_ctx *ctx)
{
	const struct pf_int *n = &ctx->pol->retry.num_retries;

	if (!n->valid || n->v <= 3)
		return;
	lint_report(ctx, n->node, "spec.retry.numRetries",
	    "numRetries is %" PRId64 ": while the backend fails, every request becomes up "
	    "to %" PRId64 " upstream requests, which turns an overload into an outage; keep "
	    "numRetries at 3 or less and cap retries with spec.circuitBreaker.retryBudget",
	    n->v, n->v + 1);
}

const struct lint_rule rule_BTP004 = {
	"BTP004", "too-many-retries", SEV_WARNING, FAMILY_PRACTICE,
	"Retries amplify load: numRetries is above 3",
	"Retries help with rare, independent failures.  When a backend fails because it "
	"is overloaded, each retry adds load: with numRetries N every client request can "
	"become N+1 upstream requests, so the backend never recovers.  Envoy's retry "
	"circuit breaker (1024 parallel retries by default) does not stop this at "
	"ordinary traffic levels.",
	"Use at most 2 or 3 retries, give each try a timeout (spec.retry.perRetry.timeout) "
	"and a back-off, and bound the share of retries with "
	"spec.circuitBreaker.retryBudget (for example 20 percent).",
	EX_HEAD
	"  retry:\n"
	"    numRetries: 2\n",
	EX_HEAD
	"  retry:\n"
	"    numRetries: 10\n",
	12,
	check,
	false,
};
