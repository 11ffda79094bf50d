/*
 * BTP013 invalid-retry-backoff: Envoy Gateway refuses a back-off whose base
 * is above its maximum, or either of them 0s; the policy is then rejected
 * and its routes answer 500.
 */
#include "lint.h"
#include "policy.h"

static void
check(struct lint_ctx *ctx)
{
	const struct pretry *r = &ctx->pol->retry;
	const struct pf_dur *bn = &r->back_off_base, *mn = &r->back_off_max;
	const char *path = r->back_off.seed != NULL ? "spec.retry.backoff" :
	    "spec.retry.perRetry.backOff";
	char a[32], b[32];

	if (!r->back_off.set)
		return;
	if (bn->valid && bn->ns == 0)
		lint_report(ctx, bn->node, path,
		    "back-off baseInterval is 0s, which Envoy Gateway refuses (the policy is "
		    "not accepted and its routes answer 500); set a positive baseInterval such "
		    "as 100ms");
	if (mn->valid && mn->ns == 0)
		lint_report(ctx, mn->node, path,
		    "back-off maxInterval is 0s, which Envoy Gateway refuses (the policy is "
		    "not accepted and its routes answer 500); set a maxInterval of at least "
		    "baseInterval");
	else if (bn->valid && mn->valid && bn->ns > mn->ns)
		lint_report(ctx, mn->node, path,
		    "back-off maxInterval %s is below baseInterval %s, which Envoy Gateway "
		    "refuses (the policy is not accepted and its routes answer 500); make "
		    "maxInterval at least baseInterval",
		    lint_fmt_duration(mn->ns, a), lint_fmt_duration(bn->ns, b));
}

const struct lint_rule rule_BTP013 = {
	"BTP013", "invalid-retry-backoff", SEV_ERROR, FAMILY_CONSISTENCY,
	"Retry back-off base above its maximum, or set to 0s",
	"The schema accepts any duration for the back-off, but Envoy Gateway's "
	"translator refuses baseInterval 0s, maxInterval 0s and maxInterval below "
	"baseInterval.  The policy is then marked Accepted=False (Invalid) and every "
	"HTTP route it targets answers with a direct 500 instead of being forwarded; "
	"less specific policies do not fill in.",
	"Use a positive baseInterval no larger than maxInterval, for example 100ms and 1s.",
	EX_HEAD
	"  retry:\n"
	"    perRetry:\n"
	"      timeout: 2s\n"
	"      backOff:\n"
	"        baseInterval: 100ms\n"
	"        maxInterval: 1s\n",
	EX_HEAD
	"  retry:\n"
	"    perRetry:\n"
	"      timeout: 2s\n"
	"      backOff:\n"
	"        baseInterval: 2s\n"
	"        maxInterval: 500ms\n",
	16,
	check,
	false,
};
